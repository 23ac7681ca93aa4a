/**
 * Typed domain errors. `kind` tells the edge how to report it: `user` errors are invalid input or a refused
 * operation (CLI exit 1), `failure` errors are things that went wrong (CLI exit 2).
 */
export type ErrorKind = 'user' | 'failure';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    /**
     * Facts about the error for machines (JSON output). Not named `details`: test runners (uvu) take an error's
     * `details` for their own diff text and crash on an object.
     */
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export interface FieldIssue {
  path: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(
    readonly subject: string,
    readonly issues: FieldIssue[],
  ) {
    super(
      'VALIDATION_FAILED',
      'user',
      `invalid ${subject}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
      { issues },
    );
  }
}

export class WrongExpectedVersion extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: string | number,
    readonly actual: number,
  ) {
    super(
      'WRONG_EXPECTED_VERSION',
      'failure',
      `stream ${streamId} is at version ${actual}, expected ${expected}: it was changed concurrently, retry the operation`,
      { streamId, expected, actual },
    );
  }
}
