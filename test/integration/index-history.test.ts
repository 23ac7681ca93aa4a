import { renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Library } from '../../src/commands/libraries/library.js';
import { locationStream, type EntriesEvent } from '../../src/domain/location/events.js';
import { withIndexedFolder } from '../support/indexed-folder.js';

const History = suite('meta show: the index history count, read through index_history (API, real files)');

/** The count as `meta show` made it before index_history: every event of the location's stream, tested. */
async function fullScanCount(library: Library, locationId: string, entryPath: string): Promise<number> {
  const slash = entryPath.lastIndexOf('/');
  const [parent, name] = slash < 0 ? ['', entryPath] : [entryPath.slice(0, slash), entryPath.slice(slash + 1)];
  let n = 0;
  for (const event of await library.readEvents({ streamId: locationStream(locationId) })) {
    const e = event as unknown as EntriesEvent;
    switch (e.type) {
      case 'EntriesAdded':
      case 'EntriesModified':
      case 'ContentIdentified':
        if (e.data.parent === parent && e.data.entries.some((f) => f.name === name)) n++;
        break;
      case 'EntriesRemoved':
        if (e.data.parent === parent && e.data.names.includes(name)) n++;
        break;
      case 'EntriesMoved':
        if (e.data.moves.some((m) => (m.fromParent === parent && m.fromName === name) || (m.toParent === parent && m.toName === name))) n++;
        break;
    }
  }
  return n;
}

History('the count is exact after adds, modifications, moves and removals, and equals a scan of the whole stream', () =>
  withIndexedFolder({ 'a/keep.txt': 'k', 'a/edit.txt': 'v1', 'a/go.txt': 'g', 'a/gone.txt': 'x', 'b/other.txt': 'o', 'b/odd name ✓\n.txt': 'odd', 'top.txt': 't' }, async (library, location, dir) => {
    const rescan = async () => assert.is((await (await library.locations.index(library.locations.byId(location.id)!, {})).done).status, 'completed');
    const counts = async (paths: string[]) =>
      Promise.all(paths.map(async (p) => [p, (await library.metadata.show(path.join(dir, p))).history.index, await fullScanCount(library, location.id, p)]));
    const expect = async (expected: Record<string, number>) => {
      for (const [p, shown, scanned] of await counts(Object.keys(expected))) {
        assert.is(shown, scanned, `${p}: index_history ${shown}, full scan ${scanned}`);
        assert.is(shown, expected[p as string], `${p}`);
      }
    };
    await expect({ 'a/keep.txt': 1, 'a/edit.txt': 1, 'a/go.txt': 1, 'a/gone.txt': 1, 'b/odd name ✓\n.txt': 1, 'top.txt': 1, a: 1 });

    writeFileSync(path.join(dir, 'a/edit.txt'), 'version two');
    utimesSync(path.join(dir, 'a/edit.txt'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    renameSync(path.join(dir, 'a/go.txt'), path.join(dir, 'b/went.txt'));
    rmSync(path.join(dir, 'a/gone.txt'));
    await rescan();
    await expect({ 'a/keep.txt': 1, 'a/edit.txt': 2, 'b/went.txt': 1, 'b/other.txt': 1 });

    // back to where it was, and the removed file comes back: both paths have a history before this scan
    renameSync(path.join(dir, 'b/went.txt'), path.join(dir, 'a/go.txt'));
    writeFileSync(path.join(dir, 'a/gone.txt'), 'back');
    await rescan();
    await expect({ 'a/go.txt': 3, 'a/gone.txt': 3, 'a/keep.txt': 1, 'a/edit.txt': 2, 'top.txt': 1 });

    // a moved directory: the move names it at its new path; its children are carried along, unnamed
    renameSync(path.join(dir, 'b'), path.join(dir, 'c'));
    await rescan();
    await expect({ c: 1, 'c/other.txt': 0, 'c/odd name ✓\n.txt': 0, 'a/go.txt': 3 });

    assert.ok(library.verify().equal);
    const before = await counts(['a/go.txt', 'a/gone.txt', 'a/edit.txt', 'c']);
    library.rebuild();
    assert.equal(await counts(['a/go.txt', 'a/gone.txt', 'a/edit.txt', 'c']), before);
  }));

History.run();
