/**
 * How much of a head the text sniff judges. Binary formats show NULs or invalid sequences well within the first KiB,
 * and the sniff runs per byte in JavaScript: judging 4 KiB made extensionless text files 4× slower to classify.
 */
export const TEXT_SNIFF_BYTES = 1024;

/**
 * Whether `bytes[0..end)` read as UTF-8 text: well-formed sequences (no overlongs, surrogates or values past
 * U+10FFFF), no NUL and no control characters other than whitespace, backspace and escape (ANSI colours in logs).
 * A sequence cut off at `end` is accepted: the bytes are usually only the head of the file.
 */
export function looksLikeText(bytes: Uint8Array, end: number = bytes.length): boolean {
  const stop = Math.min(end, bytes.length);
  let i = 0;
  while (i < stop) {
    const b = bytes[i];
    if (b < 0x80) {
      if (!ASCII_TEXT[b]) return false;
      i++;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return false;
    for (let k = 1; k < length; k++) {
      if (i + k >= stop) return true;
      const c = bytes[i + k];
      if (c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return false;
    }
    i += length;
  }
  return true;
}

/** 1 for the ASCII bytes text may hold: printable ones, and of the controls backspace, tab to carriage return, escape. */
const ASCII_TEXT = Uint8Array.from({ length: 0x80 }, (_, c) => (c >= 0x20 || c === 0x08 || (c >= 0x09 && c <= 0x0d) || c === 0x1b ? 1 : 0));

/** Longest `#!` line looked at; real ones are far shorter. */
const SHEBANG_LIMIT = 256;

/**
 * The program a `#!` line runs, lower case, without directory or version (`#!/usr/bin/env python3.12` → `python`),
 * or null when the bytes do not start with `#!`.
 */
export function shebangInterpreter(head: Uint8Array): string | null {
  if (head.length < 3 || head[0] !== 0x23 || head[1] !== 0x21) return null;
  let line = '';
  for (let i = 2; i < head.length && i < SHEBANG_LIMIT && head[i] !== 0x0a; i++) line += String.fromCharCode(head[i]);
  const words = line.trim().split(/\s+/);
  let program = programName(words[0]);
  if (program === 'env') program = programName(words.slice(1).find((w) => !w.startsWith('-') && !w.includes('=')) ?? '');
  return program.replace(/[\d.]+$/, '') || null;
}

const programName = (path: string): string => path.slice(path.lastIndexOf('/') + 1).toLowerCase();
