import type { LibraryRecord } from '../projections/library/library-projection.js';

/** This device, as `<data-dir>/device.json` and its key file describe it. */
export interface DeviceIdentity {
  id: string;
  name: string;
  os: string;
  /** Ed25519 public key, base64 of the raw 32 bytes. */
  publicKey: string;
  createdAt: string;
}

/** A library folder found under `<data-dir>/libraries`, as its library.json describes it. */
export interface LibraryFolder {
  id: string;
  name: string;
  description: string | null;
  path: string;
  createdAt: string;
  updatedAt: string;
}

/** The libraries folder of a data dir. */
export interface LibraryFolders {
  readonly root: string;
  list(): LibraryFolder[];
  /** Whether a folder for this name exists, library or not. */
  folderExists(name: string): boolean;
  /** A fresh, hidden staging folder; `publish` renames it to its final `<name>.sdlibrary` in one step. */
  stage(id: string): string;
  publish(staging: string, name: string): string;
  discard(path: string): void;
  writeConfig(path: string, library: LibraryRecord): void;
  currentId(): string | null;
  setCurrentId(id: string | null): void;
}
