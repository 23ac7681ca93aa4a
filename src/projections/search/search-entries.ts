import type { Database } from 'better-sqlite3';
import { CONTENT_KINDS } from '../../domain/content/content-kind.js';
import { LIVE_APPLICATION, LIVE_TAG } from '../tags/queries.js';
import { NAME_END } from './search-index.js';

export const SEARCH_SORTS = ['name', 'size', 'modified'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** A search over the index. Every filter narrows; none given and no text lists everything. */
export interface SearchQuery {
  /** Substring of the name, or — when it holds a '/' — of the path inside the location. Case-insensitive. */
  text: string;
  /** An entry kind (file, directory, symlink) or a content kind (image, video, …). */
  kind?: string;
  /** Lowercase, without the dot. */
  extensions?: string[];
  /** Tag ids: an entry must carry each (or a descendant of each), on itself or on its content. */
  tagIds?: string[];
  locationKey?: number;
  minSize?: number;
  maxSize?: number;
  /** ms since the epoch, inclusive. */
  modifiedAfter?: number;
  modifiedBefore?: number;
  favorite?: boolean;
  /** true: only entries hidden with `meta hide`; otherwise they are left out. */
  hidden?: boolean;
  duplicates?: boolean;
  /** Default: relevance (exact name, then prefix, then substring), then index order (the entry id). */
  sort?: SearchSort;
  limit: number;
  offset: number;
}

export interface SearchHit {
  id: number;
  locationId: string;
  locationPath: string;
  parent: string;
  name: string;
  kind: 'file' | 'directory' | 'symlink';
  size: number;
  casId: string | null;
  contentKind: string | null;
  modifiedAt: number;
  /** 0 exact name, 1 name prefix, 2 substring; null without text. */
  rank: number | null;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
}

const ENTRY_KINDS = new Set(['file', 'directory', 'symlink']);
const SIZE = `(CASE WHEN e.kind = 'directory' THEN coalesce(e.aggregate_size, 0) ELSE e.size END)`;
const REL_PATH = `(CASE WHEN e.parent = '' THEN e.name ELSE e.parent || '/' || e.name END)`;

/** `LIKE` pattern of a literal text. */
const likeLiteral = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** An FTS5 phrase: the trigram tokenizer matches it as a substring, folding case. */
const ftsPhrase = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * The entries of a set of tags and their descendants: on the entry itself, or on its content (every copy, through
 * the search index's contents, or a scan of the entries when the index is not current).
 */
function taggedEntries(param: string, indexed: boolean): string {
  const live = `a.tag_id IN (SELECT id FROM ${param}) AND ${LIVE_TAG} AND ${LIVE_APPLICATION}`;
  const copies = indexed
    ? `SELECT n.id FROM tag_applications a JOIN tags t ON t.id = a.tag_id JOIN search_names n ON n.cas_id = a.cas_id
      WHERE a.cas_id IS NOT NULL AND ${live}`
    : `SELECT e2.id FROM entries e2 WHERE e2.cas_id IN (SELECT a.cas_id FROM tag_applications a JOIN tags t ON t.id = a.tag_id
      WHERE a.cas_id IS NOT NULL AND ${live})`;
  return `SELECT e2.id FROM tag_applications a JOIN tags t ON t.id = a.tag_id
      JOIN locations l ON l.id = a.location_id JOIN entries e2 ON e2.location = l.key AND e2.parent = a.parent AND e2.name = a.name
      WHERE ${live}
    UNION ALL
    ${copies}`;
}

/** The entries a metadata flag is set on. */
const flagged = (column: 'favorite' | 'hidden') =>
  `SELECT e2.id FROM user_metadata m JOIN locations l ON l.id = m.location_id
     JOIN entries e2 ON e2.location = l.key AND e2.parent = m.parent AND e2.name = m.name WHERE m.${column} = 1`;

/**
 * Runs a search on the index alone (the files may be offline). Names of 3+ characters go through the trigram
 * index; shorter ones scan the names, or only the candidates the trigram terms give; a text with '/' matches paths
 * through the directory table. A size or time order over many matches walks the index in that order. Pages are
 * stable: every order ends with the entry id. `indexed`: the search index (search-index.ts) is current and may be
 * read; when it is not (a read-only view while changes are pending), the same results come from scanning the
 * entries. `shortcuts: false` leaves out the short-query candidates and the walks in sort order, which must not
 * change any result (tests compare).
 */
export function searchEntries(db: Database, q: SearchQuery, indexed: boolean, { shortcuts = true }: { shortcuts?: boolean } = {}): SearchResult {
  const text = q.text.normalize('NFC').trim();
  const params: Record<string, unknown> = {};
  const where: string[] = [];
  const ctes: string[] = [];
  let from = 'entries e';
  let rank = 'NULL';
  let countFast: (() => number) | null = null;
  // a tag or flag picks few entries: they lead, and their names are compared (the trigram index would lead with
  // every name holding the text)
  const fewEntries = Boolean(q.tagIds?.length || q.favorite || q.hidden);

  if (text.includes('/')) {
    // in the path of a directory holding the entry, or across the last '/': the directory ends with the part
    // before it, the name starts with the part after it
    const slash = text.lastIndexOf('/');
    // an entry's parent is the path of its directory
    if (!indexed) where.push(`e.parent <> '' AND (e.parent LIKE :inDir ESCAPE '\\' OR (e.parent LIKE :dirEnd ESCAPE '\\' AND e.name LIKE :nameStart ESCAPE '\\'))`);
    // CROSS JOIN keeps the (few) directories outside: the planner would otherwise scan every entry
    else where.push(`e.id IN (SELECT e2.id FROM search_dirs d CROSS JOIN entries e2 ON e2.location = d.location AND e2.parent = d.path
        WHERE d.path LIKE :inDir ESCAPE '\\'
      UNION SELECT e2.id FROM search_dirs d CROSS JOIN entries e2 ON e2.location = d.location AND e2.parent = d.path
        WHERE d.path LIKE :dirEnd ESCAPE '\\' AND e2.name LIKE :nameStart ESCAPE '\\')`);
    params.inDir = `%${likeLiteral(text)}%`;
    params.dirEnd = `%${likeLiteral(text.slice(0, slash))}`;
    params.nameStart = `${likeLiteral(text.slice(slash + 1))}%`;
    params.exact = text;
    params.prefix = `${likeLiteral(text)}%`;
    rank = `(CASE WHEN ${REL_PATH} = :exact COLLATE NOCASE THEN 0 WHEN ${REL_PATH} LIKE :prefix ESCAPE '\\' THEN 1 ELSE 2 END)`;
  } else if (text !== '') {
    params.exact = text;
    params.exactStem = `${likeLiteral(text)}.%`;
    params.prefix = `${likeLiteral(text)}%`;
    // "invoice" is the exact name of invoice.pdf: the name, or the name without its extension
    rank = `(CASE WHEN e.name = :exact COLLATE NOCASE OR (e.name LIKE :exactStem ESCAPE '\\' AND instr(substr(e.name, length(:exact) + 2), '.') = 0) THEN 0
      WHEN e.name LIKE :prefix ESCAPE '\\' THEN 1 ELSE 2 END)`;
    // (a text holding the indexed names' end mark would match their ends: it is compared name by name)
    if ([...text].length >= 3 && !fewEntries && indexed && !text.includes(NAME_END[0])) {
      from = 'entry_names f JOIN entries e ON e.id = f.rowid';
      where.push('entry_names MATCH :phrase');
      // an extension is in the name too: the index narrows to names holding it, the filter then checks the end
      const exts = q.extensions ?? [];
      const narrowed = exts.length > 0 && exts.every((x) => [...x].length >= 2);
      params.phrase = narrowed ? `${ftsPhrase(text)} AND (${exts.map((x) => ftsPhrase(`.${x}`)).join(' OR ')})` : ftsPhrase(text);
      countFast = () => db.prepare('SELECT count(*) FROM entry_names WHERE entry_names MATCH ?').pluck().get(params.phrase) as number;
    } else if (/^[\x20-\x7e]*$/.test(text)) {
      // no trigram is 1-2 characters: the names are compared one by one, among the candidates the index's terms give
      // when they are few enough to be worth reading
      where.push(`e.name LIKE :contains ESCAPE '\\'`);
      params.contains = `%${likeLiteral(text)}%`;
      const candidates = indexed && shortcuts && !fewEntries ? shortQueryTerms(db, text) : null;
      if (candidates !== null) {
        where.push(candidates === '' ? 'FALSE' : 'e.id IN (SELECT rowid FROM entry_names WHERE entry_names MATCH :candidates)');
        params.candidates = candidates;
      }
    } else {
      // LIKE folds ASCII only; these characters are compared folded in full
      registerFold(db);
      where.push('instr(sd_fold(e.name), :folded) > 0');
      params.folded = text.toLowerCase();
    }
  }

  const textConditions = where.length;

  if (q.kind !== undefined) {
    if (ENTRY_KINDS.has(q.kind)) where.push('e.kind = :kind');
    else if ((CONTENT_KINDS as readonly string[]).includes(q.kind)) where.push('EXISTS (SELECT 1 FROM content_identities c WHERE c.cas_id = e.cas_id AND c.kind = :kind)');
    else throw new Error(`unknown kind ${q.kind}`);
    params.kind = q.kind;
  }
  if (q.extensions?.length) {
    // the name test needs no table row (the name index covers it): rows are read only for names that end well
    where.push(
      `(${q.extensions.map((_, i) => `e.name LIKE :extLike${i} ESCAPE '\\'`).join(' OR ')}) AND e.extension IN (${q.extensions.map((_, i) => `:ext${i}`).join(', ')})`,
    );
    q.extensions.forEach((x, i) => {
      params[`ext${i}`] = x;
      params[`extLike${i}`] = `%.${likeLiteral(x)}`;
    });
  }
  if (q.locationKey !== undefined) {
    where.push('e.location = :location');
    params.location = q.locationKey;
  }
  if (q.minSize !== undefined) {
    where.push(`${SIZE} >= :minSize`);
    params.minSize = q.minSize;
  }
  if (q.maxSize !== undefined) {
    where.push(`${SIZE} <= :maxSize`);
    params.maxSize = q.maxSize;
  }
  if (q.modifiedAfter !== undefined) {
    where.push('e.modified_at >= :after');
    params.after = q.modifiedAfter;
  }
  if (q.modifiedBefore !== undefined) {
    where.push('e.modified_at <= :before');
    params.before = q.modifiedBefore;
  }
  if (q.duplicates) where.push('EXISTS (SELECT 1 FROM content_identities c WHERE c.cas_id = e.cas_id AND c.entries > 1)');
  (q.tagIds ?? []).forEach((id, i) => {
    ctes.push(
      `tagset${i}(id) AS (SELECT :tag${i} UNION SELECT t.id FROM tags t JOIN tagset${i} s ON t.parent_id = s.id WHERE ${LIVE_TAG})`,
    );
    params[`tag${i}`] = id;
    where.push(`e.id IN (${taggedEntries(`tagset${i}`, indexed)})`);
  });
  if (q.favorite) where.push(`e.id IN (${flagged('favorite')})`);
  if (q.hidden) where.push(`e.id IN (${flagged('hidden')})`);
  const hiding = !q.hidden && db.prepare('SELECT 1 FROM user_metadata WHERE hidden = 1 LIMIT 1').get() !== undefined;
  if (hiding) where.push(`e.id NOT IN (${flagged('hidden')})`);

  const withClause = ctes.length ? `WITH RECURSIVE ${ctes.join(', ')} ` : '';
  const whereClause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const ascii = /^[\x20-\x7e]*$/.test(text);
  // hidden entries are few: the index counts every match, then the hidden ones that match are taken off (compared
  // by LIKE, which folds ASCII as the index does: ASCII text only)
  const hiddenMatches = () =>
    db.prepare(`SELECT count(*) FROM entries e WHERE e.id IN (${flagged('hidden')}) AND e.name LIKE :contains ESCAPE '\\'`).pluck().get({ contains: `%${likeLiteral(text)}%` }) as number;
  const fast = countFast;
  /** Counts every match from the index alone, when the filters allow it (none, or only hiding the hidden entries). */
  const cheapTotal = !fast || !ascii ? null : where.length === 1 ? fast : hiding && where.length === 2 ? () => fast() - hiddenMatches() : null;
  if (countFast && q.sort === undefined && ascii) {
    const filters = where.slice(1).map((w) => ` AND ${w}`).join('');
    return byRelevance(db, q, text, { withClause, filters, params, total: cheapTotal });
  }
  if ((q.sort === 'size' || q.sort === 'modified') && indexed && shortcuts && !fewEntries && !text.includes('/') && ascii) {
    const total = cheapTotal ? cheapTotal() : (db.prepare(`${withClause}SELECT count(*) FROM ${from} ${whereClause}`).pluck().get(params) as number);
    if (walkPays(db, total, q)) {
      const textFts = countFast ? ftsPhrase(text) : null;
      return inSortOrder(db, q, text, textFts, { withClause, filters: where.slice(textConditions), params, rank, total });
    }
  }
  // a scan in place of byRelevance keeps its order: substring matches in index order (the entry id)
  const tiersByIndex = !indexed && [...text].length >= 3 && !text.includes('/') && !fewEntries && q.sort === undefined && ascii;
  const byName = q.sort === 'name' || (q.sort === undefined && text === '');
  // name order comes from the index's names, when they are current and neither a trigram match nor a tag or flag
  // leads (those few entries are sorted)
  if (byName && indexed && !fewEntries && from === 'entries e') from = 'search_names n JOIN entries e ON e.id = n.id';
  const name = from.startsWith('search_names') ? 'n.name COLLATE NOCASE, n.id' : 'e.name COLLATE NOCASE, e.id';
  const order =
    q.sort === 'size' ? `${SIZE} DESC, e.id`
    : q.sort === 'modified' ? 'e.modified_at DESC, e.id'
    : byName ? name
    : tiersByIndex ? `rank, (CASE WHEN rank < 2 THEN e.name END) COLLATE NOCASE, e.id`
    : `rank, e.name COLLATE NOCASE, e.id`;
  // the total comes with the page (one pass over the matches); a page past the end needs its own count
  const page = db
    .prepare(`${withClause}SELECT e.id, ${rank} AS rank, count(*) OVER () FROM ${from} ${whereClause} ORDER BY ${order} LIMIT :limit OFFSET :offset`)
    .raw()
    .all({ ...params, limit: q.limit, offset: q.offset }) as [number, number | null, number][];
  const onlyText = where.length === (countFast ? 1 : 0);
  const total =
    page.length > 0 ? page[0][2]
    : q.offset === 0 ? 0
    : countFast && onlyText ? countFast()
    : (db.prepare(`${withClause}SELECT count(*) FROM ${from} ${whereClause}`).pluck().get(params) as number);
  return { total, hits: details(db, page) };
}

interface Plan {
  withClause: string;
  /** ` AND …` for each filter besides the text. */
  filters: string;
  params: Record<string, unknown>;
  /** Counts every match cheaply, when the filters allow it (none, or only hiding the hidden entries). */
  total: (() => number) | null;
}

/** Above every character: `name < prefix + TOP` bounds the names starting with `prefix`. */
const TOP = '\u{10FFFF}';

/**
 * Relevance order without ranking every match. Exact names (with or without extension) and then names starting
 * with the text come from the name index, in name order; the other matches follow from the trigram index in index
 * order, read only as far as the page needs. Every tier ends with the entry id, so pages are stable. ASCII text
 * only: the name index folds ASCII case.
 */
function byRelevance(db: Database, q: SearchQuery, text: string, plan: Plan): SearchResult {
  const { withClause, filters } = plan;
  const params = { ...plan.params, lo: text, hi: text + TOP, stem: `${likeLiteral(text)}.%`, stemFrom: text.length + 2 };
  // one index range holds both first tiers (an OR of ranges would make the planner scan the whole index)
  const prefix = (n: string) => `(${n}.name >= :lo COLLATE NOCASE AND ${n}.name < :hi COLLATE NOCASE)`;
  const exact = `(n.name = :lo COLLATE NOCASE OR (n.name LIKE :stem ESCAPE '\\' AND instr(substr(n.name, :stemFrom), '.') = 0))`;
  // the indexed names answer the first tiers' name, id, extension and time tests (a hidden entry's, --ext,
  // --modified-*): an entry row is read only for a name that passed them, and only when another filter needs it
  const nameFilters = filters.replace(/\be\.(name|id|extension|modified_at)\b/g, 'n.$1');
  const byName = /\be\./.test(nameFilters) ? 'search_names n JOIN entries e ON e.id = n.id' : 'search_names n';
  const tiers = [
    { rank: 0, id: 'n.id', from: byName, where: `${prefix('n')} AND ${exact}${nameFilters}`, order: 'n.name COLLATE NOCASE, n.id' },
    { rank: 1, id: 'n.id', from: byName, where: `${prefix('n')} AND NOT ${exact}${nameFilters}`, order: 'n.name COLLATE NOCASE, n.id' },
    { rank: 2, id: 'e.id', from: 'entry_names f JOIN entries e ON e.id = f.rowid', where: `entry_names MATCH :phrase AND NOT ${prefix('e')}${filters}`, order: 'f.rowid' },
  ];
  // the first tiers are one index range: counted in one pass
  const [inRange, exactNames] = db
    .prepare(`${withClause}SELECT count(*), coalesce(sum(${exact}), 0) FROM ${byName} WHERE ${prefix('n')}${nameFilters}`)
    .raw()
    .get(params) as [number, number];
  const page: [number, number][] = [];
  let skip = q.offset;
  let counted = 0;
  for (const tier of tiers) {
    // the last tier needs no count of its own when the whole can be counted
    const count = tier.rank === 0 ? exactNames
      : tier.rank === 1 ? inRange - exactNames
      : plan.total ? plan.total() - counted
      : (db.prepare(`${withClause}SELECT count(*) FROM ${tier.from} WHERE ${tier.where}`).pluck().get(params) as number);
    counted += count;
    if (page.length < q.limit && skip < count) {
      const rows = db
        .prepare(`${withClause}SELECT ${tier.id} FROM ${tier.from} WHERE ${tier.where} ORDER BY ${tier.order} LIMIT :limit OFFSET :offset`)
        .pluck()
        .all({ ...params, limit: q.limit - page.length, offset: skip }) as number[];
      page.push(...rows.map((id): [number, number] => [id, tier.rank]));
    }
    skip = Math.max(0, skip - count);
  }
  return { total: counted, hits: details(db, page) };
}

/** Candidates a short query may read from the index before a scan of the names is the cheaper way. */
const SHORT_CANDIDATES = 50_000;

/**
 * The candidates of a 1-2 character ASCII query: the trigrams it starts (the indexed names end with NAME_END, so
 * every occurrence starts one), as an FTS5 query; '' when there are none, null when they hold too many names.
 * The terms are folded as the trigram tokenizer folds ASCII.
 */
function shortQueryTerms(db: Database, text: string): string | null {
  const lo = text.toLowerCase();
  const hi = lo.slice(0, -1) + String.fromCharCode(lo.charCodeAt(lo.length - 1) + 1);
  const terms = db.prepare('SELECT term, doc FROM search_terms WHERE term >= ? AND term < ?').raw().all(lo, hi) as [string, number][];
  if (terms.reduce((n, [, docs]) => n + docs, 0) > SHORT_CANDIDATES) return null;
  return terms.map(([term]) => ftsPhrase(term)).join(' OR ');
}

/**
 * Whether walking a sort order and testing each name finds the page sooner than sorting every match: about
 * (offset + limit) · names / matches names are tested, against every match read and sorted.
 */
function walkPays(db: Database, total: number, q: SearchQuery): boolean {
  const names = db.prepare('SELECT coalesce(max(id), 0) FROM search_names').pluck().get() as number;
  return total > 0 && 4 * (q.offset + q.limit) * names < total * total;
}

interface Walk {
  withClause: string;
  /** The conditions besides the text, on `e` (entries). */
  filters: string[];
  params: Record<string, unknown>;
  rank: string;
  total: number;
}

/**
 * A page in size or modification order, read by walking the index's sort order and testing each name, the entry
 * row read only for names that pass. The text test is LIKE (ASCII folding, as the trigram index folds ASCII); a
 * name holding other characters is tested against the trigram index itself (`textFts`), so the rows are exactly
 * those of the plain query. Sizes: files walk their index; directories (their size is their subtree's, not kept in
 * the index) are the few matching directory paths, sorted; the two are merged.
 */
function inSortOrder(db: Database, q: SearchQuery, text: string, textFts: string | null, w: Walk): SearchResult {
  const k = q.offset + q.limit;
  const conditions = [...(text === '' ? [] : [textFts
    ? `(n.name LIKE :contains ESCAPE '\\' OR (octet_length(n.name) > length(n.name) AND n.id IN (SELECT rowid FROM entry_names WHERE entry_names MATCH :textFts)))`
    : `n.name LIKE :contains ESCAPE '\\'`]), ...w.filters];
  const where = (more: string) => `WHERE ${[more, ...conditions].join(' AND ')}`;
  const params = { ...w.params, contains: `%${likeLiteral(text)}%`, textFts, k };
  const rows = (sql: string) => db.prepare(`${w.withClause}${sql}`).raw().all(params) as [number, number | null, number][];
  let page: [number, number | null, number][];
  // the filters on the walked column bound the index range, so a walk starts and stops where they do
  const within = (column: string, lo: string | undefined, hi: string | undefined) =>
    [`${column} IS NOT NULL`, ...(lo ? [`${column} >= :${lo}`] : []), ...(hi ? [`${column} <= :${hi}`] : [])].join(' AND ');
  if (q.sort === 'modified') {
    const range = within('n.modified_at', q.modifiedAfter === undefined ? undefined : 'after', q.modifiedBefore === undefined ? undefined : 'before');
    page = rows(`SELECT e.id, ${w.rank}, n.modified_at FROM search_names n INDEXED BY search_names_by_modified CROSS JOIN entries e ON e.id = n.id
      ${where(range)} ORDER BY n.modified_at DESC, n.id LIMIT :k`);
  } else {
    // a kind picks one side: directories are never files, symlinks or contents
    const range = within('n.size', q.minSize === undefined ? undefined : 'minSize', q.maxSize === undefined ? undefined : 'maxSize');
    const files = q.kind === 'directory' ? [] : rows(`SELECT e.id, ${w.rank}, n.size FROM search_names n INDEXED BY search_names_by_size
      CROSS JOIN entries e ON e.id = n.id ${where(range)} ORDER BY n.size DESC, n.id LIMIT :k`);
    // a directory's path ends with its name: the paths that cannot hold the text are passed over unread
    const inPath = text === '' ? '1' : `(d.path LIKE :contains ESCAPE '\\' OR octet_length(d.path) > length(d.path))`;
    const dirs = q.kind !== undefined && q.kind !== 'directory' ? [] : rows(`SELECT e.id, ${w.rank}, coalesce(e.aggregate_size, 0) AS size
      FROM search_dirs d CROSS JOIN search_names n ON n.id = d.id CROSS JOIN entries e ON e.id = d.id ${where(inPath)} ORDER BY size DESC, e.id LIMIT :k`);
    page = [...files, ...dirs].sort((a, b) => b[2] - a[2] || a[0] - b[0]);
  }
  return { total: w.total, hits: details(db, page.slice(q.offset, k)) };
}

function details(db: Database, page: readonly (readonly [number, number | null, ...unknown[]])[]): SearchHit[] {
  const detail = db.prepare(
    `SELECT e.id, l.id AS locationId, l.path AS locationPath, e.parent, e.name, e.kind, ${SIZE} AS size, e.cas_id AS casId,
       c.kind AS contentKind, e.modified_at AS modifiedAt
     FROM entries e JOIN locations l ON l.key = e.location LEFT JOIN content_identities c ON c.cas_id = e.cas_id WHERE e.id = ?`,
  );
  return page.map(([id, r]) => ({ ...(detail.get(id) as Omit<SearchHit, 'rank'>), rank: r }));
}

const folding = new WeakSet<Database>();

function registerFold(db: Database): void {
  if (folding.has(db)) return;
  db.function('sd_fold', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : s));
  folding.add(db);
}
