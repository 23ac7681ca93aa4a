import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import { DomainError } from '../../src/domain/errors.js';
import type { LocationRecord } from '../../src/projections/locations/queries.js';
import { withIndexedFolder } from '../support/indexed-folder.js';

const Search = suite('tags, metadata and search (API, real files)');

const TREE: Record<string, string> = {
  'report': 'r0',
  'report.pdf': 'r1',
  'reports-2019.txt': 'r2',
  'annual report.txt': 'r3',
  'Docs/2019/tax report final.pdf': 'same content',
  'Docs/2019/notes.md': 'n',
  'Docs/2020/été à Paris.txt': 'ete',
  'Docs/2020/ÉTÉ résumé.txt': 'ete2',
  'Pics/IMG_0001.jpg': 'same content',
  'Pics/IMG_0002.jpg': 'img2',
  'Pics/sub dir/😀 smile.png': 'smile',
  'Pics/sub dir/line\nbreak.txt': 'nl',
  'Pics/ab': 'tiny',
  'Pics/empty.txt': '',
  'Music/01 Song.mp3': 'x'.repeat(5000),
};

function withLibrary(fn: (library: Library, location: LocationRecord, dir: string) => Promise<void>): Promise<void> {
  return withIndexedFolder(TREE, fn);
}

const rel = (r: { hits: { parent: string; name: string }[] }) => r.hits.map((h) => (h.parent === '' ? h.name : `${h.parent}/${h.name}`));

function refused(fn: () => unknown, code: string): Promise<void> {
  return Promise.resolve()
    .then(fn)
    .then(
      () => assert.unreachable(`expected ${code}`),
      (err: unknown) => {
        assert.instance(err, DomainError);
        assert.is((err as DomainError).code, code, (err as Error).message);
      },
    );
}

Search('ranking: exact name (or name without extension), then prefix, then substring; then by name', async () => {
  await withLibrary(async (library) => {
    assert.equal(rel(library.search({ text: 'report' })), ['report', 'report.pdf', 'reports-2019.txt', 'annual report.txt', 'Docs/2019/tax report final.pdf']);
    assert.equal(library.search({ text: 'REPORT' }).hits.map((h) => h.rank), [0, 0, 1, 2, 2]);
  });
});

Search('matches agree with a brute-force substring scan of the index, for long, short, path, Unicode and odd queries', async () => {
  await withLibrary(async (library, location) => {
    const all = library.locations.entries(location, '', true).map((e) => ({ path: e.parent === '' ? e.name : `${e.parent}/${e.name}`, name: e.name }));
    const fold = (s: string) => s.toLowerCase();
    for (const text of ['report', 'rep', 'ab', 'a', 'é', 'été', 'ÉTÉ', 'smile', '😀', 'line\nb', 'IMG_', '_', '%', 'sub dir/', '2019/tax', 'Docs/2020', 'ics/IM', '/', 'zzz']) {
      const expected = all
        .filter((e) => (text.includes('/') ? fold(e.path).includes(fold(text)) : fold(e.name).includes(fold(text))))
        .map((e) => e.path)
        .sort();
      const got = library.search({ text, limit: 1000 });
      assert.equal(rel(got).sort(), expected, `query ${JSON.stringify(text)}`);
      assert.is(got.total, expected.length, `total of ${JSON.stringify(text)}`);
    }
  });
});

Search('pages are stable: walking every page gives the whole result once, in the same order', async () => {
  await withLibrary(async (library, _location, dir) => {
    const inputs = [
      { text: '' }, { text: 'e' }, { text: '', sort: 'size' as const }, { text: '', sort: 'modified' as const }, { text: 'rep' }, { text: 'report' },
      { text: 'report', ext: ['pdf'] }, { text: 'IMG' }, { text: 'docs/' },
    ];
    const walk = () => {
      for (const input of inputs) {
        const whole = library.search({ ...input, limit: 1000 });
        const paged: string[] = [];
        for (let offset = 0; offset < whole.total + 3; offset += 2) {
          const page = library.search({ ...input, limit: 2, offset });
          assert.is(page.total, whole.total, JSON.stringify(input));
          paged.push(...rel(page));
        }
        assert.equal(paged, rel(whole), JSON.stringify(input));
        assert.is(new Set(paged).size, whole.total, JSON.stringify(input));
      }
    };
    walk();
    // with hidden entries the totals are counted another way
    await library.metadata.hide([path.join(dir, 'report.pdf'), path.join(dir, 'Pics/IMG_0002.jpg')], true);
    assert.equal(rel(library.search({ text: 'report' })), ['report', 'reports-2019.txt', 'annual report.txt', 'Docs/2019/tax report final.pdf']);
    walk();
  });
});

Search('filters combine; an empty query lists everything they match', async () => {
  await withLibrary(async (library, location) => {
    assert.equal(rel(library.search({ ext: ['jpg'] })), ['Pics/IMG_0001.jpg', 'Pics/IMG_0002.jpg']);
    const kindOf = new Map(library.locations.entries(location, '', true).map((e) => [e.parent === '' ? e.name : `${e.parent}/${e.name}`, e.contentKind]));
    for (const kind of ['text', 'image', 'audio', 'document'] as const) {
      const expected = [...kindOf].filter(([, k]) => k === kind).map(([p]) => p).sort();
      assert.equal(rel(library.search({ kind, limit: 100 })).sort(), expected, kind);
    }
    assert.equal(rel(library.search({ text: 'img', ext: ['.JPG'], kind: 'file' })), ['Pics/IMG_0001.jpg', 'Pics/IMG_0002.jpg']);
    assert.equal(rel(library.search({ kind: 'directory' })), ['Docs/2019', 'Docs/2020', 'Docs', 'Music', 'Pics', 'Pics/sub dir']);
    assert.equal(rel(library.search({ minSize: '4k', kind: 'file' })), ['Music/01 Song.mp3']);
    assert.equal(rel(library.search({ maxSize: 0 })), ['Pics/empty.txt']);
    assert.equal(rel(library.search({ duplicates: true })), ['Pics/IMG_0001.jpg', 'Docs/2019/tax report final.pdf']);
    assert.is(library.search({ location: location.name }).total, library.search({}).total);
    assert.is(library.search({ modifiedAfter: '2100-01-01' }).total, 0);
    assert.is(library.search({ modifiedBefore: '2100-01-01' }).total, library.search({}).total);
    await refused(() => library.search({ minSize: 'lots' }), 'VALIDATION_FAILED');
    await refused(() => library.search({ minSize: 10, maxSize: 5 }), 'VALIDATION_FAILED');
    await refused(() => library.search({ location: 'nowhere' }), 'LOCATION_NOT_FOUND');
    await refused(() => library.search({ tag: ['nope'] }), 'TAG_NOT_FOUND');
  });
});

Search('tags: a parent tag finds its descendants; --content follows every copy; remove and delete really remove', async () => {
  await withLibrary(async (library, location, dir) => {
    const work = await library.tags.create('Work', { color: '#3B82F6' });
    assert.is(work.color, '#3b82f6');
    await library.tags.create('Invoices', { parent: 'work' });
    await library.tags.create('Paid', { parent: 'Invoices' });
    await refused(() => library.tags.create('WORK'), 'TAG_EXISTS');
    await library.tags.apply('Paid', [path.join(dir, 'report.pdf')]);
    await library.tags.apply('Invoices', [`${location.name}:Docs/2019/tax report final.pdf`], { content: true });
    assert.equal(rel(library.search({ tag: ['Work'] })), ['Pics/IMG_0001.jpg', 'report.pdf', 'Docs/2019/tax report final.pdf']);
    assert.equal(rel(library.search({ tag: ['Paid'] })), ['report.pdf']);
    assert.equal(rel(library.search({ text: 'img', tag: ['Work'] })), ['Pics/IMG_0001.jpg']);
    assert.equal(library.tags.list().map((t) => [library.tags.pathOf(t), t.applied]), [['Work/Invoices', 1], ['Work/Invoices/Paid', 1], ['Work', 0]]);

    // applying again appends nothing; unknown paths are refused, appending nothing
    const before = (await library.readEvents()).length;
    assert.equal((await library.tags.apply('Paid', [path.join(dir, 'report.pdf')])), { tag: library.tags.resolve('Paid'), applied: 0, already: 1 });
    await refused(() => library.tags.apply('Paid', [path.join(dir, 'missing.pdf')]), 'ENTRY_NOT_FOUND');
    await refused(() => library.tags.apply('Paid', [path.join(dir, 'Pics/empty.txt')], { content: true }), 'ENTRY_HAS_NO_CONTENT');
    await refused(() => library.tags.apply('Paid', ['/somewhere/else']), 'ENTRY_NOT_FOUND');
    await refused(() => library.tags.move('Work', 'Paid'), 'TAG_CYCLE');
    assert.is((await library.readEvents()).length, before);

    await library.tags.remove('Paid', [path.join(dir, 'report.pdf')]);
    await refused(() => library.tags.remove('Paid', [path.join(dir, 'report.pdf')]), 'TAG_NOT_APPLIED');
    assert.equal(rel(library.search({ tag: ['Work'] })), ['Pics/IMG_0001.jpg', 'Docs/2019/tax report final.pdf']);
    await library.tags.remove('Invoices', [path.join(dir, 'Pics/IMG_0001.jpg')], { content: true });
    assert.is(library.search({ tag: ['Work'] }).total, 0);

    await library.tags.apply('Invoices', [path.join(dir, 'report')]);
    await library.tags.delete('Invoices');
    await refused(() => library.search({ tag: ['Invoices'] }), 'TAG_DELETED');
    assert.is(library.search({ tag: ['Work'] }).total, 0);
    assert.equal(library.tags.list().map((t) => library.tags.pathOf(t)), ['Paid', 'Work']);
    // created again: the same id, without the applications from before the delete
    const again = await library.tags.create('invoices');
    assert.is(again.applied, 0);
    assert.is(library.search({ tag: ['Invoices'] }).total, 0);
    // renamed, its first id stays with it; a new tag of the old name gets the next id
    await library.tags.rename('Work', 'Job');
    const work2 = await library.tags.create('Work');
    assert.is.not(work2.id, work.id);
    assert.is(library.tags.resolve('Job').id, work.id);
    assert.ok(library.verify().equal);
  });
});

Search('notes, favourites and hidden entries; meta show; searching with the files offline', async () => {
  await withLibrary(async (library, _location, dir) => {
    const smile = path.join(dir, 'Pics/sub dir/😀 smile.png');
    const odd = path.join(dir, 'Pics/sub dir/line\nbreak.txt');
    assert.equal(await library.metadata.note(smile, 'first'), { changed: true });
    await library.metadata.note(smile, 'second ✓');
    assert.equal(await library.metadata.favorite([smile, odd], true), { changed: 2 });
    assert.equal(await library.metadata.favorite([smile], true), { changed: 0 });
    await library.metadata.hide([odd], true);
    assert.equal(rel(library.search({ favorite: true })), ['Pics/sub dir/😀 smile.png']);
    assert.equal(rel(library.search({ hidden: true })), ['Pics/sub dir/line\nbreak.txt']);
    assert.is(library.search({ text: 'break' }).total, 0);
    await library.tags.create('Fun');
    await library.tags.apply('Fun', [smile]);
    await library.tags.apply('Fun', [smile], { content: true });

    const shown = await library.metadata.show(smile);
    assert.is(shown.note, 'second ✓');
    assert.is(shown.favorite, true);
    assert.is(shown.hidden, false);
    assert.equal(shown.tags.map((t) => [t.name, t.via]), [['Fun', 'entry'], ['Fun', 'content']]);
    assert.equal(shown.history, { total: 6, index: 1, metadata: 3, tags: 2 }); // added (identified on discovery); 2 notes, 1 favourite; 2 applications
    assert.match(shown.stamps.note ?? '', /^\d{4}-\d\d-\d\dT.* [0-9a-f-]{36}$/);
    assert.ok(shown.content && shown.content.copies === 1);

    // the files go offline: the index still answers
    renameSync(dir, `${dir}-away`);
    assert.equal(rel(library.search({ text: 'smile' })), ['Pics/sub dir/😀 smile.png']);
    assert.is((await library.metadata.show(smile)).note, 'second ✓');
    await library.metadata.hide([odd], false);
    assert.equal(rel(library.search({ text: 'break' })), ['Pics/sub dir/line\nbreak.txt']);

    assert.ok(library.verify().equal);
    const live = library.search({ text: 'e', limit: 1000 });
    library.rebuild();
    assert.equal(library.search({ text: 'e', limit: 1000 }), live);
  });
});

Search('the index follows renames, moves and removals of entries', async () => {
  await withLibrary(async (library, location, dir) => {
    renameSync(path.join(dir, 'Pics'), path.join(dir, 'Photos'));
    renameSync(path.join(dir, 'report.pdf'), path.join(dir, 'summary.pdf'));
    writeFileSync(path.join(dir, 'Photos', 'new holiday.jpg'), 'new');
    assert.is((await (await library.locations.index(location, {})).done).status, 'completed');
    assert.equal(rel(library.search({ text: 'summary' })), ['summary.pdf']);
    assert.is(library.search({ text: 'report.pdf' }).total, 0);
    assert.equal(rel(library.search({ text: 'holiday' })), ['Photos/new holiday.jpg']);
    assert.equal(rel(library.search({ text: 'photos/IMG' })), ['Photos/IMG_0001.jpg', 'Photos/IMG_0002.jpg']);
    assert.is(library.search({ text: 'pics/' }).total, 0);
    assert.ok(library.verify().equal);
  });
});

Search.run();
