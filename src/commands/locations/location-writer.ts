import type { EventMeta, EventStore, NewEvent } from '../../domain/envelope.js';
import { DomainError, WrongExpectedVersion } from '../../domain/errors.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import { locationStream } from '../../domain/location/events.js';

/**
 * Buffers the indexer's events for a location stream and appends them in batches, at the version it last wrote:
 * if anything else wrote the stream meanwhile, the append fails, and a removed location stops the job.
 */
export class LocationWriter {
  private pending: NewEvent[] = [];
  private readonly stream: string;

  constructor(
    private readonly store: EventStore,
    private readonly catalog: EventCatalog,
    private readonly meta: EventMeta,
    private readonly newId: () => string,
    locationId: string,
    private version: number,
    /** Whether the location still exists, asked when an append finds the stream moved on. */
    private readonly stillExists: () => boolean,
  ) {
    this.stream = locationStream(locationId);
  }

  /** The stream's version after the last append: every event pushed and flushed is at or below it. */
  get streamVersion(): number {
    return this.version;
  }

  push(type: string, data: unknown): void {
    const event = { eventId: this.newId(), type, data };
    this.catalog.validate(event);
    this.pending.push(event);
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    try {
      await this.append();
    } catch (err) {
      if (!(err instanceof WrongExpectedVersion)) throw err;
      if (!this.stillExists()) {
        this.pending = [];
        throw new DomainError('LOCATION_REMOVED', 'user', 'the location was removed while it was being indexed');
      }
      this.version = await this.store.streamVersion(this.stream); // renamed meanwhile: entries are still ours to write
      await this.append();
    }
  }

  private async append(): Promise<void> {
    const result = await this.store.append(this.stream, this.pending, { expectedVersion: this.version, meta: this.meta });
    this.version = result.nextExpectedVersion;
    this.pending = [];
  }
}
