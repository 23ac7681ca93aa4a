import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '../../domain/errors.js';

export const LOCK_FILE = '.sdlibrary.lock';

interface LockInfo {
  deviceId: string;
  pid: number;
  acquiredAt: string;
}

/**
 * An exclusive lock file: created with O_EXCL, holding the device id, pid and time. A lock left by a dead
 * process of this device is recovered; one held by a live process refuses with who holds it.
 */
export class LibraryLock {
  private constructor(
    private readonly file: string,
    private readonly content: string,
  ) {}

  static acquire(libraryPath: string, deviceId: string): LibraryLock {
    const file = path.join(libraryPath, LOCK_FILE);
    const info: LockInfo = { deviceId, pid: process.pid, acquiredAt: new Date().toISOString() };
    const content = JSON.stringify(info, null, 2);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o644);
        try {
          writeSync(fd, content);
        } finally {
          closeSync(fd);
        }
        return new LibraryLock(file, content);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const held = readLock(file);
      if (held === undefined) continue; // removed between our attempt and the read
      if (held !== null && !isStale(held, deviceId)) {
        const who = held.pid === process.pid && held.deviceId === deviceId ? 'this process' : `process ${held.pid}`;
        throw new DomainError(
          'LIBRARY_LOCKED',
          'user',
          `the library at ${libraryPath} is in use by ${who} on device ${held.deviceId} since ${held.acquiredAt}: ` +
            `close it there first (if no spacedrive process is running, delete ${file})`,
          { holder: held },
        );
      }
      // Stale (its process is gone) or unreadable (a writer died between create and write): take it over,
      // unless someone replaced it meanwhile.
      if (sameContent(file, held)) rmSync(file, { force: true });
    }
    throw new DomainError('LIBRARY_LOCKED', 'user', `could not lock the library at ${libraryPath}: another process keeps taking it`);
  }

  release(): void {
    try {
      if (readFileSync(this.file, 'utf8') === this.content) rmSync(this.file, { force: true });
    } catch {
      // already gone: nothing to release
    }
  }
}

/** undefined: no lock file; null: a lock file we cannot parse. */
function readLock(file: string): LockInfo | null | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return typeof info.pid === 'number' && typeof info.deviceId === 'string' ? info : null;
  } catch {
    return null;
  }
}

function sameContent(file: string, held: LockInfo | null): boolean {
  const now = readLock(file);
  return now !== undefined && JSON.stringify(now) === JSON.stringify(held);
}

function isStale(held: LockInfo, deviceId: string): boolean {
  // Only this device can tell whether the pid lives: a lock from another device (a shared drive) is respected.
  if (held.deviceId !== deviceId) return false;
  try {
    process.kill(held.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
