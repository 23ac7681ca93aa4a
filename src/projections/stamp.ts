import type { StoredEvent } from '../domain/envelope.js';

/**
 * The stamp of a last-writer-wins register (DESIGN §3): the event's HLC, then its device. HLCs are fixed width, so
 * comparing the strings orders stamps; a device never issues one HLC twice, so no two events share a stamp.
 */
export const stampOf = (e: StoredEvent): string => `${e.hlc} ${e.origin.device}`;

/**
 * SQL writing a last-writer-wins register of the row whose `key` is `:key`: the stamp column, and the value column
 * when there is one (`:value`), change only for a newer `:stamp`, so events folded in any order leave the same row.
 */
export function registerUpdate(table: string, key: string, stampColumn: string, valueColumn?: string): string {
  const set = valueColumn === undefined ? `${stampColumn} = :stamp` : `${valueColumn} = :value, ${stampColumn} = :stamp`;
  return `UPDATE ${table} SET ${set} WHERE ${key} = :key AND (${stampColumn} IS NULL OR ${stampColumn} < :stamp)`;
}
