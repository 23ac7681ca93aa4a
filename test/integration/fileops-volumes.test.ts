import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import type { TransferRequest } from '../../src/commands/files/plan.js';
import { openCore } from '../../src/infra/container.js';
import { makeImage, mountLoop, mountTmpfs, skipped, unmount } from '../support/mounts.js';
import { tempDir } from '../support/temp.js';
import { treeDifferences, treeFacts } from '../support/tree-compare.js';

const Volumes = suite('file operations choose rename, clone or copy from the volume layer (real loop mounts)');

/** A file of real bytes, a nested folder, an empty file and a symlink: enough for every path of the copy engine. */
function sampleTree(root: string): void {
  mkdirSync(path.join(root, 'nested/deeper'), { recursive: true });
  writeFileSync(path.join(root, 'photo.raw'), randomBytes(1 << 20));
  writeFileSync(path.join(root, 'nested/note.txt'), 'note');
  writeFileSync(path.join(root, 'nested/deeper/empty'), '');
  execFileSync('ln', ['-s', '../photo.raw', path.join(root, 'nested/link')]);
}

const request = (action: 'copy' | 'move', sources: string[], destination: string, more: Partial<TransferRequest> = {}): TransferRequest => ({
  action, sources, destination, overwrite: 'error', verify: false, preserveTimestamps: true, sync: false, ...more,
});

/** Strategies the job recorded for the files (not folders) below `under`, deduplicated. */
function recordedStrategies(library: Library, jobId: string, under: string): string[] {
  const paths = library.audit({}).filter((r) => r.jobId === jobId).flatMap((r) => r.paths);
  return [...new Set(paths.filter((p) => p.kind !== 'directory' && 'destination' in p && p.destination?.startsWith(under)).map((p) => (p as { strategy: string }).strategy))].sort();
}

interface Mounted {
  dir: string;
  type: string;
}

/** Loop-mounts each image under `root`; those that cannot be made or mounted are logged as skipped. */
function mountAll(root: string, specs: [name: string, type: string, megabytes: number, args: string[]][]): Map<string, Mounted> {
  const out = new Map<string, Mounted>();
  for (const [name, type, megabytes, args] of specs) {
    const image = path.join(root, `${name}.img`);
    const dir = path.join(root, name);
    mkdirSync(dir);
    const refused = makeImage(image, type, megabytes, args) ?? mountLoop(image, dir);
    if (refused) skipped(`file operations on ${name}`, refused);
    else out.set(name, { dir, type });
  }
  return out;
}

async function withLibrary(fn: (library: Library, dir: string, mounted: string[]) => Promise<void>): Promise<void> {
  const t = tempDir();
  const core = await openCore({ dataDir: path.join(t.dir, 'data') });
  const mounted: string[] = [];
  try {
    await fn(await core.libraries.open(), t.dir, mounted);
  } finally {
    core.close();
    for (const dir of mounted.reverse()) unmount(dir);
    t.cleanup();
  }
}

Volumes('a copy within btrfs or reflink xfs is a clone, within ext4 a kernel copy, across filesystems never a clone; a move within a mount is a rename', () =>
  withLibrary(async (library, dir, mounted) => {
    const volumes = mountAll(dir, [
      ['btrfs', 'btrfs', 128, ['-q']],
      ['xfs-reflink', 'xfs', 300, ['-q', '-m', 'reflink=1']],
      ['ext4', 'ext4', 32, ['-q', '-F']],
    ]);
    mounted.push(...[...volumes.values()].map((v) => v.dir));
    const expected: Record<string, string> = { btrfs: 'clone', 'xfs-reflink': 'clone', ext4: 'copy' };
    for (const [name, { dir: mount, type }] of volumes) {
      const src = path.join(mount, 'src');
      sampleTree(src);
      const copy = path.join(mount, 'copy');
      const plan = await library.files.planTransfer(request('copy', [src], copy));
      assert.equal(plan.items.map((i) => i.strategy), [expected[name]], `${name}: planned`);
      assert.equal([plan.targetVolume?.mountPoint, plan.targetVolume?.fileSystem], [mount, type], `${name}: the plan names the target volume`);
      assert.ok(plan.freeBytes > 0 && plan.freeBytes === plan.targetVolume?.availableBytes);
      const { job } = await library.files.transfer(request('copy', [src], copy));
      assert.is((await job.done).status, 'completed');
      assert.equal(recordedStrategies(library, job.jobId, copy), expected[name] === 'clone' ? ['clone', 'copy'] : ['copy'], `${name}: files cloned (symlinks are written as links)`);
      assert.equal(treeDifferences(treeFacts(src), treeFacts(copy), { mtimes: true }), [], name);

      const moved = path.join(mount, 'moved');
      assert.equal((await library.files.planTransfer(request('move', [copy], moved))).items.map((i) => i.strategy), ['rename'], `${name}: a move within one mount`);
      const move = await library.files.transfer(request('move', [copy], moved));
      assert.is((await move.job.done).status, 'completed');
      assert.equal(library.audit({}).filter((r) => r.jobId === move.job.jobId).flatMap((r) => r.paths.map((p) => (p as { strategy: string }).strategy)), ['rename']);
      assert.not.ok(existsSync(copy));
      assert.equal(treeDifferences(treeFacts(src), treeFacts(moved), { mtimes: true }), [], name);
    }
    // across filesystems (even onto a copy-on-write one) the bytes are copied, never cloned
    const ext4 = volumes.get('ext4');
    const btrfs = volumes.get('btrfs');
    if (ext4 && btrfs) {
      const into = path.join(btrfs.dir, 'from-ext4');
      const plan = await library.files.planTransfer(request('copy', [path.join(ext4.dir, 'src')], into));
      assert.equal(plan.items.map((i) => i.strategy), ['copy']);
      const { job } = await library.files.transfer(request('copy', [path.join(ext4.dir, 'src')], into));
      assert.is((await job.done).status, 'completed');
      assert.equal(recordedStrategies(library, job.jobId, into), ['copy']);
    }
    assert.is(library.verify().equal, true);
  }));

Volumes('a move between two mounts of one filesystem, or across filesystems, copies (cloning where it can) and deletes each source after its copy', () =>
  withLibrary(async (library, dir, mounted) => {
    const volumes = mountAll(dir, [
      ['btrfs', 'btrfs', 128, ['-q']],
      ['ext4', 'ext4', 32, ['-q', '-F']],
    ]);
    mounted.push(...[...volumes.values()].map((v) => v.dir));
    for (const [name, { dir: mount }] of volumes) {
      // the same filesystem seen at a second mount point: rename(2) between the two answers EXDEV
      const shared = path.join(mount, 'shared');
      mkdirSync(shared);
      const bound = path.join(dir, `${name}-bound`);
      mkdirSync(bound);
      const refused = ((): string | null => {
        try {
          execFileSync('mount', ['--bind', shared, bound], { stdio: 'pipe' });
          return null;
        } catch (err) {
          return (err as Error).message;
        }
      })();
      if (refused) {
        skipped(`move across bind mounts of ${name}`, refused);
        continue;
      }
      mounted.push(bound);
      const src = path.join(mount, 'album');
      sampleTree(src);
      const reference = path.join(dir, `${name}-reference`);
      execFileSync('cp', ['-a', src, reference]);
      const target = path.join(bound, 'album');
      const plan = await library.files.planTransfer(request('move', [src], target));
      // a move that copies verifies each copy before deleting its source (read back and compared: 'stream'); a clone needs no check
      const expected = name === 'btrfs' ? 'clone' : 'stream';
      assert.equal(plan.items.map((i) => [i.strategy, plan.targetVolume?.mountPoint]), [[expected, bound]], `${name}: not a rename across mount points`);
      const { job } = await library.files.transfer(request('move', [src], target));
      assert.is((await job.done).status, 'completed');
      assert.not.ok(existsSync(src), `${name}: the moved folder is gone from its source`);
      assert.equal(treeDifferences(treeFacts(reference), treeFacts(target), { mtimes: true }), [], name);
      // the kernel (≥ 5.18) clones across mounts of one filesystem; older ones refuse and the job copies instead
      const strategies = recordedStrategies(library, job.jobId, target);
      assert.ok(strategies.includes(expected), `${name}: ${strategies.join(',')}`);
      assert.not.ok(strategies.includes('rename'));
    }
    const ext4 = volumes.get('ext4');
    const btrfs = volumes.get('btrfs');
    if (ext4 && btrfs) {
      const src = path.join(ext4.dir, 'travels');
      sampleTree(src);
      const reference = path.join(dir, 'travels-reference');
      execFileSync('cp', ['-a', src, reference]);
      const target = path.join(btrfs.dir, 'travels');
      assert.equal((await library.files.planTransfer(request('move', [src], target))).items.map((i) => i.strategy), ['stream']);
      const { job } = await library.files.transfer(request('move', [src], target, { sync: true }));
      assert.is((await job.done).status, 'completed');
      assert.not.ok(existsSync(src));
      assert.equal(treeDifferences(treeFacts(reference), treeFacts(target), { mtimes: true }), []);
      assert.equal(recordedStrategies(library, job.jobId, target), ['copy', 'stream'], 'files verified (symlinks are written as links)');
      const files = library.audit({}).filter((r) => r.jobId === job.jobId).flatMap((r) => r.paths).filter((p) => p.kind === 'file');
      assert.ok(files.length > 0 && files.every((p) => /^[0-9a-f]{64}$/.test(String((p as { hash?: string }).hash))), 'each moved file carries its verified BLAKE3');
    }
    assert.is(library.verify().equal, true);
  }));

Volumes('a move across filesystems keeps hard links when a folder sorts between their names; one that could not empty its source is refused up front', () =>
  withLibrary(async (library, dir, mounted) => {
    const volume = path.join(dir, 'tmpfs');
    mkdirSync(volume);
    const refused = mountTmpfs(volume);
    if (refused) return skipped('moves across filesystems', refused);
    mounted.push(volume);
    const src = path.join(dir, 'linked');
    mkdirSync(path.join(src, 'm'), { recursive: true });
    writeFileSync(path.join(src, 'a'), 'data');
    linkSync(path.join(src, 'a'), path.join(src, 'z'));
    writeFileSync(path.join(src, 'm/between'), 'between');
    const { job } = await library.files.transfer(request('move', [src], path.join(volume, 'linked')));
    assert.is((await job.done).status, 'completed');
    assert.not.ok(existsSync(src));
    const [a, z] = ['a', 'z'].map((n) => statSync(path.join(volume, 'linked', n)));
    assert.equal([a.ino, a.nlink], [z.ino, 2], 'a and z are still one file');
    assert.is(readFileSync(path.join(volume, 'linked/m/between'), 'utf8'), 'between');

    // a read-only mount inside the folder: its files could be copied but never removed
    const stuck = path.join(dir, 'stuck');
    mkdirSync(path.join(stuck, 'ro'), { recursive: true });
    writeFileSync(path.join(stuck, 'free.txt'), 'free');
    const notMounted = mountTmpfs(path.join(stuck, 'ro'));
    if (notMounted) return skipped('a read-only folder inside a source', notMounted);
    mounted.push(path.join(stuck, 'ro'));
    writeFileSync(path.join(stuck, 'ro/held.txt'), 'held');
    execFileSync('mount', ['-o', 'remount,ro', path.join(stuck, 'ro')]);
    const head = (await library.readEvents()).length;
    const move = await library.files.planTransfer(request('move', [stuck], path.join(volume, 'stuck')));
    assert.equal(move.refusals.map((r) => r.code), ['SOURCE_READ_ONLY']);
    const remove = await library.files.planDelete({ paths: [stuck], mode: 'permanent', confirmed: true });
    assert.equal(remove.refusals.map((r) => r.code), ['PARENT_READ_ONLY']);
    assert.equal((await library.files.planTransfer(request('copy', [stuck], path.join(volume, 'stuck')))).refusals, [], 'a copy removes nothing');
    assert.is((await library.readEvents()).length, head);
    assert.ok(existsSync(path.join(stuck, 'free.txt')));
  }));

Volumes('rename(2) answering EXDEV falls back to copy-then-delete: a mount inside a merged folder, a target mounted over while the job was paused', () =>
  withLibrary(async (library, dir, mounted) => {
    const volumes = mountAll(dir, [['ext4', 'ext4', 32, ['-q', '-F']]]);
    const ext4 = volumes.get('ext4');
    if (!ext4) return;
    mounted.push(ext4.dir);
    // merge into an existing folder: files are renamed one by one, but album/inner is another filesystem
    const album = path.join(ext4.dir, 'album');
    mkdirSync(path.join(album, 'inner'), { recursive: true });
    writeFileSync(path.join(album, 'outer.txt'), 'outer');
    const inner = path.join(album, 'inner');
    const tmpfs = ((): string | null => {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'sd-test-inner', inner], { stdio: 'pipe' });
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    })();
    if (tmpfs) return skipped('EXDEV fallback', tmpfs);
    mounted.push(inner);
    writeFileSync(path.join(inner, 'far.txt'), 'far away');
    const dest = path.join(ext4.dir, 'dest');
    mkdirSync(path.join(dest, 'album'), { recursive: true });
    const merge = await library.files.transfer(request('move', [album], dest, { overwrite: 'replace' }));
    assert.is(merge.plan.items[0].method, 'rename-each');
    assert.is((await merge.job.done).status, 'completed');
    assert.is(readFileSync(path.join(dest, 'album/outer.txt'), 'utf8'), 'outer');
    assert.is(readFileSync(path.join(dest, 'album/inner/far.txt'), 'utf8'), 'far away');
    assert.not.ok(existsSync(path.join(inner, 'far.txt')), 'the source of the copied file is deleted');
    const byFile = Object.fromEntries(library.audit({}).filter((r) => r.jobId === merge.job.jobId).flatMap((r) => r.paths).filter((p) => p.kind === 'file').map((p) => [path.basename(p.source), (p as { strategy: string }).strategy]));
    assert.equal(byFile, { 'outer.txt': 'rename', 'far.txt': 'stream' }); // copied across the mount, verified before its source goes

    // planned as renames; while paused, another filesystem is mounted over the destination folder
    const first = path.join(ext4.dir, 'first.txt');
    const second = path.join(ext4.dir, 'second');
    writeFileSync(first, 'first');
    mkdirSync(second);
    writeFileSync(path.join(second, 'inside.txt'), 'inside');
    const target = path.join(ext4.dir, 'target');
    mkdirSync(target);
    const started = await library.files.transfer(request('move', [first, second], target));
    assert.equal(started.plan.items.map((i) => i.strategy), ['rename', 'rename']);
    library.jobs.pauseAll(); // the job stops after its first source
    assert.is((await started.job.done).status, 'paused');
    assert.ok(existsSync(path.join(target, 'first.txt')) && existsSync(second));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'sd-test-over', target]);
    mounted.push(target);
    const resumed = await (await library.jobs.resume(started.job.jobId, {})).done;
    assert.is(resumed.status, 'completed', JSON.stringify(resumed.output));
    assert.equal(resumed.output?.failed, 0);
    assert.is(readFileSync(path.join(target, 'second/inside.txt'), 'utf8'), 'inside');
    assert.not.ok(existsSync(second), 'the source folder is gone once its files are copied');
    assert.equal(recordedStrategies(library, started.job.jobId, path.join(target, 'second')), ['stream']);
    assert.is(library.verify().equal, true);
  }));

Volumes.run();
