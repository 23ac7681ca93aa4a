/**
 * The event envelope shared by every event store adapter (DESIGN §2).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export interface Origin {
  device: string;
  epoch: number;
  seq: number;
}

/** Audit trail of the action that produced an event. */
export interface EventMeta {
  actionId?: string;
  correlationId?: string;
  causationId?: string;
  commandKind?: string;
}

/** A domain event as `decide` produces it. */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
}

/** An event ready to append: the caller supplies its id (UUIDv7), which is the idempotency key. */
export interface NewEvent<T extends string = string, D = unknown> extends DomainEvent<T, D> {
  eventId: string;
  schemaVersion?: number;
}

/** An event as projections see it: the envelope without the hash chain, which only audit and sync need. */
export interface StoredEvent<T extends string = string, D = unknown> {
  position: number;
  eventId: string;
  type: T;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  origin: Origin;
  hlc: string;
  meta: EventMeta;
  data: D;
}

/** The full envelope (DESIGN §2). */
export interface RecordedEvent<T extends string = string, D = unknown> extends StoredEvent<T, D> {
  prevHash: string;
  hash: string;
}

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  meta?: EventMeta;
}

export interface AppendResult {
  /** The stream's version after the append (the expected version for the next one). */
  nextExpectedVersion: number;
  /** Position of the last event of the stream that this append wrote or found. */
  lastPosition: number;
  /** How many events were written; duplicates of existing event ids are not counted. */
  appended: number;
}

export interface ReadAllOptions {
  /** First position to read (inclusive). */
  fromPosition?: number;
  limit?: number;
  streamId?: string;
  /** Only streams whose id starts with this prefix. */
  streamPrefix?: string;
}

export interface ChainBreak {
  device: string;
  epoch: number;
  seq: number;
  position: number;
  reason: string;
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  chains: number;
  breaks: ChainBreak[];
}

/** The event store port: implemented by the SQLite log (default) and, for scale-out, EventStoreDB. */
export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: { fromVersion?: number; maxCount?: number }): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  streamVersion(streamId: string): Promise<number>;
  headPosition(): Promise<number>;
  subscribe(listener: (events: readonly RecordedEvent[]) => void): () => void;
  verifyChains(): Promise<ChainReport>;
}
