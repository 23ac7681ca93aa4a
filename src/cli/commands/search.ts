import path from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import type { SearchHit } from '../../projections/search/search-entries.js';
import type { SearchIndexProgress } from '../../projections/search/search-index.js';
import { SpacedriveCommand } from '../base-command.js';

export const searchItemJson = (h: SearchHit) => {
  const rel = h.parent === '' ? h.name : `${h.parent}/${h.name}`;
  return {
    path: path.join(h.locationPath, rel),
    name: h.name,
    kind: h.kind,
    size: h.size,
    casId: h.casId,
    locationId: h.locationId,
    modifiedAt: new Date(h.modifiedAt).toISOString(),
    relativePath: rel,
    contentKind: h.contentKind,
    rank: h.rank === null ? null : (['exact', 'prefix', 'substring'] as const)[h.rank],
  };
};

export class SearchCommand extends SpacedriveCommand {
  static override paths = [['search']];
  static override usage = Command.Usage({
    description: 'Search the index: names (or paths, when the text holds a "/"), with filters; the files may be offline',
    details: `Matches are case-insensitive substrings, ranked exact name, then prefix, then substring (then by name).
      An empty text with filters lists everything the filters match. Entries hidden with \`meta hide\` appear only with --hidden.
      A parent tag matches entries tagged with any of its descendants.`,
    examples: [
      ['By name', '$0 search invoice'],
      ['Images tagged Family, biggest first', '$0 search --tag Family --kind image --sort size'],
      ['By path', '$0 search photos/2019 --ext jpg --json'],
      ['Next page', '$0 search report --limit 20 --offset 20'],
    ],
  });
  text = Option.String({ required: false });
  kind = Option.String('--kind', { description: 'file | directory | symlink, or a content kind (image, video, audio, document, …)' });
  ext = Option.Array('--ext', { description: 'Extension, without the dot (repeatable)' });
  tag = Option.Array('--tag', { description: 'Tag, its descendants included (repeatable: all must match)' });
  location = Option.String('--location', { description: 'Only this location (name, id or path)' });
  minSize = Option.String('--min-size', { description: 'At least this size: bytes, or 500k, 10MB, 2GiB' });
  maxSize = Option.String('--max-size', { description: 'At most this size' });
  modifiedAfter = Option.String('--modified-after', { description: 'Modified at or after this ISO date' });
  modifiedBefore = Option.String('--modified-before', { description: 'Modified at or before this ISO date' });
  favorite = Option.Boolean('--favorite', false, { description: 'Only favourites' });
  hidden = Option.Boolean('--hidden', false, { description: 'Only entries hidden with `meta hide`' });
  duplicates = Option.Boolean('--duplicates', false, { description: 'Only files whose content has other copies' });
  sort = Option.String('--sort', { description: 'name | size (largest first) | modified (newest first); default: relevance', validator: t.isEnum(['name', 'size', 'modified'] as const) });
  limit = Option.String('--limit', { description: 'Results per page (default 50)', validator: t.isNumber() });
  offset = Option.String('--offset', { description: 'Results to skip', validator: t.isNumber() });

  async run() {
    await this.withQueries(async (library) => {
      const progress = indexProgress(this.context.stderr, this.quiet);
      let result;
      try {
        result = library.search({
          text: this.text ?? '',
          kind: this.kind as never,
          ext: this.ext,
          tag: this.tag,
          location: this.location,
          minSize: this.minSize,
          maxSize: this.maxSize,
          modifiedAfter: this.modifiedAfter,
          modifiedBefore: this.modifiedBefore,
          favorite: this.favorite || undefined,
          hidden: this.hidden || undefined,
          duplicates: this.duplicates || undefined,
          sort: this.sort,
          limit: this.limit,
          offset: this.offset,
        }, progress.report);
      } finally {
        progress.end();
      }
      const items = result.hits.map(searchItemJson);
      this.out.result({ total: result.total, items }, () => {
        if (items.length === 0) return result.total === 0 ? 'No matches.' : `No matches on this page (${result.total} in all).`;
        const first = (this.offset ?? 0) + 1;
        return [
          ...items.map((i) => `${i.kind === 'directory' ? 'dir ' : i.kind === 'symlink' ? 'link' : 'file'}  ${String(i.size).padStart(12)}  ${i.modifiedAt.slice(0, 19)}  ${JSON.stringify(i.path).slice(1, -1)}`),
          this.out.paint(`${first}-${first + items.length - 1} of ${result.total}`, 'dim'),
        ];
      });
    });
  }
}

/** Entries a catch-up of the search index handles in about a second: a larger one says so from the start. */
const ABOUT_A_SECOND = 100_000;

/**
 * Progress of a search index catch-up on stderr, once it takes (or will take) more than about a second: a line
 * rewritten in place on a TTY, else one line.
 */
function indexProgress(stderr: NodeJS.WritableStream, quiet: boolean) {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  const started = Date.now();
  let shown = false;
  return {
    report: (p: SearchIndexProgress) => {
      if (quiet || p.done >= p.total || (p.total < ABOUT_A_SECOND && Date.now() - started < 1000)) return;
      const line = `updating the search index: ${p.total.toLocaleString('en-US')} entries…${tty ? ` ${Math.floor((p.done / p.total) * 100)}%` : ''}`;
      if (tty) stderr.write(`\r\u001b[2K${line}`);
      else if (!shown) stderr.write(`${line}\n`);
      shown = true;
    },
    end: () => {
      if (shown && tty) stderr.write('\r\u001b[2K');
    },
  };
}
