import type { Statement } from 'better-sqlite3';
import { DomainError } from '../../domain/errors.js';
import type { SqliteDatabase } from '../database/open.js';

/** A (device, epoch) log; events name it by a local chain number instead of repeating the device id. */
export interface Chain {
  device: string;
  epoch: number;
}

/**
 * Chain number → (device, epoch). Chains are never renumbered, so the table is read again only when a number
 * appears that another connection added since.
 */
export class ChainNames {
  private readonly known = new Map<number, Chain>();
  private readonly all: Statement;

  constructor(db: SqliteDatabase) {
    this.all = db.prepare('SELECT chain, device, epoch FROM chains').raw();
  }

  of(chain: number): Chain {
    let c = this.known.get(chain);
    if (!c) {
      for (const [id, device, epoch] of this.all.all() as [number, string, number][]) this.known.set(id, { device, epoch });
      c = this.known.get(chain);
      if (!c) throw new DomainError('CORRUPT_LOG', 'failure', `event log names chain ${chain}, which does not exist`);
    }
    return c;
  }
}
