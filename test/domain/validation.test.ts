import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fold } from '../../src/domain/decider.js';
import { DomainError } from '../../src/domain/errors.js';
import { validationDecider, type ValidationCommand } from '../../src/domain/validation/decider.js';
import type { Finding, ValidationEvent } from '../../src/domain/validation/events.js';

const jobId = '01a1fce8-bf1a-77d4-a35b-c70454d7eb96';
const missing: Finding = {
  path: '/p/a.txt', locationId: 'l', check: 'missing', severity: 'error', message: 'gone', action: 'restore it', indexed: { size: 3, modifiedAt: 1, casId: null }, found: null,
};
const drift: Finding = { ...missing, path: '/p/b.txt', check: 'size-changed', severity: 'warning', found: { size: 4, modifiedAt: 2, casId: null } };

const batch = (target: number, throughId: number, done: boolean, findings: Finding[] = [], checked = 10): ValidationCommand => ({
  type: 'RecordValidatedBatch', jobId, target, throughId, done, checked, unverified: 0, findings,
});
const recorded = (c: ValidationCommand): ValidationEvent => {
  const { type: _type, ...data } = c;
  return { type: 'FilesValidated', data };
};

/** given events, when a command, then events (or an error code). */
function spec(given: ValidationEvent[], when: ValidationCommand) {
  const state = fold(validationDecider, given);
  return {
    then(expected: ValidationEvent[]) {
      assert.equal(validationDecider.decide(state, when), expected);
    },
    thenThrows(code: string) {
      try {
        validationDecider.decide(state, when);
      } catch (err) {
        assert.instance(err, DomainError);
        assert.is((err as DomainError).code, code);
        return;
      }
      assert.unreachable(`expected ${code}`);
    },
  };
}

const Validation = suite('validation aggregate');

Validation('given nothing, when the first batch is recorded, then FilesValidated with its findings', () => {
  spec([], batch(0, 100, false, [missing, drift])).then([recorded(batch(0, 100, false, [missing, drift]))]);
});

Validation('given a batch, when the next batch of the same target is recorded, then FilesValidated', () => {
  spec([recorded(batch(0, 100, false))], batch(0, 180, true)).then([recorded(batch(0, 180, true))]);
});

Validation('given a batch, when the same entries are recorded again (a resumed job redoing work), then refused', () => {
  spec([recorded(batch(0, 100, false))], batch(0, 100, false)).thenThrows('VALIDATION_BATCH_RECORDED');
  spec([recorded(batch(0, 100, false))], batch(0, 50, false)).thenThrows('VALIDATION_BATCH_RECORDED');
});

Validation('given a finished target, when it is recorded again, then refused; the next target starts over', () => {
  const given = [recorded(batch(0, 100, false)), recorded(batch(0, 120, true))];
  spec(given, batch(0, 130, true)).thenThrows('VALIDATION_BATCH_RECORDED');
  spec(given, batch(1, 5, false)).then([recorded(batch(1, 5, false))]);
  // a target with no entries at all finishes with an empty batch
  spec(given, batch(1, 0, true, [], 0)).then([recorded(batch(1, 0, true, [], 0))]);
});

Validation('the state counts checked entries and findings by severity, and says where to resume', () => {
  const state = fold(validationDecider, [recorded(batch(0, 100, false, [missing])), recorded(batch(0, 120, true, [drift, missing])), recorded(batch(1, 7, false, [], 3))]);
  assert.equal(state, { target: 1, afterId: 7, checked: 23, unverified: 0, findings: { error: 2, warning: 1, info: 0 } });
});

Validation.run();
