import { z } from 'zod';
import { defineEvent, type EventOf } from '../event-catalog.js';

/** The findings of one validation job: its own stream, beside the job's `job-<id>`. */
export const validationStream = (jobId: string): string => `validation-${jobId}`;


export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a finding is about. */
export const FINDING_CHECKS = [
  'missing', // indexed, not on disk
  'kind-changed', // a file is now a folder, a folder a symlink, …
  'size-changed',
  'modified-changed', // same size, other modification time
  'content-mismatch', // same size and time, other casId: corruption, or a tool that restored the time
  'unreadable',
  'changed-while-read',
  'location-offline', // the location's folder is not there
  'not-indexed', // a path outside every location, or not (yet) in its location's index
  'not-found', // a path that neither exists nor is indexed
] as const;
export type FindingCheck = (typeof FINDING_CHECKS)[number];

/** Size, modification time (ms) and casId, as the index recorded them or as the disk shows them now. */
export const FileFacts = z.object({ size: z.number().int().nonnegative(), modifiedAt: z.number().int(), casId: z.string().nullable() });

export const Finding = z.object({
  path: z.string(),
  locationId: z.string().nullable(),
  check: z.enum(FINDING_CHECKS),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  /** What to do about it. */
  action: z.string(),
  indexed: FileFacts.nullable(),
  found: FileFacts.nullable(),
});
export type Finding = z.infer<typeof Finding>;

/**
 * One batch of a validation: the entries of target `target` after the previous batch, through entry id `throughId`
 * (`done` when the target is finished), `checked` entries, their findings. Resume continues after the last batch.
 */
export const FilesValidated = defineEvent(
  'FilesValidated',
  z.object({
    jobId: z.uuid(),
    target: z.number().int().nonnegative(),
    throughId: z.number().int().nonnegative(),
    done: z.boolean(),
    checked: z.number().int().nonnegative(),
    /** Files whose content could not be verified: the index has no casId for them (integrity mode). */
    unverified: z.number().int().nonnegative(),
    findings: z.array(Finding),
  }),
);

export const validationEvents = [FilesValidated] as const;

export type ValidationEvent = EventOf<typeof FilesValidated>;
