/** `arn:<partition>:states:<region>:<account>:stateMachine:<machine>` with an optional `:<alias or version>`. */
const STATE_MACHINE_ARN = /^(arn:[^:]+:states:[^:]*:[^:]*):stateMachine:([^:]+)(?::[^:]+)?$/;

/**
 * The ARN of execution `name`, from the machine's ARN or a qualified one (on AWS the starters
 * are given the `live` alias's ARN, locally the machine's): an execution is named under the
 * machine itself, `…:execution:<machine>:<name>`, whichever alias or version started it.
 */
export function executionArnOf(stateMachineArn: string, name: string): string {
  const match = STATE_MACHINE_ARN.exec(stateMachineArn);
  if (!match) throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return `${match[1] as string}:execution:${match[2] as string}:${name}`;
}
