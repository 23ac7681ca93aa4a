import type { Database } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import { listTags, tagById, tagsNamed, type TagRecord } from '../../projections/tags/queries.js';

/** The live tags of a library: read-only, so it also serves while another process writes. */
export class TagQueries {
  constructor(protected readonly db: Database) {}

  list(): TagRecord[] {
    return listTags(this.db);
  }

  /** A live tag by name (any case), id, or unique id prefix (4+ characters). */
  resolve(ref: string): TagRecord {
    const all = this.list();
    const key = ref.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
    const byName = all.filter((t) => t.id === ref || t.name.toLowerCase() === key);
    const found = byName.length ? byName : all.filter((t) => ref.length >= 4 && t.id.startsWith(ref));
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new DomainError('TAG_AMBIGUOUS', 'user', `"${ref}" names several tags: use the id (see \`spacedrive tag list\`)`);
    const gone = tagById(this.db, ref) ?? tagsNamed(this.db, key)[0];
    if (gone && !gone.live) throw new DomainError('TAG_DELETED', 'user', `tag "${gone.name}" was deleted: create it again to use it`);
    throw new DomainError('TAG_NOT_FOUND', 'user', `no tag "${ref}": see \`spacedrive tag list\``);
  }

  /** The tag's name with its ancestors, "Projects/Web". */
  pathOf(tag: TagRecord): string {
    const names = [tag.name];
    const seen = new Set([tag.id]);
    for (let p = tag.parentId; p !== null && !seen.has(p); ) {
      const parent = tagById(this.db, p);
      if (!parent?.live) break;
      names.unshift(parent.name);
      seen.add(p);
      p = parent.parentId;
    }
    return names.join('/');
  }
}
