import { DomainError } from '../errors.js';
import type { Decider } from '../decider.js';
import {
  JobCancelled, JobCheckpointed, JobCompleted, JobErrorsRecorded, JobFailed, JobPaused, JobQueued, JobResumed, JobStarted,
  type JobEvent, type JobItemError, type JobProgress,
} from './events.js';

export type JobStatus = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

export const FINISHED: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

export type JobState =
  | { status: 'absent' }
  | {
      status: JobStatus;
      jobId: string;
      name: string;
      input: Record<string, unknown>;
      cursor: unknown;
      progress: JobProgress | null;
      errorCount: number;
    };

/**
 * `live` tells whether this process runs the job right now. A job whose log says `running` while no process runs it
 * was interrupted (its process was killed): it may be resumed, paused or cancelled.
 */
export type JobCommand =
  | { type: 'QueueJob'; jobId: string; name: string; input: Record<string, unknown>; at: string }
  | { type: 'StartJob'; at: string }
  | { type: 'CheckpointJob'; cursor: unknown; progress: JobProgress; at: string }
  | { type: 'RecordJobErrors'; errors: JobItemError[] }
  | { type: 'PauseJob'; reason: string; at: string }
  | { type: 'ResumeJob'; live: boolean; at: string }
  | { type: 'CompleteJob'; output: Record<string, unknown>; at: string }
  | { type: 'FailJob'; error: { code: string; message: string; kind?: 'user' | 'failure' }; at: string }
  | { type: 'CancelJob'; live: boolean; at: string };

function existing(state: JobState) {
  if (state.status === 'absent') throw new DomainError('JOB_NOT_FOUND', 'user', 'no such job');
  return state;
}

function refuseFinished(state: Exclude<JobState, { status: 'absent' }>, verb: string): void {
  if (FINISHED.has(state.status)) {
    throw new DomainError('JOB_FINISHED', 'user', `job ${state.jobId} is ${state.status}: there is nothing to ${verb}`, {
      status: state.status,
    });
  }
}

function requireRunning(state: JobState, what: string) {
  const s = existing(state);
  if (s.status !== 'running') {
    throw new DomainError('JOB_NOT_RUNNING', 'failure', `job ${s.jobId} is ${s.status}: cannot ${what}`);
  }
  return s;
}

export const jobDecider: Decider<JobState, JobCommand, JobEvent> = {
  initialState: () => ({ status: 'absent' }),

  decide(state, command) {
    switch (command.type) {
      case 'QueueJob':
        if (state.status !== 'absent') throw new DomainError('JOB_EXISTS', 'failure', `job ${command.jobId} exists`);
        return [JobQueued.create({ jobId: command.jobId, name: command.name, input: command.input, at: command.at })];
      case 'StartJob': {
        const s = existing(state);
        if (s.status !== 'queued') throw new DomainError('JOB_NOT_QUEUED', 'failure', `job ${s.jobId} is ${s.status}: cannot start it`);
        return [JobStarted.create({ at: command.at })];
      }
      case 'CheckpointJob':
        requireRunning(state, 'checkpoint it');
        return [JobCheckpointed.create({ cursor: command.cursor, progress: command.progress, at: command.at })];
      case 'RecordJobErrors':
        requireRunning(state, 'record errors');
        return command.errors.length ? [JobErrorsRecorded.create({ errors: command.errors })] : [];
      case 'PauseJob': {
        const s = existing(state);
        refuseFinished(s, 'pause');
        if (s.status === 'paused') throw new DomainError('JOB_ALREADY_PAUSED', 'user', `job ${s.jobId} is already paused`);
        return [JobPaused.create({ reason: command.reason, at: command.at })];
      }
      case 'ResumeJob': {
        const s = existing(state);
        refuseFinished(s, 'resume');
        if (s.status === 'running' && command.live) {
          throw new DomainError('JOB_ALREADY_RUNNING', 'user', `job ${s.jobId} is already running`);
        }
        if (s.status === 'queued') return [JobStarted.create({ at: command.at })];
        return [JobResumed.create({ interrupted: s.status === 'running', at: command.at })];
      }
      case 'CompleteJob':
        requireRunning(state, 'complete it');
        return [JobCompleted.create({ output: command.output, at: command.at })];
      case 'FailJob':
        requireRunning(state, 'fail it');
        return [JobFailed.create({ error: command.error, at: command.at })];
      case 'CancelJob': {
        const s = existing(state);
        refuseFinished(s, 'cancel');
        if (s.status === 'running' && command.live) {
          // a live job is cancelled by its runner at its next checkpoint; the log records it then
          throw new DomainError('JOB_ALREADY_RUNNING', 'user', `job ${s.jobId} is running: stop it first (Ctrl-C pauses it)`);
        }
        return [JobCancelled.create({ at: command.at })];
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'JobQueued') {
      const { jobId, name, input } = event.data;
      return { status: 'queued', jobId, name, input, cursor: null, progress: null, errorCount: 0 };
    }
    if (state.status === 'absent') return state;
    switch (event.type) {
      case 'JobStarted':
      case 'JobResumed':
        return { ...state, status: 'running' };
      case 'JobCheckpointed':
        return { ...state, cursor: event.data.cursor, progress: event.data.progress };
      case 'JobErrorsRecorded':
        return { ...state, errorCount: state.errorCount + event.data.errors.length };
      case 'JobPaused':
        return { ...state, status: 'paused' };
      case 'JobCompleted':
        return { ...state, status: 'completed' };
      case 'JobFailed':
        return { ...state, status: 'failed' };
      case 'JobCancelled':
        return { ...state, status: 'cancelled' };
    }
  },
};
