import { rmSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/temp.js';
import { writeTree } from '../support/trees.js';

const Cli = suite('spacedrive tag / meta / search (built binary)');

interface Item { path: string; name: string; kind: string; size: number; casId: string | null; locationId: string; modifiedAt: string }
interface Tag { id: string; name: string; path: string; color: string | null; icon: string | null; parentId: string | null; applied: number }

Cli('tags, metadata and search through the CLI, JSON shapes, refusals, and the files offline', () => {
  const t = tempDir();
  try {
    const data = path.join(t.dir, 'data');
    const files = path.join(t.dir, 'My Files');
    writeTree(files, { 'Invoices/invoice 2024.pdf': 'inv', 'Invoices/copy of invoice.pdf': 'inv', 'notes.txt': 'hello', 'sub/😀 emoji.png': 'e' });
    const sd = (...args: string[]) => runCli(data, args);
    const added = sd('location', 'add', files, '--json');
    assert.is(added.code, 0, added.stderr);
    const locationId = added.json<{ location: { id: string } }>().location.id;

    const work = sd('tag', 'create', 'Work', '--color', '#ABC', '--icon', 'briefcase', '--json');
    assert.is(work.code, 0, work.stderr);
    const workTag = work.json<Tag>();
    assert.equal({ ...workTag, id: '' }, { id: '', name: 'Work', path: 'Work', color: '#aabbcc', icon: 'briefcase', parentId: null, applied: 0 });
    assert.is(sd('tag', 'create', 'Paid', '--parent', 'work', '--no-color').code, 0);
    const refusedTwice = sd('tag', 'create', 'WORK', '--json');
    assert.is(refusedTwice.code, 1);
    assert.is(refusedTwice.json<{ error: { code: string } }>().error.code, 'TAG_EXISTS');

    const invoice = path.join(files, 'Invoices', 'invoice 2024.pdf');
    const applied = sd('tag', 'apply', 'Paid', invoice, `${locationId}:notes.txt`, '--json');
    assert.is(applied.code, 0, applied.stderr);
    assert.equal(applied.json<{ applied: number; already: number }>(), { ...applied.json<object>(), applied: 2, already: 0 });
    const unknown = sd('tag', 'apply', 'Nope', invoice, '--json');
    assert.is(unknown.code, 1);
    assert.is(unknown.json<{ error: { code: string } }>().error.code, 'TAG_NOT_FOUND');
    const outside = sd('tag', 'apply', 'Paid', path.join(t.dir, 'elsewhere.txt'));
    assert.is(outside.code, 1);
    assert.match(outside.stderr, /^error: .* is not inside a location/);

    const byTag = sd('search', '--tag', 'Work', '--json');
    assert.is(byTag.code, 0, byTag.stderr);
    const result = byTag.json<{ total: number; items: Item[] }>();
    assert.is(result.total, 2);
    for (const item of result.items) {
      for (const key of ['path', 'name', 'kind', 'size', 'casId', 'locationId', 'modifiedAt']) assert.ok(key in item, `${key} in ${JSON.stringify(item)}`);
      assert.is(item.locationId, locationId);
      assert.match(item.modifiedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    assert.equal(result.items.map((i) => i.path), [invoice, path.join(files, 'notes.txt')]);
    const ranked = sd('search', 'invoice', '--json').json<{ total: number; items: Item[] }>();
    assert.equal(ranked.items.map((i) => i.name), ['invoice 2024.pdf', 'Invoices', 'copy of invoice.pdf']);
    assert.equal(sd('search', 'nothing-like-this', '--json').json(), { total: 0, items: [] });
    const human = sd('search', 'emoji');
    assert.is(human.code, 0);
    assert.match(human.stdout, /😀 emoji\.png/);
    assert.match(human.stdout, /1-1 of 1/);
    const badSize = sd('search', '--min-size', 'huge', '--json');
    assert.is(badSize.code, 1);
    assert.is(badSize.json<{ error: { code: string } }>().error.code, 'VALIDATION_FAILED');

    assert.is(sd('meta', 'note', invoice, 'paid by card').code, 0);
    assert.is(sd('meta', 'favorite', invoice).code, 0);
    assert.is(sd('meta', 'hide', path.join(files, 'Invoices', 'copy of invoice.pdf')).code, 0);
    assert.is(sd('search', 'invoice', '--json').json<{ total: number }>().total, 2);
    assert.is(sd('search', '--hidden', '--json').json<{ total: number }>().total, 1);

    // the files go offline: search and meta show answer from the index
    rmSync(files, { recursive: true, force: true });
    const shown = sd('meta', 'show', invoice, '--json');
    assert.is(shown.code, 0, shown.stderr);
    const meta = shown.json<{ note: string; favorite: boolean; hidden: boolean; tags: { name: string; path: string; via: string }[]; history: { total: number }; content: { casId: string } }>();
    assert.equal([meta.note, meta.favorite, meta.hidden], ['paid by card', true, false]);
    assert.equal(meta.tags.map((x) => [x.path, x.via]), [['Work/Paid', 'entry']]);
    assert.is(meta.history.total, 4); // added, tagged, noted, favourited
    assert.match(meta.content.casId, /^[0-9a-f]{16}$/);
    assert.equal(sd('search', '--favorite', '--json').json<{ items: Item[] }>().items.map((i) => i.path), [invoice]);

    assert.is(sd('tag', 'remove', 'Paid', invoice).code, 0);
    const again = sd('tag', 'remove', 'Paid', invoice);
    assert.is(again.code, 1);
    assert.match(again.stderr, /is not on that entry/);
    assert.is(sd('tag', 'delete', 'Work').code, 0);
    assert.equal(sd('tag', 'list', '--json').json<Tag[]>().map((x) => [x.path, x.applied]), [['Paid', 1]]);
    const gone = sd('search', '--tag', 'Work');
    assert.is(gone.code, 1);
    assert.match(gone.stderr, /was deleted/);
    const verify = sd('verify', '--json');
    assert.is(verify.code, 0, verify.stdout);
  } finally {
    t.cleanup();
  }
});

Cli.run();
