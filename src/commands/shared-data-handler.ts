import type { Decider } from '../domain/decider.js';
import type { DomainEvent, RecordedEvent } from '../domain/envelope.js';
import { stampOf } from '../projections/stamp.js';
import type { CommandContext } from './bus.js';
import { handleWithDecider } from './decider-handler.js';

/**
 * `handleWithDecider` for shared data (DESIGN §3): a stream any device may write holds events in arrival order,
 * which differs between devices, so the state is folded in stamp order (hlc, device) — the order in which the
 * read model's last-writer-wins registers settle.
 */
export function handleSharedWithDecider<State, Command, Event extends DomainEvent>(
  ctx: CommandContext,
  streamId: string,
  decider: Decider<State, Command, Event>,
  command: Command,
): Promise<{ events: Event[]; state: State }> {
  return handleWithDecider(ctx, streamId, decider, command, inStampOrder);
}

function inStampOrder(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events
    .map((e) => ({ e, stamp: stampOf(e) }))
    .sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0))
    .map((x) => x.e);
}
