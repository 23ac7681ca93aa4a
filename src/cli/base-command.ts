import { Command, Option } from 'clipanion';
import type { Core } from '../commands/core.js';
import { prestartHashingThreads } from '../infra/filesystem/hash-pool.js';
import type { Library } from '../commands/libraries/library.js';
import type { LibraryQueries } from '../commands/libraries/library-reader.js';
import { DomainError } from '../domain/errors.js';
import { lockHolderOf, type LockHolder } from './lock-holder.js';
import { Output } from './output.js';

/** Global options of every command (DESIGN §6) and the error mapping to exit codes. */
export abstract class SpacedriveCommand extends Command {
  dataDir = Option.String('--data-dir', { description: 'Data directory (default: $SPACEDRIVE_DATA_DIR, else $XDG_DATA_HOME/spacedrive)' });
  libraryRef = Option.String('--library', { description: 'Library name or id (default: the current library)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  quiet = Option.Boolean('--quiet', false, { description: 'Print nothing but errors' });
  color = Option.Boolean('--color', !process.env.NO_COLOR, { description: 'Colour output (--no-color to disable)' });
  verbose = Option.Boolean('--verbose', false, { description: 'Print stack traces with errors' });

  protected out!: Output;
  /**
   * Threads this command will need, started before the core loads and the library opens, so that their own start
   * (some 0.1 s each) overlaps that of the command rather than following it.
   */
  protected readonly prestart: 'hashing' | undefined = undefined;

  abstract run(): Promise<number | void>;

  async execute(): Promise<number> {
    this.out = new Output({
      json: this.json,
      quiet: this.quiet,
      color: this.color,
      verbose: this.verbose,
      stdout: this.context.stdout,
      stderr: this.context.stderr,
    });
    try {
      return (await this.run()) ?? 0;
    } catch (err) {
      return this.out.error(err);
    }
  }

  protected async withCore<T>(fn: (core: Core) => Promise<T>): Promise<T> {
    if (this.prestart === 'hashing') prestartHashingThreads();
    // loaded on demand: `--help` and usage errors should not pay for SQLite, zod and the rest of the core
    const { openCore } = await import('../infra/container.js');
    const core = await openCore({ dataDir: this.dataDir });
    try {
      return await fn(core);
    } finally {
      core.close();
    }
  }

  /** Who held the library when `withQueries` read it without the lock (null: this process held it). */
  protected libraryHolder: LockHolder | null = null;

  /**
   * For queries: the library opened as usual, or — while another process holds it (a job running in another
   * terminal) — a read-only view of its read models.
   */
  protected withQueries<T>(fn: (library: LibraryQueries) => Promise<T>): Promise<T> {
    return this.withCore(async (core) => {
      let library: LibraryQueries;
      try {
        library = await core.libraries.open(this.libraryRef);
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'LIBRARY_LOCKED') throw err;
        this.libraryHolder = lockHolderOf(err) ?? null;
        library = await core.libraries.openReader(this.libraryRef);
      }
      try {
        return await fn(library);
      } finally {
        library.close();
      }
    });
  }

  /** Opens --library (or the current library) for the duration of `fn`. */
  protected withLibrary<T>(fn: (library: Library, core: Core) => Promise<T>): Promise<T> {
    return this.withCore(async (core) => {
      const library = await core.libraries.open(this.libraryRef);
      try {
        return await fn(library, core);
      } finally {
        library.close();
      }
    });
  }
}
