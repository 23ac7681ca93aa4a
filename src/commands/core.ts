import type { LibraryManager } from './libraries/library-manager.js';
import type { DeviceIdentity } from './ports.js';

/** The entry point of the API: this device, and the libraries of one data dir. A facade, nothing more. */
export class Core {
  constructor(
    readonly dataDir: string,
    readonly device: DeviceIdentity,
    readonly libraries: LibraryManager,
  ) {}

  /** Closes every library this core opened and did not close. */
  close(): void {
    this.libraries.closeAll();
  }
}
