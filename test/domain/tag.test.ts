import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../src/domain/decider.js';
import { DomainError } from '../../src/domain/errors.js';
import { metadataDecider, type MetadataCommand } from '../../src/domain/metadata/decider.js';
import type { MetadataEvent } from '../../src/domain/metadata/events.js';
import { entryStream, type EntryTarget, type Target } from '../../src/domain/metadata/target.js';
import { tagDecider, type TagCommand } from '../../src/domain/tag/decider.js';
import type { TagEvent } from '../../src/domain/tag/events.js';
import { normalizeColor, normalizeTagName } from '../../src/domain/tag/tag-name.js';

function spec<C, E>(decider: { initialState(): unknown; evolve(s: never, e: E): unknown; decide(s: never, c: C): E[] }, given: E[], when: C) {
  const state = fold(decider as never, given as never);
  return {
    then(expected: E[]) {
      assert.equal(decider.decide(state as never, when), expected);
    },
    thenThrows(code: string) {
      try {
        decider.decide(state as never, when);
      } catch (err) {
        assert.instance(err, DomainError);
        assert.is((err as DomainError).code, code);
        return;
      }
      assert.unreachable(`expected ${code}`);
    },
  };
}

const tagSpec = (given: TagEvent[], when: TagCommand) => spec(tagDecider, given, when);
const metaSpec = (given: MetadataEvent[], when: MetadataCommand) => spec(metadataDecider, given, when);

const tagId = '7f1f6ad0-2a36-5f4c-9c7e-3e43a1f0b001';
const parentId = '7f1f6ad0-2a36-5f4c-9c7e-3e43a1f0b002';
const appId = '0190a000-0000-7000-8000-000000000001';
const file: Target = { kind: 'entry', locationId: '0190a000-0000-7000-8000-0000000000a1', path: 'docs/a b.pdf' };
const created: TagEvent = { type: 'TagCreated', data: { tagId, name: 'Work', color: null, icon: null, parentId: null } };
const deleted: TagEvent = { type: 'TagDeleted', data: { tagId } };

const Tag = suite('tag aggregate');

Tag('given nothing, when created, then TagCreated', () => {
  tagSpec([], { type: 'CreateTag', tagId, name: 'Work', color: null, icon: null, parentId: null }).then([created]);
});

Tag('given a tag, when created again, then refused; given a deleted tag, created again', () => {
  tagSpec([created], { type: 'CreateTag', tagId, name: 'Work', color: null, icon: null, parentId: null }).thenThrows('TAG_EXISTS');
  tagSpec([created, deleted], { type: 'CreateTag', tagId, name: 'Work', color: '#ff0000', icon: null, parentId: null }).then([
    { type: 'TagCreated', data: { tagId, name: 'Work', color: '#ff0000', icon: null, parentId: null } },
  ]);
});

Tag('given a tag, when renamed, then TagRenamed; to its own name, nothing', () => {
  tagSpec([created], { type: 'RenameTag', name: 'Job' }).then([{ type: 'TagRenamed', data: { tagId, name: 'Job' } }]);
  tagSpec([created], { type: 'RenameTag', name: 'Work' }).then([]);
});

Tag('given a tag, when recolored, only the fields that change are recorded', () => {
  tagSpec([created], { type: 'RecolorTag', color: '#00ff00', icon: null }).then([{ type: 'TagRecolored', data: { tagId, color: '#00ff00' } }]);
  tagSpec([created], { type: 'RecolorTag', color: null }).then([]);
});

Tag('given a tag, when moved under itself or a descendant, then refused', () => {
  tagSpec([created], { type: 'MoveTag', parentId: tagId, parentChain: [tagId] }).thenThrows('TAG_CYCLE');
  tagSpec([created], { type: 'MoveTag', parentId, parentChain: [parentId, tagId] }).thenThrows('TAG_CYCLE');
  tagSpec([created], { type: 'MoveTag', parentId, parentChain: [parentId] }).then([{ type: 'TagMoved', data: { tagId, parentId } }]);
});

Tag('given a tag, when deleted, then TagDeleted; a deleted tag can be neither applied, removed nor deleted', () => {
  tagSpec([created], { type: 'DeleteTag' }).then([deleted]);
  tagSpec([created, deleted], { type: 'DeleteTag' }).thenThrows('TAG_DELETED');
  tagSpec([created, deleted], { type: 'ApplyTag', targets: [file] }).thenThrows('TAG_DELETED');
  tagSpec([], { type: 'ApplyTag', targets: [file] }).thenThrows('TAG_NOT_FOUND');
});

Tag('given a tag, when applied then removed, the removal names the applications it saw', () => {
  tagSpec([created], { type: 'ApplyTag', targets: [file] }).then([{ type: 'TagApplied', data: { tagId, targets: [file] } }]);
  tagSpec([created], { type: 'ApplyTag', targets: [] }).then([]);
  const applications = [{ eventId: appId, target: file }];
  tagSpec([created, { type: 'TagApplied', data: { tagId, targets: [file] } }], { type: 'RemoveTag', applications }).then([
    { type: 'TagRemoved', data: { tagId, applications } },
  ]);
});

Tag('names and colours are normalized', () => {
  assert.is(normalizeTagName('  Café\u0301   bar '), 'Café́ bar'.normalize('NFC'));
  assert.is(normalizeTagName('a\tb'), 'a b');
  assert.throws(() => normalizeTagName('   '), (e: DomainError) => e.code === 'TAG_NAME_EMPTY');
  assert.is(normalizeColor('#ABC'), '#aabbcc');
  assert.is(normalizeColor('3B82F6'), '#3b82f6');
  assert.throws(() => normalizeColor('blue'), (e: DomainError) => e.code === 'TAG_COLOR_INVALID');
});

const Meta = suite('entry metadata aggregate');
const target = file as EntryTarget;

Meta('given nothing, when noted, favourited, hidden, then one event each; setting them again, nothing', () => {
  metaSpec([], { type: 'NoteEntry', target, note: 'hi' }).then([{ type: 'EntryNoted', data: { target, note: 'hi' } }]);
  metaSpec([{ type: 'EntryNoted', data: { target, note: 'hi' } }], { type: 'NoteEntry', target, note: 'hi' }).then([]);
  metaSpec([], { type: 'FavoriteEntry', target, favorite: false }).then([]);
  metaSpec([], { type: 'FavoriteEntry', target, favorite: true }).then([{ type: 'EntryFavorited', data: { target, favorite: true } }]);
  metaSpec([{ type: 'EntryHidden', data: { target, hidden: true } }], { type: 'HideEntry', target, hidden: false }).then([
    { type: 'EntryHidden', data: { target, hidden: false } },
  ]);
});

Meta('an entry stream id is the same on every device and differs by path', () => {
  assert.is(entryStream(target), entryStream({ ...target }));
  assert.match(entryStream(target), /^entry-[0-9a-f-]{36}$/);
  assert.is.not(entryStream(target), entryStream({ ...target, path: 'docs/a b.PDF' }));
});

Tag.run();
Meta.run();
