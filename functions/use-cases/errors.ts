/** Application errors; `functions/http/error-map.ts` is the one place they become HTTP. */
export interface FieldIssue {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(message: string, readonly details: readonly FieldIssue[]) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  /** The error code of the answer (`FORBIDDEN` unless a rule names a more precise one). */
  constructor(message: string, readonly code: string = 'FORBIDDEN') {
    super(message);
  }
}

export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

/** The workflow's signal that a policy was cancelled; its `name` is what the ASL Catch matches. */
export class PolicyCancelledError extends Error {
  override readonly name = 'PolicyCancelled';
}
