import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'clipanion';
import { contentUuidOf } from '../../domain/content/content-uuid.js';
import { DomainError } from '../../domain/errors.js';
import type { EntryRecord } from '../../projections/locations/queries.js';
import { SpacedriveCommand } from '../base-command.js';

export const entryJson = (e: EntryRecord, locationPath: string) => {
  const rel = e.parent === '' ? e.name : `${e.parent}/${e.name}`;
  return {
    name: e.name,
    path: path.join(locationPath, rel),
    relativePath: rel,
    kind: e.kind,
    size: e.kind === 'directory' ? (e.aggregateSize ?? 0) : e.size,
    casId: e.casId,
    contentUuid: e.casId ? contentUuidOf(e.casId) : null,
    contentKind: e.contentKind,
    mime: e.mime,
    media: e.width !== null && e.height !== null ? { width: e.width, height: e.height, format: e.mediaFormat } : null,
    modifiedAt: new Date(e.modifiedAt).toISOString(),
    hidden: e.hidden === 1,
    ...(e.kind === 'directory' ? { childCount: e.childCount, fileCount: e.fileCount } : {}),
  };
};

export class LsCommand extends SpacedriveCommand {
  static override paths = [['ls']];
  static override usage = Command.Usage({
    description: 'List a directory from the index (works with the files offline)',
    details: 'The argument is a location (name, id or path) or a folder inside one.',
    examples: [['A location', '$0 ls Pictures'], ['A folder inside one', '$0 ls ~/Pictures/2024 --recursive --json']],
  });
  target = Option.String({ required: true });
  recursive = Option.Boolean('--recursive,-r', false, { description: 'List the whole subtree' });

  async run() {
    await this.withQueries(async (library) => {
      let location;
      let dir = '';
      try {
        location = library.locations.resolve(this.target);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'LOCATION_NOT_FOUND') throw err;
        const found = library.locations.locate(existsSync(this.target) ? realOrSame(this.target) : path.resolve(this.target));
        if (!found) throw new DomainError('LOCATION_NOT_FOUND', 'user', `"${this.target}" is neither a location nor inside one: see \`spacedrive location list\``);
        location = found.location;
        dir = found.dir;
      }
      const entries = library.locations.entries(location, dir, this.recursive);
      const rows = entries.map((e) => entryJson(e, location.path));
      this.out.result(rows, () =>
        rows.length === 0
          ? '(empty)'
          : rows.map((r) => {
              const kind = r.kind === 'directory' ? 'dir ' : r.kind === 'symlink' ? 'link' : 'file';
              const name = this.recursive ? r.relativePath : r.name;
              return `${kind}  ${String(r.size).padStart(12)}  ${r.modifiedAt.slice(0, 19)}  ${(r.casId ?? '-').padEnd(16)}  ${(r.contentKind ?? '-').padEnd(10)}  ${JSON.stringify(name).slice(1, -1)}`;
            }),
      );
    });
  }
}

function realOrSame(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
