import { DomainError } from '../errors.js';
import type { Decider } from '../decider.js';
import {
  VolumeMounted, VolumeRenamed, VolumeSpeedTested, VolumeTracked, VolumeUnmounted, VolumeUntracked, VolumeUpdated,
  type VolumeEvent, type VolumeFacts,
} from './events.js';

interface Known {
  fingerprint: string;
  deviceId: string;
  /** The display name while tracked. */
  name: string;
  facts: VolumeFacts;
  online: boolean;
}

/** `seen`: the stream holds only speed tests (a volume measured but never tracked). */
export type VolumeState =
  | { status: 'unknown' }
  | ({ status: 'seen' } & Known)
  | ({ status: 'tracked' } & Known)
  | ({ status: 'untracked' } & Known);

export type VolumeCommand =
  | { type: 'TrackVolume'; fingerprint: string; deviceId: string; name: string; facts: VolumeFacts; at: string }
  | { type: 'UntrackVolume'; at: string }
  | { type: 'RenameVolume'; name: string; at: string }
  /** What a refresh saw of the volume: its facts, or null when it is not mounted. */
  | { type: 'RefreshVolume'; seen: VolumeFacts | null; at: string }
  | { type: 'RecordSpeedTest'; fingerprint: string; deviceId: string; facts: VolumeFacts; bytes: number; writeMBps: number; readMBps: number; at: string };

/** Available bytes move all the time: only a move of at least this share of the capacity is worth an event. */
const CAPACITY_NOISE = 0.01;

function requireTracked(state: VolumeState): { status: 'tracked' } & Known {
  if (state.status === 'tracked') return state;
  const what = state.status === 'unknown' ? 'this volume' : `volume "${state.name}"`;
  throw new DomainError('VOLUME_NOT_TRACKED', 'user', `${what} is not tracked in this library: \`spacedrive volume track\` tracks it`);
}

/** The fact fields that differ, capacity only when it moved by at least 1% of the total. */
export function changedFacts(before: VolumeFacts, after: VolumeFacts): string[] {
  const changed: string[] = [];
  for (const key of ['name', 'mountPoint', 'source', 'fileSystem', 'totalBytes', 'mountType', 'diskType', 'readOnly', 'copyOnWrite'] as const) {
    if (before[key] !== after[key]) changed.push(key);
  }
  const threshold = Math.max(before.totalBytes, after.totalBytes) * CAPACITY_NOISE;
  if (Math.abs(before.availableBytes - after.availableBytes) >= Math.max(1, threshold)) changed.push('availableBytes');
  return changed;
}

/** A volume in one library: tracked, renamed, untracked, seen mounting and unmounting, and measured. */
export const volumeDecider: Decider<VolumeState, VolumeCommand, VolumeEvent> = {
  initialState: () => ({ status: 'unknown' }),

  decide(state, command) {
    switch (command.type) {
      case 'TrackVolume': {
        if (state.status === 'tracked') {
          throw new DomainError('VOLUME_ALREADY_TRACKED', 'user', `volume "${state.name}" is already tracked in this library`);
        }
        const { type: _type, ...data } = command;
        return [VolumeTracked.create(data)];
      }
      case 'UntrackVolume':
        requireTracked(state);
        return [VolumeUntracked.create({ at: command.at })];
      case 'RenameVolume': {
        const s = requireTracked(state);
        return s.name === command.name ? [] : [VolumeRenamed.create({ name: command.name, at: command.at })];
      }
      case 'RefreshVolume': {
        const s = requireTracked(state);
        if (command.seen === null) return s.online ? [VolumeUnmounted.create({ at: command.at })] : [];
        if (!s.online) return [VolumeMounted.create({ facts: command.seen, at: command.at })];
        const changed = changedFacts(s.facts, command.seen);
        return changed.length ? [VolumeUpdated.create({ facts: command.seen, changed, at: command.at })] : [];
      }
      case 'RecordSpeedTest': {
        const { type: _type, ...data } = command;
        return [VolumeSpeedTested.create(data)];
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'VolumeTracked': {
        const { fingerprint, deviceId, name, facts } = event.data;
        return { status: 'tracked', fingerprint, deviceId, name, facts, online: true };
      }
      case 'VolumeUntracked':
        return state.status === 'unknown' ? state : { ...state, status: 'untracked' };
      case 'VolumeRenamed':
        return state.status === 'unknown' ? state : { ...state, name: event.data.name };
      case 'VolumeMounted':
      case 'VolumeUpdated':
        return state.status === 'unknown' ? state : { ...state, facts: event.data.facts, online: true };
      case 'VolumeUnmounted':
        return state.status === 'unknown' ? state : { ...state, online: false };
      case 'VolumeSpeedTested': {
        if (state.status !== 'unknown') return state; // a measurement is not a refresh: the facts stay what refresh saw
        const { fingerprint, deviceId, facts } = event.data;
        return { status: 'seen', fingerprint, deviceId, name: facts.name, facts, online: true };
      }
      default:
        return state;
    }
  },
};
