import { DomainError } from '../errors.js';
import type { Decider } from '../decider.js';
import { LibraryCreated, LibraryDescribed, LibraryRenamed, LibrarySettingsChanged, type LibraryEvent } from './events.js';
import type { LibrarySettings, LibrarySettingsPatch } from './settings.js';

export type LibraryState =
  | { status: 'absent' }
  | {
      status: 'created';
      libraryId: string;
      name: string;
      description: string | null;
      settings: LibrarySettings;
    };

/** `at` is the command's time, supplied by the caller: the domain reads no clock. */
export type LibraryCommand =
  | { type: 'CreateLibrary'; libraryId: string; name: string; description: string | null; settings: LibrarySettings; at: string }
  | { type: 'RenameLibrary'; name: string; at: string }
  | { type: 'DescribeLibrary'; description: string | null; at: string }
  | { type: 'ChangeLibrarySettings'; changes: LibrarySettingsPatch; at: string };

function requireCreated(state: LibraryState) {
  if (state.status !== 'created') {
    throw new DomainError('LIBRARY_NOT_INITIALIZED', 'failure', 'this library has no LibraryCreated event');
  }
  return state;
}

export const libraryDecider: Decider<LibraryState, LibraryCommand, LibraryEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(state, command) {
    switch (command.type) {
      case 'CreateLibrary':
        if (state.status === 'created') {
          throw new DomainError('LIBRARY_EXISTS', 'user', `library ${state.libraryId} already exists`);
        }
        return [
          LibraryCreated.create({
            libraryId: command.libraryId,
            name: command.name,
            description: command.description,
            settings: command.settings,
            createdAt: command.at,
          }),
        ];
      case 'RenameLibrary': {
        const s = requireCreated(state);
        if (s.name === command.name) return [];
        return [LibraryRenamed.create({ from: s.name, to: command.name, at: command.at })];
      }
      case 'DescribeLibrary': {
        const s = requireCreated(state);
        if (s.description === command.description) return [];
        return [LibraryDescribed.create({ description: command.description, at: command.at })];
      }
      case 'ChangeLibrarySettings': {
        const s = requireCreated(state);
        const changes = Object.fromEntries(
          Object.entries(command.changes).filter(
            ([k, v]) => JSON.stringify(s.settings[k as keyof LibrarySettings]) !== JSON.stringify(v),
          ),
        ) as LibrarySettingsPatch;
        if (Object.keys(changes).length === 0) return [];
        return [LibrarySettingsChanged.create({ changes, at: command.at })];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'LibraryCreated':
        return {
          status: 'created',
          libraryId: event.data.libraryId,
          name: event.data.name,
          description: event.data.description,
          settings: event.data.settings,
        };
      case 'LibraryRenamed':
        return state.status === 'created' ? { ...state, name: event.data.to } : state;
      case 'LibraryDescribed':
        return state.status === 'created' ? { ...state, description: event.data.description } : state;
      case 'LibrarySettingsChanged':
        return state.status === 'created' ? { ...state, settings: { ...state.settings, ...event.data.changes } } : state;
    }
  },
};
