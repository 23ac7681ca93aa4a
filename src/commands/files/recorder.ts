import { fold } from '../../domain/decider.js';
import type { EventMeta, EventStore } from '../../domain/envelope.js';
import type { EventCatalog } from '../../domain/event-catalog.js';
import { fileOperationDecider, type FileOperationCommand, type FileOperationState } from '../../domain/fileops/decider.js';
import { fileOperationStream, type FileOperationEvent } from '../../domain/fileops/events.js';

export interface FileOperationDeps {
  store: EventStore;
  catalog: EventCatalog;
}

/** A record event lists at most this many paths, and about this many bytes of them: events stay well under 64 KiB. */
export const PATHS_PER_EVENT = 200;
const EVENT_BYTES = 24 << 10;

/**
 * Splits what one record lists into the parts appended as its events, in order; always at least one part. `pathOf`
 * gives each item's recorded path, whose text makes up most of an event's bytes.
 */
export function recordParts<T>(items: readonly T[], pathOf: (item: T) => { source: string; destination?: string; trashedTo?: string }): T[][] {
  const parts: T[][] = [[]];
  let size = 0;
  for (const item of items) {
    const p = pathOf(item);
    const bytes = p.source.length + (p.destination?.length ?? 0) + (p.trashedTo?.length ?? 0) + 96;
    if (parts[parts.length - 1].length >= PATHS_PER_EVENT || size + bytes > EVENT_BYTES) {
      parts.push([]);
      size = 0;
    }
    parts[parts.length - 1].push(item);
    size += bytes;
  }
  return parts;
}

/** Appends a job's file operation record (`fileop-<jobId>`), deciding on the state folded from that stream. */
export class FileOperationRecorder {
  private state: FileOperationState = fileOperationDecider.initialState();
  private version = 0;
  /**
   * Sources the record lists as moved by a copy (not a rename): their copies were durable when recorded, so a resumed
   * move removes those its killed run had not removed yet, unless written to since. Display path → bytes copied.
   */
  readonly copiedAway = new Map<string, number>();
  /** Sources with other hard links that the record lists as copied: `dev:ino` → the source's path. */
  readonly hardLinked = new Map<string, string>();

  private constructor(
    private readonly store: EventStore,
    private readonly catalog: EventCatalog,
    private readonly meta: EventMeta,
    private readonly newId: () => string,
    private readonly stream: string,
  ) {}

  static async load(deps: FileOperationDeps, meta: EventMeta, newId: () => string, jobId: string): Promise<FileOperationRecorder> {
    const r = new FileOperationRecorder(deps.store, deps.catalog, meta, newId, fileOperationStream(jobId));
    const history = await deps.store.readStream(r.stream);
    r.state = fold(fileOperationDecider, history as unknown as FileOperationEvent[]);
    r.version = history.length;
    for (const e of history as unknown as FileOperationEvent[]) {
      if (e.type !== 'FilesCopied') continue;
      if (e.data.action === 'move') for (const p of e.data.paths) if (p.strategy !== 'rename' && p.kind !== 'directory') r.copiedAway.set(p.source, p.bytes);
      for (const p of e.data.paths) if (p.inode !== undefined && !r.hardLinked.has(p.inode)) r.hardLinked.set(p.inode, p.source);
    }
    return r;
  }

  get recorded(): FileOperationState {
    return this.state;
  }

  async record(command: FileOperationCommand): Promise<void> {
    const events = fileOperationDecider.decide(this.state, command);
    if (events.length === 0) return;
    for (const e of events) this.catalog.validate(e);
    const result = await this.store.append(
      this.stream,
      events.map((e) => ({ eventId: this.newId(), type: e.type, data: e.data })),
      { expectedVersion: this.version === 0 ? 'no_stream' : this.version, meta: this.meta },
    );
    this.version = result.nextExpectedVersion;
    this.state = events.reduce(fileOperationDecider.evolve, this.state);
  }
}
