import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';

export const jobStream = (jobId: string): string => `job-${jobId}`;

/** Progress as the job last recorded it: items done of a total when known, and the phase it is in. */
export const JobProgress = z.object({
  phase: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** A non-critical error: the job went on without this item. */
export const JobItemError = z.object({ path: z.string(), code: z.string(), message: z.string() });
export type JobItemError = z.infer<typeof JobItemError>;

export const JobQueued = defineEvent(
  'JobQueued',
  z.object({ jobId: z.uuid(), name: z.string().min(1), input: z.record(z.string(), z.unknown()), at: z.iso.datetime() }),
);
export const JobStarted = defineEvent('JobStarted', z.object({ at: z.iso.datetime() }));
export const JobCheckpointed = defineEvent(
  'JobCheckpointed',
  z.object({ cursor: z.unknown(), progress: JobProgress, at: z.iso.datetime() }),
);
export const JobErrorsRecorded = defineEvent('JobErrorsRecorded', z.object({ errors: z.array(JobItemError).min(1) }));
export const JobPaused = defineEvent('JobPaused', z.object({ reason: z.string(), at: z.iso.datetime() }));
/** `interrupted`: the job was left running by a process that died, and is taken up again. */
export const JobResumed = defineEvent('JobResumed', z.object({ interrupted: z.boolean(), at: z.iso.datetime() }));
export const JobCompleted = defineEvent(
  'JobCompleted',
  z.object({ output: z.record(z.string(), z.unknown()), at: z.iso.datetime() }),
);
export const JobFailed = defineEvent(
  'JobFailed',
  // kind: whether the job was refused something by the user's data (user) or broke (failure); absent before it was recorded
  z.object({ error: z.object({ code: z.string(), message: z.string(), kind: z.enum(['user', 'failure']).optional() }), at: z.iso.datetime() }),
);
export const JobCancelled = defineEvent('JobCancelled', z.object({ at: z.iso.datetime() }));

export const jobEvents = [
  JobQueued, JobStarted, JobCheckpointed, JobErrorsRecorded, JobPaused, JobResumed, JobCompleted, JobFailed, JobCancelled,
] as const;

export type JobEvent =
  | EventOf<typeof JobQueued>
  | EventOf<typeof JobStarted>
  | EventOf<typeof JobCheckpointed>
  | EventOf<typeof JobErrorsRecorded>
  | EventOf<typeof JobPaused>
  | EventOf<typeof JobResumed>
  | EventOf<typeof JobCompleted>
  | EventOf<typeof JobFailed>
  | EventOf<typeof JobCancelled>;

export const JOB_EVENT_TYPES: ReadonlySet<string> = new Set(jobEvents.map((e) => e.type));
