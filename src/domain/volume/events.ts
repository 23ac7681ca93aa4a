import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';

export const volumeStream = (fingerprint: string): string => `volume-${fingerprint}`;

/** BLAKE3 hex of a tagged identity (infra/volumes/fingerprint.ts): 64 lowercase hex digits. */
export const Fingerprint = z.string().regex(/^[0-9a-f]{64}$/, 'a volume fingerprint is 64 lowercase hex digits');

export const MOUNT_TYPES = ['system', 'external', 'network', 'virtual'] as const;
export const MountType = z.enum(MOUNT_TYPES);
export type MountType = z.infer<typeof MountType>;

export const DISK_TYPES = ['ssd', 'hdd', 'network', 'virtual', 'unknown'] as const;
export const DiskType = z.enum(DISK_TYPES);
export type DiskType = z.infer<typeof DiskType>;

const Bytes = z.number().int().nonnegative();

/** What detection saw of a volume: the last-known facts a library keeps for a volume that is offline. */
export const VolumeFacts = z.object({
  name: z.string().min(1),
  mountPoint: z.string().min(1),
  source: z.string(),
  fileSystem: z.string().min(1),
  totalBytes: Bytes,
  availableBytes: Bytes,
  mountType: MountType,
  diskType: DiskType,
  readOnly: z.boolean(),
  copyOnWrite: z.boolean(),
});
export type VolumeFacts = z.infer<typeof VolumeFacts>;

const At = z.iso.datetime();

export const VolumeTracked = defineEvent(
  'VolumeTracked',
  z.object({ fingerprint: Fingerprint, deviceId: z.uuid(), name: z.string().min(1), facts: VolumeFacts, at: At }),
);
export const VolumeUntracked = defineEvent('VolumeUntracked', z.object({ at: At }));
export const VolumeRenamed = defineEvent('VolumeRenamed', z.object({ name: z.string().min(1), at: At }));
/** A tracked volume seen again after `VolumeUnmounted` (possibly at another mount point). */
export const VolumeMounted = defineEvent('VolumeMounted', z.object({ facts: VolumeFacts, at: At }));
export const VolumeUnmounted = defineEvent('VolumeUnmounted', z.object({ at: At }));
/** A tracked, mounted volume whose facts changed: `changed` names them (capacity counts from a 1% move). */
export const VolumeUpdated = defineEvent('VolumeUpdated', z.object({ facts: VolumeFacts, changed: z.array(z.string()).min(1), at: At }));
/** Recorded for any volume tested, tracked or not: a measurement is a fact worth keeping. */
export const VolumeSpeedTested = defineEvent(
  'VolumeSpeedTested',
  z.object({
    fingerprint: Fingerprint,
    deviceId: z.uuid(),
    facts: VolumeFacts,
    bytes: Bytes,
    writeMBps: z.number().nonnegative(),
    readMBps: z.number().nonnegative(),
    at: At,
  }),
);

export const volumeEvents = [VolumeTracked, VolumeUntracked, VolumeRenamed, VolumeMounted, VolumeUnmounted, VolumeUpdated, VolumeSpeedTested] as const;

export type VolumeEvent =
  | EventOf<typeof VolumeTracked>
  | EventOf<typeof VolumeUntracked>
  | EventOf<typeof VolumeRenamed>
  | EventOf<typeof VolumeMounted>
  | EventOf<typeof VolumeUnmounted>
  | EventOf<typeof VolumeUpdated>
  | EventOf<typeof VolumeSpeedTested>;
