import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/** Writes a file so that readers see the old content or the new, never a half: temp file, fsync, rename. */
export function writeFileAtomic(file: string, content: string, mode = 0o644): void {
  const temp = `${file}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}
