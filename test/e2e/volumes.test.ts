import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { openCore } from '../../src/infra/container.js';

const Cli = suite('spacedrive volume (built binary)');

interface VolumeJson {
  fingerprint: string;
  name: string;
  mountPoint: string;
  fileSystem: string;
  totalBytes: number;
  availableBytes: number;
  mountType: string;
  diskType: string;
  readOnly: boolean;
  tracked: boolean;
  online: boolean;
}

interface FindmntNode {
  target: string;
  source: string;
  fstype: string;
  size: number | null;
  avail: number | null;
  options: string;
  children?: FindmntNode[];
}

/** findmnt's tree, flattened in its order: for a mount point mounted twice the later (topmost) entry wins. */
function findmnt(): Map<string, FindmntNode> {
  const r = spawnSync('findmnt', ['-J', '-b', '-o', 'TARGET,SOURCE,FSTYPE,SIZE,AVAIL,OPTIONS'], { encoding: 'utf8' });
  assert.is(r.status, 0, `findmnt must run: ${r.error?.message ?? r.stderr}`);
  const byTarget = new Map<string, FindmntNode>();
  const walk = (nodes: FindmntNode[]) => {
    for (const n of nodes) {
      byTarget.delete(n.target);
      byTarget.set(n.target, n);
      walk(n.children ?? []);
    }
  };
  walk((JSON.parse(r.stdout) as { filesystems: FindmntNode[] }).filesystems);
  return byTarget;
}

function disagreements(ours: VolumeJson[], theirs: Map<string, FindmntNode>): string[] {
  const problems: string[] = [];
  if (ours.length !== theirs.size) problems.push(`we report ${ours.length} mounts, findmnt ${theirs.size}`);
  for (const v of ours) {
    const f = theirs.get(v.mountPoint);
    if (!f) {
      problems.push(`${v.mountPoint}: not in findmnt`);
      continue;
    }
    if (f.fstype !== v.fileSystem) problems.push(`${v.mountPoint}: fstype ${v.fileSystem}, findmnt ${f.fstype}`);
    const size = f.size ?? 0;
    if (Math.abs(size - v.totalBytes) > 0.01 * Math.max(size, v.totalBytes)) problems.push(`${v.mountPoint}: size ${v.totalBytes}, findmnt ${size}`);
  }
  return problems;
}

Cli('volume list --all --json agrees with findmnt on every mount (mount point, fstype, size within 1%); the JSON shape', () => {
  const t = tempDir();
  try {
    // other processes on this machine may mount or unmount between the two listings: compare again, at most 3 times
    let problems: string[] = [];
    let all: VolumeJson[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = runCli(t.dir, ['volume', 'list', '--all', '--json']);
      assert.is(r.code, 0, r.stderr);
      all = r.json<VolumeJson[]>().filter((v) => v.online);
      assert.ok(all.length > 0);
      problems = disagreements(all, findmnt());
      if (problems.length === 0) break;
    }
    assert.equal(problems, []);

    // the DESIGN §6 shape; hidden mounts only with --all
    const shown = runCli(t.dir, ['volume', 'list', '--json']).json<VolumeJson[]>();
    assert.ok(shown.length < all.length, 'pseudo filesystems are hidden by default');
    assert.not.ok(shown.some((v) => ['proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts'].includes(v.fileSystem)));
    const root = shown.find((v) => v.mountPoint === '/')!;
    for (const [field, type] of Object.entries({
      fingerprint: 'string', name: 'string', mountPoint: 'string', fileSystem: 'string', totalBytes: 'number', availableBytes: 'number',
      mountType: 'string', diskType: 'string', readOnly: 'boolean', tracked: 'boolean',
    })) {
      assert.is(typeof (root as unknown as Record<string, unknown>)[field], type, field);
    }
    assert.match(root.fingerprint, /^[0-9a-f]{64}$/);
    assert.ok(['system', 'external', 'network', 'virtual'].includes(root.mountType));
    assert.ok(['ssd', 'hdd', 'network', 'virtual', 'unknown'].includes(root.diskType));
  } finally {
    t.cleanup();
  }
});

Cli('track, untrack, rename across processes and libraries; errors exit 1 with codes', () => {
  const t = tempDir();
  try {
    const tracked = runCli(t.dir, ['volume', 'track', '/', '--name', 'System disk', '--json']); // creates "My Library"
    assert.is(tracked.code, 0, tracked.stderr);
    assert.is(runCli(t.dir, ['library', 'create', 'Other']).code, 0); // "My Library" stays the current one
    const fp = tracked.json<VolumeJson>().fingerprint;
    const main = runCli(t.dir, ['volume', 'list', '--json']).json<VolumeJson[]>().find((v) => v.fingerprint === fp)!;
    assert.equal([main.tracked, main.name], [true, 'System disk'], 'tracked, in a later process');
    assert.is(runCli(t.dir, ['volume', 'list', '--library', 'Other', '--json']).json<VolumeJson[]>().find((v) => v.fingerprint === fp)?.tracked, false);

    const twice = runCli(t.dir, ['volume', 'track', fp.slice(0, 8), '--json']);
    assert.is(twice.code, 1);
    assert.is(twice.json<{ error: { code: string } }>().error.code, 'VOLUME_ALREADY_TRACKED');
    const notTracked = runCli(t.dir, ['volume', 'untrack', '/', '--library', 'Other']);
    assert.is(notTracked.code, 1);
    assert.match(notTracked.stderr, /^error: .*not tracked in this library/);

    const renamed = runCli(t.dir, ['volume', 'rename', 'System disk', 'Root disk', '--json']);
    assert.is(renamed.json<VolumeJson>().name, 'Root disk');
    assert.is(runCli(t.dir, ['volume', 'untrack', 'Root disk']).code, 0);
    const events = runCli(t.dir, ['events', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; streamId: string });
    assert.equal(events.filter((e) => e.streamId === `volume-${fp}`).map((e) => e.type), ['VolumeTracked', 'VolumeRenamed', 'VolumeUntracked']);
  } finally {
    t.cleanup();
  }
});

Cli('volume list and volume for still work while another process holds the library', async () => {
  const t = tempDir();
  const core = await openCore({ dataDir: t.dir });
  try {
    const library = await core.libraries.open(); // holds the lock, as a job running in another terminal would
    const tracked = await library.volumes.track('/', 'System disk');
    const list = runCli(t.dir, ['volume', 'list', '--json']);
    assert.is(list.code, 0, list.stderr);
    assert.equal(
      list.json<VolumeJson[]>().filter((v) => v.tracked).map((v) => [v.fingerprint, v.name]),
      [[tracked.fingerprint, 'System disk']],
    );
    const where = runCli(t.dir, ['volume', 'for', t.dir, '--json']);
    assert.is(where.code, 0, where.stderr);
    const locked = runCli(t.dir, ['volume', 'untrack', '/']);
    assert.equal([locked.code, /in use|locked/i.test(locked.stderr)], [1, true], locked.stderr);
    library.close();
  } finally {
    core.close();
    t.cleanup();
  }
});

Cli('speed-test: reports MB/s, records VolumeSpeedTested; Ctrl-C removes only its own file', async () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const work = path.join(t.dir, 'work');
    mkdirSync(work);
    writeFileSync(path.join(work, '.spacedrive-speed-test-someone-else'), 'theirs');
    const holder = runCli(data, ['volume', 'for', path.join(work, 'not', 'yet'), '--json']).json<VolumeJson & { deviceNumber: number }>();
    assert.is(holder.deviceNumber, statSync(work).dev, '`volume for` names the volume that holds the folder');
    const tested = runCli(data, ['volume', 'speed-test', holder.fingerprint, '--size', '2M', '--dir', work, '--json']);
    assert.is(tested.code, 0, tested.stderr);
    const out = tested.json<{ bytes: number; writeMBps: number; readMBps: number; volume: VolumeJson }>();
    assert.is(out.bytes, 2 * 1024 * 1024);
    assert.ok(out.writeMBps > 0 && out.readMBps > 0);
    assert.equal(readdirSync(work), ['.spacedrive-speed-test-someone-else']);
    const events = runCli(data, ['events', '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; data: { bytes: number } });
    assert.equal(events.filter((e) => e.type === 'VolumeSpeedTested').map((e) => e.data.bytes), [2 * 1024 * 1024]);

    const bad = runCli(data, ['volume', 'speed-test', holder.fingerprint, '--size', 'lots']);
    assert.equal([bad.code, bad.stderr.trim()], [1, 'error: invalid size "lots": give bytes or a number with K, M, G (e.g. 64M)']);

    // Ctrl-C: stop the process as soon as it starts writing, queue SIGINT, let it go on
    const child = spawn(process.execPath, [CLI, 'volume', 'speed-test', holder.fingerprint, '--size', '512M', '--dir', work, '--data-dir', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    let interrupted = false;
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk;
        if (stderr.includes('writing ') && !interrupted) {
          interrupted = true;
          child.kill('SIGSTOP');
          child.kill('SIGINT');
          child.kill('SIGCONT');
        }
      });
      child.on('close', resolve);
    });
    assert.is(code, 130, stderr);
    assert.match(stderr, /interrupted; its temporary file was removed/);
    assert.equal(readdirSync(work), ['.spacedrive-speed-test-someone-else'], 'only its own file is removed');
    const after = runCli(data, ['events', '--json']).stdout.trim().split('\n').filter((l) => l.includes('"VolumeSpeedTested"'));
    assert.is(after.length, 1, 'an interrupted test records nothing');
  } finally {
    t.cleanup();
  }
});

Cli.run();
