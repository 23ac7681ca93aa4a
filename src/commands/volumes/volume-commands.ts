import { z } from 'zod';
import { volumeDecider } from '../../domain/volume/decider.js';
import { Fingerprint, VolumeFacts, volumeStream, type VolumeEvent } from '../../domain/volume/events.js';
import { volumeRecord, type VolumeRecord } from '../../projections/volumes/queries.js';
import { defineCommand } from '../bus.js';
import { handleWithDecider } from '../decider-handler.js';

const Name = z.string().trim().min(1).max(200);

/**
 * Tracks a volume of this device in this library, with the facts detection saw (the caller detects: commands do
 * not probe the system). Tracking a tracked volume is refused.
 */
export const trackVolume = defineCommand({
  name: 'volume.track',
  input: z.object({ fingerprint: Fingerprint, name: Name.optional(), facts: VolumeFacts }),
  async handle(ctx, input): Promise<VolumeRecord> {
    await handleWithDecider(ctx, volumeStream(input.fingerprint), volumeDecider, {
      type: 'TrackVolume',
      fingerprint: input.fingerprint,
      deviceId: ctx.device.id,
      name: input.name ?? input.facts.name,
      facts: input.facts,
      at: ctx.now().toISOString(),
    });
    return volumeRecord(ctx.db, input.fingerprint)!;
  },
});

/** Stops tracking; the last-known facts and speed tests stay in the log. Untracking an untracked volume is refused. */
export const untrackVolume = defineCommand({
  name: 'volume.untrack',
  input: z.object({ fingerprint: Fingerprint }),
  async handle(ctx, input): Promise<void> {
    await handleWithDecider(ctx, volumeStream(input.fingerprint), volumeDecider, { type: 'UntrackVolume', at: ctx.now().toISOString() });
  },
});

export const renameVolume = defineCommand({
  name: 'volume.rename',
  input: z.object({ fingerprint: Fingerprint, name: Name }),
  async handle(ctx, input): Promise<VolumeRecord> {
    await handleWithDecider(ctx, volumeStream(input.fingerprint), volumeDecider, { type: 'RenameVolume', name: input.name, at: ctx.now().toISOString() });
    return volumeRecord(ctx.db, input.fingerprint)!;
  },
});

/** Records what a refresh saw of a tracked volume (`seen: null`: not mounted). Returns the events it appended. */
export const refreshVolume = defineCommand({
  name: 'volume.refresh',
  input: z.object({ fingerprint: Fingerprint, seen: VolumeFacts.nullable() }),
  async handle(ctx, input): Promise<VolumeEvent[]> {
    const { events } = await handleWithDecider(ctx, volumeStream(input.fingerprint), volumeDecider, {
      type: 'RefreshVolume',
      seen: input.seen,
      at: ctx.now().toISOString(),
    });
    return events;
  },
});

export const recordSpeedTest = defineCommand({
  name: 'volume.record-speed-test',
  input: z.object({
    fingerprint: Fingerprint,
    facts: VolumeFacts,
    bytes: z.number().int().positive(),
    writeMBps: z.number().nonnegative(),
    readMBps: z.number().nonnegative(),
  }),
  async handle(ctx, input): Promise<VolumeRecord> {
    await handleWithDecider(ctx, volumeStream(input.fingerprint), volumeDecider, {
      type: 'RecordSpeedTest',
      ...input,
      deviceId: ctx.device.id,
      at: ctx.now().toISOString(),
    });
    return volumeRecord(ctx.db, input.fingerprint)!;
  },
});
