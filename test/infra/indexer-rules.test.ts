import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DEFAULT_INDEXER_RULES,
  DEV_DIRECTORY_NAMES,
  IndexerRulesSchema,
  SYSTEM_DIRECTORY_NAMES,
  SYSTEM_FILE_NAMES,
  VCS_DIRECTORY_NAMES,
  type IndexerRules,
} from '../../src/domain/location/indexer-rules.js';
import { RuleMatcher, type DirectoryRules } from '../../src/infra/filesystem/rules/rule-matcher.js';

/** Everything off but what a test turns on, so each test sees only the rule it is about. */
const NOTHING_SKIPPED: IndexerRules = {
  skipSystemFiles: false,
  skipVcsDirs: false,
  skipDevDirs: false,
  respectGitignore: false,
  includeHidden: true,
  accept: [],
  reject: [],
};

let roots: string[] = [];
function removeTrees(): void {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
}

/** A real directory tree in a fresh temp directory: file paths (POSIX) to their contents. */
function tree(spec: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sd-rules-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(spec)) {
    const full = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

/** Walks `root` as the indexer does: indexed paths (directories with a trailing slash) and why the rest was skipped. */
function index(root: string, rules: IndexerRules): { indexed: string[]; skipped: Record<string, string> } {
  const matcher = new RuleMatcher(rules, root);
  const indexed: string[] = [];
  const skipped: Record<string, string> = {};
  const visit = (rel: string, parent: DirectoryRules | null): void => {
    const dirents = readdirSync(path.join(root, rel), { withFileTypes: true });
    const names = dirents.map((d) => d.name);
    const scope = parent ? matcher.child(parent, rel, names) : matcher.root(names);
    for (const dirent of dirents) {
      const childRel = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
      const reason = scope.skipReason(dirent.name, dirent.isDirectory());
      if (reason !== null) {
        skipped[childRel] = reason;
      } else if (dirent.isDirectory()) {
        indexed.push(`${childRel}/`);
        visit(childRel, scope);
      } else {
        indexed.push(childRel);
      }
    }
  };
  visit('', null);
  return { indexed: indexed.sort(), skipped };
}

/** A spec of files with throwaway contents. */
const files = (paths: readonly string[]): Record<string, string> => Object.fromEntries(paths.map((p) => [p, 'x']));

const rules = (overrides: Partial<IndexerRules>): IndexerRules => ({ ...NOTHING_SKIPPED, ...overrides });

/** A concrete name for a list entry: `.Trash-*` becomes `.Trash-1000`. */
const concrete = (entry: string): string => (entry.endsWith('*') ? `${entry.slice(0, -1)}1000` : entry);

const Defaults = suite('indexer rules: defaults');
Defaults.after.each(removeTrees);

Defaults('the seed scenario indexes 3 files and 1 directory', () => {
  const root = tree({
    'test1.txt': 'one',
    'test2.rs': 'fn main() {}',
    'subdir/test3.md': '# three',
    '.DS_Store': '\0\0\0\x01Bud1',
    'node_modules/package.json': '{}',
  });
  const { indexed, skipped } = index(root, DEFAULT_INDEXER_RULES);
  assert.equal(indexed, ['subdir/', 'subdir/test3.md', 'test1.txt', 'test2.rs']);
  assert.equal(skipped, { '.DS_Store': 'system file', node_modules: 'dev directory' });
});

Defaults('defaults skip every listed system file, system directory, vcs and dev directory', () => {
  const directories = [...SYSTEM_DIRECTORY_NAMES, ...VCS_DIRECTORY_NAMES, ...DEV_DIRECTORY_NAMES];
  const spec = files(['kept.txt', ...SYSTEM_FILE_NAMES.map(concrete), ...directories.map((name) => `${concrete(name)}/inner.txt`)]);
  const { indexed, skipped } = index(tree(spec), DEFAULT_INDEXER_RULES);
  assert.equal(indexed, ['kept.txt']);
  for (const name of SYSTEM_FILE_NAMES) assert.is(skipped[concrete(name)], 'system file', name);
  for (const name of SYSTEM_DIRECTORY_NAMES) assert.is(skipped[concrete(name)], 'system directory', name);
  for (const name of VCS_DIRECTORY_NAMES) assert.is(skipped[concrete(name)], 'vcs directory', name);
  for (const name of DEV_DIRECTORY_NAMES) assert.is(skipped[concrete(name)], 'dev directory', name);
});

Defaults('the lists hold the names the issue asks for', () => {
  for (const name of ['.DS_Store', 'Thumbs.db', '._*']) assert.ok(SYSTEM_FILE_NAMES.includes(name), name);
  for (const name of ['lost+found', '.Trash-*', '$RECYCLE.BIN']) assert.ok(SYSTEM_DIRECTORY_NAMES.includes(name), name);
  for (const name of ['.git', '.hg', '.svn']) assert.ok(VCS_DIRECTORY_NAMES.includes(name), name);
  for (const name of ['node_modules', 'target', 'dist', 'build', '__pycache__', '.cache']) assert.ok(DEV_DIRECTORY_NAMES.includes(name), name);
});

Defaults('user data the Rust seed skipped stays indexed: logs, lock files, libraries, backups, temp files', () => {
  const paths = [
    ...['server.log', 'app.log.1', 'package-lock.json', 'Cargo.lock', 'yarn.lock', 'libfoo.so', 'x.dll', 'y.dylib'],
    ...['notes.bak', 'a.tmp', 'draft~', 'old.old', 'tmp/a.txt', 'temp/b.txt', '.config/c.txt', '.vscode/settings.json'],
  ];
  const { indexed, skipped } = index(tree(files(paths)), DEFAULT_INDEXER_RULES);
  assert.equal(skipped, {});
  for (const rel of paths) assert.ok(indexed.includes(rel), rel);
});

Defaults('directory lists apply to directories only and file lists to files only', () => {
  const root = tree({ build: 'a file named build', 'node_modules.txt': 'x', '.git': 'gitdir: ../main/.git', 'Thumbs.db/x.jpg': 'x' });
  const { indexed, skipped } = index(root, DEFAULT_INDEXER_RULES);
  assert.equal(indexed, ['.git', 'Thumbs.db/', 'Thumbs.db/x.jpg', 'build', 'node_modules.txt']);
  assert.equal(skipped, {});
});

Defaults('each toggle turned off indexes its list and leaves the other lists skipped', () => {
  const root = tree({ '.DS_Store': 'x', 'lost+found/x': 'x', '.git/HEAD': 'x', 'node_modules/a/index.js': 'x', 'keep.txt': 'x' });
  const noSystem = index(root, { ...DEFAULT_INDEXER_RULES, skipSystemFiles: false });
  assert.equal(noSystem.indexed, ['.DS_Store', 'keep.txt', 'lost+found/', 'lost+found/x']);
  assert.equal(noSystem.skipped, { '.git': 'vcs directory', node_modules: 'dev directory' });
  const noVcs = index(root, { ...DEFAULT_INDEXER_RULES, skipVcsDirs: false });
  assert.equal(noVcs.indexed, ['.git/', '.git/HEAD', 'keep.txt']);
  const noDev = index(root, { ...DEFAULT_INDEXER_RULES, skipDevDirs: false });
  assert.equal(noDev.indexed, ['keep.txt', 'node_modules/', 'node_modules/a/', 'node_modules/a/index.js']);
  assert.equal(index(root, NOTHING_SKIPPED).indexed.length, 9);
});

Defaults('hidden entries are indexed by default and skipped when includeHidden is off', () => {
  const root = tree({ '.env': 'x', '.config/app.toml': 'x', 'visible.txt': 'x', 'dir/.hidden': 'x', '.gitignore': 'visible-but-ignored.txt\n', 'visible-but-ignored.txt': 'x' });
  assert.equal(index(root, DEFAULT_INDEXER_RULES).indexed, ['.config/', '.config/app.toml', '.env', '.gitignore', 'dir/', 'dir/.hidden', 'visible.txt']);
  const hiddenOff = index(root, { ...DEFAULT_INDEXER_RULES, includeHidden: false });
  assert.equal(hiddenOff.indexed, ['dir/', 'visible.txt']);
  // The .gitignore itself is hidden, yet its patterns still apply.
  assert.equal(hiddenOff.skipped, {
    '.env': 'hidden',
    '.config': 'hidden',
    '.gitignore': 'hidden',
    'dir/.hidden': 'hidden',
    'visible-but-ignored.txt': 'gitignore',
  });
});

Defaults('the schema accepts the defaults and refuses globs that name nothing', () => {
  assert.equal(IndexerRulesSchema.parse(DEFAULT_INDEXER_RULES), DEFAULT_INDEXER_RULES);
  assert.equal(DEFAULT_INDEXER_RULES, {
    skipSystemFiles: true,
    skipVcsDirs: true,
    skipDevDirs: true,
    respectGitignore: true,
    includeHidden: true,
    accept: [],
    reject: [],
  });
  assert.not.ok(IndexerRulesSchema.safeParse({ ...DEFAULT_INDEXER_RULES, reject: [''] }).success);
  assert.not.ok(IndexerRulesSchema.safeParse({ ...DEFAULT_INDEXER_RULES, accept: ['/'] }).success);
  assert.not.ok(IndexerRulesSchema.safeParse({ ...DEFAULT_INDEXER_RULES, includeHidden: undefined }).success);
});

Defaults('child() refuses rules that another matcher made', () => {
  const root = tree({ 'a/b.txt': 'x' });
  const other = new RuleMatcher(DEFAULT_INDEXER_RULES, root).root(['a']);
  assert.throws(() => new RuleMatcher(DEFAULT_INDEXER_RULES, root).child(other, 'a', ['b.txt']), /parent must come from/);
});

Defaults.run();

const Gitignore = suite('indexer rules: .gitignore');
Gitignore.after.each(removeTrees);

const gitignoreOnly = rules({ respectGitignore: true, skipVcsDirs: true });

Gitignore('nested files inherit, negate, anchor and restrict to directories', () => {
  const root = tree({
    '.gitignore': ['# build output', '*.log', '!keep.log', 'out/', '/only-root.txt', 'docs/*.pdf', 'a/**/z.txt', '**/cache-*/'].join('\n'),
    'app.log': 'x',
    'keep.log': 'x',
    'out/bin': 'x',
    'sub/out': 'a file named out',
    'only-root.txt': 'x',
    'sub/only-root.txt': 'x',
    'docs/manual.pdf': 'x',
    'docs/2024/report.pdf': 'x',
    'sub/docs/manual.pdf': 'x',
    'a/z.txt': 'x',
    'a/b/c/z.txt': 'x',
    'sub/a/z.txt': 'x',
    'sub/cache-1/x': 'x',
    'sub/cache-2': 'a file',
    'sub/.gitignore': ['!*.log', '/local.txt', 'keep.log'].join('\n'),
    'sub/app.log': 'x',
    'sub/keep.log': 'x',
    'sub/local.txt': 'x',
    'sub/deeper/local.txt': 'x',
    'sub/deeper/.gitignore': '*.log\n',
    'sub/deeper/app.log': 'x',
  });
  const { indexed, skipped } = index(root, gitignoreOnly);
  assert.equal(indexed, [
    '.gitignore',
    'a/',
    'a/b/',
    'a/b/c/',
    'docs/',
    'docs/2024/',
    'docs/2024/report.pdf',
    'keep.log',
    'sub/',
    'sub/.gitignore',
    'sub/a/',
    'sub/a/z.txt',
    'sub/app.log',
    'sub/cache-2',
    'sub/deeper/',
    'sub/deeper/.gitignore',
    'sub/deeper/local.txt',
    'sub/docs/',
    'sub/docs/manual.pdf',
    'sub/only-root.txt',
    'sub/out',
  ]);
  assert.equal(skipped, {
    'app.log': 'gitignore',
    out: 'gitignore',
    'only-root.txt': 'gitignore',
    'docs/manual.pdf': 'gitignore',
    'a/z.txt': 'gitignore',
    'a/b/c/z.txt': 'gitignore',
    'sub/cache-1': 'gitignore',
    'sub/keep.log': 'gitignore',
    'sub/local.txt': 'gitignore',
    'sub/deeper/app.log': 'gitignore',
  });
});

const LINE_SYNTAX_GITIGNORE = [
  '\uFEFFfirst.txt',
  '#comment.txt',
  '\\#hash.txt',
  '\\!bang.txt',
  'trail.txt   ',
  'space\\ ',
  'file[0-9].bin',
  'x[!a].dat',
  '[[:upper:]]*.md',
  'unterminated[.txt',
  '',
].join('\r\n');
const LINE_SYNTAX_FILES = files(['first.txt', '#comment.txt', '#hash.txt', '!bang.txt', 'trail.txt', 'space ', 'space', 'file7.bin', 'fileA.bin', 'xa.dat', 'xb.dat', 'README.md', 'notes.md', 'unterminated[.txt']);

Gitignore('line syntax: comments, escapes, trailing spaces, CRLF, brackets, a BOM', () => {
  const { indexed } = index(tree({ '.gitignore': LINE_SYNTAX_GITIGNORE, ...LINE_SYNTAX_FILES }), gitignoreOnly);
  assert.equal(indexed, ['#comment.txt', '.gitignore', 'fileA.bin', 'notes.md', 'space', 'unterminated[.txt', 'xa.dat']);
});

Gitignore('.git/info/exclude counts; ignore files above the location and respectGitignore off do not', () => {
  const outer = tree({ '.gitignore': '*\n', 'location/.git/info/exclude': 'secret.txt\n', 'location/secret.txt': 'x', 'location/plain.txt': 'x' });
  const location = path.join(outer, 'location');
  assert.equal(index(location, gitignoreOnly).indexed, ['plain.txt']);
  assert.equal(index(location, rules({ skipVcsDirs: true })).indexed, ['plain.txt', 'secret.txt']);
});

Gitignore('each .gitignore is read once, when its directory lists it, and then serves every subdirectory', () => {
  const root = tree({ '.gitignore': '*.log\n', 'a/b/c.log': 'x', 'a/b/.gitignore': '*.tmp\n', 'a/b/d.tmp': 'x' });
  const matcher = new RuleMatcher(gitignoreOnly, root);
  const top = matcher.root(['.gitignore', 'a']);
  rmSync(path.join(root, '.gitignore'));
  const b = matcher.child(matcher.child(top, 'a', ['b']), 'a/b', ['c.log', 'd.tmp']);
  assert.is(b.skipReason('c.log', false), 'gitignore');
  assert.is(b.skipReason('d.tmp', false), null);
});

Gitignore('agrees with git on a tree of tricky patterns', () => {
  const spec: Record<string, string> = {
    '.gitignore': ['*.o', '!important.o', 'logs/', '/rooted', 'deep/**/x', '**/gen', '[Bb]in/', 'a?c', 'z*/y', '\\#lit', 'x[]]y', 'sp\\ ', '*/nested-only', 'one/**', 'two/**/', '[z-a]rev', '[a-c-e]mix', '[[:bogus:]]x', 'v[[:digit:]]', 'out*/', '!out-keep/'].join('\n'),
    'sub/.gitignore': ['!*.o', 'rooted', '/x', 'inner/*.txt', 'deep2/**/y'].join('\n'),
    'sub/inner/.gitignore': '*.o\n!keep*\n',
  };
  const names = [
    ...['a.o', 'important.o', 'keep.o', 'rooted', 'x', 'abc', 'a/c', 'zz/y', 'z/q/y', '#lit', 'x]y', 'sp ', 'sp'],
    ...['logs/f', 'bin/f', 'Bin/f', 'gen/f', 'files/logs', 'files/gen', 'files/bin', 'nested-only', 'q/nested-only'],
    ...['q/r/nested-only', 'one/f', 'one/g/h', 'two/f', 'two/d/f', 'zrev', 'arev', 'bmix', '-mix', 'emix', 'dmix'],
    ...['v1', 'vx', 'out-x/f', 'out-keep/f', 'inner/t.txt', 'inner/more/t.txt', 'deep2/y', 'deep2/k/l/y'],
  ];
  for (const dir of ['', 'sub/', 'sub/inner/', 'deep/a/b/', 'other/']) {
    Object.assign(spec, files(names.map((name) => `${dir}${name}`)));
  }
  assertSameAsGit(tree(spec));
});

Gitignore('agrees with git on line syntax', () => {
  assertSameAsGit(tree({ '.gitignore': LINE_SYNTAX_GITIGNORE, ...LINE_SYNTAX_FILES }));
});

/** Files git would add (`git ls-files --others --exclude-standard`) are exactly the files the rules index. */
function assertSameAsGit(root: string): void {
  // Only the tree's own ignore files may count, not the machine's global excludes.
  const env = { ...process.env, HOME: root, XDG_CONFIG_HOME: root, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const init = spawnSync('git', ['init', '-q'], { cwd: root, env });
  if (init.error) return; // no git on this machine: the explicit cases above still hold
  const listed = spawnSync('git', ['ls-files', '-z', '--others', '--exclude-standard'], { cwd: root, env, encoding: 'utf8' });
  assert.is(listed.status, 0, listed.stderr);
  const gitFiles = listed.stdout.split('\0').filter(Boolean).sort();
  const indexedFiles = index(root, gitignoreOnly).indexed.filter((p) => !p.endsWith('/'));
  assert.equal(indexedFiles, gitFiles);
}

Gitignore.run();

const Globs = suite('indexer rules: accept and reject globs');
Globs.after.each(removeTrees);

Globs('reject globs skip files and whole directories', () => {
  const root = tree({ 'a.tmp': 'x', 'deep/er/b.tmp': 'x', 'private/diary.txt': 'x', 'public/private/x.txt': 'x', 'keep.txt': 'x', cache: 'a file', 'x/cache/y': 'x' });
  const { indexed, skipped } = index(root, rules({ reject: ['**/*.tmp', 'private/**', 'cache/'] }));
  assert.equal(indexed, ['cache', 'deep/', 'deep/er/', 'keep.txt', 'public/', 'public/private/', 'public/private/x.txt', 'x/']);
  assert.equal(skipped, {
    'a.tmp': 'rejected by glob **/*.tmp',
    'deep/er/b.tmp': 'rejected by glob **/*.tmp',
    private: 'rejected by glob private/**',
    'x/cache': 'rejected by glob cache/',
  });
});

Globs('accept narrows files, descends every directory, and reject beats accept', () => {
  const root = tree({
    'a.jpg': 'x',
    'b.txt': 'x',
    'photos/2024/IMG_0001.JPG': 'x',
    'photos/2024/secret.jpg': 'x',
    'photos/notes.md': 'x',
    'scans/page.png': 'x',
    'top.pdf': 'x',
    'nested/top.pdf': 'x',
  });
  const { indexed, skipped } = index(root, rules({ accept: ['**/*.jpg', '*.png', '/top.pdf'], reject: ['**/secret*'] }));
  assert.equal(indexed, ['a.jpg', 'nested/', 'photos/', 'photos/2024/', 'photos/2024/IMG_0001.JPG', 'scans/', 'scans/page.png', 'top.pdf']);
  assert.equal(skipped, {
    'b.txt': 'not accepted',
    'photos/2024/secret.jpg': 'rejected by glob **/secret*',
    'photos/notes.md': 'not accepted',
    'nested/top.pdf': 'not accepted',
  });
});

Globs('defaults still apply under accept', () => {
  const root = tree({ 'node_modules/x.jpg': 'x', 'y.jpg': 'x', '.DS_Store': 'x' });
  assert.equal(index(root, { ...DEFAULT_INDEXER_RULES, accept: ['**/*.jpg'] }).indexed, ['y.jpg']);
});

Globs.run();

const Names = suite('indexer rules: unusual names');
Names.after.each(removeTrees);

Names('spaces, newlines and emoji match globs and .gitignore patterns like any other character', () => {
  const root = tree({
    '.gitignore': ['name with space.txt', '🎉*', 'in dir/**/gone'].join('\n'),
    'name with space.txt': 'x',
    'name with space.txt.bak': 'x',
    '🎉 party.jpg': 'x',
    'party 🎉.jpg': 'x',
    'two\nlines.tmp': 'x',
    'two\nlines.txt': 'x',
    'new\nline dir/inside.tmp': 'x',
    'new\nline dir/inside.txt': 'x',
    'in dir/a\nb/gone': 'x',
    'in dir/a\nb/kept': 'x',
    'ünïcödé/😀.txt': 'x',
  });
  const { indexed, skipped } = index(root, { ...DEFAULT_INDEXER_RULES, reject: ['**/*.tmp', '**/😀*'] });
  assert.equal(indexed, [
    '.gitignore',
    'in dir/',
    'in dir/a\nb/',
    'in dir/a\nb/kept',
    'name with space.txt.bak',
    'new\nline dir/',
    'new\nline dir/inside.txt',
    'party 🎉.jpg',
    'two\nlines.txt',
    'ünïcödé/',
  ]);
  assert.equal(skipped, {
    'name with space.txt': 'gitignore',
    '🎉 party.jpg': 'gitignore',
    'two\nlines.tmp': 'rejected by glob **/*.tmp',
    'new\nline dir/inside.tmp': 'rejected by glob **/*.tmp',
    'in dir/a\nb/gone': 'gitignore',
    'ünïcödé/😀.txt': 'rejected by glob **/😀*',
  });
});

Names.run();
