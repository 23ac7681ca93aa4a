import { randomFillSync, randomUUID } from 'node:crypto';
import { open, stat, statfs, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { DetectedVolume, SpeedTestOptions, SpeedTestResult } from '../../commands/volumes/ports.js';
import { DomainError } from '../../domain/errors.js';

const CHUNK = 4 * 1024 * 1024;
/** Leave room for everything else on the volume: never fill it past 90% of what is free. */
const FREE_SHARE = 0.9;
export const SPEED_TEST_PREFIX = '.spacedrive-speed-test-';

function interrupted(): DomainError {
  return new DomainError('SPEED_TEST_INTERRUPTED', 'user', 'the speed test was interrupted; its temporary file was removed');
}

/**
 * Writes a temporary file of random bytes (random so that compressing filesystems cannot cheat), fsyncs it, reads it
 * back, and removes it: only that file, created exclusively, whatever happens. The read may be served by the page
 * cache, so it measures the best case.
 */
export async function runSpeedTest(volume: DetectedVolume, options: SpeedTestOptions): Promise<SpeedTestResult> {
  if (volume.readOnly) throw new DomainError('VOLUME_READ_ONLY', 'user', `volume "${volume.name}" (${volume.mountPoint}) is read-only: a speed test needs to write`);
  if (!Number.isSafeInteger(options.bytes) || options.bytes < 1) throw new DomainError('INVALID_SIZE', 'user', `a speed test needs a positive number of bytes, not ${options.bytes}`);
  const dir = await stat(options.dir).catch(() => null);
  if (!dir?.isDirectory()) throw new DomainError('NOT_A_DIRECTORY', 'user', `${options.dir} is not a folder: give an existing folder on the volume`);
  const free = await statfs(options.dir, { bigint: true });
  const bytes = Math.min(options.bytes, Math.floor(Number(free.bavail * free.bsize) * FREE_SHARE));
  if (bytes <= 0) throw new DomainError('VOLUME_FULL', 'user', `volume "${volume.name}" has no free space for a speed test: free some space and retry`);
  const file = path.join(options.dir, `${SPEED_TEST_PREFIX}${process.pid}-${randomUUID().slice(0, 8)}`);
  const buffer = randomFillSync(Buffer.allocUnsafe(Math.min(CHUNK, bytes)));
  let handle: FileHandle | null = await open(file, 'wx', 0o600);
  try {
    options.onPhase?.('write', bytes, file);
    const writeStart = process.hrtime.bigint();
    for (let done = 0; done < bytes; ) {
      if (options.signal?.aborted) throw interrupted();
      const n = Math.min(buffer.length, bytes - done);
      const { bytesWritten } = await handle.write(buffer, 0, n, done);
      done += bytesWritten;
    }
    await handle.sync();
    const writeSeconds = Number(process.hrtime.bigint() - writeStart) / 1e9;
    await handle.close();
    handle = null;

    options.onPhase?.('read', bytes, file);
    const readStart = process.hrtime.bigint();
    handle = await open(file, 'r');
    for (let done = 0; done < bytes; ) {
      if (options.signal?.aborted) throw interrupted();
      const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, bytes - done), done);
      if (bytesRead === 0) throw new DomainError('SPEED_TEST_SHORT_READ', 'failure', `${file} ended after ${done} of ${bytes} bytes`);
      done += bytesRead;
    }
    const readSeconds = Number(process.hrtime.bigint() - readStart) / 1e9;
    return { bytes, writeMBps: megabytesPerSecond(bytes, writeSeconds), readMBps: megabytesPerSecond(bytes, readSeconds), file };
  } finally {
    await handle?.close().catch(() => undefined);
    await unlink(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

const megabytesPerSecond = (bytes: number, seconds: number): number => Math.round((bytes / 1e6 / Math.max(seconds, 1e-6)) * 10) / 10;
