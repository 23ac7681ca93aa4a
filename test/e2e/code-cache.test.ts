import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';

// The launcher keeps V8's compiled code of each command in a cache directory (src/cli/code-cache.ts). A cache is an
// optimisation only: whatever state it is in, the command gives the same output.
const CodeCache = suite('the CLI launcher\'s code cache');

const cachesIn = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.v8')).sort();

CodeCache('a command leaves its compiled code in the cache; the next run of it leaves it as it is', () => {
  const t = tempDir();
  try {
    const env = { SPACEDRIVE_CACHE_DIR: path.join(t.dir, 'cache') };
    const data = path.join(t.dir, 'data');
    const first = runCli(data, ['library', 'create', 'Photos', '--json'], env);
    assert.is(first.code, 0, first.stderr);
    const [file, ...others] = cachesIn(env.SPACEDRIVE_CACHE_DIR);
    assert.equal(others, []);
    assert.match(file, /^cli-[0-9a-f]{16}-v\d+\.\d+\.\d+-[a-z0-9]+-library-create\.v8$/);
    const cached = path.join(env.SPACEDRIVE_CACHE_DIR, file);
    const written = statSync(cached);
    assert.ok(written.size > 100_000, 'the cache holds the compiled bundle');

    const second = runCli(data, ['library', 'create', 'Work', '--json'], env);
    assert.is(second.code, 0, second.stderr);
    assert.is(second.json<{ name: string }>().name, 'Work');
    const after = statSync(cached);
    assert.equal([after.ino, after.mtimeMs], [written.ino, written.mtimeMs], 'a cache that was used is not written again');

    // another command gets a cache of its own
    assert.is(runCli(data, ['library', 'list', '--json'], env).code, 0);
    assert.equal(cachesIn(env.SPACEDRIVE_CACHE_DIR).map((n) => n.replace(/^.*-library-/, '')), ['create.v8', 'list.v8']);
  } finally {
    t.cleanup();
  }
});

CodeCache('a damaged cache is refused and written anew; the output is the same', () => {
  const t = tempDir();
  try {
    const env = { SPACEDRIVE_CACHE_DIR: path.join(t.dir, 'cache') };
    const data = path.join(t.dir, 'data');
    assert.is(runCli(data, ['library', 'create', 'Photos'], env).code, 0);
    const expected = runCli(data, ['library', 'list', '--json'], env);
    const [file] = cachesIn(env.SPACEDRIVE_CACHE_DIR).filter((n) => n.endsWith('-library-list.v8'));
    const cached = path.join(env.SPACEDRIVE_CACHE_DIR, file);
    // bytes flipped in the middle of the compiled code: V8 itself would run it (and crash), our header's hash refuses it
    const damaged = readFileSync(cached);
    for (let i = 0; i < 64; i++) damaged[(damaged.length >> 1) + i] ^= 0xff;
    writeFileSync(cached, damaged);
    const listed = runCli(data, ['library', 'list', '--json'], env);
    assert.is(listed.code, 0, listed.stderr);
    assert.is(listed.stdout, expected.stdout);
    assert.not.ok(readFileSync(cached).equals(damaged), 'the damaged cache was replaced');
  } finally {
    t.cleanup();
  }
});

CodeCache('no cache when turned off, after a usage error, or where none can be written; caches of other builds are removed', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const off = { SPACEDRIVE_CACHE_DIR: path.join(t.dir, 'off'), SPACEDRIVE_NO_CODE_CACHE: '1' };
    assert.is(runCli(data, ['library', 'list'], off).code, 0);
    assert.is(statSync(off.SPACEDRIVE_CACHE_DIR, { throwIfNoEntry: false }), undefined);

    const env = { SPACEDRIVE_CACHE_DIR: path.join(t.dir, 'cache') };
    const usage = runCli(data, ['library', 'frobnicate'], env);
    assert.is(usage.code, 1);
    assert.match(usage.stderr, /^error: Command not found/);
    assert.is(statSync(env.SPACEDRIVE_CACHE_DIR, { throwIfNoEntry: false }), undefined);

    // a file where the cache directory should be: the command runs as usual
    const blocked = { SPACEDRIVE_CACHE_DIR: path.join(t.dir, 'not-a-dir') };
    writeFileSync(blocked.SPACEDRIVE_CACHE_DIR, 'x');
    const listed = runCli(data, ['library', 'list', '--json'], blocked);
    assert.is(listed.code, 0, listed.stderr);
    assert.equal(listed.json(), []);

    mkdirSync(env.SPACEDRIVE_CACHE_DIR);
    // another build's cache goes once unused for a week; one in use (another install sharing the directory) stays
    const old = path.join(env.SPACEDRIVE_CACHE_DIR, 'cli-0123456789abcdef-v20.0.0-x64-library-list.v8');
    writeFileSync(old, 'from an older build');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(old, eightDaysAgo, eightDaysAgo);
    const recent = path.join(env.SPACEDRIVE_CACHE_DIR, 'cli-fedcba9876543210-v20.0.0-x64-library-list.v8');
    writeFileSync(recent, 'from another install');
    writeFileSync(path.join(env.SPACEDRIVE_CACHE_DIR, 'notes.txt'), 'not ours');
    assert.is(runCli(data, ['library', 'list'], env).code, 0);
    const names = readdirSync(env.SPACEDRIVE_CACHE_DIR).sort();
    assert.is(names.length, 3, names.join(', '));
    assert.ok(names.includes('notes.txt'));
    assert.ok(names.includes(path.basename(recent)));
    assert.not.ok(names.includes(path.basename(old)));

    // what a killed write of this build left is removed; a write still going on (its process alive) is not
    const current = names.find((n) => n.startsWith('cli-') && n !== path.basename(recent))!.replace(/library-list\.v8$/, '');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const killed = `${current}library-current.v8.${dead}.0badc0de.tmp`;
    const writing = `${current}library-create.v8.${process.pid}.0badc0de.tmp`;
    for (const name of [killed, writing]) writeFileSync(path.join(env.SPACEDRIVE_CACHE_DIR, name), 'half');
    assert.is(runCli(data, ['library', 'current'], env).code, 0);
    const left = readdirSync(env.SPACEDRIVE_CACHE_DIR);
    assert.ok(left.includes(writing));
    assert.not.ok(left.includes(killed));
    assert.ok(left.includes(`${current}library-current.v8`));
  } finally {
    t.cleanup();
  }
});

CodeCache.run();
