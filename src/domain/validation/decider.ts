import type { Decider } from '../decider.js';
import { DomainError } from '../errors.js';
import { FilesValidated, type Finding, type Severity, type ValidationEvent } from './events.js';

/** Where a validation stands: the next entry to check, and what it found so far. */
export interface ValidationState {
  /** The target being checked, and the last entry id recorded in it (0: none yet). */
  target: number;
  afterId: number;
  checked: number;
  unverified: number;
  findings: Record<Severity, number>;
}

export type ValidationCommand = {
  type: 'RecordValidatedBatch';
  jobId: string;
  target: number;
  throughId: number;
  done: boolean;
  checked: number;
  unverified: number;
  findings: Finding[];
};

/**
 * Batches move strictly forward: a batch at or before the recorded position was already checked and recorded
 * (a resumed job must never record its findings twice), and is refused.
 */
export const validationDecider: Decider<ValidationState, ValidationCommand, ValidationEvent> = {
  initialState: () => ({ target: 0, afterId: 0, checked: 0, unverified: 0, findings: { error: 0, warning: 0, info: 0 } }),

  decide(state, command) {
    const { type: _type, ...data } = command;
    const ahead = command.target > state.target || (command.target === state.target && (command.throughId > state.afterId || command.done));
    if (!ahead) {
      throw new DomainError(
        'VALIDATION_BATCH_RECORDED',
        'failure',
        `entries of target ${command.target} through ${command.throughId} were already validated (the validation is at target ${state.target}, after entry ${state.afterId})`,
      );
    }
    return [FilesValidated.create(data)];
  },

  evolve(state, event) {
    const d = event.data;
    const findings = { ...state.findings };
    for (const f of d.findings) findings[f.severity]++;
    return {
      target: d.done ? d.target + 1 : d.target,
      afterId: d.done ? 0 : d.throughId,
      checked: state.checked + d.checked,
      unverified: state.unverified + d.unverified,
      findings,
    };
  },
};
