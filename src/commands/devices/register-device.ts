import { z } from 'zod';
import { deviceDecider } from '../../domain/device/decider.js';
import { deviceStream } from '../../domain/device/events.js';
import { defineCommand } from '../bus.js';
import { handleWithDecider } from '../decider-handler.js';

/** This device announces itself in the library it opens; only a first visit or a change appends. */
export const registerDevice = defineCommand({
  name: 'device.register',
  input: z.object({}),
  async handle(ctx) {
    const { id, name, os, publicKey } = ctx.device;
    const { events } = await handleWithDecider(ctx, deviceStream(id), deviceDecider, {
      type: 'RegisterDevice',
      deviceId: id,
      name,
      os,
      publicKey,
      at: ctx.now().toISOString(),
    });
    return { changed: events.length > 0 };
  },
});
