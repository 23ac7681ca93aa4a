import type { Decider } from '../domain/decider.js';
import { fold } from '../domain/decider.js';
import type { DomainEvent, RecordedEvent } from '../domain/envelope.js';
import type { CommandContext } from './bus.js';

/**
 * The one way a command changes a stream: fold the stream, decide, validate the events, append them with the
 * version that was folded (a concurrent change makes the append fail with WrongExpectedVersion, appending nothing).
 * `foldOrder` arranges the history before the fold (shared data folds in stamp order; the default is stream order).
 */
export async function handleWithDecider<State, Command, Event extends DomainEvent>(
  ctx: CommandContext,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
  foldOrder: (history: readonly RecordedEvent[]) => readonly RecordedEvent[] = (h) => h,
): Promise<{ events: Event[]; state: State }> {
  const history = await ctx.store.readStream(streamId);
  const state = fold(decider, foldOrder(history) as unknown as Event[]);
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
