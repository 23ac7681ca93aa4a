import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { VolumeEvent, VolumeFacts } from '../../domain/volume/events.js';
import { preparedOnce } from '../prepared.js';
import type { Projection } from '../projection.js';

const facts = `mount_point = @mountPoint, source = @source, file_system = @fileSystem, total_bytes = @totalBytes,
  available_bytes = @availableBytes, mount_type = @mountType, disk_type = @diskType, read_only = @readOnly,
  copy_on_write = @copyOnWrite`;

const SQL = {
  track: `INSERT INTO volumes (fingerprint, device_id, tracked, name, mount_point, source, file_system, total_bytes, available_bytes,
       mount_type, disk_type, read_only, copy_on_write, online, tracked_at, last_seen_at)
     VALUES (@fingerprint, @deviceId, 1, @name, @mountPoint, @source, @fileSystem, @totalBytes, @availableBytes, @mountType,
       @diskType, @readOnly, @copyOnWrite, 1, @at, @at)
     ON CONFLICT (fingerprint) DO UPDATE SET tracked = 1, name = @name, ${facts}, online = 1, tracked_at = @at, last_seen_at = @at`,
  untrack: 'UPDATE volumes SET tracked = 0 WHERE fingerprint = ?',
  rename: 'UPDATE volumes SET name = ? WHERE fingerprint = ?',
  seen: `UPDATE volumes SET ${facts}, online = 1, last_seen_at = @at WHERE fingerprint = @fingerprint`,
  unmounted: 'UPDATE volumes SET online = 0 WHERE fingerprint = ?',
  speed: `INSERT INTO volumes (fingerprint, device_id, tracked, name, mount_point, source, file_system, total_bytes, available_bytes,
       mount_type, disk_type, read_only, copy_on_write, online, last_seen_at, read_mbps, write_mbps, speed_test_bytes, speed_tested_at)
     VALUES (@fingerprint, @deviceId, 0, @name, @mountPoint, @source, @fileSystem, @totalBytes, @availableBytes, @mountType,
       @diskType, @readOnly, @copyOnWrite, 1, @at, @readMBps, @writeMBps, @bytes, @at)
     ON CONFLICT (fingerprint) DO UPDATE SET read_mbps = @readMBps, write_mbps = @writeMBps, speed_test_bytes = @bytes,
       speed_tested_at = @at`,
};
const statementsOf = preparedOnce<keyof typeof SQL>(SQL);

const factParams = (f: VolumeFacts) => ({ ...f, readOnly: f.readOnly ? 1 : 0, copyOnWrite: f.copyOnWrite ? 1 : 0 });

/** The volumes read model: one row per volume stream that was tracked or measured. */
export const volumesProjection: Projection = {
  name: 'volumes',
  version: 1,
  handles: new Set(['VolumeTracked', 'VolumeUntracked', 'VolumeRenamed', 'VolumeMounted', 'VolumeUnmounted', 'VolumeUpdated', 'VolumeSpeedTested']),
  apply(db: Database, events: readonly StoredEvent[]) {
    const s = statementsOf(db);
    for (const event of events) {
      const e = event as unknown as VolumeEvent;
      const fingerprint = event.streamId.slice('volume-'.length);
      switch (e.type) {
        case 'VolumeTracked':
          s.track.run({ ...factParams(e.data.facts), fingerprint, deviceId: e.data.deviceId, name: e.data.name, at: e.data.at });
          break;
        case 'VolumeUntracked':
          s.untrack.run(fingerprint);
          break;
        case 'VolumeRenamed':
          s.rename.run(e.data.name, fingerprint);
          break;
        case 'VolumeMounted':
        case 'VolumeUpdated':
          s.seen.run({ ...factParams(e.data.facts), fingerprint, at: e.data.at });
          break;
        case 'VolumeUnmounted':
          s.unmounted.run(fingerprint);
          break;
        case 'VolumeSpeedTested': {
          const { facts, deviceId, bytes, readMBps, writeMBps, at } = e.data;
          s.speed.run({ ...factParams(facts), fingerprint, deviceId, name: facts.name, bytes, readMBps, writeMBps, at });
          break;
        }
      }
    }
  },
};
