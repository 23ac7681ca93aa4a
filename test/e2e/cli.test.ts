import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { jobOutcomeLine } from '../../src/cli/foreground-job.js';
import type { JobRecord } from '../../src/projections/jobs/queries.js';
import { CLI, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const Cli = suite('spacedrive CLI (built binary)');
const INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/index.js');

Cli('library lifecycle with JSON output', () => {
  const t = tempDir();
  try {
    const created = runCli(t.dir, ['library', 'create', 'Photos', '--description', 'family', '--json']);
    assert.is(created.code, 0, created.stderr);
    const photos = created.json<{ id: string; name: string; path: string }>();
    assert.is(photos.name, 'Photos');
    assert.ok(photos.path.endsWith('/libraries/Photos.sdlibrary'));

    const current = runCli(t.dir, ['library', 'current', '--json']).json<{ id: string }>();
    assert.is(current.id, photos.id, 'the first library created becomes current');

    assert.is(runCli(t.dir, ['library', 'create', 'Work']).code, 0);
    const list = runCli(t.dir, ['library', 'list', '--json']).json<{ id: string; name: string; path: string; current: boolean }[]>();
    assert.equal(list.map((l) => [l.name, l.current]), [['Photos', true], ['Work', false]]);

    const switched = runCli(t.dir, ['library', 'switch', 'work']);
    assert.is(switched.code, 0, switched.stderr);
    assert.match(switched.stdout, /Current library: Work/);

    const renamed = runCli(t.dir, ['library', 'rename', 'Photos', '--json']).json<{ name: string; changed: boolean }>();
    assert.equal([renamed.name, renamed.changed], ['Photos 1', true]);
    assert.is(runCli(t.dir, ['library', 'describe', 'office papers']).code, 0);
    const human = runCli(t.dir, ['library', 'list']);
    assert.match(human.stdout, /\* Photos 1 /);

    const refused = runCli(t.dir, ['library', 'delete', 'Photos']);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /^error: .*--yes/);
    assert.is(runCli(t.dir, ['library', 'delete', 'Photos', '--yes']).code, 0);
    assert.equal(runCli(t.dir, ['library', 'list', '--json']).json<{ name: string }[]>().map((l) => l.name), ['Photos 1']);
  } finally {
    t.cleanup();
  }
});

Cli('events prints the envelope as JSON lines; --stream, --from, --limit', () => {
  const t = tempDir();
  try {
    runCli(t.dir, ['library', 'create', 'Log']);
    runCli(t.dir, ['library', 'rename', 'Log 2']);
    runCli(t.dir, ['library', 'describe', 'x']);
    const all = runCli(t.dir, ['events', '--json']);
    assert.is(all.code, 0, all.stderr);
    const events = all.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events.map((e) => e.type), ['DeviceRegistered', 'LibraryCreated', 'LibraryRenamed', 'LibraryDescribed']);
    for (const e of events) {
      for (const key of ['position', 'eventId', 'type', 'schemaVersion', 'streamId', 'streamVersion', 'origin', 'hlc', 'meta', 'data', 'prevHash', 'hash']) {
        assert.ok(key in e, `${key} in ${e.type}`);
      }
    }
    assert.equal(events.map((e) => e.origin.seq), [1, 2, 3, 4]);
    assert.is(events[2].meta.commandKind, 'library.rename');
    assert.is(events[1].prevHash, events[0].hash);

    const lib = runCli(t.dir, ['events', '--stream', 'library', '--from', '3', '--limit', '1', '--json']);
    assert.equal(lib.stdout.trim().split('\n').map((l) => JSON.parse(l).type), ['LibraryRenamed']);
    const human = runCli(t.dir, ['events']);
    assert.match(human.stdout, /#2 \S+ library@1 LibraryCreated/);
  } finally {
    t.cleanup();
  }
});

Cli('device show, verify and rebuild', () => {
  const t = tempDir();
  try {
    const device = runCli(t.dir, ['device', 'show', '--json']).json<{ id: string; publicKey: string; os: string }>();
    assert.match(device.id, /^[0-9a-f-]{36}$/);
    assert.equal(runCli(t.dir, ['device', 'show', '--json']).json(), device, 'the identity is stable');

    runCli(t.dir, ['library', 'create', 'V']);
    const verify = runCli(t.dir, ['verify', '--json']);
    assert.is(verify.code, 0, verify.stdout);
    const report = verify.json<{ equal: boolean; tables: { name: string; equal: boolean }[]; chains: { ok: boolean } }>();
    assert.ok(report.equal);
    assert.ok(report.chains.ok);
    assert.ok(report.tables.every((x) => x.equal));
    const rebuild = runCli(t.dir, ['rebuild', '--json']);
    assert.is(rebuild.code, 0);
    assert.is(rebuild.json<{ events: number }>().events, 2);
    assert.is(runCli(t.dir, ['verify', '--quiet']).stdout, '');
  } finally {
    t.cleanup();
  }
});

Cli('errors: exit 1 with `error: …`, JSON errors, no stack traces', () => {
  const t = tempDir();
  try {
    const empty = runCli(t.dir, ['library', 'create', '   ']);
    assert.is(empty.code, 1);
    assert.match(empty.stderr, /^error: a library name cannot be empty/);
    assert.not.match(empty.stderr, /\n\s+at /);

    const missing = runCli(t.dir, ['library', 'switch', 'nope', '--json']);
    assert.is(missing.code, 1);
    assert.is(missing.json<{ error: { code: string } }>().error.code, 'LIBRARY_NOT_FOUND');

    // usage errors too: the message on stderr (stdout stays clean for what a script reads), JSON on stdout
    const usage = runCli(t.dir, ['events', '--from', 'zero']);
    assert.is(usage.code, 1);
    assert.match(usage.stderr, /^error: .*--from/);
    assert.is(usage.stdout, '');
    const unknown = runCli(t.dir, ['frobnicate']);
    assert.is(unknown.code, 1);
    assert.match(unknown.stderr, /^error: Command not found/);
    assert.is(unknown.stdout, '');
    // a name that is not valid UTF-8 reaches Node decoded lossily (U+FFFD): refused, never taken for another file
    const bytes = Buffer.from([0x62, 0x61, 0x64, 0xff, 0x2e, 0x62, 0x69, 0x6e]); // bad\xff.bin
    writeFileSync(Buffer.concat([Buffer.from(`${t.dir}/`), bytes]), 'raw');
    writeFileSync(path.join(t.dir, 'bad\uFFFD.bin'), 'the file the lossy name spells');
    const raw = spawnSync('sh', ['-c', `exec "$0" "$1" file delete "$(printf 'bad\\377.bin')" --dry-run --data-dir "$2"`, process.execPath, CLI, t.dir], { cwd: t.dir, encoding: 'utf8' });
    assert.is(raw.status, 1, raw.stdout + raw.stderr);
    assert.match(raw.stderr, /^error: "bad\\xff\.bin" is not valid UTF-8 .*cannot take such a name on its command line yet/);
    assert.ok(existsSync(path.join(t.dir, 'bad\uFFFD.bin')), 'the file the lossy decoding names is untouched');
    // a process title hides the arguments' bytes: refused still, since they cannot be checked
    const titled = spawnSync('sh', ['-c', `exec "$0" "$1" file delete "$(printf 'bad\\377.bin')" --dry-run --data-dir "$2"`, process.execPath, CLI, t.dir], {
      cwd: t.dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--title=sd-test' },
    });
    assert.is(titled.status, 1, titled.stdout + titled.stderr);
    assert.match(titled.stderr, /^error: an argument holds U\+FFFD .*cannot be checked here/);
    // a name that really holds U+FFFD is valid UTF-8: taken as it is
    const outside = tempDir();
    try {
      writeFileSync(path.join(outside.dir, 'bad\uFFFD.bin'), 'a real U+FFFD');
      const literal = runCli(t.dir, ['file', 'delete', path.join(outside.dir, 'bad\uFFFD.bin'), '--dry-run']);
      assert.is(literal.code, 0, literal.stderr);
    } finally {
      outside.cleanup();
    }
    assert.ok(existsSync(Buffer.concat([Buffer.from(`${t.dir}/`), bytes])));
    // a negative number after an option reads as an option itself: the message says how to write it
    const negative = runCli(t.dir, ['file', 'duplicates', t.dir, '--min-size', '-1']);
    assert.is(negative.code, 1);
    assert.match(negative.stderr, /^error: "-1" after --min-size reads as an option: to give --min-size a negative value, write --min-size=-1\n/);
    const written = runCli(t.dir, ['file', 'duplicates', t.dir, '--min-size=-1']);
    assert.is(written.code, 1);
    assert.match(written.stderr, /^error: .*minSize.*>=0/);
    // a command group is no command: with --help it lists its commands, alone it asks for one
    const groupHelp = runCli(t.dir, ['file', '--help']);
    assert.is(groupHelp.code, 0, groupHelp.stderr);
    assert.match(groupHelp.stdout, /spacedrive file copy /);
    assert.not.match(groupHelp.stdout, /spacedrive tag /);
    const noCommand = runCli(t.dir, ['tag']);
    assert.is(noCommand.code, 1);
    assert.match(noCommand.stderr, /^error: `spacedrive tag` needs a command:[\s\S]*spacedrive tag create /);
    // --version alone registers no command (a quicker start); anything after it is still a usage error
    const bare = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', SPACEDRIVE_NO_CODE_CACHE: '1' } });
    const version = bare('--version');
    assert.is(version.status, 0, version.stderr);
    assert.is(version.stdout, `${JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version}\n`);
    assert.is(bare('-v').stdout, version.stdout);
    assert.is(bare('--version', 'ls').status, 1);
    const usageJson = runCli(t.dir, ['events', '--from', 'zero', '--json']);
    assert.is(usageJson.code, 1);
    assert.is(usageJson.json<{ error: { code: string } }>().error.code, 'USAGE');

    const long = runCli(t.dir, ['library', 'create', 'x'.repeat(201)]);
    assert.is(long.code, 1);
    assert.match(long.stderr, /at most 200 bytes/);
  } finally {
    t.cleanup();
  }
});

Cli('a job\'s outcome line names what a move did as moved, with its bytes', () => {
  const record = (output: Record<string, unknown>) => ({ id: 'j', status: 'completed', output, errorCount: 0 }) as unknown as JobRecord;
  assert.is(jobOutcomeLine(record({ action: 'move', copied: 25, failed: 0, bytes: 1 })), 'Job j completed: 25 moved, 1 byte');
  assert.is(jobOutcomeLine(record({ action: 'copy', copied: 2, bytes: 10 })), 'Job j completed: 2 copied, 10 bytes');
  assert.is(jobOutcomeLine(record({ added: 3, identified: 2 })), 'Job j completed: 3 added, 2 identified');
});

Cli('a SIGTERM that comes once a foreground job has ended does not kill the process while it winds down', () => {
  // as when `job pause` crosses the job's completion: the signal lands while the process prints and closes
  const FOREGROUND = path.resolve(path.dirname(INDEX), 'cli/foreground-job.js');
  const r = spawnSync(process.execPath, [
    '--input-type=module',
    '-e',
    `const { runInForeground } = await import(${JSON.stringify(FOREGROUND)});
     let paused = 0;
     const library = { jobs: { pauseAll: () => { paused++; }, onProgress: () => () => {} } };
     const job = await runInForeground(library, async () => ({ done: Promise.resolve({ id: 'j', status: 'completed' }) }), { stderr: process.stderr, showProgress: false });
     process.kill(process.pid, 'SIGTERM');
     setTimeout(() => console.log(job.status + ' paused ' + paused), 100);`, // one string: a number would be coloured under FORCE_COLOR
  ], { encoding: 'utf8' });
  assert.is(r.signal, null, 'killed by the signal');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), 'completed paused 0');
});

Cli('a library open in another process is refused with a clear message', async () => {
  const t = tempDir();
  try {
    runCli(t.dir, ['library', 'create', 'Busy']);
    const holder = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `const { openCore } = await import(${JSON.stringify(INDEX)});
       const core = await openCore({ dataDir: ${JSON.stringify(t.dir)} });
       await core.libraries.open('Busy');
       console.log('open');
       setTimeout(() => {}, 60000);`,
    ]);
    try {
      const [chunk] = (await once(holder.stdout!, 'data')) as [Buffer];
      assert.is(chunk.toString().trim(), 'open');
      const refused = runCli(t.dir, ['events']);
      assert.is(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`^error: the library at .* is in use by process ${holder.pid}`));
    } finally {
      holder.kill('SIGKILL');
      await once(holder, 'exit');
    }
    const after = runCli(t.dir, ['events', '--json']);
    assert.is(after.code, 0, 'a lock left by a killed process is recovered');
  } finally {
    t.cleanup();
  }
});

Cli.run();
