import { mkdirSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import type { IndexMode } from '../../src/domain/location/events.js';
import { openCore } from '../../src/infra/container.js';
import type { LocationRecord } from '../../src/projections/locations/queries.js';
import { tempDir } from './temp.js';
import { writeTree } from './trees.js';

/**
 * A library in a temporary data dir with `files` written to a folder and indexed as a location (content mode unless
 * told); `prepare` runs on the folder before it is added (times, permissions). Everything is removed after `fn`.
 */
export async function withIndexedFolder(
  files: Record<string, string>,
  fn: (library: Library, location: LocationRecord, dir: string) => Promise<void>,
  options: { mode?: IndexMode; prepare?: (dir: string) => void } = {},
): Promise<void> {
  const t = tempDir();
  const core = await openCore({ dataDir: path.join(t.dir, 'data') });
  try {
    const library = await core.libraries.open();
    const dir = path.join(t.dir, 'files');
    mkdirSync(dir);
    writeTree(dir, files);
    options.prepare?.(dir);
    const { location, job } = await library.locations.add({ path: dir, mode: options.mode ?? 'content' });
    assert.is((await job.done).status, 'completed');
    await fn(library, library.locations.byId(location.id)!, dir);
  } finally {
    core.close();
    t.cleanup();
  }
}
