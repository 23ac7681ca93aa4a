import type { Decider } from '../domain/decider.js';
import { fold } from '../domain/decider.js';
import type { DomainEvent, RecordedEvent } from '../domain/envelope.js';
import { stampOf } from '../projections/stamp.js';
import type { CommandContext } from './bus.js';

/**
 * `handleWithDecider` for shared data (DESIGN §3): a stream any device may write holds events in arrival order,
 * which differs between devices, so the state is folded in stamp order (hlc, device) — the order in which the
 * read model's last-writer-wins registers settle.
 */
export async function handleSharedWithDecider<State, Command, Event extends DomainEvent>(
  ctx: CommandContext,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
): Promise<{ events: Event[]; state: State }> {
  const history = await ctx.store.readStream(streamId);
  const state = fold(decider, inStampOrder(history) as unknown as Event[]);
  const events = decider.decide(state, command);
  if (events.length === 0) return { events, state };
  for (const e of events) ctx.catalog.validate(e);
  await ctx.store.append(
    streamId,
    events.map((e) => ({ eventId: ctx.newId(), type: e.type, data: e.data })),
    { expectedVersion: history.length === 0 ? 'no_stream' : history.length, meta: ctx.meta },
  );
  return { events, state: events.reduce(decider.evolve, state) };
}

function inStampOrder(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events
    .map((e) => ({ e, stamp: stampOf(e) }))
    .sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0))
    .map((x) => x.e);
}
