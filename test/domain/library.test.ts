import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError } from '../../src/domain/errors.js';
import { libraryDecider, type LibraryCommand } from '../../src/domain/library/decider.js';
import type { LibraryEvent } from '../../src/domain/library/events.js';
import { firstFreeName, sanitizeLibraryName } from '../../src/domain/library/name.js';
import { defaultLibrarySettings } from '../../src/domain/library/settings.js';
import { fold } from '../../src/domain/decider.js';

/** given events, when a command, then events (or an error code). */
function spec(given: LibraryEvent[], when: LibraryCommand): { then(expected: LibraryEvent[]): void; thenThrows(code: string): void } {
  const state = fold(libraryDecider, given);
  return {
    then(expected) {
      assert.equal(libraryDecider.decide(state, when), expected);
    },
    thenThrows(code) {
      try {
        libraryDecider.decide(state, when);
      } catch (err) {
        assert.instance(err, DomainError);
        assert.is((err as DomainError).code, code);
        return;
      }
      assert.unreachable(`expected ${code}`);
    },
  };
}

const at = '2026-11-21T10:00:00.000Z';
const id = '01a1fce8-bf1a-77d4-a35b-c70454d7eb96';
const settings = defaultLibrarySettings();
const created: LibraryEvent = { type: 'LibraryCreated', data: { libraryId: id, name: 'Photos', description: null, settings, createdAt: at } };

const Library = suite('library aggregate');

Library('given nothing, when created, then LibraryCreated', () => {
  spec([], { type: 'CreateLibrary', libraryId: id, name: 'Photos', description: null, settings, at }).then([created]);
});

Library('given a library, when created again, then refused', () => {
  spec([created], { type: 'CreateLibrary', libraryId: id, name: 'Photos', description: null, settings, at }).thenThrows('LIBRARY_EXISTS');
});

Library('given a library, when renamed, then LibraryRenamed with the old name', () => {
  spec([created], { type: 'RenameLibrary', name: 'Pictures', at }).then([{ type: 'LibraryRenamed', data: { from: 'Photos', to: 'Pictures', at } }]);
});

Library('given a renamed library, when renamed to its current name, then nothing', () => {
  const renamed: LibraryEvent = { type: 'LibraryRenamed', data: { from: 'Photos', to: 'Pictures', at } };
  spec([created, renamed], { type: 'RenameLibrary', name: 'Pictures', at }).then([]);
});

Library('given nothing, when renamed, then refused', () => {
  spec([], { type: 'RenameLibrary', name: 'X', at }).thenThrows('LIBRARY_NOT_INITIALIZED');
});

Library('given a library, when described twice with the same text, then one event', () => {
  const described: LibraryEvent = { type: 'LibraryDescribed', data: { description: 'Family', at } };
  spec([created], { type: 'DescribeLibrary', description: 'Family', at }).then([described]);
  spec([created, described], { type: 'DescribeLibrary', description: 'Family', at }).then([]);
});

Library('given a library, when settings change, then only the changed fields are recorded', () => {
  spec([created], { type: 'ChangeLibrarySettings', changes: { thumbnailQuality: 85, syncEnabled: true }, at }).then([
    { type: 'LibrarySettingsChanged', data: { changes: { syncEnabled: true }, at } },
  ]);
  spec([created], { type: 'ChangeLibrarySettings', changes: { thumbnailQuality: 85 }, at }).then([]);
});

Library.run();

const Names = suite('library names');

Names('unsafe characters and control characters become -', () => {
  assert.is(sanitizeLibraryName('a/b\\c:d*e?f"g<h>i|j'), 'a-b-c-d-e-f-g-h-i-j');
  assert.is(sanitizeLibraryName('line\nbreak\ttab\u0000nul'), 'line-break-tab-nul');
  assert.is(sanitizeLibraryName('  Photos  '), 'Photos');
  assert.is(sanitizeLibraryName('Фото 📷'), 'Фото 📷');
});

Names('empty and over-long names are refused', () => {
  for (const bad of ['', '   ', 'x'.repeat(201), 'é'.repeat(101), '.', '..']) {
    assert.throws(() => sanitizeLibraryName(bad), (e: DomainError) => e.code === 'INVALID_LIBRARY_NAME', JSON.stringify(bad));
  }
  assert.is(sanitizeLibraryName('x'.repeat(200)).length, 200);
});

Names('a taken name gets " 1", " 2", …', () => {
  const taken = new Set(['Photos', 'Photos 1']);
  assert.is(firstFreeName('Photos', (n) => taken.has(n)), 'Photos 2');
  assert.is(firstFreeName('Docs', (n) => taken.has(n)), 'Docs');
});

Names.run();
