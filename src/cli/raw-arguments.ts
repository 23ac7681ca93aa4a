import { readFileSync } from 'node:fs';
import { escapeInvalidUtf8, isValidUtf8 } from '../infra/filesystem/entry-names.js';

/**
 * The arguments among `args` (process.argv after the script) that Node received as bytes which are not valid UTF-8,
 * each shown with `\xHH` for those bytes. Node decodes such an argument lossily (U+FFFD in place of each bad byte),
 * so the string names another path, maybe one that exists: a command must not act on it. Linux only (from
 * /proc/self/cmdline, whose last entries are the same arguments); elsewhere none is found.
 */
export function lossyArguments(args: readonly string[]): string[] {
  if (!args.some((a) => a.includes('\uFFFD'))) return [];
  let raw: Buffer;
  try {
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return [];
  }
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0) {
      parts.push(raw.subarray(start, i));
      start = i + 1;
    }
  }
  if (parts.length < args.length) return [];
  return parts.slice(parts.length - args.length).filter((p) => !isValidUtf8(p)).map((p) => escapeInvalidUtf8(p));
}
