import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKFLOWS_DIR = fileURLToPath(new URL('../../workflows/', import.meta.url));
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

export const localFunctionArn = (name: string) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`;
export const localStateMachineArn = (name: string) => `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

/** The local values of the `${...}` placeholders that CDK fills with real ARNs on AWS. */
export const LOCAL_SUBSTITUTIONS: Readonly<Record<string, string>> = {
  WorkflowStepFunctionArn: localFunctionArn('workflow-step'),
  SettlementStepFunctionArn: localFunctionArn('settlement-step'),
};

/** Fills `${Name}` placeholders; an unknown one is an error, as it would be in the CDK synth. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{(\w+)\}/g, (_m, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for placeholder \${${name}}`);
    return value;
  });
}

/** Every `workflows/*.asl.json`, by machine name (`policy-lifecycle`), ready for the local engine. */
export function loadWorkflowDefinitions(): Map<string, object> {
  const definitions = new Map<string, object>();
  for (const file of readdirSync(WORKFLOWS_DIR).filter((f) => f.endsWith('.asl.json'))) {
    const text = substitute(readFileSync(join(WORKFLOWS_DIR, file), 'utf8'), LOCAL_SUBSTITUTIONS);
    definitions.set(file.replace(/\.asl\.json$/, ''), JSON.parse(text) as object);
  }
  return definitions;
}
