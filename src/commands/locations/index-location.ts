import path from 'node:path';
import type { Database } from 'better-sqlite3';
import type { EventStore } from '../../domain/envelope.js';
import { DomainError } from '../../domain/errors.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import type { JobItemError } from '../../domain/job/events.js';
import { joinPath } from '../../domain/location/entry-path.js';
import { INDEX_JOB } from '../../domain/location/index-modes.js';
import { locationStream, type ContentFacts, type EntryFacts, type IndexMode } from '../../domain/location/events.js';
import { jobErrors } from '../../projections/jobs/queries.js';
import { EntryQueries, locationById, type EntryRecord, type IndexedFacts, type LocationRecord } from '../../projections/locations/queries.js';
import type { JobContext, JobDefinition, JobOutcome } from '../jobs/job-runtime.js';
import { countAppendedBy, type IndexCounts } from './index-counts.js';
import { LocationWriter } from './location-writer.js';
import type { IdentifyResult, IndexerFileSystem, WalkedEntry } from './ports.js';

export interface IndexInput extends Record<string, unknown> {
  locationId: string;
  mode: IndexMode;
  /** Directory levels below the root to read; null for the whole tree. */
  maxDepth: number | null;
  /** Hash every file again, not only those without a casId; only differences are recorded. */
  force: boolean;
}

/** What a checkpoint records. Discovery resumes by walking again: entries already recorded compare equal. */
interface IndexCursor {
  phase: 'discovery' | 'content';
  startedAt: string;
  counts: IndexCounts;
  directories: number;
  /** Content phase: the last entry id handled. */
  afterId: number;
  /**
   * The location stream's version when `counts` were taken: the events this job appended after it (a kill came
   * before the next checkpoint) are counted again on resume, since the resumed walk finds their entries indexed.
   * Absent in cursors of before it was kept.
   */
  streamVersion?: number;
}

/** A listing's differences from the index, waiting for its files to be identified. */
interface DirectoryChanges {
  parent: string;
  added: EntryFacts[];
  modified: EntryFacts[];
  replaced: string[];
  toIdentify: PendingIdentification[];
}

interface PendingIdentification {
  facts: EntryFacts;
  diskPath: string | Buffer;
  /** The directory, so that the path shown in an error is built only when there is an error. */
  parent: string;
  /** The walk did not stat the file: its size, inode and time come with its identification. */
  unstated: boolean;
}

/**
 * How the read of a file the walk did not stat fails when the file is gone or no longer a regular file: left to the
 * next scan, no job error (ELOOP: a symlink took its place; FreeBSD says EMLINK).
 */
const QUIETLY_GONE = new Set(['ENOENT', 'ELOOP', 'EMLINK', 'FILE_CHANGED']);

/** Batches the walk may run ahead of what is appended. */
const PIPELINE_DEPTH = 2;

/** Files identified per round of the content phase. */
const CONTENT_BATCH = 2000;

/** Events hold at most this many entries, and names of at most EVENT_NAME_BYTES in all: well under 64 KiB. */
const ENTRIES_PER_EVENT = 1000;
const EVENT_NAME_BYTES = 32 * 1024;
/** Appends gather this many entries (one transaction), or whatever is pending after FLUSH_MS. */
const FLUSH_ENTRIES = 5000;
const FLUSH_MS = 250;
/** A folder with more entries is walked in parts of this many, each recorded as it comes (see `WalkOptions`). */
const PART_ENTRIES = FLUSH_ENTRIES;

export interface IndexerDeps {
  store: EventStore;
  catalog: EventCatalog;
  db: Database;
  fs: IndexerFileSystem;
  /** Folders no scan lists (spacedrive's data directory): see `WalkOptions.exclude`. */
  exclude: string[];
}

/**
 * The indexer job: walks the location, records what changed since the index last saw it (added, modified, moved,
 * removed) as batched events, then identifies content (casId, kind, MIME; media facts in deep mode).
 */
export function indexLocationJob(deps: IndexerDeps): JobDefinition<IndexInput> {
  return {
    name: INDEX_JOB,
    run: async (ctx, input) => {
      try {
        return await new IndexRun(deps, ctx, input).run();
      } finally {
        // a library between scans holds no hashing threads (some 20-30 MB each)
        deps.fs.releaseThreads();
      }
    },
  };
}

class IndexRun {
  private readonly queries: EntryQueries;
  private readonly location: LocationRecord;
  private writer!: LocationWriter;
  private readonly cursor: IndexCursor;
  private readonly content: boolean;
  private readonly deep: boolean;
  /** When the walk last went on after a seal: a batch is due after FLUSH_MS of walking. */
  private walkingSince = Date.now();
  private batch: DirectoryChanges[] = [];
  private batchItems = 0;
  private pipeline: Promise<'go' | 'stopped'> = Promise.resolve('go');
  /** Batches sent to be identified and not yet known to be appended, oldest first. */
  private readonly inFlight: Promise<'go' | 'stopped'>[] = [];
  /** The location's entry ids by inode, read when the walk first meets a name the index lacks. */
  private inodes: Map<number, number | number[]> | null = null;
  /** Files this run's discovery could not read (each already a job error): the content phase does not try them again. */
  private readonly unreadable = new Set<string>();
  /**
   * Paths with a job error an earlier run of this job recorded (a resumed job walks again from the top and meets
   * them again): each is recorded once. Null for a job's first run.
   */
  private readonly recordedErrors: Set<string> | null;
  /** The location folder's inode when the scan began (null: not a folder then). */
  private rootInode: number | null = null;

  constructor(
    private readonly deps: IndexerDeps,
    private readonly ctx: JobContext,
    private readonly input: IndexInput,
  ) {
    const location = locationById(deps.db, input.locationId);
    if (!location) throw new DomainError('LOCATION_REMOVED', 'user', `location ${input.locationId} no longer exists`);
    this.location = location;
    this.queries = new EntryQueries(deps.db);
    this.content = input.mode !== 'shallow';
    this.deep = input.mode === 'deep';
    const previous = ctx.cursor as IndexCursor | null;
    this.recordedErrors = previous ? new Set(jobErrors(deps.db, ctx.jobId, -1).map((e) => `${e.code} ${e.path}`)) : null;
    // a resumed discovery walks again from the top: its directory count (progress) starts over, its change counts do not
    this.cursor = previous ? { ...previous, directories: previous.phase === 'discovery' ? 0 : previous.directories } : {
      phase: 'discovery',
      startedAt: ctx.now().toISOString(),
      counts: { added: 0, modified: 0, moved: 0, removed: 0, identified: 0 },
      directories: 0,
      afterId: 0,
    };
  }

  async run(): Promise<JobOutcome> {
    const { store, catalog, db } = this.deps;
    const id = this.location.id;
    if (!this.deps.fs.exists(this.location.path)) {
      // an unmounted disk or a moved folder must not read as "every entry was deleted"
      throw new DomainError('LOCATION_OFFLINE', 'user', `${this.location.path} is not there (unmounted or moved?): the index was left as it was`);
    }
    this.rootInode = this.deps.fs.folderInode(this.location.path);
    const indexedInode = this.location.lastScan?.rootInode;
    if (typeof indexedInode === 'number' && this.rootInode !== indexedInode && !this.holdsIndexedEntries()) {
      // an empty mount point, or a folder moved or restored into its place: not the folder the index describes
      throw new DomainError(
        'LOCATION_OFFLINE', 'user',
        `${this.location.path} is not the folder that was indexed (an unmounted disk's mount point, or another folder put in its place?): the index was left as it was. If this is now the right folder, remove the location and add it again`,
      );
    }
    const version = await store.streamVersion(locationStream(id));
    // the job's own events say so (causation), so that a resume can tell them from others appended meanwhile
    const meta = { ...this.ctx.meta, causationId: this.ctx.jobId };
    this.writer = new LocationWriter(store, catalog, meta, () => this.ctx.newId(), id, version, () => locationById(db, id) !== null);
    if (this.ctx.cursor === null) {
      // where this job's events start: a kill before the first checkpoint must not lose the count of what it appended
      this.cursor.streamVersion = version;
      await this.flush(0, true);
    } else {
      await this.countUnrecorded(version);
    }
    if (this.cursor.phase === 'discovery') {
      if ((await this.discover()) === 'stopped') return { status: 'stopped' };
      this.cursor.phase = 'content';
      this.cursor.afterId = 0;
    }
    if (this.content && (await this.identifyRemaining()) === 'stopped') return { status: 'stopped' };
    this.requireSameRoot();
    const c = this.cursor.counts;
    const finishedAt = this.ctx.now().toISOString();
    this.writer.push('LocationScanned', {
      jobId: this.ctx.jobId, mode: this.input.mode, startedAt: this.cursor.startedAt, finishedAt, ...c, errors: this.ctx.errorCount,
      ...(this.rootInode === null ? {} : { rootInode: this.rootInode }),
    });
    await this.writer.flush();
    const totals = locationById(this.deps.db, this.location.id)!;
    return {
      status: 'completed',
      output: {
        locationId: this.location.id, mode: this.input.mode, ...c, errors: this.ctx.errorCount,
        files: totals.files, directories: totals.directories, bytes: totals.bytes,
        durationMs: Date.parse(finishedAt) - Date.parse(this.cursor.startedAt),
      },
    };
  }

  /**
   * Walks the location and records what changed. Listings are compared with the index as they come; their files are
   * identified in batches on hashing threads while the walk goes on, and each batch is appended once identified.
   */
  private async discover(): Promise<'done' | 'stopped'> {
    const firstScan = this.location.files + this.location.directories === 0;
    // they boot while the first folders are listed, instead of after the first batch is sealed
    if (firstScan && this.content) this.deps.fs.startThreads();
    const removals: { parent: string; name: string }[] = [];
    const maxDepth = this.input.maxDepth ?? undefined;
    // A first scan that reads every file learns each file's stat as it opens it: the walk's stat would be a second
    // path lookup per file. A later scan needs the stat first, to tell which files changed; the stats are then most
    // of the walk's work, and a thread of its own takes them while this one compares and records.
    const statFiles = !(firstScan && this.content);
    // A rescan compares in far less time than the stats take: this thread stats every other file itself. A first
    // scan records every entry, which keeps this thread as busy as the walk thread.
    const options = { rules: this.location.rules, maxDepth, statFiles, partEntries: PART_ENTRIES, shareStats: !firstScan, exclude: this.deps.exclude };
    const listings = statFiles ? this.deps.fs.walkAhead(this.location.path, options) : this.deps.fs.walk(this.location.path, options);
    // a huge folder comes in parts: what the index holds of it is read with the first part, and what is left of that
    // after the last part was removed from the disk
    let indexed: Map<string, IndexedFacts> | null = null;
    let continued = false;
    for await (const listing of listings) {
      if (!listing.more) this.cursor.directories++;
      for (const err of listing.entryErrors) this.recordError(err);
      if (listing.error) {
        this.recordError(listing.error);
        continue;
      }
      const parent = listing.relPath;
      if (!continued) indexed = firstScan ? null : this.queries.indexedChildren(this.location.key, parent);
      continued = listing.more === true;
      const changes: DirectoryChanges = { parent, added: [], modified: [], replaced: [], toIdentify: [] };
      for (const e of listing.entries) {
        let old = indexed?.get(e.name);
        if (old) indexed!.delete(e.name);
        if (old && old.kind !== e.kind) {
          changes.replaced.push(e.name);
          old = undefined;
        }
        if (!old) {
          if (indexed && (await this.movedHere(e, parent, indexed))) continue;
          changes.added.push(this.factsOf(e, parent, changes));
        } else if (changed(old, e)) {
          changes.modified.push(this.factsOf(e, parent, changes));
        }
      }
      if (indexed && !listing.more) for (const name of indexed.keys()) removals.push({ parent, name });
      this.batch.push(changes);
      this.batchItems += listing.entries.length;
      const due = this.batchItems >= FLUSH_ENTRIES || Date.now() - this.walkingSince >= FLUSH_MS || this.ctx.stopRequested !== null;
      if (due && (await this.seal()) === 'stopped') return 'stopped';
    }
    if ((await this.drain()) === 'stopped') return 'stopped';
    // a folder moved or unmounted during the walk lists as empty or missing: that is no removal
    this.requireSameRoot();
    this.removeVanished(removals);
    return (await this.flush(0)) === 'stopped' ? 'stopped' : 'done';
  }

  /**
   * Sends the gathered listings' files to be identified and returns once the batch before has been appended, so
   * one batch hashes while the next is walked. Resolves `stopped` when a pause or cancel was asked meanwhile.
   */
  private async seal(): Promise<'go' | 'stopped'> {
    const batch = this.batch;
    const items = this.batchItems;
    this.batch = [];
    this.batchItems = 0;
    this.walkingSince = Date.now();
    const requests = batch.flatMap((d) => d.toIdentify);
    const identified = requests.length
      ? this.deps.fs.identifyMany(
          requests.map((r) =>
            r.unstated
              ? { diskPath: r.diskPath, name: r.facts.name }
              : { diskPath: r.diskPath, name: r.facts.name, expected: { size: r.facts.size, modifiedAt: r.facts.modifiedAt } },
          ),
          this.deep,
        )
      : Promise.resolve([]);
    const next = Promise.all([this.pipeline, identified]).then(([, results]) => {
      this.record(batch, requests, results);
      return this.flush(items);
    });
    // awaited by a later seal or drain; if the job ends first (it failed), its error is already the job's outcome
    next.catch(() => undefined);
    this.pipeline = next;
    this.inFlight.push(next);
    // The walk runs up to PIPELINE_DEPTH batches ahead of the appends: hashing a batch takes longer than walking
    // one, so waiting for the batch just sent would leave this thread idle while the hashing threads catch up.
    if (this.inFlight.length <= PIPELINE_DEPTH && !this.ctx.stopRequested) return 'go';
    const oldest = this.inFlight.shift()!;
    if ((await oldest) === 'stopped' || this.ctx.stopRequested) return next.then(() => 'stopped' as const);
    // The time waited here was no walking: counted, the next listing would seal a batch of one folder, and a
    // pipeline slot holding a handful of files leaves the hashing threads idle until the batch after it.
    this.walkingSince = Date.now();
    return 'go';
  }

  /** Seals what is gathered and waits until every batch is appended. */
  private async drain(): Promise<'go' | 'stopped'> {
    await this.seal();
    this.inFlight.length = 0;
    return this.pipeline;
  }

  /** Attaches the identified content to the batch's facts and pushes its events, in walk order. */
  private record(batch: DirectoryChanges[], requests: PendingIdentification[], results: IdentifyResult[]): void {
    const vanished = new Set<EntryFacts>();
    requests.forEach((r, i) => {
      const result = results[i];
      const seen = 'error' in result ? result.stat : result;
      if (r.unstated) {
        if (!seen) {
          // no longer a regular file there: gone, or replaced since the listing; the next scan sees what it is now
          if ('error' in result && !QUIETLY_GONE.has(result.error.code)) {
            this.recordError(itemError(joinPath(r.parent, r.facts.name), result.error));
          }
          vanished.add(r.facts);
          return;
        }
        r.facts.size = seen.size;
        r.facts.inode = seen.inode;
        r.facts.modifiedAt = seen.modifiedAt;
        // an empty file has nothing to identify: that it could not be opened is no error, as when its stat came first
        if (seen.size === 0) return;
      }
      if ('error' in result) {
        const relPath = joinPath(r.parent, r.facts.name);
        this.recordError(itemError(relPath, result.error));
        if (result.error.code === 'ENOENT') vanished.add(r.facts);
        else this.unreadable.add(relPath);
      } else if (result.content && result.size !== r.facts.size) {
        this.recordError({ path: joinPath(r.parent, r.facts.name), code: 'FILE_CHANGED', message: 'changed while it was indexed; it will be identified on the next scan' });
      } else if (result.content) {
        r.facts.content = result.content;
        this.cursor.counts.identified++;
      }
    });
    for (const d of batch) {
      const added = vanished.size ? d.added.filter((f) => !vanished.has(f)) : d.added;
      const modified = vanished.size ? d.modified.filter((f) => !vanished.has(f)) : d.modified;
      if (d.replaced.length) this.writer.push('EntriesRemoved', { parent: d.parent, names: d.replaced });
      this.pushChunks('EntriesAdded', d.parent, added);
      this.pushChunks('EntriesModified', d.parent, modified);
      this.cursor.counts.added += added.length;
      this.cursor.counts.modified += modified.length;
      this.cursor.counts.removed += d.replaced.length;
    }
  }

  /**
   * A new name whose inode the index holds at a path that no longer exists was moved here (a rename, or a move
   * within the location). Everything gathered before is appended first, then the move, so that later listings —
   * and the move's own destination — find the entries where the log says they are.
   */
  private async movedHere(e: WalkedEntry, parent: string, indexedHere: Map<string, IndexedFacts>): Promise<boolean> {
    this.inodes ??= this.queries.idsByInode(this.location.key);
    const ids = this.inodes.get(e.inode);
    if (ids === undefined) return false;
    // entries this run added since are not in the map: they are where the walk found them, so never a move's source
    const candidates: EntryRecord[] = [];
    for (const id of typeof ids === 'number' ? [ids] : ids) {
      const c = this.queries.byEntryId(id);
      if (c && c.inode === e.inode) candidates.push(c);
    }
    // a freed inode is soon reused by a new file: a file counts as moved only with its size and time unchanged
    const from = candidates.find(
      (c) =>
        c.kind === e.kind &&
        !(c.parent === parent && c.name === e.name) &&
        (e.kind === 'directory' || (c.size === e.size && c.modifiedAt === e.modifiedAt)) &&
        !this.deps.fs.exists(this.diskPathOf(c)),
    );
    if (!from) return false;
    if (from.parent === parent) indexedHere.delete(from.name);
    await this.drain();
    this.writer.push('EntriesMoved', {
      moves: [{ fromParent: from.parent, fromName: from.name, toParent: parent, toName: e.name, modifiedAt: e.modifiedAt }],
    });
    this.cursor.counts.moved++;
    await this.flush(0);
    return true;
  }

  /**
   * Whether the folder at the location's path still holds what the index lists at its top (at least half of a
   * sample): a folder whose inode changed but not its contents is the same folder (FAT and some FUSE filesystems
   * number folders anew at each mount); an empty mount point or another folder holds none of it.
   */
  private holdsIndexedEntries(): boolean {
    const top = [...this.queries.indexedChildren(this.location.key, '').keys()].slice(0, 16);
    if (top.length === 0) return true; // nothing indexed there to lose
    const found = top.filter((name) => this.deps.fs.exists(this.diskPathOf({ parent: '', name, rawName: null }))).length;
    return found * 2 >= top.length;
  }

  /** Fails the job when the location folder is gone or another folder since the scan began; what is recorded stands. */
  private requireSameRoot(): void {
    if (this.deps.fs.folderInode(this.location.path) === this.rootInode) return;
    throw new DomainError(
      'LOCATION_OFFLINE', 'user',
      `${this.location.path} was moved, removed or unmounted during the scan: what it recorded before stands, nothing was removed; rescan it once it is back`,
    );
  }

  /** Entries that were indexed but are gone from their directory, unless they were found moved elsewhere. */
  private removeVanished(removals: { parent: string; name: string }[]): void {
    let group: string[] = [];
    let groupParent = '';
    const close = () => {
      if (group.length) this.writer.push('EntriesRemoved', { parent: groupParent, names: group });
      group = [];
    };
    for (const r of removals) {
      if (!this.queries.entry(this.location.key, r.parent, r.name)) continue;
      if (r.parent !== groupParent || group.length >= ENTRIES_PER_EVENT) close();
      groupParent = r.parent;
      group.push(r.name);
      this.cursor.counts.removed++;
    }
    close();
  }

  /** The entry's facts; a non-empty file is queued for identification when the mode asks for content. */
  private factsOf(e: WalkedEntry, parent: string, changes: DirectoryChanges): EntryFacts {
    const facts: EntryFacts = { name: e.name, kind: e.kind, size: e.size, inode: e.inode, modifiedAt: e.modifiedAt, hidden: e.hidden };
    if (e.rawName) facts.rawName = e.rawName;
    const unstated = e.unstated === true;
    if (unstated || (this.content && e.kind === 'file' && e.size > 0)) changes.toIdentify.push({ facts, diskPath: e.diskPath, parent, unstated });
    return facts;
  }

  /** Files that still lack a casId: recorded in shallow mode, or not readable when they were discovered. */
  private async identifyRemaining(): Promise<'done' | 'stopped'> {
    for (;;) {
      // deep mode also reads images whose dimensions the index lacks (identified in content mode before)
      let batch = this.input.force
        ? this.queries.filesWithContent(this.location.key, this.cursor.afterId, CONTENT_BATCH)
        : this.deep
          ? this.queries.unidentifiedOrWithoutMedia(this.location.key, this.cursor.afterId, CONTENT_BATCH)
          : this.queries.unidentifiedFiles(this.location.key, this.cursor.afterId, CONTENT_BATCH);
      if (batch.length === 0) return 'done';
      const lastId = batch[batch.length - 1].id;
      if (this.unreadable.size) batch = batch.filter((f) => !this.unreadable.has(joinPath(f.parent, f.name)));
      if (batch.length === 0) {
        this.cursor.afterId = lastId;
        continue;
      }
      const results = await this.deps.fs.identifyMany(
        batch.map((f) => ({ diskPath: this.diskPathOf(f), name: f.name, expected: { size: f.size, modifiedAt: f.modifiedAt } })),
        this.deep,
      );
      let parent = batch[0].parent;
      let group: (ContentFacts & { name: string })[] = [];
      const close = () => {
        if (group.length) this.writer.push('ContentIdentified', { parent, entries: group });
        group = [];
      };
      batch.forEach((f, i) => {
        const result = results[i];
        if ('error' in result) {
          this.recordError(itemError(joinPath(f.parent, f.name), result.error));
          return;
        }
        const content = result.content;
        if (!content) return;
        if (result.size !== f.size) {
          this.recordError({ path: joinPath(f.parent, f.name), code: 'FILE_CHANGED', message: 'changed since it was indexed; rescan the location' });
          return;
        }
        if (content.casId === f.casId && !(content.media && !f.hasMedia)) return;
        if (f.parent !== parent || group.length >= ENTRIES_PER_EVENT) close();
        parent = f.parent;
        group.push({ name: f.name, ...content });
        this.cursor.counts.identified++;
      });
      close();
      this.cursor.afterId = lastId;
      if ((await this.flush(batch.length)) === 'stopped') return 'stopped';
    }
  }

  /** Entries in events of at most ENTRIES_PER_EVENT entries and EVENT_NAME_BYTES of names (long names: fewer). */
  private pushChunks(type: 'EntriesAdded' | 'EntriesModified', parent: string, entries: EntryFacts[]): void {
    let from = 0;
    let bytes = 0;
    for (let i = 0; i < entries.length; i++) {
      // a name's UTF-16 length bounds its UTF-8 bytes by 3: cheap, and cautious
      const size = entries[i].name.length * 3 + (entries[i].rawName?.length ?? 0);
      if (i > from && (i - from >= ENTRIES_PER_EVENT || bytes + size > EVENT_NAME_BYTES)) {
        this.writer.push(type, { parent, entries: entries.slice(from, i) });
        from = i;
        bytes = 0;
      }
      bytes += size;
    }
    if (from < entries.length) this.writer.push(type, { parent, entries: from === 0 ? entries : entries.slice(from) });
  }

  /** A non-critical error of the job, unless an earlier run of it recorded the same one. */
  private recordError(error: JobItemError): void {
    if (this.recordedErrors?.has(`${error.code} ${error.path}`)) return;
    this.ctx.recordError(error);
  }

  /** Appends what is pending, records progress, and lets signals in: a pause or cancel stops the job here. */
  private async flush(items: number, force = false): Promise<'go' | 'stopped'> {
    await this.writer.flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const stopping = this.ctx.stopRequested !== null;
    const c = this.cursor;
    await this.ctx.checkpoint(
      { ...c, counts: { ...c.counts }, streamVersion: this.writer.streamVersion },
      { phase: c.phase, done: c.phase === 'discovery' ? c.directories : c.counts.identified, total: null },
      { items, force: stopping || force },
    );
    return stopping ? 'stopped' : 'go';
  }

  /**
   * Adds to the counts what this job appended after its last checkpoint, before its process died: the resumed walk
   * finds those entries indexed already and would not count them.
   */
  private async countUnrecorded(version: number): Promise<void> {
    const from = this.cursor.streamVersion;
    if (from === undefined || from >= version) return;
    await countAppendedBy(this.deps.store, this.location.id, this.ctx.jobId, from, version, this.cursor.counts);
    this.cursor.streamVersion = version;
  }

  private diskPathOf(e: Pick<EntryRecord, 'parent' | 'name' | 'rawName'>): string | Buffer {
    const dir = path.join(this.location.path, e.parent);
    return e.rawName ? Buffer.concat([Buffer.from(`${dir}/`), e.rawName]) : path.join(dir, e.name);
  }
}

function changed(old: IndexedFacts, e: WalkedEntry): boolean {
  return old.size !== e.size || old.modifiedAt !== e.modifiedAt || old.inode !== e.inode || old.hidden !== e.hidden;
}

function itemError(relPath: string, error: { code: string; message: string }): JobItemError {
  const message =
    error.code === 'ENOENT' ? 'vanished while it was indexed' : error.code === 'EACCES' || error.code === 'EPERM' ? 'permission denied' : error.message;
  return { path: relPath, code: error.code, message };
}
