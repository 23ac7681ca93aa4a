import path from 'node:path';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { locationDecider } from '../../domain/location/decider.js';
import { IndexMode, locationStream } from '../../domain/location/events.js';
import { DEFAULT_INDEXER_RULES, IndexerRulesSchema } from '../../domain/location/indexer-rules.js';
import { listLocations, locationById, type LocationRecord } from '../../projections/locations/queries.js';
import { defineCommand } from '../bus.js';
import { handleWithDecider } from '../decider-handler.js';

/**
 * Adds a folder of this device as a location. Refused, appending nothing, when the path is missing, not a folder,
 * unreadable, or inside / around a location of this device.
 */
export const addLocation = defineCommand({
  name: 'location.add',
  input: z.object({
    path: z.string().min(1),
    name: z.string().trim().min(1).max(200).optional(),
    mode: IndexMode.default('content'),
    rules: IndexerRulesSchema.partial().default({}),
  }),
  async handle(ctx, input): Promise<LocationRecord> {
    const real = ctx.fs.inspectRoot(input.path);
    for (const other of listLocations(ctx.db)) {
      if (other.deviceId !== ctx.device.id) continue;
      if (other.path === real) throw new DomainError('LOCATION_EXISTS', 'user', `${real} is already the location "${other.name}"`);
      if (isInside(real, other.path)) {
        throw new DomainError('LOCATION_NESTED', 'user', `${real} is inside the location "${other.name}" (${other.path}): rescan that location instead`);
      }
      if (isInside(other.path, real)) {
        throw new DomainError('LOCATION_NESTED', 'user', `${real} contains the location "${other.name}" (${other.path}): remove that location first`);
      }
    }
    const locationId = ctx.newId();
    await handleWithDecider(ctx, locationStream(locationId), locationDecider, {
      type: 'AddLocation',
      locationId,
      name: input.name ?? (path.basename(real) || real),
      path: real,
      mode: input.mode,
      rules: { ...DEFAULT_INDEXER_RULES, ...input.rules },
      deviceId: ctx.device.id,
      at: ctx.now().toISOString(),
    });
    return locationById(ctx.db, locationId)!;
  },
});

export const renameLocation = defineCommand({
  name: 'location.rename',
  input: z.object({ locationId: z.uuid(), name: z.string().trim().min(1).max(200) }),
  async handle(ctx, input): Promise<LocationRecord> {
    await handleWithDecider(ctx, locationStream(input.locationId), locationDecider, { type: 'RenameLocation', name: input.name, at: ctx.now().toISOString() });
    return locationById(ctx.db, input.locationId)!;
  },
});

/** Forgets the location and its index; the files on disk are not touched. */
export const removeLocation = defineCommand({
  name: 'location.remove',
  input: z.object({ locationId: z.uuid() }),
  async handle(ctx, input): Promise<void> {
    await handleWithDecider(ctx, locationStream(input.locationId), locationDecider, { type: 'RemoveLocation', at: ctx.now().toISOString() });
  },
});

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
