import type { RunResult, Statement } from 'better-sqlite3';
import type {
  AppendOptions,
  AppendResult,
  ChainReport,
  EventMeta,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  StoredEvent,
} from '../../domain/envelope.js';
import { DomainError, WrongExpectedVersion } from '../../domain/errors.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import { formatHlc, parseHlc, tickHlc, type Hlc } from '../../domain/hlc.js';
import type { SqliteDatabase } from '../database/open.js';
import { ChainNames, type Chain } from './chain-names.js';
import { decode, encode, encodeEach } from './codec.js';
import { EVENT_COLUMNS, EventReader, type EventRow } from './event-reader.js';
import { HashChain, ZERO_HASH } from './hash-chain.js';
import { verifyChains } from './verify-chains.js';

/** Runs inside the append transaction, after the events are written: inline projections and their checkpoints. */
export type InlineHandler = (events: readonly RecordedEvent[]) => void;

export interface SqliteEventStoreOptions {
  db: SqliteDatabase;
  /** This device: the origin of every event appended here. */
  device: string;
  catalog: EventCatalog;
  now?: () => number;
}

const QUALIFIED_COLUMNS = EVENT_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ');
const INSERT_COLUMNS = 12;
/** Rows per INSERT statement: a statement per row added about a fifth to the cost of each appended event. */
const INSERT_CHUNK = 64;

/** The default event store: one SQLite file per library, everything of one append in one transaction. */
export class SqliteEventStore implements EventStore {
  private readonly db: SqliteDatabase;
  private readonly catalog: EventCatalog;
  private readonly now: () => number;
  private readonly listeners = new Set<(events: readonly RecordedEvent[]) => void>();
  private inline: InlineHandler | null = null;
  private readonly chains: ChainNames;
  private readonly reader: EventReader;
  private readonly writerChain: number;
  private readonly stmt: Record<
    | 'version' | 'exists' | 'existing' | 'head' | 'setHead' | 'lastHlc' | 'setHlc' | 'streamSegment' | 'chainSegment'
    | 'stream' | 'headPosition' | 'all',
    Statement
  >;
  /** INSERT statements by row count (1 .. INSERT_CHUNK), prepared on first use. */
  private readonly inserts = new Map<number, Statement>();
  private readonly appendTx: (
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    ids: IdCheck,
  ) => { result: AppendResult; recorded: RecordedEvent[] };

  private constructor(
    options: SqliteEventStoreOptions,
    private readonly hashChain: HashChain,
  ) {
    this.db = options.db;
    this.catalog = options.catalog;
    this.now = options.now ?? Date.now;
    const db = this.db;
    this.chains = new ChainNames(db);
    this.reader = new EventReader(db, this.catalog, this.chains);
    this.stmt = {
      version: db
        .prepare('SELECT first_version + count - 1 FROM stream_segments WHERE stream_id = ? ORDER BY first_version DESC LIMIT 1')
        .pluck(),
      exists: db.prepare('SELECT position FROM events WHERE event_id = ?').pluck(),
      existing: db.prepare('SELECT j.value, e.position FROM json_each(?) j JOIN events e ON e.event_id = j.value').raw(),
      head: db.prepare('SELECT seq, hash FROM chains WHERE chain = ?').raw(),
      setHead: db.prepare('UPDATE chains SET seq = ?, hash = ? WHERE chain = ?'),
      lastHlc: db.prepare('SELECT last_hlc FROM local_writer WHERE singleton = 1').pluck(),
      setHlc: db.prepare('UPDATE local_writer SET last_hlc = ? WHERE singleton = 1'),
      streamSegment: db.prepare(
        'INSERT INTO stream_segments (stream_id, first_version, first_position, count) VALUES (?, ?, ?, ?)',
      ),
      chainSegment: db.prepare('INSERT INTO chain_segments (chain, first_seq, first_position, count) VALUES (?, ?, ?, ?)'),
      stream: db
        .prepare(
          `SELECT ${QUALIFIED_COLUMNS} FROM stream_segments s JOIN events e
             ON e.position BETWEEN s.first_position AND s.first_position + s.count - 1
           WHERE s.stream_id = ? AND s.first_version + s.count > ? AND e.stream_version >= ?
           ORDER BY e.position LIMIT ?`,
        )
        .raw(),
      headPosition: db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
      all: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position >= ? ORDER BY position LIMIT ?`).raw(),
    };
    this.writerChain = this.claimWriter(options.device);
    this.appendTx = db.transaction((streamId: string, events: readonly NewEvent[], opts: AppendOptions, ids: IdCheck) =>
      this.appendInTransaction(streamId, events, opts, ids),
    ).immediate;
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    return new SqliteEventStore(options, await HashChain.create());
  }

  /** The chain this device writes; a new device id, or a database that lost this device's chain, starts a new epoch. */
  private claimWriter(device: string): number {
    const find = this.db.prepare('SELECT c.chain FROM local_writer w JOIN chains c USING (chain) WHERE c.device = ?').pluck();
    const current = find.get(device) as number | undefined;
    if (current !== undefined) return current;
    // Immediate, and look again under the lock: two processes opening one database must not both add a chain.
    return this.db.transaction(() => {
      const claimed = find.get(device) as number | undefined;
      if (claimed !== undefined) return claimed;
      const maxEpoch = this.db
        .prepare('SELECT COALESCE(MAX(epoch), 0) FROM chains WHERE device = ?')
        .pluck()
        .get(device) as number;
      const chain = Number(
        this.db
          .prepare('INSERT INTO chains (device, epoch, seq, hash) VALUES (?, ?, 0, ?)')
          .run(device, maxEpoch + 1, ZERO_HASH).lastInsertRowid,
      );
      // The clock value stays: the HLC of this database must not go back whoever writes it.
      this.db
        .prepare(
          `INSERT INTO local_writer (singleton, chain) VALUES (1, ?)
           ON CONFLICT (singleton) DO UPDATE SET chain = excluded.chain`,
        )
        .run(chain);
      return chain;
    }).immediate();
  }

  get localOrigin(): Chain {
    return this.chains.of(this.writerChain);
  }

  /** Registers the inline projection handler: it runs in every append transaction. */
  setInlineHandler(handler: InlineHandler | null): void {
    this.inline = handler;
  }

  async append(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    return this.appendSync(streamId, events, options);
  }

  /** `append` without the promise: SQLite commits synchronously. */
  appendSync(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): AppendResult {
    let outcome;
    try {
      outcome = this.appendTx(streamId, events, options, 'optimistic');
    } catch (err) {
      if (!(err instanceof IdsAlreadyUsed)) throw err;
      outcome = this.appendTx(streamId, events, options, 'lookup'); // the first attempt was rolled back whole
    }
    const { result, recorded } = outcome;
    if (recorded.length > 0) this.notify(recorded);
    return result;
  }

  /**
   * The events are committed: a failing subscriber must neither make the append look failed (the caller would
   * retry) nor keep the others from hearing of it. Its error is reported as a process warning.
   */
  private notify(recorded: readonly RecordedEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(recorded);
      } catch (err) {
        process.emitWarning(`an event subscriber failed: ${(err as Error)?.message ?? String(err)}`, 'SubscriberWarning');
      }
    }
  }

  /**
   * Appends in the current transaction. `ids` says how duplicate event ids are found: `optimistic` lets the unique
   * index on event_id find them while inserting (the caller then retries with `lookup`); `lookup` looks every id up
   * first. A retry of a committed batch is recognised by its first id, so it goes straight to `lookup`.
   */
  private appendInTransaction(
    streamId: string,
    input: readonly NewEvent[],
    options: AppendOptions,
    ids: IdCheck,
  ): { result: AppendResult; recorded: RecordedEvent[] } {
    const current = (this.stmt.version.get(streamId) as number | null) ?? 0;
    const optimistic = ids === 'optimistic' && (input.length === 0 || this.stmt.exists.get(input[0].eventId) === undefined);
    const { events, lastFound } = optimistic ? { events: input, lastFound: 0 } : this.newEventsOf(input);
    if (input.length > 0 && events.length === 0) {
      // A retry of an append that already committed: every id exists, whatever the expected version.
      return { result: { nextExpectedVersion: current, lastPosition: lastFound, appended: 0 }, recorded: [] };
    }
    checkExpectedVersion(streamId, options.expectedVersion ?? 'any', current);
    if (events.length === 0) {
      return { result: { nextExpectedVersion: current, lastPosition: 0, appended: 0 }, recorded: [] };
    }

    const chain = this.writerChain;
    const origin = this.chains.of(chain);
    const [headSeq, headHash] = this.stmt.head.get(chain) as [number, Buffer];
    let seq = headSeq;
    let prevHash: Uint8Array = headHash;
    let prevHex = headHash.toString('hex');
    // Read the clock inside the transaction: another connection to this database may have ticked it.
    const lastHlc = this.stmt.lastHlc.get() as string | null;
    let hlc: Hlc | null = lastHlc ? parseHlc(lastHlc) : null;
    const metaBytes = encode(options.meta ?? {});
    // Subscribers and inline projections get the events as a read returns them: decoded from the stored bytes
    // (msgpack turns undefined into null, Maps into objects, …) and upcast, so incremental folding equals a rebuild.
    const meta = decode(metaBytes) as EventMeta;
    const payloads = encodeEach(events.map((e) => e.data));
    const now = this.now();
    let version = current;
    let hlcText = '';
    let hlcWall = -1;
    let hlcPrefix = '';
    const recorded: RecordedEvent[] = new Array(events.length);
    const params: unknown[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      hlc = tickHlc(hlc, now);
      if (hlc.wall !== hlcWall) {
        // formatHlc, with the date part computed once per millisecond rather than once per event
        hlcWall = hlc.wall;
        hlcPrefix = formatHlc({ wall: hlcWall, counter: 0 }).slice(0, -6);
      }
      hlcText = hlcPrefix + hlc.counter.toString(16).padStart(6, '0');
      const storedVersion = e.schemaVersion ?? this.catalog.schemaVersionOf(e.type);
      const data = payloads.bytes[i];
      seq++;
      version++;
      const hash = this.hashChain.hash(prevHash, {
        eventId: e.eventId,
        streamId,
        type: e.type,
        schemaVersion: storedVersion,
        device: origin.device,
        epoch: origin.epoch,
        seq,
        hlc: hlcText,
        meta: metaBytes,
        data,
      });
      // The stream, type and meta are stored where they change (and on the first event of each append, so an append
      // reads without the rows before it); a NULL repeats the value of the row before.
      const startsAppend = i === 0;
      params.push(
        e.eventId,
        startsAppend ? streamId : null,
        version,
        startsAppend || e.type !== events[i - 1].type ? e.type : null,
        storedVersion,
        chain,
        seq,
        hlcText,
        startsAppend ? metaBytes : null,
        data,
        prevHash,
        hash,
      );
      const hashHex = Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex');
      const read = this.catalog.upcast(e.type, storedVersion, payloads.decoded[i]);
      recorded[i] = {
        position: 0, // known once inserted
        eventId: e.eventId,
        type: e.type,
        schemaVersion: read.schemaVersion,
        streamId,
        streamVersion: version,
        origin: { device: origin.device, epoch: origin.epoch, seq },
        hlc: hlcText,
        meta,
        data: read.data,
        prevHash: prevHex,
        hash: hashHex,
      };
      prevHash = hash;
      prevHex = hashHex;
      const rows = params.length / INSERT_COLUMNS;
      if (rows === INSERT_CHUNK || i === events.length - 1) {
        const info = this.insertRows(rows, params, optimistic);
        // one statement inserts its rows at consecutive positions, the last one reported
        const first = Number(info.lastInsertRowid) - rows + 1;
        for (let j = 0; j < rows; j++) recorded[i - rows + 1 + j].position = first + j;
        params.length = 0;
      }
    }
    this.writeSegments(chain, recorded);
    this.stmt.setHead.run(seq, prevHash, chain);
    this.stmt.setHlc.run(hlcText);
    this.inline?.(recorded);
    return {
      result: { nextExpectedVersion: version, lastPosition: recorded[recorded.length - 1].position, appended: recorded.length },
      recorded,
    };
  }

  /**
   * The events of a batch whose ids are not in the log yet, each id once: an id that exists makes its event a
   * no-op. `lastFound` is the highest position of the ids that exist.
   */
  private newEventsOf(input: readonly NewEvent[]): { events: readonly NewEvent[]; lastFound: number } {
    if (input.length === 0) return { events: input, lastFound: 0 };
    const found = this.stmt.existing.all(JSON.stringify(input.map((e) => e.eventId))) as [string, number][];
    let lastFound = 0;
    for (const [, position] of found) if (position > lastFound) lastFound = position;
    if (found.length === 0 && input.length === 1) return { events: input, lastFound };
    const skip = new Set(found.map(([id]) => id));
    const events: NewEvent[] = [];
    for (const e of input) {
      if (skip.has(e.eventId)) continue;
      skip.add(e.eventId); // the same id twice in one batch: the first one counts
      events.push(e);
    }
    return { events, lastFound };
  }

  private insertRows(rows: number, params: unknown[], optimistic: boolean): RunResult {
    try {
      return this.insertStatement(rows).run(params);
    } catch (err) {
      // the only unique index of the table is on event_id
      if (optimistic && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new IdsAlreadyUsed();
      throw err;
    }
  }

  private insertStatement(rows: number): Statement {
    let statement = this.inserts.get(rows);
    if (!statement) {
      const values = `(${new Array(INSERT_COLUMNS).fill('?').join(', ')})`;
      // No ON CONFLICT: a duplicate id must roll the append back rather than shift every position after it.
      statement = this.db.prepare(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, chain, seq, hlc, meta, data,
           prev_hash, hash) VALUES ${new Array(rows).fill(values).join(', ')}`,
      );
      this.inserts.set(rows, statement);
    }
    return statement;
  }

  /** One stream segment and one chain segment per append: its events take consecutive positions. */
  private writeSegments(chain: number, recorded: readonly RecordedEvent[]): void {
    const first = recorded[0];
    const count = recorded.length;
    if (recorded[count - 1].position !== first.position + count - 1) {
      // AUTOINCREMENT under the write lock hands out consecutive rowids: anything else would corrupt the segments
      throw new DomainError('CORRUPT_LOG', 'failure', `an append of ${count} events got non-consecutive positions`);
    }
    this.stmt.streamSegment.run(first.streamId, first.streamVersion, first.position, count);
    this.stmt.chainSegment.run(chain, first.origin.seq, first.position, count);
  }

  async readStream(streamId: string, options: { fromVersion?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const from = options.fromVersion ?? 1;
    return this.reader.recorded(this.stmt.stream.all(streamId, from, from, options.maxCount ?? -1) as EventRow[]);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 1;
    const limit = options.limit ?? -1;
    if (options.streamId === undefined && options.streamPrefix === undefined) {
      return this.reader.recorded(this.stmt.all.all(from, limit) as EventRow[]);
    }
    // Through the segments: the log keeps no per-event stream index.
    const exact = options.streamId !== undefined;
    const key = options.streamId ?? options.streamPrefix!;
    const rows = this.db
      .prepare(
        `SELECT ${QUALIFIED_COLUMNS} FROM stream_segments s JOIN events e
           ON e.position BETWEEN s.first_position AND s.first_position + s.count - 1
         WHERE ${exact ? 's.stream_id = ?' : "s.stream_id >= ? AND s.stream_id < ? || x'ff'"}
           AND s.first_position + s.count > ? AND e.position >= ?
         ORDER BY e.position LIMIT ?`,
      )
      .raw()
      .all(...(exact ? [key] : [key, key]), from, from, limit) as EventRow[];
    return this.reader.recorded(rows);
  }

  /**
   * The log from a position in batches, for projections: no hash chain, never the whole log in memory. Batches of a
   * few thousand replay about a fifth faster than of ten thousand: fewer events are alive at each young-generation
   * garbage collection, which copies every one of them.
   */
  *batches(fromPosition = 1, batchSize = 2_000): Generator<StoredEvent[]> {
    let from = fromPosition;
    let previous: StoredEvent | undefined;
    for (;;) {
      const batch = this.reader.batch(from, batchSize, previous);
      if (batch.length === 0) return;
      yield batch;
      previous = batch[batch.length - 1];
      from = previous.position + 1;
    }
  }

  async streamVersion(streamId: string): Promise<number> {
    return (this.stmt.version.get(streamId) as number | null) ?? 0;
  }

  async headPosition(): Promise<number> {
    return this.headPositionSync();
  }

  headPositionSync(): number {
    return this.stmt.headPosition.get() as number;
  }

  subscribe(listener: (events: readonly RecordedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks every (device, epoch) chain: contiguous seqs from 1, each prevHash the hash before, each hash recomputed. */
  async verifyChains(): Promise<ChainReport> {
    // One read transaction: an append committed between the scan and the heads must not look like a break.
    return this.db.transaction(() => verifyChains(this.db, this.chains, this.hashChain))();
  }
}

type IdCheck = 'optimistic' | 'lookup';

/** An optimistic append met an event id that is already in the log (or twice in the batch). */
class IdsAlreadyUsed extends Error {}

function checkExpectedVersion(streamId: string, expected: ExpectedVersion, current: number): void {
  if (typeof expected === 'number' && (!Number.isInteger(expected) || expected < 0)) {
    throw new DomainError('INVALID_EXPECTED_VERSION', 'failure', `expected version must be a count >= 0, got ${expected}`);
  }
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === 0) ||
    (expected === 'stream_exists' && current > 0) ||
    expected === current;
  if (!ok) throw new WrongExpectedVersion(streamId, expected, current);
}
