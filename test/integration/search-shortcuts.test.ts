import { utimesSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LIBRARY_DB } from '../../src/infra/library/open-library.js';
import { searchEntries, type SearchQuery } from '../../src/projections/search/search-entries.js';
import { withIndexedFolder } from '../support/indexed-folder.js';

const Shortcuts = suite('search shortcuts (short-query candidates, walks in sort order) give the plain results (real files)');

// 'taſk' (long s) and 'tasK' (Kelvin sign) hold "task" for the trigram index's folding, not for LIKE's
const WORDS = ['file', 'report', 'Invoice', 'fi', 'xq', 'a_b', '50%', 'photo', 'FILE', 'note', 'task', 'ta\u017Fk', 'tas\u212A'];
const EXTS = ['txt', 'pdf', 'TXT', 'md'];
const DAY = 86_400_000;

/** ~1,500 files in 24 folders: many names share words, sizes and times, so orders hang on their tie-breaks. */
function tree(): { files: Record<string, string>; times: Map<string, number> } {
  const files: Record<string, string> = {};
  const times = new Map<string, number>();
  for (let d = 0; d < 24; d++) {
    const folder = `d${d} ${['file', 'report', 'Zeta', 'ta\u017Fks'][d % 4]}`;
    for (let f = 0; f < 60; f++) {
      const rel = `${folder}/${WORDS[(d * 7 + f) % WORDS.length]} ${f % 17}${f % 3 === 0 ? ' file' : ''}.${EXTS[f % EXTS.length]}`;
      files[rel] = 'x'.repeat(1 + ((d * f) % 23));
      times.set(rel, Date.UTC(2024, 0, 1) + ((d + f) % 5) * DAY);
    }
  }
  for (const odd of ['ab', 'é', 'ß file.txt', 'x', 'fi', 'e', 'zz top.md', 'Q.pdf']) files[odd] = odd;
  return { files, times };
}

Shortcuts('every query gives the same total, hits and ranks with and without the shortcuts', () => {
  const { files, times } = tree();
  const prepare = (dir: string) => {
    for (const [rel, ms] of times) utimesSync(path.join(dir, rel), new Date(ms), new Date(ms));
  };
  return withIndexedFolder(files, async (library, location, dir) => {
    await library.metadata.hide(Object.keys(files).filter((_, i) => i % 97 === 5).map((rel) => path.join(dir, rel)), true);
    library.search({ text: 'x' }); // catches the index up
    const key = location.key;

    const db = new BetterSqlite3(path.join(library.path, LIBRARY_DB), { readonly: true });
    try {
      const texts = ['', 'e', 'fi', 'FI', 'zz', 'Q', '1', 'é', 'x_', '5', '%', 'file', 'report', 'voice', 'zz top', 'task', 'nothing here'];
      const variants: Partial<SearchQuery>[] = [
        {}, { sort: 'size' }, { sort: 'modified' }, { sort: 'name' },
        { sort: 'size', offset: 13, limit: 7 }, { sort: 'size', offset: 3, limit: 5 }, { sort: 'modified', limit: 5 }, { sort: 'modified', offset: 400, limit: 30 }, { sort: 'size', offset: 5000 },
        { sort: 'size', extensions: ['txt'] }, { sort: 'modified', modifiedAfter: Date.UTC(2024, 0, 3) },
        { sort: 'size', kind: 'directory' }, { sort: 'size', kind: 'file' }, { sort: 'size', minSize: 10, maxSize: 400 }, { sort: 'size', maxSize: 12 },
        { sort: 'modified', modifiedBefore: Date.UTC(2024, 0, 2) }, { sort: 'size', locationKey: key },
        { extensions: ['pdf'] }, { modifiedBefore: Date.UTC(2024, 0, 2), offset: 3 }, { kind: 'file', offset: 20 },
      ];
      for (const text of texts) {
        for (const v of variants) {
          const q: SearchQuery = { text, limit: 50, offset: 0, ...v };
          const fast = searchEntries(db, q, true);
          const plain = searchEntries(db, q, true, { shortcuts: false });
          assert.equal(fast, plain, JSON.stringify(q));
        }
      }
      // and the relevance tiers read from the name index agree with a scan of the entries (ASCII names)
      for (const q of [{ text: 'file', extensions: ['txt'] }, { text: 'report', modifiedAfter: Date.UTC(2024, 0, 3) }, { text: 'voice', extensions: ['pdf', 'md'] }]) {
        const query: SearchQuery = { limit: 40, offset: 10, ...q };
        assert.equal(searchEntries(db, query, true), searchEntries(db, query, false), JSON.stringify(q));
      }
      // the end mark of the indexed names is no character of theirs: a text holding it matches nothing here
      assert.is(searchEntries(db, { text: 'top\u0001', limit: 10, offset: 0 }, true).total, 0);
      assert.is(searchEntries(db, { text: 'p\u0001', limit: 10, offset: 0 }, true).total, 0);
    } finally {
      db.close();
    }
    assert.ok(library.verify().equal);
  }, { prepare });
});

Shortcuts.run();
