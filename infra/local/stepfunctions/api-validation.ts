import { SfnServiceError } from './errors.js';
import type { JsonValue } from './local-asl.js';

// Request validation with the exception names AWS Step Functions uses for the same faults.

const SM_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]*:\d*:stateMachine:([A-Za-z0-9_-]{1,80})$/;
// AWS forbids whitespace, brackets, wildcards, these punctuation marks and control characters.
const FORBIDDEN_NAME_CHARS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** Returns the state machine's name, or throws InvalidArn. */
export function parseStateMachineArn(arn: string): string {
  const name = SM_ARN.exec(arn)?.[1];
  if (name === undefined) throw new SfnServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
  return name;
}

export function validateExecutionName(name: string): void {
  const hasControl = [...name].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME_CHARS.test(name) || hasControl) {
    throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
}

export function parseExecutionInput(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new SfnServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
  }
}

export function parseTaskOutput(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new SfnServiceError('InvalidOutput', 'Invalid Output: not valid JSON');
  }
}

/** arn:aws:states:<region>:<account>:stateMachine:<sm> → ...:execution:<sm>:<name> (AWS's form). */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return stateMachineArn.replace(':stateMachine:', ':execution:') + ':' + name;
}
