/** Unsigned and signed integer fields of binary headers. Callers check bounds first: past the end reads garbage. */

export const u16le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);
export const u16be = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
export const u24le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
export const u32le = (b: Uint8Array, at: number): number => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
export const u32be = (b: Uint8Array, at: number): number => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
export const i32le = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
