import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DomainError } from '../../src/domain/errors.js';
import { fold } from '../../src/domain/decider.js';
import { changedFacts, volumeDecider, type VolumeCommand } from '../../src/domain/volume/decider.js';
import type { VolumeEvent, VolumeFacts } from '../../src/domain/volume/events.js';

/** given events, when a command, then events (or an error code). */
function spec(given: VolumeEvent[], when: VolumeCommand): { then(expected: VolumeEvent[]): void; thenThrows(code: string): void } {
  const state = fold(volumeDecider, given);
  return {
    then(expected) {
      assert.equal(volumeDecider.decide(state, when), expected);
    },
    thenThrows(code) {
      try {
        volumeDecider.decide(state, when);
      } catch (err) {
        assert.instance(err, DomainError);
        assert.is((err as DomainError).code, code);
        assert.is((err as DomainError).kind, 'user');
        return;
      }
      assert.unreachable(`expected ${code}`);
    },
  };
}

const at = '2026-11-21T10:00:00.000Z';
const fingerprint = 'ab'.repeat(32);
const deviceId = '01a1fce8-bf1a-77d4-a35b-c70454d7eb96';
const facts: VolumeFacts = {
  name: 'usb', mountPoint: '/mnt/usb', source: '/dev/sdb1', fileSystem: 'ext4', totalBytes: 1_000_000, availableBytes: 500_000,
  mountType: 'external', diskType: 'ssd', readOnly: false, copyOnWrite: false,
};
const tracked: VolumeEvent = { type: 'VolumeTracked', data: { fingerprint, deviceId, name: 'Photos', facts, at } };
const untracked: VolumeEvent = { type: 'VolumeUntracked', data: { at } };
const unmounted: VolumeEvent = { type: 'VolumeUnmounted', data: { at } };
const track: VolumeCommand = { type: 'TrackVolume', fingerprint, deviceId, name: 'Photos', facts, at };
const speed: VolumeCommand = { type: 'RecordSpeedTest', fingerprint, deviceId, facts, bytes: 1024, writeMBps: 10, readMBps: 20, at };
const speedTested: VolumeEvent = { type: 'VolumeSpeedTested', data: { fingerprint, deviceId, facts, bytes: 1024, writeMBps: 10, readMBps: 20, at } };

const Volume = suite('volume aggregate');

Volume('given nothing, when tracked, then VolumeTracked', () => {
  spec([], track).then([tracked]);
});

Volume('given a tracked volume, when tracked again, then refused (nothing appended)', () => {
  spec([tracked], track).thenThrows('VOLUME_ALREADY_TRACKED');
});

Volume('given an untracked volume, when tracked again, then VolumeTracked', () => {
  spec([tracked, untracked], track).then([tracked]);
});

Volume('given nothing or an untracked volume, when untracked, then refused', () => {
  spec([], { type: 'UntrackVolume', at }).thenThrows('VOLUME_NOT_TRACKED');
  spec([tracked, untracked], { type: 'UntrackVolume', at }).thenThrows('VOLUME_NOT_TRACKED');
  spec([speedTested], { type: 'UntrackVolume', at }).thenThrows('VOLUME_NOT_TRACKED');
});

Volume('given a tracked volume, when untracked, then VolumeUntracked', () => {
  spec([tracked], { type: 'UntrackVolume', at }).then([untracked]);
});

Volume('rename: only tracked volumes, and only a new name', () => {
  spec([tracked], { type: 'RenameVolume', name: 'Archive', at }).then([{ type: 'VolumeRenamed', data: { name: 'Archive', at } }]);
  spec([tracked], { type: 'RenameVolume', name: 'Photos', at }).then([]);
  spec([tracked, untracked], { type: 'RenameVolume', name: 'Archive', at }).thenThrows('VOLUME_NOT_TRACKED');
});

Volume('refresh: unmounted once, mounted again with the facts seen', () => {
  spec([tracked], { type: 'RefreshVolume', seen: null, at }).then([unmounted]);
  spec([tracked, unmounted], { type: 'RefreshVolume', seen: null, at }).then([]);
  const moved = { ...facts, mountPoint: '/media/usb' };
  spec([tracked, unmounted], { type: 'RefreshVolume', seen: moved, at }).then([{ type: 'VolumeMounted', data: { facts: moved, at } }]);
  spec([tracked, untracked], { type: 'RefreshVolume', seen: facts, at }).thenThrows('VOLUME_NOT_TRACKED');
});

Volume('refresh: changed facts are recorded, capacity only from a 1% move', () => {
  spec([tracked], { type: 'RefreshVolume', seen: facts, at }).then([]);
  spec([tracked], { type: 'RefreshVolume', seen: { ...facts, availableBytes: 500_000 - 9_999 }, at }).then([]);
  const fuller = { ...facts, availableBytes: 500_000 - 10_000 };
  spec([tracked], { type: 'RefreshVolume', seen: fuller, at }).then([{ type: 'VolumeUpdated', data: { facts: fuller, changed: ['availableBytes'], at } }]);
  const ro = { ...facts, readOnly: true, mountPoint: '/mnt/x' };
  spec([tracked], { type: 'RefreshVolume', seen: ro, at }).then([{ type: 'VolumeUpdated', data: { facts: ro, changed: ['mountPoint', 'readOnly'], at } }]);
});

Volume('speed tests are recorded for any volume, tracked or not', () => {
  spec([], speed).then([speedTested]);
  spec([tracked], speed).then([speedTested]);
  spec([tracked, untracked], speed).then([speedTested]);
});

Volume('state: a speed-tested volume is seen, not tracked; tracking keeps its name', () => {
  const seen = fold(volumeDecider, [speedTested]);
  assert.is(seen.status, 'seen');
  const renamed = fold(volumeDecider, [tracked, { type: 'VolumeRenamed', data: { name: 'Archive', at } }, untracked, tracked]);
  assert.is(renamed.status, 'tracked');
  assert.is(renamed.status === 'tracked' && renamed.name, 'Photos');
});

Volume('changedFacts names every differing field', () => {
  assert.equal(changedFacts(facts, { ...facts, totalBytes: 2, fileSystem: 'btrfs', copyOnWrite: true }), ['fileSystem', 'totalBytes', 'copyOnWrite']);
});

Volume.run();
