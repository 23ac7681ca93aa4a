// A library is created in a hidden staging folder and renamed into place, and deleted by renaming it to a staging
// name first. A process that crashes in between leaves that folder behind: listing or creating libraries removes
// it once it is a minute old, and never touches one that may still be in use.
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openCore } from '../../src/infra/container.js';
import { FsLibraryFolders } from '../../src/infra/library/fs-library-folders.js';
import { uuidv7 } from '../../src/infra/ids.js';
import { tempDir } from '../support/temp.js';

const Staging = suite('library staging folders (real files)');

/** A folder as a crashed process leaves it, last changed `ageMs` ago. */
function leftBehind(root: string, name: string, ageMs: number): string {
  const dir = path.join(root, name);
  mkdirSync(path.join(dir, 'thumbnails', 'ab'), { recursive: true });
  writeFileSync(path.join(dir, 'library.db'), 'half-written');
  writeFileSync(path.join(dir, 'thumbnails', 'ab', 'cd.webp'), 'thumb');
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(dir, at, at);
  return dir;
}

const hidden = (root: string) => readdirSync(root).filter((n) => n.startsWith('.')).sort();

Staging('listing libraries removes staging folders untouched for a minute and keeps younger ones', async () => {
  const t = tempDir();
  try {
    const core = await openCore({ dataDir: t.dir });
    const kept = await core.libraries.create('Kept');
    const root = path.dirname(kept.path);
    const crashedCreate = leftBehind(root, `.staging-${uuidv7()}.sdlibrary`, 2 * 60_000);
    const crashedDelete = leftBehind(root, `.staging-deleting-4242-${Date.now() - 600_000}.sdlibrary`, 10 * 60_000);
    const inProgress = leftBehind(root, `.staging-${uuidv7()}.sdlibrary`, 5_000);
    const notOurs = leftBehind(root, '.staging-notes', 10 * 60_000); // not a library folder name: left alone

    assert.equal(core.libraries.list().map((l) => l.name), ['Kept']);
    assert.not.ok(existsSync(crashedCreate));
    assert.not.ok(existsSync(crashedDelete));
    assert.ok(existsSync(path.join(inProgress, 'library.db')), 'a create that may still be running keeps its folder');
    assert.ok(existsSync(notOurs));
    assert.equal(hidden(root), [path.basename(inProgress), '.staging-notes'].sort());
    core.close();
  } finally {
    t.cleanup();
  }
});

Staging('creating a library removes what a crashed create left, and the new library lists', async () => {
  const t = tempDir();
  try {
    const folders = new FsLibraryFolders(t.dir);
    const staged = folders.stage(uuidv7()); // staged, then the process died before publishing it
    writeFileSync(path.join(staged, 'library.db'), 'half-written');
    const at = (Date.now() - 61_000) / 1000;
    utimesSync(staged, at, at);

    const core = await openCore({ dataDir: t.dir });
    const created = await core.libraries.create('Fresh');
    assert.not.ok(existsSync(staged));
    assert.equal(hidden(folders.root), []);
    assert.equal(core.libraries.list().map((l) => [l.name, l.current]), [['Fresh', true]]);
    assert.ok(existsSync(path.join(created.path, 'library.db')));
    core.close();
  } finally {
    t.cleanup();
  }
});

Staging.run();
