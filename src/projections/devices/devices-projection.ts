import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../../domain/envelope.js';
import type { DeviceEvent } from '../../domain/device/events.js';
import type { Projection } from '../projection.js';

export const devicesProjection: Projection = {
  name: 'devices',
  version: 1,
  handles: new Set(['DeviceRegistered', 'DeviceUpdated']),
  apply(db: Database, events: readonly StoredEvent[]) {
    for (const event of events) {
      const e = event as unknown as DeviceEvent;
      switch (e.type) {
        case 'DeviceRegistered':
          db.prepare(
            `INSERT INTO devices (id, name, os, public_key, registered_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, os = excluded.os, updated_at = excluded.updated_at`,
          ).run(e.data.deviceId, e.data.name, e.data.os, e.data.publicKey, e.data.at, e.data.at);
          break;
        case 'DeviceUpdated':
          db.prepare('UPDATE devices SET name = ?, os = ?, updated_at = ? WHERE id = ?').run(
            e.data.name, e.data.os, e.data.at, e.data.deviceId,
          );
          break;
      }
    }
  },
};

export interface DeviceRecord {
  id: string;
  name: string;
  os: string;
  publicKey: string;
  registeredAt: string;
  updatedAt: string;
}

export function listDevices(db: Database): DeviceRecord[] {
  return db
    .prepare(
      `SELECT id, name, os, public_key AS publicKey, registered_at AS registeredAt, updated_at AS updatedAt
       FROM devices ORDER BY registered_at, id`,
    )
    .all() as DeviceRecord[];
}

export function deviceById(db: Database, id: string): DeviceRecord | undefined {
  return db
    .prepare(
      `SELECT id, name, os, public_key AS publicKey, registered_at AS registeredAt, updated_at AS updatedAt
       FROM devices WHERE id = ?`,
    )
    .get(id) as DeviceRecord | undefined;
}
