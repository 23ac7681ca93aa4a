import { spawnSync } from 'node:child_process';
import { escapeInvalidUtf8 } from '../../src/infra/filesystem/entry-names.js';

/** Whether the Debian fdupes is installed (CI installs it: .ci/run). */
export function hasFdupes(): boolean {
  return spawnSync('fdupes', ['--version']).status === 0;
}

/**
 * Runs `fdupes -r` (quiet) and parses its groups: one path per line, groups separated by a blank line. Paths are
 * read as bytes and written as spacedrive shows them (invalid UTF-8 bytes as `\xHH`). A name holding a newline
 * cannot be told apart in this output: trees compared this way keep such names out of duplicate groups.
 */
export function fdupesGroups(roots: string[], extra: string[] = []): string[][] {
  const r = spawnSync('fdupes', ['-r', '-q', ...extra, ...roots], { maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`fdupes failed (${r.status}): ${r.stderr.toString()}`);
  const groups: string[][] = [];
  let current: string[] = [];
  for (const line of splitLines(r.stdout)) {
    if (line.length === 0) {
      if (current.length) groups.push(current);
      current = [];
    } else {
      current.push(escapeInvalidUtf8(line));
    }
  }
  if (current.length) groups.push(current);
  return groups;
}

function splitLines(out: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] !== 0x0a) continue;
    lines.push(out.subarray(start, i));
    start = i + 1;
  }
  if (start < out.length) lines.push(out.subarray(start));
  return lines;
}

/** Groups as a comparable set: each group's paths sorted, then the groups sorted. */
export function asSortedSets(groups: string[][]): string[][] {
  return groups.map((g) => [...g].sort()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
