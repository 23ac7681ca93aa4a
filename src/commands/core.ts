import type { LibraryManager } from './libraries/library-manager.js';
import type { DeviceIdentity } from './ports.js';
import { browse, type BrowseOptions, type BrowsedEntry } from './locations/browse.js';
import type { IndexerFileSystem, WalkError } from './locations/ports.js';

/** The entry point of the API: this device, and the libraries of one data dir. A facade, nothing more. */
export class Core {
  constructor(
    readonly dataDir: string,
    readonly device: DeviceIdentity,
    readonly libraries: LibraryManager,
    private readonly fs: IndexerFileSystem,
  ) {}

  /** Lists any folder as the indexer would, writing nothing to any library (ephemeral browsing). */
  browse(folder: string, options: BrowseOptions, onError?: (error: WalkError) => void): AsyncGenerator<BrowsedEntry[]> {
    return browse(this.fs, folder, options, onError);
  }

  /** Closes every library this core opened and did not close. */
  close(): void {
    this.libraries.closeAll();
    this.fs.close();
  }
}
