import { z } from 'zod';
import { DomainError, ValidationError } from './errors.js';
import type { DomainEvent } from './envelope.js';

/**
 * Every event type the domain knows: its current schema version, the zod schema of its payload, and the pure
 * upcasters that lift stored payloads of older versions to the current one.
 */
export interface EventDefinition<T extends string, S extends z.ZodType> {
  readonly type: T;
  readonly schemaVersion: number;
  readonly schema: S;
  /** Upcasters keyed by the version they lift from (v → v+1). */
  readonly upcasters: ReadonlyMap<number, (data: unknown) => unknown>;
  create(data: z.output<S>): DomainEvent<T, z.output<S>>;
}

export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? DomainEvent<T, z.output<S>> : never;

export function defineEvent<T extends string, S extends z.ZodType>(
  type: T,
  schema: S,
  options: { schemaVersion?: number; upcasters?: Record<number, (data: unknown) => unknown> } = {},
): EventDefinition<T, S> {
  const upcasters = new Map(Object.entries(options.upcasters ?? {}).map(([v, fn]) => [Number(v), fn]));
  return {
    type,
    schema,
    schemaVersion: options.schemaVersion ?? 1,
    upcasters,
    create: (data) => ({ type, data }),
  };
}

type AnyEventDefinition = EventDefinition<string, z.ZodType>;

export class EventCatalog {
  private readonly byType = new Map<string, AnyEventDefinition>();

  constructor(definitions: Iterable<AnyEventDefinition>) {
    for (const d of definitions) {
      if (this.byType.has(d.type)) throw new Error(`event type ${d.type} is defined twice`);
      this.byType.set(d.type, d);
    }
  }

  schemaVersionOf(type: string): number {
    return this.byType.get(type)?.schemaVersion ?? 1;
  }

  /** Validates a payload before it is appended; an unknown type or a bad payload appends nothing. */
  validate(event: DomainEvent): void {
    const def = this.byType.get(event.type);
    if (!def) throw new DomainError('UNKNOWN_EVENT_TYPE', 'failure', `no event type ${event.type} is defined`);
    const result = def.schema.safeParse(event.data);
    if (!result.success) {
      throw new ValidationError(
        `${event.type} event`,
        result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
  }

  /** Lifts a stored payload to the current schema version. Unknown types pass through untouched. */
  upcast(type: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
    const def = this.byType.get(type);
    if (!def || schemaVersion >= def.schemaVersion) return { schemaVersion, data };
    let v = schemaVersion;
    let d = data;
    while (v < def.schemaVersion) {
      const up = def.upcasters.get(v);
      if (!up) {
        throw new DomainError('NO_UPCASTER', 'failure', `no upcaster lifts ${type} from schema version ${v}`);
      }
      d = up(d);
      v++;
    }
    return { schemaVersion: v, data: d };
  }
}
