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
  /** `details` say more about the conflict (e.g. who holds a claim). */
  constructor(readonly code: string, message: string, readonly details: readonly Readonly<Record<string, unknown>>[] = []) {
    super(message);
  }
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  /** A reason code for `error.code` (scope, incompatible duties); plain `FORBIDDEN` when absent. */
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
