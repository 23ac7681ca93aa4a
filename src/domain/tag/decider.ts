import { DomainError } from '../errors.js';
import type { Decider } from '../decider.js';
import type { Target } from '../metadata/target.js';
import { TagApplied, TagCreated, TagDeleted, TagMoved, TagRecolored, TagRemoved, TagRenamed, type TagEvent } from './events.js';

interface TagFacts {
  tagId: string;
  name: string;
  color: string | null;
  icon: string | null;
  parentId: string | null;
}

/**
 * Folded in stamp order (hlc, device), not arrival order: a tag is shared data, so the state is the same
 * last-writer-wins view the read model holds, on every device.
 */
export type TagState = { status: 'absent' } | ({ status: 'live' } & TagFacts) | ({ status: 'deleted' } & TagFacts);

export type TagCommand =
  | { type: 'CreateTag'; tagId: string; name: string; color: string | null; icon: string | null; parentId: string | null }
  | { type: 'RenameTag'; name: string }
  | { type: 'RecolorTag'; color?: string | null; icon?: string | null }
  /** `parentChain`: the new parent and its ancestors, from the read model, so a cycle can be refused. */
  | { type: 'MoveTag'; parentId: string | null; parentChain: string[] }
  | { type: 'DeleteTag' }
  | { type: 'ApplyTag'; targets: Target[] }
  /** The live applications of the targets, as this device sees them. */
  | { type: 'RemoveTag'; applications: { eventId: string; target: Target }[] };

function requireLive(state: TagState): { status: 'live' } & TagFacts {
  if (state.status === 'absent') throw new DomainError('TAG_NOT_FOUND', 'user', 'no such tag: see `spacedrive tag list`');
  if (state.status === 'deleted') throw new DomainError('TAG_DELETED', 'user', `tag "${state.name}" was deleted: create it again to use it`);
  return state;
}

export const tagDecider: Decider<TagState, TagCommand, TagEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(state, command) {
    switch (command.type) {
      case 'CreateTag': {
        if (state.status === 'live') throw new DomainError('TAG_EXISTS', 'user', `tag "${state.name}" already exists`);
        const { type: _type, ...data } = command;
        return [TagCreated.create(data)];
      }
      case 'RenameTag': {
        const s = requireLive(state);
        return s.name === command.name ? [] : [TagRenamed.create({ tagId: s.tagId, name: command.name })];
      }
      case 'RecolorTag': {
        const s = requireLive(state);
        const color = command.color !== undefined && command.color !== s.color ? { color: command.color } : {};
        const icon = command.icon !== undefined && command.icon !== s.icon ? { icon: command.icon } : {};
        if (!('color' in color) && !('icon' in icon)) return [];
        return [TagRecolored.create({ tagId: s.tagId, ...color, ...icon })];
      }
      case 'MoveTag': {
        const s = requireLive(state);
        if (command.parentId === s.tagId || command.parentChain.includes(s.tagId)) {
          throw new DomainError('TAG_CYCLE', 'user', `tag "${s.name}" cannot be placed under itself or one of its descendants`);
        }
        return s.parentId === command.parentId ? [] : [TagMoved.create({ tagId: s.tagId, parentId: command.parentId })];
      }
      case 'DeleteTag': {
        const s = requireLive(state);
        return [TagDeleted.create({ tagId: s.tagId })];
      }
      case 'ApplyTag': {
        const s = requireLive(state);
        return command.targets.length === 0 ? [] : [TagApplied.create({ tagId: s.tagId, targets: command.targets })];
      }
      case 'RemoveTag': {
        const s = requireLive(state);
        return command.applications.length === 0 ? [] : [TagRemoved.create({ tagId: s.tagId, applications: command.applications })];
      }
    }
  },

  evolve(state, event) {
    const facts = state.status === 'absent' ? null : state;
    switch (event.type) {
      case 'TagCreated':
        return { status: 'live', ...event.data };
      case 'TagRenamed':
        return facts ? { ...facts, name: event.data.name } : state;
      case 'TagRecolored':
        return facts
          ? { ...facts, ...(event.data.color !== undefined ? { color: event.data.color } : {}), ...(event.data.icon !== undefined ? { icon: event.data.icon } : {}) }
          : state;
      case 'TagMoved':
        return facts ? { ...facts, parentId: event.data.parentId } : state;
      case 'TagDeleted':
        return facts ? { ...facts, status: 'deleted' } : state;
      default:
        return state;
    }
  },
};
