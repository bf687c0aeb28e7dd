// Errors carrying the exact exception names of the AWS Step Functions API, so that the
// HTTP facade can emit them as `__type` and the real @aws-sdk/client-sfn maps each to its
// own exception class (ExecutionAlreadyExists, TaskTimedOut, ...).
export type SfnErrorName =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'StateMachineDoesNotExist'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'InvalidDefinition'
  | 'InvalidToken'
  | 'InvalidOutput'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut';

export class SfnServiceError extends Error {
  readonly code: SfnErrorName;

  constructor(code: SfnErrorName, message: string) {
    super(message);
    this.code = code;
    this.name = code;
  }
}

export function isSfnServiceError(e: unknown): e is SfnServiceError {
  return e instanceof SfnServiceError;
}
