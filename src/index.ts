/** spacedrive-core's library API: the CLI is built on exactly this. */
export { openCore, defaultDataDir, type CoreOptions } from './infra/container.js';
export { Core } from './commands/core.js';
export { Library } from './commands/libraries/library.js';
export { LibraryManager, DEFAULT_LIBRARY_NAME, type LibrarySummary } from './commands/libraries/library-manager.js';
export { changeLibrarySettings, describeLibrary, renameLibrary } from './commands/libraries/library-commands.js';
export { registerDevice } from './commands/devices/register-device.js';
export type { CommandDefinition, ExecuteOptions } from './commands/bus.js';
export type { DeviceIdentity, LibraryFolder } from './commands/ports.js';
export type { LibraryRecord } from './projections/library/library-projection.js';
export type { DeviceRecord } from './projections/devices/devices-projection.js';
export type { VerifyReport, TableComparison } from './projections/runner.js';
export type { RecordedEvent, StoredEvent, EventMeta, Origin, ChainReport, ReadAllOptions } from './domain/envelope.js';
export { DomainError, ValidationError, WrongExpectedVersion, type ErrorKind } from './domain/errors.js';
export type { LibrarySettings } from './domain/library/settings.js';
