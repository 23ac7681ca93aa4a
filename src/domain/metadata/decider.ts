import type { Decider } from '../decider.js';
import { EntryFavorited, EntryHidden, EntryNoted, type MetadataEvent } from './events.js';
import type { EntryTarget } from './target.js';

/** Folded in stamp order (hlc, device), like every shared-data stream: the last writer's values. */
export interface MetadataState {
  note: string | null;
  favorite: boolean;
  hidden: boolean;
}

export type MetadataCommand =
  | { type: 'NoteEntry'; target: EntryTarget; note: string | null }
  | { type: 'FavoriteEntry'; target: EntryTarget; favorite: boolean }
  | { type: 'HideEntry'; target: EntryTarget; hidden: boolean };

/** Setting what is already set appends nothing. */
export const metadataDecider: Decider<MetadataState, MetadataCommand, MetadataEvent> = {
  initialState: () => ({ note: null, favorite: false, hidden: false }),

  decide(state, command) {
    switch (command.type) {
      case 'NoteEntry':
        return state.note === command.note ? [] : [EntryNoted.create({ target: command.target, note: command.note })];
      case 'FavoriteEntry':
        return state.favorite === command.favorite ? [] : [EntryFavorited.create({ target: command.target, favorite: command.favorite })];
      case 'HideEntry':
        return state.hidden === command.hidden ? [] : [EntryHidden.create({ target: command.target, hidden: command.hidden })];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'EntryNoted':
        return { ...state, note: event.data.note };
      case 'EntryFavorited':
        return { ...state, favorite: event.data.favorite };
      case 'EntryHidden':
        return { ...state, hidden: event.data.hidden };
    }
  },
};
