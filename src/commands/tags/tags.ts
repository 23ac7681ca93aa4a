import type { Database } from 'better-sqlite3';
import type { Target } from '../../domain/metadata/target.js';
import { normalizeColor } from '../../domain/tag/tag-name.js';
import { EntryQueries } from '../../projections/locations/queries.js';
import type { TagRecord } from '../../projections/tags/queries.js';
import type { CommandBus } from '../bus.js';
import type { LocationQueries } from '../locations/location-queries.js';
import { contentTargetOf, resolveEntry } from '../metadata/entry-refs.js';
import { applyTag, createTag, deleteTag, moveTag, recolorTag, removeTag, renameTag } from './tag-commands.js';
import { TagQueries } from './tag-queries.js';

export interface TagStyle {
  color?: string | null;
  icon?: string | null;
}

/** Tags of a library: create, rename, recolor, move, delete, apply to entries or contents, remove. */
export class Tags extends TagQueries {
  constructor(
    private readonly bus: CommandBus,
    db: Database,
    private readonly locations: LocationQueries,
  ) {
    super(db);
  }

  create(name: string, options: TagStyle & { parent?: string | null } = {}): Promise<TagRecord> {
    return this.bus.execute(createTag, {
      name,
      color: options.color ? normalizeColor(options.color) : null,
      icon: options.icon ?? null,
      parentId: options.parent ? this.resolve(options.parent).id : null,
    });
  }

  rename(ref: string, name: string): Promise<TagRecord> {
    return this.bus.execute(renameTag, { tagId: this.resolve(ref).id, name });
  }

  recolor(ref: string, style: TagStyle): Promise<TagRecord> {
    const color = style.color === undefined || style.color === null ? style.color : normalizeColor(style.color);
    return this.bus.execute(recolorTag, { tagId: this.resolve(ref).id, color, icon: style.icon });
  }

  /** Places the tag under `parent`, or at the top with null. */
  move(ref: string, parent: string | null): Promise<TagRecord> {
    return this.bus.execute(moveTag, { tagId: this.resolve(ref).id, parentId: parent === null ? null : this.resolve(parent).id });
  }

  async delete(ref: string): Promise<TagRecord> {
    const tag = this.resolve(ref);
    await this.bus.execute(deleteTag, { tagId: tag.id });
    return tag;
  }

  /** `refs`: paths inside locations or `<location>:<path>`; with `content`, the tag follows every copy of each file. */
  async apply(ref: string, refs: readonly string[], options: { content?: boolean } = {}): Promise<{ tag: TagRecord; applied: number; already: number }> {
    const tag = this.resolve(ref);
    const result = await this.bus.execute(applyTag, { tagId: tag.id, targets: this.targets(refs, options.content ?? false) });
    return { tag, ...result };
  }

  async remove(ref: string, refs: readonly string[], options: { content?: boolean } = {}): Promise<{ tag: TagRecord; removed: number }> {
    const tag = this.resolve(ref);
    const result = await this.bus.execute(removeTag, { tagId: tag.id, targets: this.targets(refs, options.content ?? false) });
    return { tag, ...result };
  }

  private targets(refs: readonly string[], content: boolean): Target[] {
    const entries = new EntryQueries(this.db);
    return refs.map((r) => {
      const resolved = resolveEntry(this.locations, entries, r);
      return content ? contentTargetOf(resolved) : resolved.target;
    });
  }
}
