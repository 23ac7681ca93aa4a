import { execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, runCliUnprivileged, unprivilegedDataDir } from '../support/cli.js';
import { writeDupesTree } from '../support/dupes-tree.js';
import { asSortedSets, fdupesGroups, hasFdupes } from '../support/fdupes.js';
import { tempDir } from '../support/temp.js';

const Dupes = suite('spacedrive file duplicates (built binary, compared with fdupes -r)');

interface Report {
  mode: string;
  groups: { key: string; size: number; wastedBytes: number; paths: string[] }[];
  totals: { groups: number; duplicateFiles: number; wastedBytes: number; filesScanned: number; bytesScanned: number };
  hashes: { fromIndex: number; computed: number; fullHashes: number };
  unidentified: number;
  stale: { path: string; reason: string }[];
  errors: { path: string; code: string; message: string }[];
}

/**
 * Hard links: fdupes keeps whichever name of a file its directory listing met first (raw readdir order), spacedrive
 * the name that sorts first; both keep exactly one. Comparisons name a linked file by its inode, other files by path.
 */
function canonical(groups: string[][]): string[][] {
  return asSortedSets(
    groups.map((g) =>
      g.map((p) => {
        const st = lstatSync(Buffer.from(unescape(p), 'latin1'));
        return st.nlink > 1 ? `inode:${st.ino}` : p;
      }),
    ),
  );
}

/** The bytes of a path shown with `\xHH` escapes, as a latin1 string (one char per byte). */
/** Regular files below `dir` (symlinks not followed) and their bytes, as the scan counts them. */
function regularFiles(dir: Buffer): { files: number; bytes: number } {
  const totals = { files: 0, bytes: 0 };
  for (const name of readdirSync(dir, { encoding: 'buffer' })) {
    const p = Buffer.concat([dir, Buffer.from('/'), name]);
    const st = lstatSync(p);
    if (st.isDirectory()) {
      const sub = regularFiles(p);
      totals.files += sub.files;
      totals.bytes += sub.bytes;
    } else if (st.isFile()) {
      totals.files++;
      totals.bytes += st.size;
    }
  }
  return totals;
}

function unescape(shown: string): string {
  return Buffer.from(shown, 'utf8')
    .toString('latin1')
    .replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function duplicates(data: string, args: string[]): Report {
  const r = runCli(data, ['file', 'duplicates', ...args, '--json']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  return r.json<Report>();
}

Dupes('deep groups are exactly fdupes -r groups on a generated tree with ~15% copies and odd names; content differs only by a sampled-casId twin', () => {
  assert.ok(hasFdupes(), 'fdupes is not installed (CI installs it: .ci/run)');
  const t = tempDir();
  try {
    const tree = path.join(t.dir, 'tree');
    const { sampledTwins } = writeDupesTree(tree);
    const data = path.join(t.dir, 'data');
    const theirs = fdupesGroups([tree]);
    assert.ok(theirs.length >= 30, `the tree should hold many duplicate groups (fdupes found ${theirs.length})`);
    assert.ok(theirs.flat().some((p) => p.includes('\\xff\\xfe')), 'a group holds a path that is not valid UTF-8');
    assert.ok(theirs.flat().some((p) => p.includes('🎞')), 'a group holds an emoji name');

    const deep = duplicates(data, [tree]);
    assert.is(deep.mode, 'deep');
    assert.equal(canonical(deep.groups.map((g) => g.paths)), canonical(theirs));
    assert.equal(deep.errors, []);

    // hard links count once: the linked file's copy forms a group of two, the never-copied linked file none
    const linked = deep.groups.find((g) => g.paths.includes(path.join(tree, 'd e', 'linked copy.txt')))!;
    assert.equal(linked.paths, [path.join(tree, 'a', 'linked-again.txt'), path.join(tree, 'd e', 'linked copy.txt')]);
    assert.not.ok(deep.groups.some((g) => g.paths.some((p) => p.includes('alone'))));
    // three files of one size and first 4 KiB, two of them alike: compared in one group, only the two are grouped
    assert.ok(deep.groups.some((g) => g.paths.join('|') === [path.join(tree, 'a/b', 'tail-2.dat'), path.join(tree, 'd e', 'tail-3.dat')].join('|')));
    assert.not.ok(deep.groups.some((g) => g.paths.includes(path.join(tree, 'a', 'tail-1.dat'))));
    // symlinks are not followed, the fifo is no file, the empty files are one group worth nothing
    assert.not.ok(deep.groups.some((g) => g.paths.some((p) => p.includes('link-to-') || p.includes('a-fifo'))));
    const empty = deep.groups.find((g) => g.key === 'empty')!;
    assert.equal([empty.size, empty.wastedBytes, empty.paths.length], [0, 0, 3]);

    // largest waste first; within a group, paths sorted; totals add up
    for (let i = 1; i < deep.groups.length; i++) assert.ok(deep.groups[i - 1].wastedBytes >= deep.groups[i].wastedBytes);
    for (const g of deep.groups) {
      assert.equal(g.paths, [...g.paths].sort());
      assert.is(g.wastedBytes, g.size * (g.paths.length - 1));
      assert.match(g.key, g.size === 0 ? /^empty$/ : /^[0-9a-f]{64}$/);
    }
    assert.is(deep.totals.wastedBytes, deep.groups.reduce((n, g) => n + g.wastedBytes, 0));
    // every file is counted, those told apart by size or first bytes alone too
    assert.equal({ files: deep.totals.filesScanned, bytes: deep.totals.bytesScanned }, regularFiles(Buffer.from(tree)));

    // content (sampled casId): the same groups, plus the two large files that differ only between the samples
    const content = duplicates(data, [tree, '--mode', 'content']);
    const twins = content.groups.filter((g) => g.paths.includes(sampledTwins[0]));
    assert.equal(twins.map((g) => g.paths), [[...sampledTwins].sort()]);
    assert.equal(canonical(content.groups.filter((g) => g !== twins[0]).map((g) => g.paths)), canonical(theirs));
    assert.ok(content.groups.every((g) => g.key === 'empty' || /^[0-9a-f]{16}$/.test(g.key)));

    // --min-size 1 leaves empty files out, as fdupes -n does
    const noEmpty = duplicates(data, [tree, '--min-size', '1']);
    assert.equal(canonical(noEmpty.groups.map((g) => g.paths)), canonical(fdupesGroups([tree], ['-n'])));

    // size groups: same size, at least every deep group's files; name-size: same name too
    const bySize = duplicates(data, [tree, '--mode', 'size']);
    for (const g of bySize.groups) assert.ok(g.paths.every((p) => statSync(Buffer.from(unescape(p), 'latin1')).size === g.size));
    assert.ok(bySize.totals.duplicateFiles >= deep.totals.duplicateFiles);
    const byName = duplicates(data, [tree, '--mode', 'name-size']);
    const reports = byName.groups.find((g) => g.key === 'name:report.txt')!;
    assert.equal(reports.paths, ['a/b/c/report.txt', 'a/report.txt', 'd e/report.txt'].map((p) => path.join(tree, p)));
    for (const g of byName.groups) {
      assert.is(new Set(g.paths.map((p) => path.basename(p))).size, 1);
      assert.is(g.key, `name:${path.basename(g.paths[0])}`);
    }
  } finally {
    t.cleanup();
  }
});

Dupes('indexed folders use the casIds of unchanged files; --location answers from the index and says what is stale', () => {
  const t = tempDir();
  try {
    const tree = path.join(t.dir, 'photos');
    writeDupesTree(tree, 120);
    const data = path.join(t.dir, 'data');
    const added = runCli(data, ['location', 'add', tree, '--mode', 'content', '--json']);
    assert.is(added.code, 0, added.stdout + added.stderr);

    const before = duplicates(data, [tree]);
    assert.equal(canonical(before.groups.map((g) => g.paths)), canonical(fdupesGroups([tree])));
    assert.ok(before.hashes.fromIndex > 0, 'casIds come from the index');
    assert.is(before.hashes.computed, 0, 'every file is indexed and unchanged: no casId is computed');

    // one copy is rewritten in place with other bytes of the same size: the index still holds its old casId
    const group = before.groups.find((g) => g.key !== 'empty' && g.paths.length === 2 && !g.paths.some((p) => p.includes('\\x')))!;
    assert.ok(group, 'a group of two plain files');
    const changed = group.paths[1];
    const bytes = readFileSync(changed);
    bytes[bytes.length >> 1] ^= 0xff;
    const st = statSync(changed);
    writeFileSync(changed, bytes);
    utimesSync(changed, st.atime, new Date(st.mtimeMs + 5000));

    const after = duplicates(data, [tree]);
    assert.not.ok(after.groups.some((g) => g.paths.includes(changed)), 'the changed file is hashed from disk, not trusted from the index');
    assert.equal(canonical(after.groups.map((g) => g.paths)), canonical(fdupesGroups([tree])));
    assert.ok(after.hashes.computed >= 1);

    // an indexed empty file replaced by a fifo (the indexer lists no fifo: this one came after the scan)
    const empty = path.join(tree, 'empty-1');
    rmSync(empty);
    execFileSync('mkfifo', [empty]);

    const fromIndex = runCli(data, ['file', 'duplicates', '--location', 'photos', '--mode', 'content', '--json']);
    assert.is(fromIndex.code, 0, fromIndex.stdout + fromIndex.stderr);
    const indexed = fromIndex.json<Report>();
    assert.ok(indexed.groups.some((g) => g.paths.includes(changed)), 'the index alone still groups the changed file');
    // the index alone still puts the fifo with the empty files: the check flags it
    assert.equal(indexed.stale, [
      { path: empty, reason: 'is not a regular file (a fifo, socket or device)' },
      { path: changed, reason: 'modified since it was indexed' },
    ].sort((a, b) => (a.path < b.path ? -1 : 1)));
    const human = runCli(data, ['file', 'duplicates', '--location', 'photos', '--mode', 'content']);
    assert.match(human.stdout, /The index is stale: 2 files above changed since the location was scanned/);

    // deep reads the bytes: the changed file leaves its group even through the index
    const deep = duplicates(data, ['--location', 'photos']);
    assert.not.ok(deep.groups.some((g) => g.paths.includes(changed)));
    assert.ok(deep.errors.some((e) => e.path === changed && e.code === 'FILE_CHANGED'));
    // files read whole were checked as they were read; the empty ones, never read, are checked against the disk
    assert.equal(deep.stale, [{ path: empty, reason: 'is not a regular file (a fifo, socket or device)' }]);

    // size mode from the index: every indexed file is counted, and each deep group lies within one size group
    const bySize = duplicates(data, ['--location', 'photos', '--mode', 'size']);
    assert.is(bySize.totals.filesScanned, indexed.totals.filesScanned);
    for (const g of deep.groups) assert.ok(bySize.groups.some((s) => g.paths.every((p) => s.paths.includes(p))), `${g.key} within a size group`);
  } finally {
    t.cleanup();
  }
});

Dupes('refusals: no source, both sources, a missing folder is reported', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const none = runCli(data, ['file', 'duplicates', '--json']);
    assert.is(none.code, 1);
    assert.is(none.json<{ error: { code: string } }>().error.code, 'DUPLICATES_SOURCE');
    const both = runCli(data, ['file', 'duplicates', t.dir, '--location', 'x']);
    assert.is(both.code, 1);
    assert.match(both.stderr, /^error: name the folders or files to search, or --location/);
    const bad = runCli(data, ['file', 'duplicates', t.dir, '--mode', 'fuzzy']);
    assert.is(bad.code, 1);
    const missing = runCli(data, ['file', 'duplicates', t.dir, path.join(t.dir, 'nope'), '--json']);
    assert.is(missing.code, 1, missing.stdout);
    assert.equal(missing.json<{ error: { code: string; message: string } }>().error, { code: 'PATH_MISSING', message: `${path.join(t.dir, 'nope')} does not exist: check the path` });
    // files named directly, and a folder holding one of them: each file once
    const a = path.join(t.dir, 'one', 'a.txt');
    const b = path.join(t.dir, 'b.txt');
    mkdirSync(path.dirname(a));
    writeFileSync(a, 'same');
    writeFileSync(b, 'same');
    const direct = duplicates(data, [a, b, path.join(t.dir, 'one')]);
    assert.equal(direct.groups.map((g) => g.paths), [[b, a]]);
    assert.is(direct.totals.filesScanned, 2);
    // the human summary counts in words that agree with the numbers
    const human = runCli(data, ['file', 'duplicates', a, b]);
    assert.is(human.code, 0, human.stderr);
    assert.match(human.stdout, /^2 files of 4 bytes, 4 bytes wasted {2}\(/);
    assert.match(human.stdout, /\n1 group, 1 duplicate file, 4 bytes wasted, among 2 files \(mode deep\)\.\n$/);
  } finally {
    t.cleanup();
  }
});

Dupes('what cannot be read is left out and reported in path order, whichever thread met it first', () => {
  const t = tempDir();
  try {
    chmodSync(t.dir, 0o755);
    const tree = path.join(t.dir, 'tree');
    const locked: string[] = [];
    for (const d of ['q', 'c', 'x', 'a', 'm', 'f']) {
      mkdirSync(path.join(tree, d), { recursive: true });
      writeFileSync(path.join(tree, d, 'same.txt'), 'the same bytes');
      // as long as its readable twin: only a read tells them apart, and this one cannot be read
      writeFileSync(path.join(tree, d, 'locked.txt'), 'other  bytes!!');
      chmodSync(path.join(tree, d, 'locked.txt'), 0o000);
      locked.push(path.join(tree, d, 'locked.txt'));
    }
    // met first (the first thread lists the top folder and reads its files before any folder below), sorted late
    writeFileSync(path.join(tree, 'locked.txt'), 'other  bytes!!');
    chmodSync(path.join(tree, 'locked.txt'), 0o000);
    locked.push(path.join(tree, 'locked.txt'));
    mkdirSync(path.join(tree, 'k-closed'));
    writeFileSync(path.join(tree, 'k-closed', 'same.txt'), 'the same bytes');
    chmodSync(path.join(tree, 'k-closed'), 0o000);
    locked.push(path.join(tree, 'k-closed'));
    const r = runCliUnprivileged(unprivilegedDataDir(path.join(t.dir, 'data')), ['file', 'duplicates', tree]);
    if (r.error) {
      console.log(`skipped: cannot run the CLI as an unprivileged user (${r.error.message})`);
      return;
    }
    assert.is(r.status, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.groups.map((g) => g.paths), [['a', 'c', 'f', 'm', 'q', 'x'].map((d) => path.join(tree, d, 'same.txt'))]);
    assert.equal(report.errors.map((e) => e.path), locked.sort());
    assert.ok(report.errors.every((e) => e.message === 'permission denied'), JSON.stringify(report.errors));
  } finally {
    for (const d of ['q', 'c', 'x', 'a', 'm', 'f']) {
      try {
        chmodSync(path.join(t.dir, 'tree', d, 'locked.txt'), 0o644);
      } catch {
        // not made
      }
    }
    try {
      chmodSync(path.join(t.dir, 'tree', 'locked.txt'), 0o644);
      chmodSync(path.join(t.dir, 'tree', 'k-closed'), 0o755);
    } catch {
      // not made
    }
    t.cleanup();
  }
});

Dupes.run();
