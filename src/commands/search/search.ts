import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { CONTENT_KINDS } from '../../domain/content/content-kind.js';
import { DomainError } from '../../domain/errors.js';
import { SEARCH_SORTS, searchEntries, type SearchResult } from '../../projections/search/search-entries.js';
import { SearchIndex, type SearchIndexProgress } from '../../projections/search/search-index.js';
import { parseInput } from '../bus.js';
import type { LocationQueries } from '../locations/location-queries.js';
import type { TagQueries } from '../tags/tag-queries.js';

const KINDS = ['file', 'directory', 'symlink', ...CONTENT_KINDS] as const;

/** `10`, `10k`, `1.5MB`, `2GiB` → bytes (k/M/G/T are powers of 1000, KiB/MiB/… of 1024). */
const Size = z.union([
  z.number().int().nonnegative(),
  z.string().transform((s, ctx) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)b?\s*$/i.exec(s);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a size: use bytes or a unit, e.g. 500k, 10MB, 2GiB` });
      return z.NEVER;
    }
    const power = ' kmgt'.indexOf(m[2].toLowerCase() || ' ');
    return Math.round(Number(m[1]) * (m[3] ? 1024 : 1000) ** power);
  }),
]);

/** An ISO date or date-time (a bare date is midnight UTC). */
const When = z.string().transform((s, ctx) => {
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${s}" is not a date: use ISO 8601, e.g. 2024-05-01 or 2024-05-01T12:00:00Z` });
    return z.NEVER;
  }
  return ms;
});

export const SearchInput = z.object({
  text: z.string().default(''),
  kind: z.enum(KINDS).optional(),
  ext: z.array(z.string().min(1).transform((e) => e.replace(/^\./, '').toLowerCase())).optional(),
  tag: z.array(z.string().min(1)).optional(),
  location: z.string().min(1).optional(),
  minSize: Size.optional(),
  maxSize: Size.optional(),
  modifiedAfter: When.optional(),
  modifiedBefore: When.optional(),
  favorite: z.boolean().optional(),
  hidden: z.boolean().optional(),
  duplicates: z.boolean().optional(),
  sort: z.enum(SEARCH_SORTS).optional(),
  limit: z.number().int().min(1).max(10_000).default(50),
  offset: z.number().int().nonnegative().default(0),
});
export type SearchInput = z.input<typeof SearchInput>;

/**
 * Search over the index of a library; reads the read models only, so it serves while another process writes.
 * `writable`: the search index is caught up first; a read-only view cannot, and scans the entries while the index
 * is behind (slower, never stale).
 */
export class Search {
  private readonly index: SearchIndex;

  constructor(
    private readonly db: Database,
    private readonly locations: LocationQueries,
    private readonly tags: TagQueries,
    private readonly writable: boolean,
  ) {
    this.index = new SearchIndex(db);
  }

  run(raw: SearchInput, onIndexProgress?: (p: SearchIndexProgress) => void): SearchResult {
    const input = parseInput(SearchInput, raw, 'search');
    if (input.minSize !== undefined && input.maxSize !== undefined && input.minSize > input.maxSize) {
      throw new DomainError('VALIDATION_FAILED', 'user', `invalid search: --min-size (${input.minSize}) is above --max-size (${input.maxSize})`);
    }
    if (this.writable) this.index.catchUp(onIndexProgress);
    const indexed = this.writable || this.index.isCurrent();
    return searchEntries(this.db, {
      text: input.text,
      kind: input.kind,
      extensions: input.ext,
      tagIds: input.tag?.map((t) => this.tags.resolve(t).id),
      locationKey: input.location === undefined ? undefined : this.locations.resolve(input.location).key,
      minSize: input.minSize,
      maxSize: input.maxSize,
      modifiedAfter: input.modifiedAfter,
      modifiedBefore: input.modifiedBefore,
      favorite: input.favorite,
      hidden: input.hidden,
      duplicates: input.duplicates,
      sort: input.sort,
      limit: input.limit,
      offset: input.offset,
    }, indexed);
  }
}
