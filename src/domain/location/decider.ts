import { DomainError } from '../errors.js';
import type { Decider } from '../decider.js';
import { LocationAdded, LocationRemoved, LocationRenamed, type IndexMode, type LocationEvent } from './events.js';
import type { IndexerRules } from './indexer-rules.js';

interface LocationFacts {
  locationId: string;
  name: string;
  path: string;
  mode: IndexMode;
}

export type LocationState = { status: 'absent' } | ({ status: 'active' } & LocationFacts) | ({ status: 'removed' } & LocationFacts);

export type LocationCommand =
  | { type: 'AddLocation'; locationId: string; name: string; path: string; mode: IndexMode; rules: IndexerRules; deviceId: string; at: string }
  | { type: 'RenameLocation'; name: string; at: string }
  | { type: 'RemoveLocation'; at: string };

export function requireActive(state: LocationState): { status: 'active' } & LocationFacts {
  if (state.status === 'absent') throw new DomainError('LOCATION_NOT_FOUND', 'user', 'no such location');
  if (state.status === 'removed') throw new DomainError('LOCATION_REMOVED', 'user', `location ${state.name} was removed`);
  return state;
}

/** The location's life: added, renamed, removed. Its entries are the indexer's facts and need no decision. */
export const locationDecider: Decider<LocationState, LocationCommand, LocationEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(state, command) {
    switch (command.type) {
      case 'AddLocation': {
        if (state.status !== 'absent') throw new DomainError('LOCATION_EXISTS', 'failure', `location ${command.locationId} exists`);
        const { type: _type, ...data } = command;
        return [LocationAdded.create(data)];
      }
      case 'RenameLocation': {
        const s = requireActive(state);
        if (s.name === command.name) return [];
        return [LocationRenamed.create({ name: command.name, at: command.at })];
      }
      case 'RemoveLocation':
        requireActive(state);
        return [LocationRemoved.create({ at: command.at })];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'LocationAdded':
        return { status: 'active', locationId: event.data.locationId, name: event.data.name, path: event.data.path, mode: event.data.mode };
      case 'LocationRenamed':
        return state.status === 'absent' ? state : { ...state, name: event.data.name };
      case 'LocationRemoved':
        return state.status === 'absent' ? state : { ...state, status: 'removed' };
      default:
        return state;
    }
  },
};
