import type { StoredEvent } from '../domain/envelope.js';

/**
 * The stamp of a last-writer-wins register (DESIGN §3): the event's HLC, then its device. HLCs are fixed width, so
 * comparing the strings orders stamps; a device never issues one HLC twice, so no two events share a stamp.
 */
export const stampOf = (e: StoredEvent): string => `${e.hlc} ${e.origin.device}`;
