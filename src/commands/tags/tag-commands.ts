import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { targetKey, Target } from '../../domain/metadata/target.js';
import { tagDecider } from '../../domain/tag/decider.js';
import { tagStream, TagColor, TagIcon } from '../../domain/tag/events.js';
import { normalizeTagName, tagIdFor, tagNameKey } from '../../domain/tag/tag-name.js';
import { readLibrary } from '../../projections/library/library-projection.js';
import { listTags, liveApplications, tagById, type TagRecord } from '../../projections/tags/queries.js';
import { defineCommand, type CommandContext } from '../bus.js';
import { handleSharedWithDecider } from '../shared-data-handler.js';

const TagId = z.uuid();
const Name = z.string().min(1).max(400);

function liveTagNamed(ctx: CommandContext, name: string): TagRecord | undefined {
  const key = tagNameKey(name);
  return listTags(ctx.db).find((t) => t.name.toLowerCase() === key);
}

/** The chain of a tag and its live ancestors, for the cycle check. */
function chainOf(ctx: CommandContext, tagId: string | null): string[] {
  const chain: string[] = [];
  for (let id = tagId; id !== null && !chain.includes(id); id = tagById(ctx.db, id)?.parentId ?? null) chain.push(id);
  return chain;
}

function requireLiveParent(ctx: CommandContext, parentId: string | null): void {
  if (parentId === null) return;
  if (!tagById(ctx.db, parentId)?.live) throw new DomainError('TAG_NOT_FOUND', 'user', `no tag ${parentId} to place the tag under: see \`spacedrive tag list\``);
}

/**
 * Creates a tag whose id is a pure function of the library and the name, so devices creating it concurrently
 * create one tag. When that id belongs to a tag since renamed, the next id of the same sequence is taken.
 */
export const createTag = defineCommand({
  name: 'tag.create',
  input: z.object({ name: Name, color: TagColor.nullable().default(null), icon: TagIcon.nullable().default(null), parentId: TagId.nullable().default(null) }),
  async handle(ctx, input): Promise<TagRecord> {
    const name = normalizeTagName(input.name);
    const existing = liveTagNamed(ctx, name);
    if (existing) throw new DomainError('TAG_EXISTS', 'user', `tag "${existing.name}" already exists (${existing.id})`);
    requireLiveParent(ctx, input.parentId);
    const libraryId = readLibrary(ctx.db)!.id;
    let tagId = tagIdFor(libraryId, name);
    for (let attempt = 1; tagById(ctx.db, tagId)?.live; attempt++) tagId = tagIdFor(libraryId, name, attempt);
    await handleSharedWithDecider(ctx, tagStream(tagId), tagDecider, { type: 'CreateTag', tagId, name, color: input.color, icon: input.icon, parentId: input.parentId });
    return tagById(ctx.db, tagId)!;
  },
});

export const renameTag = defineCommand({
  name: 'tag.rename',
  input: z.object({ tagId: TagId, name: Name }),
  async handle(ctx, input): Promise<TagRecord> {
    const name = normalizeTagName(input.name);
    const other = liveTagNamed(ctx, name);
    if (other && other.id !== input.tagId) throw new DomainError('TAG_EXISTS', 'user', `tag "${other.name}" already exists (${other.id})`);
    await handleSharedWithDecider(ctx, tagStream(input.tagId), tagDecider, { type: 'RenameTag', name });
    return tagById(ctx.db, input.tagId)!;
  },
});

export const recolorTag = defineCommand({
  name: 'tag.recolor',
  input: z.object({ tagId: TagId, color: TagColor.nullable().optional(), icon: TagIcon.nullable().optional() }),
  async handle(ctx, input): Promise<TagRecord> {
    await handleSharedWithDecider(ctx, tagStream(input.tagId), tagDecider, { type: 'RecolorTag', color: input.color, icon: input.icon });
    return tagById(ctx.db, input.tagId)!;
  },
});

export const moveTag = defineCommand({
  name: 'tag.move',
  input: z.object({ tagId: TagId, parentId: TagId.nullable() }),
  async handle(ctx, input): Promise<TagRecord> {
    requireLiveParent(ctx, input.parentId);
    await handleSharedWithDecider(ctx, tagStream(input.tagId), tagDecider, { type: 'MoveTag', parentId: input.parentId, parentChain: chainOf(ctx, input.parentId) });
    return tagById(ctx.db, input.tagId)!;
  },
});

/** The tag and its applications go; its child tags move to the top. */
export const deleteTag = defineCommand({
  name: 'tag.delete',
  input: z.object({ tagId: TagId }),
  async handle(ctx, input): Promise<void> {
    await handleSharedWithDecider(ctx, tagStream(input.tagId), tagDecider, { type: 'DeleteTag' });
  },
});

/** Applies a tag to targets that do not carry it yet; `applied` counts the new applications. */
export const applyTag = defineCommand({
  name: 'tag.apply',
  input: z.object({ tagId: TagId, targets: z.array(Target).min(1) }),
  async handle(ctx, input): Promise<{ applied: number; already: number }> {
    const byKey = new Map(input.targets.map((t) => [targetKey(t), t]));
    const carried = new Set(liveApplications(ctx.db, input.tagId, [...byKey.keys()]).map((a) => a.target));
    const targets = [...byKey].filter(([key]) => !carried.has(key)).map(([, t]) => t);
    await handleSharedWithDecider(ctx, tagStream(input.tagId), tagDecider, { type: 'ApplyTag', targets });
    return { applied: targets.length, already: byKey.size - targets.length };
  },
});

/** Removes the applications of a tag on the targets, as this device sees them; refused when none carries it. */
export const removeTag = defineCommand({
  name: 'tag.remove',
  input: z.object({ tagId: TagId, targets: z.array(Target).min(1) }),
  async handle(ctx, input): Promise<{ removed: number }> {
    const byKey = new Map(input.targets.map((t) => [targetKey(t), t]));
    const applications = liveApplications(ctx.db, input.tagId, [...byKey.keys()]).map((a) => ({ eventId: a.eventId, target: byKey.get(a.target)! }));
    if (applications.length === 0) {
      const tag = tagById(ctx.db, input.tagId);
      throw new DomainError('TAG_NOT_APPLIED', 'user', `${tag ? `tag "${tag.name}"` : 'that tag'} is not on ${byKey.size === 1 ? 'that entry' : 'any of those entries'}`);
    }
    await handleSharedWithDecider(ctx, tagStream(input.tagId), tagDecider, { type: 'RemoveTag', applications });
    return { removed: new Set(applications.map((a) => targetKey(a.target))).size };
  },
});
