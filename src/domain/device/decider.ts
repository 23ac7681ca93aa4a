import { DomainError } from '../errors.js';
import type { Decider } from '../decider.js';
import { DeviceRegistered, DeviceUpdated, type DeviceEvent } from './events.js';

export type DeviceState =
  | { status: 'unknown' }
  | { status: 'registered'; deviceId: string; name: string; os: string; publicKey: string };

export type DeviceCommand = {
  type: 'RegisterDevice';
  deviceId: string;
  name: string;
  os: string;
  publicKey: string;
  at: string;
};

/** A device registers itself each time it opens a library; only what changed since is recorded. */
export const deviceDecider: Decider<DeviceState, DeviceCommand, DeviceEvent> = {
  initialState: () => ({ status: 'unknown' }),

  decide(state, command) {
    const { deviceId, name, os, publicKey, at } = command;
    if (state.status === 'unknown') return [DeviceRegistered.create({ deviceId, name, os, publicKey, at })];
    if (state.publicKey !== publicKey) {
      throw new DomainError(
        'DEVICE_KEY_MISMATCH',
        'failure',
        `device ${deviceId} is registered in this library with another key: its identity may have been copied`,
      );
    }
    if (state.name === name && state.os === os) return [];
    return [DeviceUpdated.create({ deviceId, name, os, at })];
  },

  evolve(state, event) {
    switch (event.type) {
      case 'DeviceRegistered':
        return { status: 'registered', ...event.data };
      case 'DeviceUpdated':
        return state.status === 'registered' ? { ...state, name: event.data.name, os: event.data.os } : state;
    }
  },
};
