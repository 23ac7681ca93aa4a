import type { Statement } from 'better-sqlite3';
import type { EventMeta, RecordedEvent, StoredEvent } from '../../domain/envelope.js';
import { DomainError } from '../../domain/errors.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import type { SqliteDatabase } from '../database/open.js';
import type { ChainNames } from './chain-names.js';
import { decode, decodeEach } from './codec.js';

/** Every column of the events table, in the order of `EventRow`. */
export const EVENT_COLUMNS =
  'position, event_id, stream_id, stream_version, type, schema_version, chain, seq, hlc, meta, data, prev_hash, hash';

/** A row of the events table. Stream, type and meta are null where they equal those of the row before. */
export type EventRow = [
  position: number,
  eventId: string,
  streamId: string | null,
  streamVersion: number,
  type: string | null,
  schemaVersion: number,
  chain: number,
  seq: number,
  hlc: string,
  meta: Buffer | null,
  data: Buffer,
  prevHash: Buffer,
  hash: Buffer,
];

/**
 * A replay batch, column by column: one array per column, parsed from JSON, and the payloads and metas each as one
 * buffer (a meta length is null where the row repeats the meta before it).
 */
type ReplayColumns = [
  positions: number[],
  eventIds: string[],
  streamIds: (string | null)[],
  streamVersions: number[],
  types: (string | null)[],
  schemaVersions: number[],
  chains: number[],
  seqs: number[],
  hlcs: string[],
  dataLengths: number[],
  metaLengths: (number | null)[],
];

/** The stream, type and meta that a row stored as null inherits: those of the rows before it. */
interface Inherited {
  streamId: string | undefined;
  type: string | undefined;
  meta: EventMeta | undefined;
}

/**
 * Turns rows of the log into events: carries the stream, type and meta that are stored once per run down to the
 * rows that repeat them, decodes and upcasts payloads. Replay batches come through here.
 */
export class EventReader {
  private readonly replay: Statement;
  private readonly valuesBefore: Statement;

  constructor(
    db: SqliteDatabase,
    private readonly catalog: EventCatalog,
    private readonly chains: ChainNames,
  ) {
    if (db.pragma('encoding', { simple: true }) !== 'UTF-8') {
      // replay reads payloads through SQLite text functions, which transcode the bytes of a UTF-16 database
      throw new DomainError('UNSUPPORTED_DATABASE', 'failure', 'the event log must be in a UTF-8 SQLite database');
    }
    // A batch comes as one row of columns: handing JavaScript a row array and a value per field costs more per event
    // than everything else a replay does, while SQLite builds a JSON array of a column at a fraction of that. Every
    // aggregate of one query sees the rows in the same order, so the columns line up; the payloads and metas come as
    // one buffer each (group_concat of blobs in a UTF-8 database keeps their bytes; the lengths check every boundary).
    this.replay = db
      .prepare(
        `SELECT json_array(json_group_array(position), json_group_array(event_id), json_group_array(stream_id),
           json_group_array(stream_version), json_group_array(type), json_group_array(schema_version),
           json_group_array(chain), json_group_array(seq), json_group_array(hlc), json_group_array(length(data)),
           json_group_array(length(meta))),
           CAST(group_concat(data, '') AS BLOB), CAST(group_concat(meta, '') AS BLOB)
         FROM (SELECT * FROM events WHERE position >= ? ORDER BY position LIMIT ?)`,
      )
      .raw();
    const last = (column: string) =>
      `(SELECT ${column} FROM events WHERE position < @at AND ${column} IS NOT NULL ORDER BY position DESC LIMIT 1)`;
    this.valuesBefore = db.prepare(`SELECT ${last('stream_id')}, ${last('type')}, ${last('meta')}`).raw();
  }

  /**
   * At most `size` events from position `from`, without the hash chain. `previous` is the event of the row just
   * before `from` when the caller has it (the end of the batch before), which saves looking back for it.
   */
  batch(from: number, size: number, previous?: StoredEvent): StoredEvent[] {
    // one statement: the columns and the payloads come from one snapshot
    const [json, data, metas] = this.replay.get(from, size) as [string, Buffer | null, Buffer | null];
    const columns = JSON.parse(json) as ReplayColumns;
    const [positions, eventIds, streamIds, streamVersions, types, schemaVersions, chains, seqs, hlcs, dataLengths, metaLengths] =
      columns;
    const count = positions.length;
    if (count === 0) return [];
    for (let j = 1; j < count; j++) {
      // SQLite documents no order for the input of an aggregate; it is the subquery's, and this makes sure of it
      if (positions[j] <= positions[j - 1]) throw new Error('SQLite aggregated a replay batch out of position order');
    }
    const payloads = valuesOf('payload', data, dataLengths, positions);
    const metaValues = valuesOf('meta', metas, metaLengths, positions);
    const start =
      streamIds[0] === null || types[0] === null || metaLengths[0] === null ? (previous ?? this.inheritedAt(positions[0])) : undefined;
    let streamId = start?.streamId;
    let type = start?.type;
    let meta = start?.meta;
    // the schema version this code reads `type` at: older payloads are upcast
    let currentVersion = type === undefined ? 0 : this.catalog.schemaVersionOf(type);
    let chainId = -1;
    let device = '';
    let epoch = 0;
    const batch: StoredEvent[] = new Array(count);
    for (let j = 0; j < count; j++) {
      if (streamIds[j] !== null) streamId = streamIds[j]!;
      if (types[j] !== null) {
        type = types[j]!;
        currentVersion = this.catalog.schemaVersionOf(type);
      }
      if (metaLengths[j] !== null) meta = metaValues[j] as EventMeta;
      if (j === 0) assertInherited(positions[0], streamId, type, meta);
      if (chains[j] !== chainId) {
        chainId = chains[j];
        ({ device, epoch } = this.chains.of(chainId));
      }
      let schemaVersion = schemaVersions[j];
      let payload = payloads[j];
      if (schemaVersion < currentVersion) ({ schemaVersion, data: payload } = this.catalog.upcast(type!, schemaVersion, payload));
      batch[j] = {
        position: positions[j],
        eventId: eventIds[j],
        type: type!,
        schemaVersion,
        streamId: streamId!,
        streamVersion: streamVersions[j],
        origin: { device, epoch, seq: seqs[j] },
        hlc: hlcs[j],
        meta: meta!,
        data: payload,
      };
    }
    return batch;
  }

  /** Full envelopes of rows read in position order (a stream, a filtered or an unfiltered part of the log). */
  recorded(rows: readonly EventRow[]): RecordedEvent[] {
    const events: RecordedEvent[] = new Array(rows.length);
    let streamId: string | undefined;
    let type: string | undefined;
    let meta: EventMeta | undefined;
    let last = -1;
    for (let j = 0; j < rows.length; j++) {
      const [position, eventId, streamOfRow, streamVersion, typeOfRow, storedVersion, chain, seq, hlc, metaOfRow, data, prevHash, hash] =
        rows[j];
      if (position !== last + 1 && (streamOfRow === null || typeOfRow === null || metaOfRow === null)) {
        // not the row after the one before it here: what it repeats is further back in the log
        ({ streamId, type, meta } = this.inheritedAt(position));
      }
      if (streamOfRow !== null) streamId = streamOfRow;
      if (typeOfRow !== null) type = typeOfRow;
      if (metaOfRow !== null) meta = decode(metaOfRow) as EventMeta;
      assertInherited(position, streamId, type, meta);
      last = position;
      const { device, epoch } = this.chains.of(chain);
      const upcast = this.catalog.upcast(type!, storedVersion, decode(data));
      events[j] = {
        position,
        eventId,
        type: type!,
        schemaVersion: upcast.schemaVersion,
        streamId: streamId!,
        streamVersion,
        origin: { device, epoch, seq },
        hlc,
        meta: meta!,
        data: upcast.data,
        prevHash: prevHash.toString('hex'),
        hash: hash.toString('hex'),
      };
    }
    return events;
  }

  /** The stream, type and meta in effect just before a position: the last ones stored at or before it. */
  private inheritedAt(position: number): Inherited {
    const [streamId, type, meta] = this.valuesBefore.get({ at: position }) as [string | null, string | null, Buffer | null];
    return {
      streamId: streamId ?? undefined,
      type: type ?? undefined,
      meta: meta === null ? undefined : (decode(meta) as EventMeta),
    };
  }
}

/**
 * The msgpack values stored back to back in `bytes`, one per row whose length is not null, checking that each row
 * held exactly one value: a corrupt row must not shift values onto other events.
 */
function valuesOf(
  what: string,
  bytes: Buffer | null,
  lengths: readonly (number | null)[],
  positions: readonly number[],
): unknown[] {
  const values: unknown[] = new Array(lengths.length);
  let i = 0;
  let offset = 0;
  const nextRow = () => {
    while (i < lengths.length && lengths[i] === null) i++;
  };
  nextRow();
  if (bytes) {
    decodeEach(bytes, (value, start, end) => {
      if (i === lengths.length || start !== offset || end !== offset + lengths[i]!) return false;
      values[i++] = value;
      offset = end;
      nextRow();
      return true;
    });
  }
  if (i !== lengths.length || offset !== (bytes?.length ?? 0)) {
    const at = positions[Math.min(i, positions.length - 1)];
    throw new DomainError('CORRUPT_LOG', 'failure', `the ${what} of the event at position ${at} is not one msgpack value`);
  }
  return values;
}

function assertInherited(position: number, streamId?: string, type?: string, meta?: EventMeta): void {
  if (streamId === undefined || type === undefined || meta === undefined) {
    throw new DomainError('CORRUPT_LOG', 'failure', `the event at position ${position} has no stream, type or meta`);
  }
}
