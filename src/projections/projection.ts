import type { Database } from 'better-sqlite3';
import type { StoredEvent } from '../domain/envelope.js';

/**
 * A read model: folds events into its tables. `apply` receives batches (one append, or a replay batch) so a
 * projection can write once per batch rather than once per event. It must depend only on the events, never on
 * when or in which batches they arrive: rebuild must give the same bytes as incremental folding.
 */
export interface Projection {
  readonly name: string;
  /** Bump when the fold changes: a checkpoint from another version triggers a rebuild. */
  readonly version: number;
  /** The event types it folds; the runner skips the others. */
  readonly handles: ReadonlySet<string>;
  apply(db: Database, events: readonly StoredEvent[]): void;
}
