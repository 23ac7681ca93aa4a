import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';

export const deviceStream = (deviceId: string) => `device-${deviceId}`;

const DeviceInfo = z.object({
  deviceId: z.uuid(),
  name: z.string().min(1),
  os: z.string().min(1),
  publicKey: z.string().min(1),
});

export const DeviceRegistered = defineEvent('DeviceRegistered', DeviceInfo.extend({ at: z.iso.datetime() }));
export const DeviceUpdated = defineEvent(
  'DeviceUpdated',
  z.object({ deviceId: z.uuid(), name: z.string().min(1), os: z.string().min(1), at: z.iso.datetime() }),
);

export const deviceEvents = [DeviceRegistered, DeviceUpdated] as const;
export type DeviceEvent = EventOf<typeof DeviceRegistered> | EventOf<typeof DeviceUpdated>;
