import type { CommandDefinition } from './bus.js';
import { registerDevice } from './devices/register-device.js';
import { addLocation, removeLocation, renameLocation } from './locations/location-commands.js';
import { recordSpeedTest, refreshVolume, renameVolume, trackVolume, untrackVolume } from './volumes/volume-commands.js';
import { favoriteEntries, hideEntries, noteEntry } from './metadata/metadata-commands.js';
import { applyTag, createTag, deleteTag, moveTag, recolorTag, removeTag, renameTag } from './tags/tag-commands.js';
import { changeLibrarySettings, describeLibrary, initializeLibrary, renameLibrary } from './libraries/library-commands.js';

/** Every command a library's bus accepts by name. */
export const libraryCommands: readonly CommandDefinition[] = [
  initializeLibrary,
  renameLibrary,
  describeLibrary,
  changeLibrarySettings,
  registerDevice,
  addLocation,
  renameLocation,
  removeLocation,
  trackVolume,
  untrackVolume,
  renameVolume,
  refreshVolume,
  recordSpeedTest,
  createTag,
  renameTag,
  recolorTag,
  moveTag,
  deleteTag,
  applyTag,
  removeTag,
  noteEntry,
  favoriteEntries,
  hideEntries,
] as unknown as readonly CommandDefinition[];
