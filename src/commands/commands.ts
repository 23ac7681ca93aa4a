import type { CommandDefinition } from './bus.js';
import { registerDevice } from './devices/register-device.js';
import { changeLibrarySettings, describeLibrary, initializeLibrary, renameLibrary } from './libraries/library-commands.js';

/** Every command a library's bus accepts by name. */
export const libraryCommands: readonly CommandDefinition[] = [
  initializeLibrary,
  renameLibrary,
  describeLibrary,
  changeLibrarySettings,
  registerDevice,
] as unknown as readonly CommandDefinition[];
