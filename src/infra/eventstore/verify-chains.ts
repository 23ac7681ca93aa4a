import type { ChainBreak, ChainReport } from '../../domain/envelope.js';
import type { SqliteDatabase } from '../database/open.js';
import type { ChainNames } from './chain-names.js';
import { EVENT_COLUMNS, type EventRow } from './event-reader.js';
import { ZERO_HASH, type HashChain } from './hash-chain.js';

/**
 * Checks every (device, epoch) chain: contiguous seqs from 1, each prevHash the hash before, each hash recomputed,
 * each chain head the last event of its chain. Call inside a read transaction: an append committed between the scan
 * and the heads must not look like a break.
 */
export function verifyChains(db: SqliteDatabase, chains: ChainNames, hashChain: HashChain): ChainReport {
  const breaks: ChainBreak[] = [];
  // Within a chain positions follow seqs (a chain is appended, or ingested, in order), so one pass suffices.
  const tips = new Map<number, { seq: number; hash: Uint8Array }>();
  let checked = 0;
  // what a row stored as null repeats from the rows before it
  let streamId: string | undefined;
  let type: string | undefined;
  let meta: Uint8Array | undefined;
  const scan = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY position`).raw();
  for (const r of scan.iterate() as IterableIterator<EventRow>) {
    const [position, eventId, streamOfRow, , typeOfRow, schemaVersion, chain, seq, hlc, metaOfRow, data, prevHash, hash] = r;
    streamId = streamOfRow ?? streamId;
    type = typeOfRow ?? type;
    meta = metaOfRow ?? meta;
    const { device, epoch } = chains.of(chain);
    const tip = tips.get(chain) ?? { seq: 0, hash: ZERO_HASH };
    const at = { device, epoch, seq, position };
    checked++;
    if (seq !== tip.seq + 1) breaks.push({ ...at, reason: `sequence gap: expected seq ${tip.seq + 1}` });
    if (!Buffer.from(tip.hash).equals(prevHash)) {
      breaks.push({ ...at, reason: 'prevHash does not match the previous event of its chain' });
    }
    if (streamId === undefined || type === undefined || meta === undefined) {
      breaks.push({ ...at, reason: 'the event has no stream, type or meta' });
    } else {
      const recomputed = hashChain.hash(prevHash, { eventId, streamId, type, schemaVersion, device, epoch, seq, hlc, meta, data });
      if (!Buffer.from(recomputed).equals(hash)) {
        breaks.push({ ...at, reason: 'content does not match its hash (the event was edited)' });
      }
    }
    tips.set(chain, { seq, hash });
  }
  const heads = db.prepare('SELECT chain, device, epoch, seq, hash FROM chains').raw();
  for (const [chain, device, epoch, seq, hash] of heads.all() as [number, string, number, number, Buffer][]) {
    const tip = tips.get(chain) ?? { seq: 0, hash: ZERO_HASH };
    if (tip.seq !== seq || !hash.equals(tip.hash)) {
      breaks.push({ device, epoch, seq, position: 0, reason: 'the chain head does not match the last event of its chain' });
    }
  }
  return { ok: breaks.length === 0, checked, chains: tips.size, breaks };
}
