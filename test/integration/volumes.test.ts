import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openCore } from '../../src/infra/container.js';
import { DomainError } from '../../src/domain/errors.js';
import type { Library } from '../../src/commands/libraries/library.js';
import { mountTmpfs, skipped, unmount } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';

const Volumes = suite('volumes (API, real libraries and mounts)');

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (err) {
    assert.instance(err, DomainError, String(err));
    assert.is((err as DomainError).code, code, (err as Error).message);
    return;
  }
  throw new Error(`expected ${code}`);
}

const eventCount = async (library: Library) => (await library.readEvents()).length;

Volumes('tracking is per library, survives a restart, and refuses tracking twice or untracking an untracked volume', async () => {
  const t = tempDir();
  try {
    let core = await openCore({ dataDir: t.dir });
    await core.libraries.create('A');
    await core.libraries.create('B');
    let a = await core.libraries.open('A');
    let b = await core.libraries.open('B');
    const tracked = await a.volumes.track('/', 'System disk');
    assert.equal([tracked.mountPoint, tracked.name, tracked.tracked], ['/', 'System disk', true]);
    assert.is((await a.volumes.list()).find((v) => v.mountPoint === '/')?.tracked, true);
    assert.is((await b.volumes.list()).find((v) => v.mountPoint === '/')?.tracked, false, 'untracked in the other library');

    const before = await eventCount(a);
    await expectCode(a.volumes.track('/'), 'VOLUME_ALREADY_TRACKED');
    await expectCode(a.volumes.track('System disk'), 'VOLUME_ALREADY_TRACKED');
    await expectCode(b.volumes.untrack('/'), 'VOLUME_NOT_TRACKED');
    assert.is(await eventCount(a), before, 'a refused command appends nothing');
    await expectCode(a.volumes.track('no-such-volume'), 'VOLUME_NOT_FOUND');
    await expectCode(a.volumes.track(path.join(t.dir, 'not-a-mount')), 'VOLUME_NOT_FOUND');
    await expectCode(a.volumes.track('deadbeef'), 'VOLUME_NOT_FOUND');

    a.close();
    b.close();
    core.close();
    core = await openCore({ dataDir: t.dir });
    a = await core.libraries.open('A');
    b = await core.libraries.open('B');
    const root = (await a.volumes.list()).find((v) => v.mountPoint === '/')!;
    assert.equal([root.tracked, root.name], [true, 'System disk'], 'tracked after a restart');
    assert.is((await b.volumes.list()).find((v) => v.mountPoint === '/')?.tracked, false);

    // by fingerprint, unique prefix, name
    assert.is((await a.volumes.rename(root.fingerprint.slice(0, 10), 'Root disk')).name, 'Root disk');
    await expectCode(b.volumes.rename('/', 'X'), 'VOLUME_NOT_TRACKED');
    await a.volumes.untrack('Root disk');
    await expectCode(a.volumes.untrack(root.fingerprint), 'VOLUME_NOT_TRACKED');
    assert.is((await a.volumes.list()).find((v) => v.mountPoint === '/')?.tracked, false);
    await a.volumes.track(root.fingerprint);
    assert.is((await a.volumes.list()).find((v) => v.mountPoint === '/')?.name, 'Root', 'tracked anew, with the detected name');
    assert.ok(a.verify().equal, 'rebuild == incremental');
    a.close();
    b.close();
    core.close();
  } finally {
    t.cleanup();
  }
});

Volumes('an unmounted tracked volume is offline with its last-known facts; refresh records unmount, mount and capacity', async () => {
  const t = tempDir();
  const dir = path.join(t.dir, 'usb stick');
  mkdirSync(dir);
  try {
    const refused = mountTmpfs(dir, '8m');
    if (refused) return skipped('offline volumes', refused);
    const core = await openCore({ dataDir: path.join(t.dir, 'data') });
    const library = await core.libraries.open();
    try {
      const tracked = await library.volumes.track(dir, 'Stick');
      assert.is((await library.volumes.refresh()).changes.length, 0, 'nothing changed yet');

      writeFileSync(path.join(dir, 'big'), Buffer.alloc(1024 * 1024, 1));
      const filled = await library.volumes.refresh();
      assert.equal(filled.changes.map((c) => [c.fingerprint, c.change, c.changed]), [[tracked.fingerprint, 'updated', ['availableBytes']]]);

      unmount(dir);
      const offline = (await library.volumes.list()).find((v) => v.fingerprint === tracked.fingerprint);
      assert.ok(offline, 'a tracked volume that is absent is listed');
      assert.equal(
        [offline!.online, offline!.tracked, offline!.name, offline!.mountPoint, offline!.fileSystem, offline!.totalBytes],
        [false, true, 'Stick', dir, 'tmpfs', 8 * 1024 * 1024],
      );
      assert.ok(offline!.availableBytes <= 7 * 1024 * 1024, 'the last-known capacity is the refreshed one');
      assert.equal((await library.volumes.refresh()).changes.map((c) => c.change), ['unmounted']);
      assert.equal((await library.volumes.refresh()).changes, [], 'an unmount is recorded once');
      await expectCode(library.volumes.speedTest('Stick', { bytes: 1024 }), 'VOLUME_OFFLINE');
      await expectCode(library.volumes.track('Stick'), 'VOLUME_ALREADY_TRACKED');

      const again = mountTmpfs(dir, '8m');
      if (again) return skipped('offline volumes (remount)', again);
      assert.equal((await library.volumes.refresh()).changes.map((c) => c.change), ['mounted']);
      const types = (await library.readEvents()).filter((e) => e.streamId === `volume-${tracked.fingerprint}`).map((e) => e.type);
      assert.equal(types, ['VolumeTracked', 'VolumeUpdated', 'VolumeUnmounted', 'VolumeMounted']);
      assert.ok(library.verify().equal, 'rebuild == incremental');
    } finally {
      library.close();
      core.close();
    }
  } finally {
    unmount(dir);
    t.cleanup();
  }
});

Volumes('a speed test is recorded as an event in the volume stream, tracked or not, and needs a folder on that volume', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: path.join(t.dir, 'data') });
    const library = await core.libraries.open();
    try {
      const work = path.join(t.dir, 'work');
      mkdirSync(work);
      const holder = await library.volumes.volumeFor(work);
      const { volume, result } = await library.volumes.speedTest(holder.fingerprint, { bytes: 2 * 1024 * 1024, dir: work });
      assert.is(result.bytes, 2 * 1024 * 1024);
      assert.equal(readdirSync(work), [], 'its file is gone');
      assert.equal([volume.tracked, volume.speedTest?.bytes, volume.speedTest?.writeMBps], [false, result.bytes, result.writeMBps]);
      const recorded = (await library.readEvents()).filter((e) => e.type === 'VolumeSpeedTested');
      assert.equal(recorded.map((e) => e.streamId), [`volume-${holder.fingerprint}`]);

      const procfs = (await library.volumes.list({ all: true })).find((v) => v.fileSystem === 'proc')!;
      await expectCode(library.volumes.speedTest(procfs.fingerprint, { bytes: 1024, dir: work }), 'VOLUME_DIR_ELSEWHERE');
      assert.ok(library.verify().equal);
    } finally {
      library.close();
      core.close();
    }
  } finally {
    t.cleanup();
  }
});

Volumes('a name two volumes share is ambiguous (use the mount point or fingerprint); a tracked name wins', async () => {
  const t = tempDir();
  const a = path.join(t.dir, 'a', 'photos');
  const b = path.join(t.dir, 'b', 'photos');
  mkdirSync(a, { recursive: true });
  mkdirSync(b, { recursive: true });
  try {
    const refused = mountTmpfs(a, '1m') ?? mountTmpfs(b, '1m');
    if (refused) return skipped('ambiguous names', refused);
    const core = await openCore({ dataDir: path.join(t.dir, 'data') });
    const library = await core.libraries.open();
    try {
      await expectCode(library.volumes.track('photos'), 'VOLUME_AMBIGUOUS');
      const tracked = await library.volumes.track(b);
      assert.is(tracked.mountPoint, b);
      assert.is((await library.volumes.resolve('photos')).fingerprint, tracked.fingerprint, 'the tracked volume of that name');
      await expectCode(library.volumes.track('photos'), 'VOLUME_ALREADY_TRACKED');
      assert.is((await library.volumes.track(a, 'Photos A')).name, 'Photos A');
    } finally {
      library.close();
      core.close();
    }
  } finally {
    unmount(a);
    unmount(b);
    t.cleanup();
  }
});

Volumes.run();
