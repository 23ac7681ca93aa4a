import { DomainError } from '../domain/errors.js';

/** The process that holds a library (from the LIBRARY_LOCKED refusal): see src/infra/library/library-lock.ts. */
export interface LockHolder {
  pid: number;
  deviceId: string;
  acquiredAt?: string;
}

export function lockHolderOf(err: unknown): LockHolder | undefined {
  return err instanceof DomainError && err.code === 'LIBRARY_LOCKED' ? (err.context.holder as LockHolder | undefined) : undefined;
}

/**
 * Whether the process holding the library runs this job. Only the holder can append, so a job that is marked running
 * and changed since the holder took the lock is the holder's; one that last changed before is a job a killed process
 * left running, and the holder is another command. Without the lock's time, the holder is taken to run it.
 */
export function runsInHolder(job: { status: string; updatedAt: string }, holder: LockHolder): boolean {
  if (job.status !== 'running' && job.status !== 'queued') return false;
  const since = Date.parse(holder.acquiredAt ?? '');
  return Number.isNaN(since) || Date.parse(job.updatedAt) >= since;
}
