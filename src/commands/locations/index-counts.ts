import type { EventStore, RecordedEvent } from '../../domain/envelope.js';
import { locationStream, type LocationEvent } from '../../domain/location/events.js';

/** What an index job changed, as its summary shows it: each count is one entry of the job's events. */
export interface IndexCounts {
  added: number;
  modified: number;
  moved: number;
  removed: number;
  identified: number;
}

/** Events read per page: usually a resume finds the appends of the last two seconds, but another scan may have run since. */
const PAGE = 256;

/**
 * Adds to `counts` the entries of the events job `jobId` appended to the location's stream after version `from`, up
 * to `to`: what a job killed after an append, before its next checkpoint, recorded but could not count.
 */
export async function countAppendedBy(
  store: EventStore, locationId: string, jobId: string, from: number, to: number, counts: IndexCounts,
): Promise<void> {
  for (let at = from + 1; at <= to; at += PAGE) {
    for (const e of await store.readStream(locationStream(locationId), { fromVersion: at, maxCount: PAGE })) {
      if (e.meta.causationId === jobId) count(e, counts);
    }
  }
}

function count(recorded: RecordedEvent, c: IndexCounts): void {
  const e = recorded as unknown as LocationEvent;
  switch (e.type) {
    case 'EntriesAdded':
    case 'EntriesModified':
      c[e.type === 'EntriesAdded' ? 'added' : 'modified'] += e.data.entries.length;
      c.identified += e.data.entries.filter((x) => x.content).length;
      break;
    case 'EntriesMoved':
      c.moved += e.data.moves.length;
      break;
    case 'EntriesRemoved':
      c.removed += e.data.names.length;
      break;
    case 'ContentIdentified':
      c.identified += e.data.entries.length;
      break;
  }
}
