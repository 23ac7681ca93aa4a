import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { writeFileAtomic } from '../atomic-file.js';

export const VOLUME_ID_FILE = '.spacedrive-volume-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id in `<mountPoint>/.spacedrive-volume-id`, or null when it is missing or not ours. */
export function readVolumeId(mountPoint: string): string | null {
  try {
    const parsed = JSON.parse(readFileSync(path.join(mountPoint, VOLUME_ID_FILE), 'utf8')) as { id?: unknown };
    return typeof parsed.id === 'string' && UUID.test(parsed.id) ? parsed.id.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * The volume's id, created on first sight when the volume is writable. Null when there is none and none can be
 * written (read-only, full, permission denied): the caller falls back to the filesystem's identity.
 */
export function readOrCreateVolumeId(mountPoint: string, writable: boolean, now: Date): string | null {
  const existing = readVolumeId(mountPoint);
  if (existing || !writable) return existing;
  const id = randomUUID();
  try {
    writeFileAtomic(path.join(mountPoint, VOLUME_ID_FILE), JSON.stringify({ id, created: now.toISOString() }, null, 2) + '\n');
    return id;
  } catch {
    return null;
  }
}
