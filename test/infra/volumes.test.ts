import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError } from '../../src/domain/errors.js';
import { fingerprintBytes, normalizeMountPoint, volumeFingerprint } from '../../src/infra/volumes/fingerprint.js';
import { deviceNumber, parseMountinfo, splitDeviceNumber, visibleMounts } from '../../src/infra/volumes/linux/mountinfo.js';
import { createVolumeProbe, volumeOf } from '../../src/infra/volumes/volume-probe.js';
import { LinuxVolumeDetector } from '../../src/infra/volumes/linux/detect.js';
import { SPEED_TEST_PREFIX } from '../../src/infra/volumes/speed-test.js';
import { VOLUME_ID_FILE } from '../../src/infra/volumes/volume-id-file.js';
import { blkid, makeExt4Image, makeImage, mountLoop, mountTmpfs, skipped, unmount } from '../support/mounts.js';
import { readSuperblock } from '../../src/infra/volumes/linux/superblock.js';
import { isHidden, mountTypeOf } from '../../src/infra/volumes/linux/classify.js';
import { transferStrategy } from '../../src/commands/volumes/transfer-strategy.js';
import { tempDir } from '../support/temp.js';

const deviceId = '01a1fce8-bf1a-77d4-a35b-c70454d7eb96';
const probe = createVolumeProbe(deviceId);

const Mountinfo = suite('volumes: /proc/self/mountinfo parsing');

const sample = Buffer.concat([
  Buffer.from('36 35 98:0 /mnt1 /mnt/with\\040space\\012nl\\011tab\\134back rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue\n'),
  Buffer.from('37 35 0:40 / /ro ro,relatime - tmpfs my\\040source rw,size=10k\n'),
  Buffer.from('38 35 8:1 / /data rw - xfs /dev/sda1 ro,attr2\n'),
  Buffer.from('garbage line\n'),
  Buffer.from('39 35 8:2 / /bad'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from(' rw shared:7 - ext4 /dev/sda2 rw\n'),
  Buffer.from('40 35 0:41 / /ro rw - tmpfs top rw'), // stacked on /ro, and no trailing newline
]);

Mountinfo('octal escapes, optional fields, super options, read-only from either option set', () => {
  const entries = parseMountinfo(sample);
  assert.equal(entries.map((e) => e.mountId), [36, 37, 38, 39, 40], 'the malformed line is skipped');
  const [a, b, c, d] = entries;
  assert.is(a.mountPoint, '/mnt/with space\nnl\ttab\\back');
  assert.is(a.root, '/mnt1');
  assert.equal([a.major, a.minor, a.parentId], [98, 0, 35]);
  assert.equal(a.optionalFields, ['master:1', 'shared:2']);
  assert.equal(a.superOptions, ['rw', 'errors=continue']);
  assert.equal([a.fileSystem, a.source, a.readOnly], ['ext3', '/dev/root', false]);
  assert.equal([b.source, b.readOnly], ['my source', true]);
  assert.equal([c.fileSystem, c.readOnly], ['xfs', true], 'ro in the super options makes the volume read-only');
  assert.equal([...d.mountPointBytes], [...Buffer.from('/bad'), 0xff, 0xfe], 'a name that is not UTF-8 keeps its bytes');
  assert.equal(d.optionalFields, ['shared:7']);
  assert.equal(visibleMounts(entries).map((e) => e.mountId), [36, 38, 39, 40]);
});

Mountinfo('stacked mounts: the topmost one on a mount point is the visible one', () => {
  const text = '1 0 0:1 / /x rw - tmpfs under rw\n2 1 0:2 / /y rw - tmpfs y rw\n3 1 0:3 / /x rw - tmpfs over rw\n';
  assert.equal(visibleMounts(parseMountinfo(Buffer.from(text))).map((e) => [e.mountPoint, e.source]), [['/y', 'y'], ['/x', 'over']]);
});

Mountinfo('device numbers round-trip as glibc encodes them, and match stat of a mount point', () => {
  for (const [M, m] of [[0, 0], [8, 1], [254, 0], [259, 65536], [4095, 255], [5000, 1 << 19]]) {
    assert.equal(splitDeviceNumber(deviceNumber(M, m)), { major: M, minor: m });
  }
  const root = visibleMounts(parseMountinfo(readFileSync('/proc/self/mountinfo'))).find((e) => e.mountPoint === '/')!;
  assert.is(deviceNumber(root.major, root.minor), statSync('/').dev);
});

Mountinfo('classification: mount types and what is hidden by default', () => {
  const mount = (mountPoint: string, fs: string, source = 'src') => parseMountinfo(Buffer.from(`1 0 8:1 / ${mountPoint} rw - ${fs} ${source} rw\n`))[0];
  const disk = { disk: 'sda', rotational: false, removable: false, usb: false, virtual: false };
  assert.is(mountTypeOf(mount('/', 'ext4'), disk), 'system');
  assert.is(mountTypeOf(mount('/home', 'btrfs'), disk), 'system');
  assert.is(mountTypeOf(mount('/run/media/me/USB', 'vfat'), disk), 'external');
  assert.is(mountTypeOf(mount('/data', 'exfat'), { ...disk, removable: true }), 'external');
  assert.is(mountTypeOf(mount('/data', 'ext4'), { ...disk, usb: true }), 'external');
  assert.is(mountTypeOf(mount('/srv/img', 'ext4'), { ...disk, disk: 'loop3', virtual: true }), 'external');
  assert.is(mountTypeOf(mount('/snap/core/1', 'squashfs'), { ...disk, disk: 'loop3', virtual: true }), 'virtual');
  assert.is(mountTypeOf(mount('/mnt/nas', 'nfs4', 'nas:/export'), null), 'network');
  assert.is(mountTypeOf(mount('/mnt/share', 'cifs', '//nas/share'), null), 'network');
  assert.is(mountTypeOf(mount('/tmp', 'tmpfs'), null), 'virtual');

  assert.is(isHidden(mount('/', 'ext4'), 1), false);
  assert.is(isHidden(mount('/', 'overlay'), 1), false, 'a container root is shown');
  assert.is(isHidden(mount('/var/lib/docker/overlay2/x/merged', 'overlay'), 1), true);
  assert.is(isHidden(mount('/proc', 'proc'), 0), true);
  assert.is(isHidden(mount('/sys/fs/cgroup', 'tmpfs'), 1), true);
  assert.is(isHidden(mount('/run/user/1000', 'tmpfs'), 1), true);
  assert.is(isHidden(mount('/run/media/me/USB', 'vfat'), 1), false, 'removable disks under /run/media are shown');
  assert.is(isHidden(mount('/snap/core/1', 'squashfs'), 1), true);
  assert.is(isHidden(mount('/tmp', 'tmpfs'), 1), false);
  assert.is(isHidden(mount('/mnt/empty', 'ext4'), 0), true, 'an empty filesystem');
});

Mountinfo.run();

const Fingerprints = suite('volumes: fingerprints');

Fingerprints('tagged inputs: kinds never collide, mount paths are normalized', async () => {
  assert.is(normalizeMountPoint('/mnt//usb/'), '/mnt/usb');
  assert.is(normalizeMountPoint('/'), '/');
  const a = await volumeFingerprint({ kind: 'system', deviceId, mountPoint: '/mnt//usb/' });
  assert.is(a, await volumeFingerprint({ kind: 'system', deviceId, mountPoint: '/mnt/usb' }));
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.is.not(a, await volumeFingerprint({ kind: 'network', deviceId, source: '/mnt/usb' }));
  assert.is.not(a, await volumeFingerprint({ kind: 'system', deviceId: '01a1fce8-bf1a-77d4-a35b-c70454d7eb97', mountPoint: '/mnt/usb' }));
  // fields are NUL-separated: ("ab", "c") and ("a", "bc") differ
  assert.is.not(
    fingerprintBytes({ kind: 'filesystem', deviceId, uuidOrLabel: 'ab', totalBytes: 1 }).toString('hex'),
    fingerprintBytes({ kind: 'filesystem', deviceId, uuidOrLabel: 'a', totalBytes: 1 }).toString('hex'),
  );
  // pinned: changing the input format would re-key every volume any library tracks
  assert.is(fingerprintBytes({ kind: 'volume-id', deviceId, volumeId: 'ABC' }).toString(), `volume-id:${deviceId}\0abc`);
});

Fingerprints.run();

const Detection = suite('volumes: Linux detection on this machine');

Detection('the root volume: system, with capacity, and volumeOf agrees with stat for existing and future paths', async () => {
  const volumes = await probe.detect();
  const root = volumes.find((v) => v.mountPoint === '/');
  assert.ok(root, 'the root filesystem is detected');
  assert.is(root!.hidden, false);
  assert.ok(root!.totalBytes > 0 && root!.availableBytes <= root!.totalBytes);
  assert.ok(volumes.some((v) => v.fileSystem === 'proc' && v.hidden), 'proc is detected, hidden');
  const t = tempDir();
  try {
    const holder = await volumeOf(t.dir, deviceId);
    assert.is(holder.deviceNumber, statSync(t.dir).dev, 'the volume of a path has the st_dev of the path');
    assert.is((await volumeOf(path.join(t.dir, 'not', 'yet', 'there.txt'), deviceId)).fingerprint, holder.fingerprint);
    assert.is((await probe.volumeOf(t.dir)).fingerprint, holder.fingerprint);
  } finally {
    t.cleanup();
  }
});

Detection('a tmpfs: detected with its exact odd mount point and size, fingerprint unchanged after a remount', async () => {
  const t = tempDir();
  const dir = path.join(t.dir, 'vol with space\nnewline 📷');
  mkdirSync(dir);
  try {
    const refused = mountTmpfs(dir, '8m');
    if (refused) return skipped('tmpfs remount fingerprint', refused);
    const first = (await probe.detect()).find((v) => v.mountPoint === dir);
    assert.ok(first, 'the tmpfs is detected at its mount point');
    assert.equal([first!.fileSystem, first!.totalBytes, first!.mountType, first!.diskType, first!.hidden], ['tmpfs', 8 * 1024 * 1024, 'virtual', 'virtual', false]);
    const inside = await volumeOf(path.join(dir, 'file'), deviceId);
    assert.is(inside.fingerprint, first!.fingerprint, 'volumeOf a path inside finds the tmpfs, not the parent volume');
    assert.is(inside.copyOnWrite, false);
    unmount(dir);
    assert.not.ok((await probe.detect()).some((v) => v.mountPoint === dir), 'gone once unmounted');
    const again = mountTmpfs(dir, '8m');
    if (again) return skipped('tmpfs remount fingerprint', again);
    const second = (await probe.detect()).find((v) => v.mountPoint === dir);
    assert.is(second?.fingerprint, first!.fingerprint);
  } finally {
    unmount(dir);
    t.cleanup();
  }
});

Detection('a loop-mounted ext4: external, identified by its volume id file across remounts elsewhere and read-only', async () => {
  const t = tempDir();
  const image = path.join(t.dir, 'disk.img');
  const a = path.join(t.dir, 'a');
  const b = path.join(t.dir, 'b');
  mkdirSync(a);
  mkdirSync(b);
  try {
    const refused = makeExt4Image(image) ?? mountLoop(image, a);
    if (refused) return skipped('loop remount fingerprint', refused);
    const first = (await probe.detect()).find((v) => v.mountPoint === a)!;
    assert.equal([first.fileSystem, first.mountType, first.diskType, first.fingerprintKind, first.readOnly], ['ext4', 'external', 'virtual', 'volume-id', false]);
    assert.ok(existsSync(path.join(a, VOLUME_ID_FILE)), 'the id file is written on the writable external volume');
    unmount(a);
    const ro = mountLoop(image, b, true);
    if (ro) return skipped('loop remount fingerprint', ro);
    const second = (await probe.detect()).find((v) => v.mountPoint === b)!;
    assert.equal([second.fingerprint, second.readOnly, second.fingerprintKind], [first.fingerprint, true, 'volume-id'], 'same volume at another mount point, read-only');
  } finally {
    unmount(a);
    unmount(b);
    t.cleanup();
  }
});

Detection('a read-only external volume without an id file: identified by its filesystem UUID, stable across remounts', async () => {
  const t = tempDir();
  const image = path.join(t.dir, 'disk.img');
  const a = path.join(t.dir, 'a');
  const b = path.join(t.dir, 'b');
  mkdirSync(a);
  mkdirSync(b);
  try {
    const refused = makeExt4Image(image) ?? mountLoop(image, a, true);
    if (refused) return skipped('read-only loop fingerprint', refused);
    const first = (await probe.detect()).find((v) => v.mountPoint === a)!;
    assert.is(first.fingerprintKind, 'filesystem');
    assert.not.ok(existsSync(path.join(a, VOLUME_ID_FILE)));
    unmount(a);
    const again = mountLoop(image, b, true);
    if (again) return skipped('read-only loop fingerprint', again);
    assert.is((await probe.detect()).find((v) => v.mountPoint === b)?.fingerprint, first.fingerprint);
  } finally {
    unmount(a);
    unmount(b);
    t.cleanup();
  }
});

Detection('bind mounts: the filesystem root is the volume, a bound sub-folder is a hidden duplicate that still answers volumeOf', async () => {
  const t = tempDir();
  try {
    const root = parseMountinfo(readFileSync('/proc/self/mountinfo')).find((e) => e.mountPoint === '/')!;
    const bound = path.join(t.dir, 'bound');
    mkdirSync(bound);
    const file = path.join(t.dir, 'mountinfo');
    const dev = `${root.major}:${root.minor}`;
    writeFileSync(file, [`1 0 ${dev} /srv/data ${bound} rw - ${root.fileSystem} ${root.source} rw`, `2 0 ${dev} / / rw - ${root.fileSystem} ${root.source} rw`, ''].join('\n'));
    const detector = new LinuxVolumeDetector({ deviceId, mountinfo: file });
    const volumes = await detector.detect();
    assert.equal(volumes.map((v) => [v.mountPoint, v.hidden]), [[bound, true], ['/', false]]);
    assert.is((await detector.volumeOf(path.join(bound, 'x'))).mountPoint, bound, 'the longest mount point with the same device');
    assert.is((await detector.volumeOf(t.dir)).mountPoint, '/');
  } finally {
    t.cleanup();
  }
});

Detection('unsupported platforms say so for listing, and still tell the volume of a path from POSIX calls', async () => {
  const darwin = createVolumeProbe(deviceId, 'darwin');
  const err = await darwin.detect().then(() => null, (e: unknown) => e);
  assert.is((err as DomainError).code, 'VOLUMES_UNSUPPORTED');
  const t = tempDir();
  try {
    const linux = await probe.volumeOf(t.dir);
    const portable = await darwin.volumeOf(path.join(t.dir, 'not', 'yet'));
    // the same filesystem as the mount table says, at the same mount point (tmp dirs are not bind mounts here)
    assert.is(portable.deviceNumber, statSync(t.dir).dev);
    assert.is(portable.mountPoint, linux.mountPoint);
    assert.ok(portable.availableBytes > 0 && portable.totalBytes >= portable.availableBytes);
    assert.is(portable.copyOnWrite, false);
    const windows = await createVolumeProbe(deviceId, 'win32').volumeOf(t.dir).then(() => null, (e: unknown) => e);
    assert.is((windows as DomainError).code, 'VOLUMES_UNSUPPORTED');
  } finally {
    t.cleanup();
  }
});

Detection('superblocks: ext4, xfs and btrfs UUIDs and labels agree with blkid', () => {
  const t = tempDir();
  try {
    for (const [type, megabytes, args] of [['ext4', 16, ['-q', '-F', '-L', 'ext label']], ['xfs', 300, ['-q', '-L', 'xfs-label']], ['btrfs', 128, ['-q', '-L', 'btrfs label']]] as const) {
      const image = path.join(t.dir, `${type}.img`);
      const refused = makeImage(image, type, megabytes, [...args]);
      if (refused) {
        skipped(`${type} superblock`, refused);
        continue;
      }
      const sb = readSuperblock(image, type);
      assert.ok(sb, `${type} superblock read`);
      const uuid = blkid(image, 'UUID');
      if (uuid === null) skipped(`${type} superblock vs blkid`, 'blkid is not installed');
      else assert.equal([sb!.uuid, sb!.label], [uuid, blkid(image, 'LABEL')], type);
      assert.is(readSuperblock(image, type === 'xfs' ? 'ext4' : 'xfs'), null, 'another filesystem\'s magic does not match');
    }
  } finally {
    t.cleanup();
  }
});

Detection('copy-on-write: btrfs, and xfs only when made with reflink', async () => {
  const t = tempDir();
  const mounted: string[] = [];
  try {
    for (const [name, type, megabytes, args, expected] of [
      ['xfs-reflink', 'xfs', 300, ['-q', '-m', 'reflink=1'], true],
      ['xfs-plain', 'xfs', 300, ['-q', '-m', 'reflink=0'], false],
      ['btrfs', 'btrfs', 128, ['-q'], true],
      ['ext4', 'ext4', 16, ['-q', '-F'], false],
    ] as const) {
      const image = path.join(t.dir, `${name}.img`);
      const dir = path.join(t.dir, name);
      mkdirSync(dir);
      const refused = makeImage(image, type, megabytes, [...args]) ?? mountLoop(image, dir);
      if (refused) {
        skipped(`copy-on-write on ${name}`, refused);
        continue;
      }
      mounted.push(dir);
      const v = await volumeOf(path.join(dir, 'new-file'), deviceId);
      assert.equal([v.mountPoint, v.fileSystem, v.copyOnWrite], [dir, type, expected], name);
      const elsewhere = await volumeOf(t.dir, deviceId);
      assert.is(transferStrategy('copy', v, v), expected ? 'clone' : 'stream', `copy within ${name}`);
      assert.is(transferStrategy('move', v, v), 'rename', `move within ${name}`);
      assert.is(transferStrategy('move', v, elsewhere), 'stream', `move from ${name} to another volume`);
      assert.is(transferStrategy('copy', elsewhere, v), 'stream');
    }
  } finally {
    for (const dir of mounted) unmount(dir);
    t.cleanup();
  }
});

Detection('transfer strategy: rename within a mount only (not across bind mounts), clone on one copy-on-write filesystem', () => {
  const a = { mountPoint: '/data', deviceNumber: 2049, copyOnWrite: true };
  const bind = { ...a, mountPoint: '/srv/data' };
  const other = { mountPoint: '/mnt/usb', deviceNumber: 2065, copyOnWrite: true };
  assert.is(transferStrategy('move', a, a), 'rename');
  assert.is(transferStrategy('move', a, bind), 'clone', 'rename(2) fails with EXDEV across mount points');
  assert.is(transferStrategy('copy', a, a), 'clone');
  assert.is(transferStrategy('copy', a, other), 'stream');
  assert.is(transferStrategy('move', { ...a, copyOnWrite: false }, { ...bind, copyOnWrite: false }), 'stream');
});

Detection.run();

const Speed = suite('volumes: speed test');

Speed('writes, fsyncs and reads its own file, removes only that file, and caps the size by free space', async () => {
  const t = tempDir();
  const dir = path.join(t.dir, 'vol');
  mkdirSync(dir);
  try {
    const refused = mountTmpfs(dir, '8m');
    if (refused) return skipped('speed test on a tmpfs', refused);
    const other = path.join(dir, `${SPEED_TEST_PREFIX}not-ours`);
    writeFileSync(other, 'keep me');
    const volume = (await probe.volumeOf(dir))!;
    const phases: string[] = [];
    const small = await probe.speedTest(volume, { bytes: 1024 * 1024, dir, onPhase: (p) => phases.push(p) });
    assert.is(small.bytes, 1024 * 1024);
    assert.ok(small.writeMBps > 0 && small.readMBps > 0);
    assert.equal(phases, ['write', 'read']);
    const capped = await probe.speedTest(volume, { bytes: 64 * 1024 * 1024, dir });
    assert.ok(capped.bytes < 8 * 1024 * 1024 && capped.bytes > 6 * 1024 * 1024, `capped to 90% of the free space: ${capped.bytes}`);
    assert.equal(readdirSync(dir), [path.basename(other)], 'only our temporary files are gone');
    assert.is(readFileSync(other, 'utf8'), 'keep me');
  } finally {
    unmount(dir);
    t.cleanup();
  }
});

Speed('an aborted test removes its file and throws; a read-only volume is refused', async () => {
  const t = tempDir();
  try {
    const volume = await probe.volumeOf(t.dir);
    const abort = new AbortController();
    const err = await probe
      .speedTest(volume, { bytes: 64 * 1024 * 1024, dir: t.dir, signal: abort.signal, onPhase: () => abort.abort() })
      .then(() => null, (e: unknown) => e);
    assert.instance(err, DomainError);
    assert.is((err as DomainError).code, 'SPEED_TEST_INTERRUPTED');
    assert.equal(readdirSync(t.dir), []);
    const ro = await probe.speedTest({ ...volume, readOnly: true }, { bytes: 1024, dir: t.dir }).then(() => null, (e: unknown) => e);
    assert.is((ro as DomainError).code, 'VOLUME_READ_ONLY');
    const missing = await probe.speedTest(volume, { bytes: 1024, dir: path.join(t.dir, 'missing') }).then(() => null, (e: unknown) => e);
    assert.is((missing as DomainError).code, 'NOT_A_DIRECTORY');
    const zero = await probe.speedTest(volume, { bytes: 0, dir: t.dir }).then(() => null, (e: unknown) => e);
    assert.is((zero as DomainError).code, 'INVALID_SIZE');
    assert.equal(readdirSync(t.dir), []);
  } finally {
    t.cleanup();
  }
});

Speed.run();

