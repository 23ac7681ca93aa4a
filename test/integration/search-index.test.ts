import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import type { SearchInput } from '../../src/commands/search/search.js';
import { openCore } from '../../src/infra/container.js';
import { LIBRARY_DB } from '../../src/infra/library/open-library.js';
import { SearchIndex } from '../../src/projections/search/search-index.js';
import { tempDir } from '../support/temp.js';
import { writeTree } from '../support/trees.js';

const Index = suite('search index: deferred, caught up before it is read (API, real files)');

const TREE: Record<string, string> = {
  'Projects/alpha/report draft.txt': 'a1',
  'Projects/alpha/budget.xlsx': 'same',
  'Projects/beta/report final.pdf': 'b1',
  'Projects/beta/notes.md': 'b2',
  'Photos/2019/IMG_0001.jpg': 'same',
  'Photos/2019/IMG_0002.jpg': 'p2',
  'Photos/été/plage.jpg': 'p3',
  'readme': 'r',
};

async function withLibrary(fn: (library: Library, files: string, dataDir: string) => Promise<void>): Promise<void> {
  const t = tempDir();
  const dataDir = path.join(t.dir, 'data');
  const core = await openCore({ dataDir });
  try {
    const library = await core.libraries.open();
    const files = path.join(t.dir, 'files');
    mkdirSync(files);
    writeTree(files, TREE);
    await fn(library, files, dataDir);
  } finally {
    core.close();
    t.cleanup();
  }
}

/** The search index's state as another connection sees it (read-only, as a reader). */
function indexState(library: Library): { current: boolean; pending: number; names: number } {
  const db = new BetterSqlite3(path.join(library.path, LIBRARY_DB), { readonly: true });
  try {
    return {
      current: new SearchIndex(db).isCurrent(),
      pending: db.prepare('SELECT count(*) FROM search_pending').pluck().get() as number,
      names: db.prepare('SELECT count(*) FROM search_names').pluck().get() as number,
    };
  } finally {
    db.close();
  }
}

const paths = (r: { hits: { parent: string; name: string }[] }) => r.hits.map((h) => (h.parent === '' ? h.name : `${h.parent}/${h.name}`));

async function indexed(library: Library, files: string): Promise<string> {
  const { location, job } = await library.locations.add({ path: files, mode: 'content' });
  assert.is((await job.done).status, 'completed');
  return location.id;
}

async function rescan(library: Library, id: string): Promise<void> {
  assert.is((await (await library.locations.index(library.locations.byId(id)!, {})).done).status, 'completed');
}

Index('indexing writes nothing to the search index; the first search catches it up, in bulk, and finds everything', async () => {
  await withLibrary(async (library, files) => {
    await indexed(library, files);
    // the indexer's writes tracked nothing: new entries are found by their ids alone
    assert.equal(indexState(library), { current: false, pending: 0, names: 0 });
    const progress: { done: number; total: number }[] = [];
    assert.equal(paths(library.search({ text: 'report' }, (p) => progress.push(p))), ['Projects/alpha/report draft.txt', 'Projects/beta/report final.pdf']);
    assert.equal(indexState(library), { current: true, pending: 0, names: 14 });
    assert.equal(progress[0], { done: 0, total: 14 });
    assert.equal(progress[progress.length - 1], { done: 14, total: 14 });
    // caught up: the next search has nothing to do
    progress.length = 0;
    library.search({ text: 'img' }, (p) => progress.push(p));
    assert.equal(progress, []);
    assert.ok(library.verify().equal);
  });
});

Index('renames, moves and removals on disk, then a rescan: the index follows them, directory paths included', async () => {
  await withLibrary(async (library, files) => {
    const id = await indexed(library, files);
    assert.is(library.search({ text: 'alpha/' }).total, 2);
    renameSync(path.join(files, 'Projects/alpha'), path.join(files, 'Projects/gamma')); // a directory: its subtree moves
    renameSync(path.join(files, 'Projects/beta/notes.md'), path.join(files, 'Photos/notes moved.md'));
    rmSync(path.join(files, 'Photos/2019'), { recursive: true });
    writeFileSync(path.join(files, 'Projects/beta/report final.pdf'), 'changed content');
    writeFileSync(path.join(files, 'new report.txt'), 'n');
    await rescan(library, id);
    assert.ok(indexState(library).pending > 0, 'the rescan tracks what it changed');
    assert.equal(paths(library.search({ text: 'report' })), ['Projects/gamma/report draft.txt', 'Projects/beta/report final.pdf', 'new report.txt']);
    assert.is(library.search({ text: 'alpha' }).total, 0);
    assert.equal(paths(library.search({ text: 'gamma/' })), ['Projects/gamma/budget.xlsx', 'Projects/gamma/report draft.txt']);
    assert.equal(paths(library.search({ text: 'notes' })), ['Photos/notes moved.md']);
    assert.is(library.search({ text: 'IMG' }).total, 0);
    assert.is(library.search({ text: '2019' }).total, 0);
    assert.equal(indexState(library), { current: true, pending: 0, names: 12 });
    assert.ok(library.verify().equal);
  });
});

Index('a removed location takes its names along; ids taken again by a new location are indexed anew', async () => {
  await withLibrary(async (library, files) => {
    const id = await indexed(library, files);
    assert.is(library.search({ text: 'report' }).total, 2);
    await library.locations.remove(library.locations.byId(id)!);
    assert.is(library.search({ text: 'report' }).total, 0);
    assert.is(library.search({}).total, 0);
    assert.equal(indexState(library), { current: true, pending: 0, names: 0 });
    const other = path.join(path.dirname(files), 'other');
    writeTree(other, { 'invoice 1.pdf': 'i1', 'docs/invoice 2.pdf': 'i2' });
    const second = await indexed(library, other);
    assert.equal(paths(library.search({ text: 'invoice' })), ['invoice 1.pdf', 'docs/invoice 2.pdf']);
    // removed, and another location indexed before any search: its entries take the ids of the removed ones
    await library.locations.remove(library.locations.byId(second)!);
    const third = path.join(path.dirname(files), 'third');
    writeTree(third, { 'letter.txt': 'l' });
    await indexed(library, third);
    assert.is(library.search({ text: 'invoice' }).total, 0);
    assert.equal(paths(library.search({ text: 'letter' })), ['letter.txt']);
    assert.is(library.search({ text: 'docs/' }).total, 0);
    assert.ok(library.verify().equal);
  });
});

Index('the highest entry deleted and its id taken again by a new entry: the new name is found, the old one not', async () => {
  await withLibrary(async (library, files) => {
    const id = await indexed(library, files);
    writeFileSync(path.join(files, 'zzz last.txt'), 'z');
    await rescan(library, id);
    assert.is(library.search({ text: 'zzz' }).total, 1); // caught up with 'zzz last.txt' as the highest id
    rmSync(path.join(files, 'zzz last.txt'));
    await rescan(library, id);
    writeFileSync(path.join(files, 'yyy next.txt'), 'y');
    await rescan(library, id);
    assert.is(library.search({ text: 'zzz' }).total, 0);
    assert.equal(paths(library.search({ text: 'yyy' })), ['yyy next.txt']);
    assert.ok(library.verify().equal);
  });
});

Index('a read-only reader cannot catch the index up: while changes are pending its results are the caught-up ones', async () => {
  await withLibrary(async (library, files, dataDir) => {
    const id = await indexed(library, files);
    await library.tags.create('Dup');
    await library.tags.apply('Dup', [path.join(files, 'Projects/alpha/budget.xlsx')], { content: true });
    library.search({ text: 'x' }); // caught up
    renameSync(path.join(files, 'Projects/alpha'), path.join(files, 'Projects/gamma'));
    rmSync(path.join(files, 'readme'));
    writeTree(files, { 'Photos/2019/IMG_0003 report.jpg': 'same', 'Photos/Été 2020/Plage.JPG': 'p4' });
    await rescan(library, id);
    const queries: SearchInput[] = [
      { text: 'report' }, { text: 'REPORT', limit: 1, offset: 1 }, { text: 'port' }, { text: 'PORT', limit: 2, offset: 1 }, { text: 'img' }, { text: 'im' }, { text: 'été' }, { text: 'plage' },
      { text: 'gamma/' }, { text: 'photos/2019' }, { text: '/img' }, { text: 'alpha' }, { text: 'readme' }, {}, { sort: 'name' },
      { tag: ['Dup'] }, { text: 'img', tag: ['Dup'] }, { duplicates: true }, { ext: ['jpg'] }, { kind: 'directory', sort: 'name' },
    ];
    const other = await openCore({ dataDir });
    try {
      const reader = await other.libraries.openReader();
      try {
        assert.not.ok(indexState(library).current);
        const fromReader = queries.map((q) => reader.search({ ...q }));
        assert.not.ok(indexState(library).current, 'the reader wrote nothing');
        const fromIndex = queries.map((q) => library.search({ ...q }));
        assert.ok(indexState(library).current);
        queries.forEach((q, i) => assert.equal(fromReader[i], fromIndex[i], JSON.stringify(q)));
        assert.equal(paths(fromIndex[0]), ['Projects/gamma/report draft.txt', 'Projects/beta/report final.pdf', 'Photos/2019/IMG_0003 report.jpg']);
        assert.equal(paths(fromIndex[queries.findIndex((q) => q.tag !== undefined)]).sort(), ['Photos/2019/IMG_0001.jpg', 'Photos/2019/IMG_0003 report.jpg', 'Projects/gamma/budget.xlsx']);
        // caught up, the reader reads the index
        assert.equal(queries.map((q) => reader.search({ ...q })), fromIndex);
      } finally {
        reader.close();
      }
    } finally {
      other.close();
    }
  });
});

Index('a bulk catch-up builds the name indexes at the end; one cut short before it rebuilds them is not read, and ends', async () => {
  await withLibrary(async (library, files) => {
    await indexed(library, files);
    const dbFile = path.join(library.path, LIBRARY_DB);
    const indexes = (db: BetterSqlite3.Database) =>
      db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_names' AND sql IS NOT NULL ORDER BY name").all();
    const db = new BetterSqlite3(dbFile);
    try {
      const expected = indexes(db);
      assert.is(expected.length, 4);
      // bulk from 5 new entries: the 14 are indexed with the indexes dropped, then the indexes come back
      assert.is(new SearchIndex(db, 5).catchUp(), 14);
      assert.equal(indexes(db), expected);
      assert.equal(indexState(library), { current: true, pending: 0, names: 14 });
      // a bulk catch-up killed after its last chunk, before the indexes were made again
      db.exec(`INSERT INTO search_deferred_indexes (name, sql)
          SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'search_names' AND sql IS NOT NULL;
        DROP INDEX search_names_by_name; DROP INDEX search_names_by_size; DROP INDEX search_names_by_modified; DROP INDEX search_names_by_cas;`);
      assert.not.ok(indexState(library).current, 'an index left out is not read as current');
    } finally {
      db.close();
    }
    assert.equal(paths(library.search({ text: 'report', sort: 'size' })), ['Projects/alpha/report draft.txt', 'Projects/beta/report final.pdf']); // same size: id order
    const after = new BetterSqlite3(dbFile, { readonly: true });
    try {
      assert.is(indexes(after).length, 4);
      assert.is(after.prepare('SELECT count(*) FROM search_deferred_indexes').pluck().get(), 0);
    } finally {
      after.close();
    }
    assert.ok(library.verify().equal);
  });
});

Index.run();
