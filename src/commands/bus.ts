import type { z } from 'zod';
import type { EventMeta, EventStore } from '../domain/envelope.js';
import { ValidationError } from '../domain/errors.js';
import type { EventCatalog } from '../domain/event-catalog.js';
import type { Database } from 'better-sqlite3';
import type { IndexerFileSystem } from './locations/ports.js';
import type { DeviceIdentity } from './ports.js';

/** What a handler may use: the library's log, the catalog, this device, and time and ids from outside the domain. */
export interface CommandContext {
  readonly store: EventStore;
  readonly catalog: EventCatalog;
  readonly device: DeviceIdentity;
  /** Audit trail stamped on every event the command appends. */
  readonly meta: EventMeta;
  /** The read models, for checks a decision needs that no single stream holds (e.g. nested locations). */
  readonly db: Database;
  readonly fs: IndexerFileSystem;
  now(): Date;
  newId(): string;
}

/** A command: a name, a zod schema for its input, and a handler (fold → decide → append). */
export interface CommandDefinition<S extends z.ZodType = z.ZodType, R = unknown> {
  readonly name: string;
  readonly input: S;
  handle(ctx: CommandContext, input: z.output<S>): Promise<R>;
}

export function defineCommand<S extends z.ZodType, R>(definition: CommandDefinition<S, R>): CommandDefinition<S, R> {
  return definition;
}

/** Parses input at the edge; a failure names every bad field and nothing runs. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown, subject: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ValidationError(
    subject,
    result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export interface ExecuteOptions {
  correlationId?: string;
  causationId?: string;
}

export class CommandBus {
  private readonly byName = new Map<string, CommandDefinition>();

  constructor(
    definitions: readonly CommandDefinition[],
    private readonly context: (meta: EventMeta) => CommandContext,
    private readonly newId: () => string,
  ) {
    for (const d of definitions) this.byName.set(d.name, d);
  }

  async execute<S extends z.ZodType, R>(command: CommandDefinition<S, R>, input: z.input<S>, options: ExecuteOptions = {}): Promise<R> {
    const parsed = parseInput(command.input, input, `${command.name} input`);
    const actionId = this.newId();
    const meta: EventMeta = {
      actionId,
      correlationId: options.correlationId ?? actionId,
      ...(options.causationId ? { causationId: options.causationId } : {}),
      commandKind: command.name,
    };
    return command.handle(this.context(meta), parsed);
  }

  /** For transports that carry commands by name (daemon RPC). */
  async executeByName(name: string, input: unknown, options: ExecuteOptions = {}): Promise<unknown> {
    const command = this.byName.get(name);
    if (!command) throw new ValidationError('command', [{ path: 'name', message: `no command named ${name}` }]);
    return this.execute(command, input as never, options);
  }
}
