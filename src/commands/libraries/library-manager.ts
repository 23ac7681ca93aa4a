import { DomainError } from '../../domain/errors.js';
import { firstFreeName, sanitizeLibraryName } from '../../domain/library/name.js';
import type { LibraryFolder, LibraryFolders } from '../ports.js';
import { describeLibrary, initializeLibrary, renameLibrary } from './library-commands.js';
import type { Library } from './library.js';
import type { LibraryReader } from './library-reader.js';

export const DEFAULT_LIBRARY_NAME = 'My Library';

export interface LibrarySummary extends LibraryFolder {
  current: boolean;
}

export type OpenLibrary = (path: string) => Promise<Library>;
export type OpenReader = (path: string) => LibraryReader;

/** Creates, finds, opens, renames and deletes the libraries of one data dir. */
export class LibraryManager {
  private readonly opened = new Set<Library>();

  constructor(
    private readonly folders: LibraryFolders,
    private readonly openAt: OpenLibrary,
    private readonly newId: () => string,
    private readonly openReaderAt: OpenReader,
  ) {}

  list(): LibrarySummary[] {
    const current = this.folders.currentId();
    return this.folders
      .list()
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
      .map((l) => ({ ...l, current: l.id === current }));
  }

  /** Creates a library; it becomes the current one when there is none (or when asked). */
  async create(name: string, options: { description?: string | null; makeCurrent?: boolean; exactName?: boolean } = {}): Promise<LibraryFolder> {
    const existing = this.folders.list();
    // exactName: a folder of that name made meanwhile fails the publish (LIBRARY_EXISTS) rather than giving "name 1"
    const finalName = options.exactName ? sanitizeLibraryName(name) : this.freeName(sanitizeLibraryName(name), existing, { folders: true });
    const id = this.newId();
    const staging = this.folders.stage(id);
    let path: string;
    try {
      const library = await this.openAt(staging);
      try {
        await library.execute(initializeLibrary, { libraryId: id, name: finalName, description: options.description ?? null });
      } finally {
        library.close();
      }
      path = this.folders.publish(staging, finalName);
    } catch (err) {
      this.folders.discard(staging);
      throw err;
    }
    if (options.makeCurrent || !this.currentFolder(existing)) this.folders.setCurrentId(id);
    return this.folders.list().find((l) => l.id === id) ?? failMissing(path);
  }

  /** The library a reference names: an id, a unique id prefix, or a name (exact, else case-insensitive). */
  resolve(ref: string): LibraryFolder {
    const all = this.folders.list();
    const byId = all.find((l) => l.id === ref);
    if (byId) return byId;
    const byName = all.filter((l) => l.name === ref);
    if (byName.length === 1) return byName[0];
    const loose = all.filter((l) => l.name.toLowerCase() === ref.toLowerCase() || (ref.length >= 4 && l.id.startsWith(ref)));
    if (loose.length === 1) return loose[0];
    if (loose.length > 1 || byName.length > 1) {
      throw new DomainError(
        'AMBIGUOUS_LIBRARY',
        'user',
        `"${ref}" matches several libraries (${[...byName, ...loose].map((l) => `${l.name} ${l.id}`).join(', ')}): give the id`,
      );
    }
    throw new DomainError('LIBRARY_NOT_FOUND', 'user', `no library "${ref}": \`spacedrive library list\` shows them`, { ref });
  }

  /** The current library; with none, the first library found, else a new "My Library". */
  async current(): Promise<LibraryFolder> {
    const all = this.folders.list();
    const current = this.currentFolder(all);
    if (current) return current;
    if (all.length > 0) {
      const first = all.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
      this.folders.setCurrentId(first.id);
      return first;
    }
    try {
      return await this.create(DEFAULT_LIBRARY_NAME, { makeCurrent: true, exactName: true });
    } catch (err) {
      // two commands run at once on a new data directory: the other made the first library meanwhile, and it is ours
      if (!(err instanceof DomainError) || err.code !== 'LIBRARY_EXISTS') throw err;
      const made = this.folders.list();
      const theirs = this.currentFolder(made) ?? made.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
      if (!theirs) throw err;
      return theirs;
    }
  }

  switch(ref: string): LibraryFolder {
    const library = this.resolve(ref);
    this.folders.setCurrentId(library.id);
    return library;
  }

  /** Opens the named library, or the current one. The caller closes it. */
  async open(ref?: string): Promise<Library> {
    const folder = ref === undefined ? await this.current() : this.resolve(ref);
    for (const l of this.opened) if (l.isClosed) this.opened.delete(l);
    const library = await this.openAt(folder.path);
    this.opened.add(library);
    return library;
  }

  /** A read-only view of the named (or current) library, for queries while another process holds it. */
  async openReader(ref?: string): Promise<LibraryReader> {
    const folder = ref === undefined ? await this.current() : this.resolve(ref);
    return this.openReaderAt(folder.path);
  }

  closeAll(): void {
    for (const l of this.opened) l.close();
    this.opened.clear();
  }

  /** Renames a library; a name another library has gets ` 1`, ` 2`, …. The folder keeps its name. */
  async rename(ref: string | undefined, name: string): Promise<LibraryFolder & { changed: boolean }> {
    const library = await this.open(ref);
    try {
      const id = library.id;
      const others = this.folders.list().filter((l) => l.id !== id);
      const finalName = this.freeName(sanitizeLibraryName(name), others, { folders: false });
      const { changed } = await library.execute(renameLibrary, { name: finalName });
      return { ...this.resolve(id), changed };
    } finally {
      library.close();
    }
  }

  async describe(ref: string | undefined, description: string | null): Promise<LibraryFolder & { changed: boolean }> {
    const library = await this.open(ref);
    try {
      const { changed } = await library.execute(describeLibrary, { description });
      return { ...this.resolve(library.id), changed };
    } finally {
      library.close();
    }
  }

  /** Deletes a library folder and everything in it. Refused while another process has it open. */
  async delete(ref: string): Promise<LibraryFolder> {
    const folder = this.resolve(ref);
    // Opening takes the lock: a library in use elsewhere is refused before anything is removed.
    const library = await this.openAt(folder.path);
    library.close();
    this.folders.discard(folder.path);
    if (this.folders.currentId() === folder.id) this.folders.setCurrentId(null);
    return folder;
  }

  private currentFolder(all: LibraryFolder[]): LibraryFolder | undefined {
    const id = this.folders.currentId();
    return id === null ? undefined : all.find((l) => l.id === id);
  }

  /** A name no other library has (case-insensitively) and, for a new folder, that no folder uses. */
  private freeName(base: string, others: LibraryFolder[], check: { folders: boolean }): string {
    const taken = new Set(others.map((l) => l.name.toLowerCase()));
    return firstFreeName(base, (n) => taken.has(n.toLowerCase()) || (check.folders && this.folders.folderExists(n)));
  }
}

function failMissing(path: string): never {
  throw new DomainError('LIBRARY_NOT_FOUND', 'failure', `the library just created at ${path} cannot be read back`);
}
