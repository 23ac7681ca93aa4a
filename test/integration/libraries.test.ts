import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openCore } from '../../src/infra/container.js';
import { changeLibrarySettings, describeLibrary } from '../../src/commands/libraries/library-commands.js';
import { DomainError, ValidationError } from '../../src/domain/errors.js';
import { tempDir } from '../support/temp.js';

const Libraries = suite('libraries (API, real files)');

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string): Promise<DomainError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (err) {
    assert.instance(err, DomainError, String(err));
    assert.is((err as DomainError).code, code, (err as Error).message);
    return err as DomainError;
  }
  throw new Error(`expected ${code}`);
}

Libraries('create, list, current, rename, describe, delete', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: t.dir });
    const photos = await core.libraries.create('Photos: 2024', { description: 'pictures' });
    assert.is(photos.name, 'Photos- 2024');
    assert.is(path.basename(photos.path), 'Photos- 2024.sdlibrary');
    assert.ok(existsSync(path.join(photos.path, 'library.db')));
    assert.ok(existsSync(path.join(photos.path, 'thumbnails')));
    const json = JSON.parse(readFileSync(path.join(photos.path, 'library.json'), 'utf8'));
    assert.is(json.id, photos.id);
    assert.is(json.description, 'pictures');
    assert.is(json.settings.thumbnailQuality, 85);

    const again = await core.libraries.create('photos: 2024');
    assert.is(again.name, 'photos- 2024 1', 'a taken name (case-insensitively) gets a suffix');
    assert.equal(core.libraries.list().map((l) => [l.name, l.current]), [['Photos- 2024', true], ['photos- 2024 1', false]]);

    const renamed = await core.libraries.rename(photos.id, 'Pictures');
    assert.ok(renamed.changed);
    assert.is(JSON.parse(readFileSync(path.join(photos.path, 'library.json'), 'utf8')).name, 'Pictures');
    assert.is((await core.libraries.rename('Pictures', 'Pictures')).changed, false);

    await core.libraries.describe('pictures', 'holidays');
    assert.is(core.libraries.resolve('Pictures').description, 'holidays');

    core.libraries.switch(again.id);
    assert.is((await core.libraries.current()).id, again.id);
    await core.libraries.delete(again.id);
    assert.not.ok(existsSync(again.path));
    assert.is((await core.libraries.current()).id, photos.id, 'the remaining library becomes current');
    await expectCode(() => core.libraries.resolve('nope'), 'LIBRARY_NOT_FOUND');
    core.close();
  } finally {
    t.cleanup();
  }
});

Libraries('the first library needed is "My Library"', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: t.dir });
    const lib = await core.libraries.open();
    assert.is(lib.info().name, 'My Library');
    lib.close();
    assert.is(core.libraries.list().length, 1);
  } finally {
    t.cleanup();
  }
});

Libraries('invalid command input names the bad field and appends nothing', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: t.dir });
    const lib = await core.libraries.open();
    const before = (await lib.readEvents()).length;
    const err = (await expectCode(lib.execute(describeLibrary, { description: 5 as unknown as string }), 'VALIDATION_FAILED')) as ValidationError;
    assert.equal(err.issues.map((i) => i.path), ['description']);
    await expectCode(lib.execute(changeLibrarySettings, { changes: { thumbnailQuality: 101, bogus: 1 } as never }), 'VALIDATION_FAILED');
    assert.is((await lib.readEvents()).length, before);
    lib.close();
  } finally {
    t.cleanup();
  }
});

Libraries('rebuild == incremental, and verify notices a tampered read model', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: t.dir });
    const { id } = await core.libraries.create('Docs');
    await core.libraries.rename(id, 'Documents');
    await core.libraries.describe(id, 'letters');
    let lib = await core.libraries.open(id);
    await lib.execute(changeLibrarySettings, { changes: { syncEnabled: true, thumbnailSizes: [64] } });
    const report = lib.verify();
    assert.ok(report.equal, JSON.stringify(report));
    assert.equal(report.tables.map((x) => x.name), [
      'audit_paths', 'audit_records', 'content_identities', 'devices', 'entries', 'entry_names', 'index_history', 'job_errors', 'jobs', 'library',
      'locations', 'search_deferred_indexes', 'search_dirs', 'search_names', 'search_pending', 'search_state', 'search_terms', 'tag_applications',
      'tag_removals', 'tags', 'user_metadata', 'validation_findings', 'volumes',
    ]);
    const before = { info: lib.info(), devices: lib.devices() };
    assert.is(lib.rebuild().events, (await lib.readEvents()).length);
    assert.equal({ info: lib.info(), devices: lib.devices() }, before);
    lib.close();

    const raw = new Database(path.join(core.libraries.resolve(id).path, 'library.db'));
    raw.prepare("UPDATE library SET name = 'tampered'").run();
    raw.close();
    lib = await core.libraries.open(id);
    const bad = lib.verify();
    assert.not.ok(bad.equal);
    assert.equal(bad.tables.filter((x) => !x.equal).map((x) => x.name), ['library']);
    lib.rebuild();
    assert.is(lib.info().name, 'Documents');
    assert.ok(lib.verify().equal);
    lib.close();
  } finally {
    t.cleanup();
  }
});

Libraries('catch-up replays what a projection missed on open', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: t.dir });
    const { id, path: dir } = await core.libraries.create('Music');
    const raw = new Database(path.join(dir, 'library.db'));
    raw.prepare('DELETE FROM library').run();
    raw.prepare("UPDATE projection_checkpoints SET position = 0 WHERE name = 'library'").run();
    raw.close();
    const lib = await core.libraries.open(id);
    assert.is(lib.info().name, 'Music');
    assert.ok(lib.verify().equal);
    lib.close();
  } finally {
    t.cleanup();
  }
});

Libraries('the lock keeps a second opener out and is recovered from a dead process', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: t.dir });
    const { id, path: dir } = await core.libraries.create('Locked');
    const lib = await core.libraries.open(id);
    const err = await expectCode(core.libraries.open(id), 'LIBRARY_LOCKED');
    assert.match(err.message, /in use by this process/);
    lib.close();

    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    writeFileSync(path.join(dir, '.sdlibrary.lock'), JSON.stringify({ deviceId: core.device.id, pid: dead, acquiredAt: new Date().toISOString() }));
    const recovered = await core.libraries.open(id);
    assert.is(recovered.info().name, 'Locked');
    recovered.close();
    assert.not.ok(existsSync(path.join(dir, '.sdlibrary.lock')), 'closing releases the lock');

    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(path.join(dir, '.sdlibrary.lock'), JSON.stringify({ deviceId: core.device.id, pid: sleeper.pid, acquiredAt: new Date().toISOString() }));
      const live = await expectCode(core.libraries.open(id), 'LIBRARY_LOCKED');
      assert.match(live.message, new RegExp(`process ${sleeper.pid}`));
    } finally {
      sleeper.kill('SIGKILL');
    }
  } finally {
    t.cleanup();
  }
});

Libraries('device identity: created once with a 0600 key, registered once per library, corrupt files refused', async () => {
  const t = tempDir();
  try {
    const first = await openCore({ dataDir: t.dir });
    const second = await openCore({ dataDir: t.dir });
    assert.equal(second.device, first.device);
    assert.is(statSync(path.join(t.dir, 'device.key')).mode & 0o777, 0o600);
    assert.match(first.device.publicKey, /^[A-Za-z0-9+/]{43}=$/);
    const lib = await first.libraries.open();
    lib.close();
    const again = await first.libraries.open();
    assert.is((await again.readEvents()).filter((e) => e.type === 'DeviceRegistered').length, 1, 'reopening appends nothing');
    assert.equal(again.devices().map((d) => d.id), [first.device.id]);
    again.close();

    // a device renamed since (a new host name) is recorded as changed when it next opens the library, and only then
    const jsonFile = path.join(t.dir, 'device.json');
    writeFileSync(jsonFile, JSON.stringify({ ...JSON.parse(readFileSync(jsonFile, 'utf8')), name: 'renamed host' }));
    const renamed = await openCore({ dataDir: t.dir });
    const afterRename = await renamed.libraries.open();
    assert.equal((await afterRename.readEvents()).filter((e) => e.streamId === `device-${first.device.id}`).map((e) => e.type), ['DeviceRegistered', 'DeviceUpdated']);
    assert.equal(afterRename.devices().map((d) => d.name), ['renamed host']);
    afterRename.close();
    const reopened = await renamed.libraries.open();
    assert.is((await reopened.readEvents()).filter((e) => e.type === 'DeviceUpdated').length, 1, 'reopening after the rename appends nothing more');
    reopened.close();

    writeFileSync(path.join(t.dir, 'device.json'), '{"id": "nope"');
    await expectCode(openCore({ dataDir: t.dir }), 'DEVICE_IDENTITY_CORRUPT');
  } finally {
    t.cleanup();
  }
});

Libraries('two processes starting at once on a new data directory share the one library the first made', async () => {
  const t = tempDir();
  const cores = await Promise.all([openCore({ dataDir: t.dir }), openCore({ dataDir: t.dir })]);
  try {
    // both find no library, both make one; the second to publish takes the first's
    const [a, b] = await Promise.all(cores.map((c) => c.libraries.current()));
    assert.is(a.id, b.id);
    assert.equal(cores[0].libraries.list().map((l) => l.name), ['My Library']);
  } finally {
    for (const c of cores) c.close();
    t.cleanup();
  }
});

Libraries.run();
