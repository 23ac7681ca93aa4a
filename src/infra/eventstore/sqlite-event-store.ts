import type { Statement } from 'better-sqlite3';
import type {
  AppendOptions,
  AppendResult,
  ChainBreak,
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
import { decode, encode } from './codec.js';
import { HashChain, ZERO_HASH } from './hash-chain.js';

/** Runs inside the append transaction, after the events are written: inline projections and their checkpoints. */
export type InlineHandler = (events: readonly RecordedEvent[]) => void;

export interface SqliteEventStoreOptions {
  db: SqliteDatabase;
  /** This device: the origin of every event appended here. */
  device: string;
  catalog: EventCatalog;
  now?: () => number;
}

const BASE = 'position, event_id, stream_id, stream_version, type, schema_version, chain, seq, hlc, meta, data';
const FULL = `${BASE}, prev_hash, hash`;
const qualified = (cols: string) => cols.split(', ').map((c) => `e.${c}`).join(', ');

type BaseRow = [number, string, string, number, string, number, number, number, string, Buffer, Buffer];
type FullRow = [...BaseRow, Buffer, Buffer];

interface Chain {
  device: string;
  epoch: number;
}

/** The default event store: one SQLite file per library, everything of one append in one transaction. */
export class SqliteEventStore implements EventStore {
  private readonly db: SqliteDatabase;
  private readonly catalog: EventCatalog;
  private readonly now: () => number;
  private readonly listeners = new Set<(events: readonly RecordedEvent[]) => void>();
  private inline: InlineHandler | null = null;
  /** Chain number → (device, epoch); chains are never renumbered, so this only grows. */
  private readonly chains = new Map<number, Chain>();
  private readonly writerChain: number;
  private readonly stmt: Record<
    | 'version' | 'exists' | 'insert' | 'head' | 'setHead' | 'lastHlc' | 'setHlc' | 'streamSegment' | 'chainSegment'
    | 'stream' | 'headPosition' | 'batch' | 'all' | 'chainsAll',
    Statement
  >;
  private readonly appendTx: (
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ) => { result: AppendResult; recorded: RecordedEvent[] };

  private constructor(
    options: SqliteEventStoreOptions,
    private readonly chain: HashChain,
  ) {
    this.db = options.db;
    this.catalog = options.catalog;
    this.now = options.now ?? Date.now;
    const db = this.db;
    this.stmt = {
      version: db
        .prepare('SELECT first_version + count - 1 FROM stream_segments WHERE stream_id = ? ORDER BY first_version DESC LIMIT 1')
        .pluck(),
      exists: db.prepare('SELECT position FROM events WHERE event_id = ?').pluck(),
      insert: db.prepare(
        `INSERT INTO events (event_id, stream_id, stream_version, type, schema_version, chain, seq, hlc, meta, data,
           prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO NOTHING`,
      ),
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
          `SELECT ${qualified(FULL)} FROM stream_segments s JOIN events e
             ON e.position BETWEEN s.first_position AND s.first_position + s.count - 1
           WHERE s.stream_id = ? AND s.first_version + s.count > ? AND e.stream_version >= ?
           ORDER BY e.position LIMIT ?`,
        )
        .raw(),
      headPosition: db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
      batch: db.prepare(`SELECT ${BASE} FROM events WHERE position >= ? ORDER BY position LIMIT ?`).raw(),
      all: db.prepare(`SELECT ${FULL} FROM events WHERE position >= ? ORDER BY position LIMIT ?`).raw(),
      chainsAll: db.prepare('SELECT chain, device, epoch, seq, hash FROM chains').raw(),
    };
    this.writerChain = this.claimWriter(options.device);
    this.appendTx = db.transaction((streamId: string, events: readonly NewEvent[], opts: AppendOptions) =>
      this.appendInTransaction(streamId, events, opts),
    ).immediate;
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    return new SqliteEventStore(options, await HashChain.create());
  }

  /** The chain this device writes; a new device id, or a database that lost this device's chain, starts a new epoch. */
  private claimWriter(device: string): number {
    return this.db.transaction(() => {
      const current = this.db
        .prepare('SELECT c.chain FROM local_writer w JOIN chains c USING (chain) WHERE c.device = ?')
        .pluck()
        .get(device) as number | undefined;
      if (current !== undefined) return current;
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
    })();
  }

  private chainOf(chain: number): Chain {
    let c = this.chains.get(chain);
    if (!c) {
      for (const [id, device, epoch] of this.stmt.chainsAll.all() as [number, string, number][]) {
        this.chains.set(id, { device, epoch });
      }
      c = this.chains.get(chain);
      if (!c) throw new DomainError('CORRUPT_LOG', 'failure', `event log names chain ${chain}, which does not exist`);
    }
    return c;
  }

  get localOrigin(): Chain {
    return this.chainOf(this.writerChain);
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
    const { result, recorded } = this.appendTx(streamId, events, options);
    if (recorded.length > 0) for (const l of this.listeners) l(recorded);
    return result;
  }

  private appendInTransaction(
    streamId: string,
    input: readonly NewEvent[],
    options: AppendOptions,
  ): { result: AppendResult; recorded: RecordedEvent[] } {
    let events = input;
    const current = (this.stmt.version.get(streamId) as number | null) ?? 0;
    if (events.length > 0 && this.stmt.exists.get(events[0].eventId) !== undefined) {
      // A retry of an append that already committed: skip every event that exists, whatever the expected version.
      const found = events.map((e) => this.stmt.exists.get(e.eventId) as number | undefined);
      events = events.filter((_, i) => found[i] === undefined);
      if (events.length === 0) {
        const lastPosition = Math.max(...(found as number[]));
        return { result: { nextExpectedVersion: current, lastPosition, appended: 0 }, recorded: [] };
      }
    }
    checkExpectedVersion(streamId, options.expectedVersion ?? 'any', current);
    if (events.length === 0) {
      return { result: { nextExpectedVersion: current, lastPosition: 0, appended: 0 }, recorded: [] };
    }

    const chain = this.writerChain;
    const origin = this.chainOf(chain);
    const [headSeq, headHash] = this.stmt.head.get(chain) as [number, Buffer];
    let seq = headSeq;
    let prevHash: Uint8Array = headHash;
    let prevHex = headHash.toString('hex');
    // Read the clock inside the transaction: another connection to this database may have ticked it.
    const lastHlc = this.stmt.lastHlc.get() as string | null;
    let hlc: Hlc | null = lastHlc ? parseHlc(lastHlc) : null;
    const meta = options.meta ?? {};
    const metaBytes = encode(meta);
    const now = this.now();
    let version = current;
    let hlcText = '';
    let hlcWall = -1;
    let hlcPrefix = '';
    const recorded: RecordedEvent[] = [];
    for (const e of events) {
      hlc = tickHlc(hlc, now);
      if (hlc.wall !== hlcWall) {
        // formatHlc, with the date part computed once per millisecond rather than once per event
        hlcWall = hlc.wall;
        hlcPrefix = formatHlc({ wall: hlcWall, counter: 0 }).slice(0, -6);
      }
      hlcText = hlcPrefix + hlc.counter.toString(16).padStart(6, '0');
      const schemaVersion = e.schemaVersion ?? this.catalog.schemaVersionOf(e.type);
      const data = encode(e.data);
      const hash = this.chain.hash(prevHash, {
        eventId: e.eventId,
        streamId,
        type: e.type,
        schemaVersion,
        device: origin.device,
        epoch: origin.epoch,
        seq: seq + 1,
        hlc: hlcText,
        meta: metaBytes,
        data,
      });
      const info = this.stmt.insert.run(
        e.eventId, streamId, version + 1, e.type, schemaVersion, chain, seq + 1, hlcText, metaBytes, data, prevHash, hash,
      );
      if (info.changes === 0) continue; // the same event id twice in one batch
      seq++;
      version++;
      const hashHex = Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('hex');
      recorded.push({
        position: Number(info.lastInsertRowid),
        eventId: e.eventId,
        type: e.type,
        schemaVersion,
        streamId,
        streamVersion: version,
        origin: { device: origin.device, epoch: origin.epoch, seq },
        hlc: hlcText,
        meta,
        data: e.data,
        prevHash: prevHex,
        hash: hashHex,
      });
      prevHash = hash;
      prevHex = hashHex;
    }
    this.writeSegments(chain, recorded);
    this.stmt.setHead.run(seq, prevHash, chain);
    this.stmt.setHlc.run(hlcText || lastHlc);
    if (recorded.length > 0) this.inline?.(recorded);
    return {
      result: { nextExpectedVersion: version, lastPosition: recorded.at(-1)?.position ?? 0, appended: recorded.length },
      recorded,
    };
  }

  /** One segment row per run of consecutive positions (a duplicate skipped mid-batch splits the run). */
  private writeSegments(chain: number, recorded: readonly RecordedEvent[]): void {
    let start = 0;
    for (let i = 1; i <= recorded.length; i++) {
      if (i < recorded.length && recorded[i].position === recorded[i - 1].position + 1) continue;
      const first = recorded[start];
      this.stmt.streamSegment.run(first.streamId, first.streamVersion, first.position, i - start);
      this.stmt.chainSegment.run(chain, first.origin.seq, first.position, i - start);
      start = i;
    }
  }

  async readStream(streamId: string, options: { fromVersion?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const from = options.fromVersion ?? 1;
    const rows = this.stmt.stream.all(streamId, from, from, options.maxCount ?? -1) as FullRow[];
    return rows.map((r) => this.toRecorded(r));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 1;
    const limit = options.limit ?? -1;
    if (options.streamId === undefined && options.streamPrefix === undefined) {
      return (this.stmt.all.all(from, limit) as FullRow[]).map((r) => this.toRecorded(r));
    }
    // Through the segments: the log keeps no per-event stream index.
    const exact = options.streamId !== undefined;
    const key = options.streamId ?? options.streamPrefix!;
    const rows = this.db
      .prepare(
        `SELECT ${qualified(FULL)} FROM stream_segments s JOIN events e
           ON e.position BETWEEN s.first_position AND s.first_position + s.count - 1
         WHERE ${exact ? 's.stream_id = ?' : "s.stream_id >= ? AND s.stream_id < ? || x'ff'"}
           AND s.first_position + s.count > ? AND e.position >= ?
         ORDER BY e.position LIMIT ?`,
      )
      .raw()
      .all(...(exact ? [key] : [key, key]), from, from, limit) as FullRow[];
    return rows.map((r) => this.toRecorded(r));
  }

  /** The log from a position in batches, for projections: no hash chain, never the whole log in memory. */
  *batches(fromPosition = 1, batchSize = 10_000): Generator<StoredEvent[]> {
    let from = fromPosition;
    for (;;) {
      const rows = this.stmt.batch.all(from, batchSize) as BaseRow[];
      if (rows.length === 0) return;
      yield rows.map((r) => this.toStored(r));
      from = rows[rows.length - 1][0] + 1;
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
    const breaks: ChainBreak[] = [];
    // Within a chain positions follow seqs (a chain is appended, or ingested, in order), so one pass suffices.
    const tips = new Map<number, { seq: number; hash: Uint8Array }>();
    let checked = 0;
    const scan = this.db.prepare(`SELECT ${FULL} FROM events ORDER BY position`).raw();
    for (const r of scan.iterate() as IterableIterator<FullRow>) {
      const [position, eventId, streamId, , type, schemaVersion, chain, seq, hlc, meta, data, prevHash, hash] = r;
      const { device, epoch } = this.chainOf(chain);
      const tip = tips.get(chain) ?? { seq: 0, hash: ZERO_HASH };
      const at = { device, epoch, seq, position };
      checked++;
      if (seq !== tip.seq + 1) breaks.push({ ...at, reason: `sequence gap: expected seq ${tip.seq + 1}` });
      if (!Buffer.from(tip.hash).equals(prevHash)) {
        breaks.push({ ...at, reason: 'prevHash does not match the previous event of its chain' });
      }
      const recomputed = this.chain.hash(prevHash, { eventId, streamId, type, schemaVersion, device, epoch, seq, hlc, meta, data });
      if (!Buffer.from(recomputed).equals(hash)) {
        breaks.push({ ...at, reason: 'content does not match its hash (the event was edited)' });
      }
      tips.set(chain, { seq, hash });
    }
    for (const [chain, device, epoch, seq, hash] of this.stmt.chainsAll.all() as [number, string, number, number, Buffer][]) {
      const tip = tips.get(chain) ?? { seq: 0, hash: ZERO_HASH };
      if (tip.seq !== seq || !hash.equals(tip.hash)) {
        breaks.push({ device, epoch, seq, position: 0, reason: 'the chain head does not match the last event of its chain' });
      }
    }
    return { ok: breaks.length === 0, checked, chains: tips.size, breaks };
  }

  private toStored(r: BaseRow): StoredEvent {
    const [position, eventId, streamId, streamVersion, type, storedVersion, chain, seq, hlc, meta, data] = r;
    const { device, epoch } = this.chainOf(chain);
    const { schemaVersion, data: payload } = this.catalog.upcast(type, storedVersion, decode(data));
    return {
      position,
      eventId,
      type,
      schemaVersion,
      streamId,
      streamVersion,
      origin: { device, epoch, seq },
      hlc,
      meta: decode(meta) as EventMeta,
      data: payload,
    };
  }

  private toRecorded(r: FullRow): RecordedEvent {
    const event = this.toStored(r as unknown as BaseRow) as RecordedEvent;
    event.prevHash = r[11].toString('hex');
    event.hash = r[12].toString('hex');
    return event;
  }
}

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
