import { DomainError } from './errors.js';

/**
 * Hybrid logical clock. Wall time in ms plus a counter that breaks ties within a millisecond, so every value a
 * device issues is strictly greater than the previous one even when the wall clock goes back.
 */
export interface Hlc {
  readonly wall: number;
  readonly counter: number;
}

/** Remote clocks further ahead than this are refused: one bad clock must not drag every device into the future. */
export const MAX_DRIFT_MS = 5 * 60 * 1000;
const MAX_COUNTER = 0xffffff;

export function tickHlc(last: Hlc | null, nowMs: number): Hlc {
  if (!last || nowMs > last.wall) return { wall: nowMs, counter: 0 };
  if (last.counter >= MAX_COUNTER) return { wall: last.wall + 1, counter: 0 };
  return { wall: last.wall, counter: last.counter + 1 };
}

/** Merge a clock received from another device, then tick. */
export function receiveHlc(last: Hlc | null, remote: Hlc, nowMs: number): Hlc {
  if (remote.wall - nowMs > MAX_DRIFT_MS) {
    throw new DomainError(
      'CLOCK_DRIFT',
      'failure',
      `a remote clock is ${Math.round((remote.wall - nowMs) / 1000)} s ahead of this device (limit ${MAX_DRIFT_MS / 1000} s): fix the clock of the other device`,
      { remote: formatHlc(remote), now: nowMs },
    );
  }
  const base = !last || compareHlc(remote, last) > 0 ? remote : last;
  return tickHlc(base, nowMs);
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a.wall - b.wall || a.counter - b.counter;
}

/** Fixed width (31 chars) and lexicographically sortable: `2026-11-21T06:48:00.123Z-00002a`. */
export function formatHlc(h: Hlc): string {
  return `${new Date(h.wall).toISOString()}-${h.counter.toString(16).padStart(6, '0')}`;
}

const HEX_COUNTER = /^[0-9a-f]{6}$/;

export function parseHlc(s: string): Hlc {
  const date = s.slice(0, 24);
  const wall = Date.parse(date);
  // Exactly what formatHlc writes: Date.parse alone accepts other date forms, parseInt a counter with junk after it.
  const canonical =
    s.length === 31 && s[24] === '-' && HEX_COUNTER.test(s.slice(25)) && !Number.isNaN(wall) &&
    new Date(wall).toISOString() === date;
  if (!canonical) {
    throw new DomainError('INVALID_HLC', 'failure', `not a hybrid logical clock value: ${JSON.stringify(s)}`);
  }
  return { wall, counter: parseInt(s.slice(25), 16) };
}
