import { readFileSync } from 'node:fs';
import { escapeInvalidUtf8, isValidUtf8 } from '../infra/filesystem/entry-names.js';

/**
 * The arguments among `args` (process.argv after the script) that Node received as bytes which are not valid UTF-8,
 * each shown with `\xHH` for those bytes. Node decodes such an argument lossily (U+FFFD in place of each bad byte),
 * so the string names another path, maybe one that exists: a command must not act on it. The bytes come from
 * /proc/self/cmdline (Linux), whose last entries are the same arguments. Null when an argument holds U+FFFD and the
 * bytes cannot be checked: no /proc, or a cmdline that is not the arguments (a process title set with --title).
 */
export function lossyArguments(args: readonly string[]): string[] | null {
  if (!args.some((a) => a.includes('\uFFFD'))) return [];
  let raw: Buffer;
  try {
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return null;
  }
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0) {
      parts.push(raw.subarray(start, i));
      start = i + 1;
    }
  }
  if (parts.length < args.length) return null;
  const mine = parts.slice(parts.length - args.length);
  // each must decode to the argument Node made of it: else these bytes are not the arguments
  if (mine.some((p, i) => p.toString('utf8') !== args[i])) return null;
  return mine.filter((p) => !isValidUtf8(p)).map((p) => escapeInvalidUtf8(p));
}
