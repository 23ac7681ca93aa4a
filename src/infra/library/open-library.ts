import { realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CommandBus } from '../../commands/bus.js';
import { libraryCommands } from '../../commands/commands.js';
import { registerDevice } from '../../commands/devices/register-device.js';
import { Library } from '../../commands/libraries/library.js';
import type { DeviceIdentity, LibraryFolders } from '../../commands/ports.js';
import { domainEvents } from '../../domain/catalog.js';
import { LIBRARY_STREAM } from '../../domain/library/events.js';
import { deviceById } from '../../projections/devices/devices-projection.js';
import { readLibrary } from '../../projections/library/library-projection.js';
import { readModels } from '../../projections/read-models.js';
import { ProjectionRunner, type ReadModelSchema } from '../../projections/runner.js';
import BetterSqlite3 from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import type { EventMeta } from '../../domain/envelope.js';
import { LibraryReader } from '../../commands/libraries/library-reader.js';
import { forgetReadModelMigrations, migrate, migrationsOf } from '../database/migrations.js';
import { openDatabase, type SqliteDatabase } from '../database/open.js';
import { SqliteEventStore } from '../eventstore/sqlite-event-store.js';
import { uuidv7 } from '../ids.js';
import { JobRuntime, type JobDefinition } from '../../commands/jobs/job-runtime.js';
import { indexLocationJob } from '../../commands/locations/index-location.js';
import { Locations } from '../../commands/locations/locations.js';
import { Volumes } from '../../commands/volumes/volumes.js';
import { createVolumeProbe } from '../volumes/volume-probe.js';
import { deleteJob } from '../../commands/files/delete-job.js';
import { Files } from '../../commands/files/files.js';
import { LocationSync } from '../../commands/files/location-sync.js';
import { transferJob } from '../../commands/files/transfer-job.js';
import { NodeFileOperations } from '../filesystem/file-operations.js';
import { EntryMetadata } from '../../commands/metadata/entry-metadata.js';
import { Search } from '../../commands/search/search.js';
import { Tags } from '../../commands/tags/tags.js';
import { NodeIndexerFileSystem } from '../filesystem/indexer-file-system.js';
import { NodeFileChecksFileSystem } from '../filesystem/file-checks-file-system.js';
import { validateFilesJob } from '../../commands/files/validate.js';
import { Validation } from '../../commands/files/validation.js';
import { readLibraryJson } from './fs-library-folders.js';
import { LibraryLock } from './library-lock.js';

export const LIBRARY_DB = 'library.db';

const readModelSchema: ReadModelSchema = {
  create: (db) => migrate(db, 'read-models'),
  forget: forgetReadModelMigrations,
};

/**
 * Opens the library folder at `dir`: lock, database and migrations, event store, projections caught up, then
 * this device registered. library.json follows the library read model.
 */
export async function openLibraryAt(dir: string, device: DeviceIdentity, folders: LibraryFolders): Promise<Library> {
  const lock = LibraryLock.acquire(dir, device.id);
  let db: SqliteDatabase | undefined;
  try {
    db = openDatabase(path.join(dir, LIBRARY_DB));
    migrate(db, 'log');
    migrate(db, 'read-models');
    const store = await SqliteEventStore.open({ db, device: device.id, catalog: domainEvents });
    const runner = new ProjectionRunner(db, readModels, readModelSchema);
    runner.catchUp(store);
    store.setInlineHandler((events) => runner.applyInline(events));

    const liveDb = db;
    const syncConfig = () => {
      const record = readLibrary(liveDb);
      if (!record) return;
      const onDisk = readLibraryJson(dir);
      if (!onDisk || JSON.stringify({ version: 1, ...record }) !== JSON.stringify(onDisk)) folders.writeConfig(dir, record);
    };
    store.subscribe((events) => {
      if (events.some((e) => e.streamId === LIBRARY_STREAM)) syncConfig();
    });
    syncConfig(); // a crash between a commit and the json write leaves it stale

    const fs = new NodeIndexerFileSystem();
    const checksFs = new NodeFileChecksFileSystem();
    const bus = new CommandBus(
      libraryCommands,
      (meta) => ({ store, catalog: domainEvents, device, meta, db: liveDb, fs, now: () => new Date(), newId: () => uuidv7() }),
      () => uuidv7(),
    );
    // spacedrive's data directory (libraries, device key, config): never a file operation's to touch, nor listed by a scan
    const dataDir = realpathSync(path.dirname(folders.root));
    const indexJob = indexLocationJob({ store, catalog: domainEvents, db: liveDb, fs, exclude: [dataDir] });
    const volumeProbe = createVolumeProbe(device.id);
    const fileOps = new NodeFileOperations(volumeProbe);
    const sync = (ctx: { meta: EventMeta; newId(): string }) => new LocationSync({ store, catalog: domainEvents, db: liveDb, fs }, ctx.meta, () => ctx.newId());
    const transfer = transferJob({ store, catalog: domainEvents, fs: fileOps, sync });
    const deletion = deleteJob({ store, catalog: domainEvents, fs: fileOps, sync });
    const validateJob = validateFilesJob({ store, catalog: domainEvents, db: liveDb, fs: checksFs });
    const jobs = new JobRuntime({
      store,
      catalog: domainEvents,
      db: liveDb,
      now: () => new Date(),
      newId: () => uuidv7(),
      definitions: new Map(
        [indexJob, transfer, deletion, validateJob].map((d) => [d.name, d as unknown as JobDefinition<Record<string, unknown>>]),
      ),
    });
    const locations = new Locations(bus, jobs, liveDb, indexJob, () => uuidv7());
    const volumes = new Volumes(bus, liveDb, volumeProbe, device.id);
    const files = new Files(jobs, fileOps, transfer, deletion, () => uuidv7(), { dataDir });
    const tags = new Tags(bus, liveDb, locations);
    const validation = new Validation(jobs, liveDb, locations, validateJob, () => uuidv7());
    const library = new Library({
      path: dir,
      db,
      store,
      runner,
      bus,
      jobs,
      locations,
      volumes,
      files,
      tags,
      metadata: new EntryMetadata(bus, liveDb, store, locations, tags),
      search: new Search(liveDb, locations, tags, true),
      checksFs,
      validation,
      scratch: () => {
        const file = path.join(dir, `.verify-${process.pid}-${Date.now()}.db`);
        const scratchDb = openDatabase(file);
        return {
          db: scratchDb,
          dispose: () => {
            scratchDb.close();
            for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
          },
        };
      },
      release: () => {
        fs.close();
        checksFs.close();
        liveDb.close();
        lock.release();
      },
    });
    // A device seen before under the same name, OS and key appends nothing: the read model (caught up above) tells so
    // without reading and decoding the device's stream, which every command that opens the library would pay for.
    const known = deviceById(db, device.id);
    const unchanged = known !== undefined && known.name === device.name && known.os === device.os && known.publicKey === device.publicKey;
    if (!unchanged) await library.execute(registerDevice, {});
    return library;
  } catch (err) {
    db?.close();
    lock.release();
    throw err;
  }
}

/**
 * Opens a library read-only, without its lock: for queries while another process holds it. Refused when that
 * process has not yet brought the read models to this version's schema.
 */
export function openLibraryReaderAt(dir: string, device: DeviceIdentity): LibraryReader {
  const db = new BetterSqlite3(path.join(dir, LIBRARY_DB), { readonly: true, fileMustExist: true });
  try {
    const applied = db.prepare("SELECT max(version) FROM schema_migrations WHERE migration_set = 'read-models'").pluck().get() as number | null;
    const latest = Math.max(...migrationsOf('read-models').map((m) => m.version));
    if (applied !== latest) {
      throw new DomainError('LIBRARY_LOCKED', 'user', `the library at ${dir} is in use and its read models are at schema ${applied ?? 0}, not ${latest}: wait for the other process to finish`);
    }
    return new LibraryReader(db, dir, { probe: createVolumeProbe(device.id), deviceId: device.id }, new NodeFileChecksFileSystem());
  } catch (err) {
    db.close();
    throw err;
  }
}
