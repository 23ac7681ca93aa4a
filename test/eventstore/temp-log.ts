import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { NewEvent } from '../../src/domain/envelope.js';
import { EventCatalog, defineEvent } from '../../src/domain/event-catalog.js';
import { migrate } from '../../src/infra/database/migrations.js';
import { openDatabase, type SqliteDatabase } from '../../src/infra/database/open.js';
import { SqliteEventStore } from '../../src/infra/eventstore/sqlite-event-store.js';
import { uuidv7 } from '../../src/infra/ids.js';

/** Event types of the store tests. `Tagged` is at schema version 3 and stores of versions 1 and 2 are upcast. */
export const testCatalog = new EventCatalog([
  defineEvent('Noted', z.object({ text: z.string() })),
  defineEvent('FileSeen', z.object({ path: z.string(), size: z.number(), mtime: z.number() })),
  defineEvent('Tagged', z.object({ tag: z.string(), color: z.string() }), {
    schemaVersion: 3,
    upcasters: {
      1: (d) => ({ tag: (d as { name: string }).name, colour: 'none' }),
      2: (d) => {
        const { tag, colour } = d as { tag: string; colour: string };
        return { tag, color: colour };
      },
    },
  }),
]);

export function noted(text: string, eventId = uuidv7()): NewEvent {
  return { eventId, type: 'Noted', data: { text } };
}

export interface OpenLog {
  db: SqliteDatabase;
  store: SqliteEventStore;
}

/** A library database with the log schema on its own connection, and a store over it. */
export async function openLog(
  file: string,
  options: { device?: string; now?: () => number; catalog?: EventCatalog } = {},
): Promise<OpenLog> {
  const db = openDatabase(file);
  migrate(db, 'log');
  const store = await SqliteEventStore.open({
    db,
    device: options.device ?? 'device-a',
    catalog: options.catalog ?? testCatalog,
    now: options.now,
  });
  return { db, store };
}

/** A fresh temp directory holding `library.db`; `cleanup` closes every connection opened through it. */
export function tempLog(): {
  file: string;
  open(options?: Parameters<typeof openLog>[1]): Promise<OpenLog>;
  raw(): SqliteDatabase;
  cleanup(): void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sd-log-'));
  const file = path.join(dir, 'library.db');
  const open: SqliteDatabase[] = [];
  return {
    file,
    async open(options) {
      const log = await openLog(file, options);
      open.push(log.db);
      return log;
    },
    raw() {
      const db = openDatabase(file);
      open.push(db);
      return db;
    },
    cleanup() {
      for (const db of open) if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
