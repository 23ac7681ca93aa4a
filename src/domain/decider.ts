import type { DomainEvent } from './envelope.js';

/** Emmett-style decider: pure decisions over a state folded from the stream. */
export interface Decider<State, Command, Event extends DomainEvent> {
  initialState(): State;
  decide(state: State, command: Command): Event[];
  evolve(state: State, event: Event): State;
}

export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
}
