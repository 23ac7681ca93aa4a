import type { Database } from 'better-sqlite3';
import type { DiskType, MountType, VolumeFacts } from '../../domain/volume/events.js';

/** A volume as this library recorded it. */
export interface VolumeRecord extends VolumeFacts {
  fingerprint: string;
  deviceId: string;
  tracked: boolean;
  /** Whether the last refresh saw it mounted. */
  online: boolean;
  trackedAt: string | null;
  lastSeenAt: string;
  speedTest: { readMBps: number; writeMBps: number; bytes: number; at: string } | null;
}

interface VolumeRow {
  fingerprint: string;
  deviceId: string;
  tracked: number;
  name: string;
  mountPoint: string;
  source: string;
  fileSystem: string;
  totalBytes: number;
  availableBytes: number;
  mountType: MountType;
  diskType: DiskType;
  readOnly: number;
  copyOnWrite: number;
  online: number;
  trackedAt: string | null;
  lastSeenAt: string;
  readMBps: number | null;
  writeMBps: number | null;
  speedTestBytes: number | null;
  speedTestedAt: string | null;
}

const COLUMNS = `fingerprint, device_id AS deviceId, tracked, name, mount_point AS mountPoint, source, file_system AS fileSystem,
  total_bytes AS totalBytes, available_bytes AS availableBytes, mount_type AS mountType, disk_type AS diskType,
  read_only AS readOnly, copy_on_write AS copyOnWrite, online, tracked_at AS trackedAt, last_seen_at AS lastSeenAt,
  read_mbps AS readMBps, write_mbps AS writeMBps, speed_test_bytes AS speedTestBytes, speed_tested_at AS speedTestedAt`;

function toRecord(r: VolumeRow): VolumeRecord {
  const { readMBps, writeMBps, speedTestBytes, speedTestedAt, tracked, readOnly, copyOnWrite, online, ...rest } = r;
  return {
    ...rest,
    tracked: tracked === 1,
    readOnly: readOnly === 1,
    copyOnWrite: copyOnWrite === 1,
    online: online === 1,
    speedTest:
      readMBps !== null && writeMBps !== null && speedTestBytes !== null && speedTestedAt !== null
        ? { readMBps, writeMBps, bytes: speedTestBytes, at: speedTestedAt }
        : null,
  };
}

export function listVolumeRecords(db: Database): VolumeRecord[] {
  return (db.prepare(`SELECT ${COLUMNS} FROM volumes ORDER BY mount_point, fingerprint`).all() as VolumeRow[]).map(toRecord);
}

export function volumeRecord(db: Database, fingerprint: string): VolumeRecord | null {
  const r = db.prepare(`SELECT ${COLUMNS} FROM volumes WHERE fingerprint = ?`).get(fingerprint) as VolumeRow | undefined;
  return r ? toRecord(r) : null;
}
