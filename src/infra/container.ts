import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { Core } from '../commands/core.js';
import { LibraryManager } from '../commands/libraries/library-manager.js';
import type { DeviceIdentity, LibraryFolders } from '../commands/ports.js';
import { loadOrCreateDeviceIdentity } from './device/device-identity-file.js';
import { uuidv7 } from './ids.js';
import { NodeIndexerFileSystem } from './filesystem/indexer-file-system.js';
import { FsLibraryFolders } from './library/fs-library-folders.js';
import { openLibraryAt, openLibraryReaderAt } from './library/open-library.js';

const DATA_DIR = Symbol('dataDir');
const DEVICE = Symbol('device');
const FOLDERS = Symbol('libraryFolders');

export interface CoreOptions {
  /** Defaults to $SPACEDRIVE_DATA_DIR, else $XDG_DATA_HOME/spacedrive, else ~/.local/share/spacedrive. */
  dataDir?: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SPACEDRIVE_DATA_DIR) return path.resolve(env.SPACEDRIVE_DATA_DIR);
  const xdg = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, 'spacedrive');
}

/** The composition root: the only place that wires adapters to ports and resolves from the container. */
export async function openCore(options: CoreOptions = {}): Promise<Core> {
  const c: DependencyContainer = rootContainer.createChildContainer();
  c.register(DATA_DIR, { useValue: path.resolve(options.dataDir ?? defaultDataDir()) });
  c.register(DEVICE, { useValue: loadOrCreateDeviceIdentity(c.resolve<string>(DATA_DIR)) });
  c.register(FOLDERS, { useValue: new FsLibraryFolders(c.resolve<string>(DATA_DIR)) });
  c.register(LibraryManager, {
    useFactory: (r) => {
      const device = r.resolve<DeviceIdentity>(DEVICE);
      const folders = r.resolve<LibraryFolders>(FOLDERS);
      return new LibraryManager(folders, (dir) => openLibraryAt(dir, device, folders), () => uuidv7(), (dir) => openLibraryReaderAt(dir, device));
    },
  });
  c.register(Core, {
    useFactory: (r) =>
      new Core(r.resolve<string>(DATA_DIR), r.resolve<DeviceIdentity>(DEVICE), r.resolve(LibraryManager), new NodeIndexerFileSystem()),
  });
  return c.resolve(Core);
}
