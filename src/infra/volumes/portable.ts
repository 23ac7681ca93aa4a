import { realpathSync, statSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import path from 'node:path';
import type { DetectedVolume } from '../../commands/volumes/ports.js';
import { DomainError } from '../../domain/errors.js';
import { volumeFingerprint } from './fingerprint.js';

/** The nearest existing path at or above `target`, real (symlinks resolved). */
export function existingRealPath(target: string): string {
  let existing = path.resolve(target);
  for (;;) {
    try {
      return realpathSync(existing);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) throw new DomainError('PATH_NOT_FOUND', 'user', `${target}: no part of this path exists`);
      existing = parent;
    }
  }
}

/**
 * The volume of a path where no detector knows the platform's mount table: what POSIX calls tell. Its mount point
 * is the topmost folder on the same st_dev; sizes come from statfs. Copy-on-write and read-only are not known, so
 * copies are streamed and a read-only target shows itself when written. Enough for file operations to choose
 * rename or copy and to check free space; listing volumes still needs a detector.
 */
export async function portableVolumeOf(target: string, deviceId: string): Promise<DetectedVolume> {
  const existing = existingRealPath(target);
  const dev = statSync(existing).dev;
  let mountPoint = existing;
  for (let parent = path.dirname(mountPoint); parent !== mountPoint && statSync(parent).dev === dev; parent = path.dirname(mountPoint)) {
    mountPoint = parent;
  }
  const sizes = await statfs(mountPoint, { bigint: true }).then(
    (s) => ({ total: Number(s.blocks * s.bsize), available: Number(s.bavail * s.bsize) }),
    () => ({ total: 0, available: 0 }),
  );
  return {
    fingerprint: await volumeFingerprint({ kind: 'system', deviceId, mountPoint }),
    fingerprintKind: 'system',
    name: mountPoint === '/' ? 'Root' : path.basename(mountPoint),
    mountPoint,
    source: '',
    fileSystem: 'unknown',
    totalBytes: sizes.total,
    availableBytes: sizes.available,
    mountType: 'system',
    diskType: 'unknown',
    readOnly: false,
    copyOnWrite: false,
    deviceNumber: dev,
    hidden: false,
  };
}
