import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOWS_DIR } from '../../infra/paths.js';
import { loadWorkflowFiles, placeholdersOf, substitutionsFor } from '../../infra/constructs/workflows.js';
import { LOCAL_SUBSTITUTIONS } from '../../infra/local/workflow-definitions.js';
import { buildApp, logicalId, statementsOfRole, templateOf } from './support.js';

type AslState = Record<string, unknown> & { Type?: string; Resource?: string };
interface AslMachine { States: Record<string, AslState> }

/** Every state of a definition, including those inside Parallel branches and Map processors. */
function allStates(machine: AslMachine): [string, AslState][] {
  return Object.entries(machine.States).flatMap(([name, state]) => {
    const nested = [
      ...((state.Branches as AslMachine[] | undefined) ?? []),
      ...[state.Iterator, state.ItemProcessor].filter((m): m is AslMachine => m !== undefined),
    ];
    return [[name, state] as [string, AslState], ...nested.flatMap(allStates)];
  });
}

const files = loadWorkflowFiles(WORKFLOWS_DIR);

describe('workflow files', () => {
  it('finds every workflows/*.asl.json, the lifecycle among them', () => {
    expect(files.map((f) => f.name)).toContain('policy-lifecycle');
  });

  it.each(files.map((f) => [f.name, f] as const))('%s: every .waitForTaskToken task has a timeout', (_name, file) => {
    const waiting = allStates(JSON.parse(file.text) as AslMachine).filter(([, s]) => s.Resource?.endsWith('.waitForTaskToken'));
    const untimed = waiting.filter(([, s]) => s.TimeoutSeconds === undefined && s.TimeoutSecondsPath === undefined);
    expect(untimed.map(([n]) => n)).toEqual([]);
  });

  it('passes a correlation id to every step, by paths that exist in every execution (docs/operations.md "Observability")', () => {
    const machine = (name: string) => allStates(JSON.parse(files.find((f) => f.name === name)!.text) as AslMachine);
    const payloadOf = (s: AslState) => (s.Parameters as { Payload: Record<string, unknown> }).Payload;
    const lifecycle = machine('policy-lifecycle');
    const tasks = lifecycle.filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBeGreaterThan(10);
    // Load lifecycle gets paths that always resolve and returns the id into the state's data...
    const [, load] = tasks.find(([n]) => n === 'Load lifecycle')!;
    expect(payloadOf(load)).toMatchObject({ 'executionInput.$': '$$.Execution.Input', 'executionName.$': '$$.Execution.Name' });
    // ...which every later step reads:
    for (const [name, task] of tasks.filter(([n]) => n !== 'Load lifecycle')) expect(payloadOf(task)['correlationId.$'], name).toBe('$.correlationId');
    // only past Load when the input has it (a path to a missing field is a States.Runtime error on AWS),
    const [, first] = lifecycle.find(([n]) => n === 'Plan given at registration?')!;
    expect(first.Choices).toEqual([{ And: [{ Variable: '$.callbackStage', IsPresent: true }, { Variable: '$.correlationId', IsPresent: true }], Next: 'Run callback and receipt tracks' }]);
    // and no state drops it from the data before the steps that read it.
    for (const [name, state] of lifecycle.filter(([n]) => n !== 'Load lifecycle')) {
      expect(state.OutputPath, name).toBeUndefined();
      expect(state.InputPath, name).toBeUndefined();
      expect(state.ResultPath === undefined && state.Type === 'Task', name).toBe(false);
    }
    // The settlement's input has no request id: its steps carry the execution's name.
    for (const [name, task] of machine('monthly-settlement').filter(([, s]) => s.Type === 'Task')) expect(payloadOf(task)['correlationId.$'], name).toBe('$$.Execution.Name');
  });

  it('fails loudly for a placeholder without a value', () => {
    const file = { name: 'x', path: '/x.asl.json', text: '{"A":"${Known}","B":"${Unknown}"}' };
    expect(placeholdersOf(file.text)).toEqual(['Known', 'Unknown']);
    expect(() => substitutionsFor(file, { Known: { value: 'v' } })).toThrow(/\$\{Unknown\}/);
  });

  it('fails synth for a workflow file with an unknown placeholder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asl-'));
    writeFileSync(join(dir, 'policy-lifecycle.asl.json'), readFileSync(join(WORKFLOWS_DIR, 'policy-lifecycle.asl.json')));
    writeFileSync(join(dir, 'other.asl.json'), JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: '${NoSuchThing}', End: true } } }));
    expect(() => buildApp({ stateless: { workflowsDir: dir } })).toThrow(/other\.asl\.json.*\$\{NoSuchThing\}/);
  });
});

describe('state machines', () => {
  let template: Template;
  let built: ReturnType<typeof buildApp>;
  beforeAll(() => {
    built = buildApp();
    template = templateOf(built.stateless);
  });

  it('deploys one Standard machine per file, every ${…} substituted, logging ALL and tracing', () => {
    const machines = template.findResources('AWS::StepFunctions::StateMachine');
    expect(Object.keys(machines)).toHaveLength(files.length);
    for (const file of files) {
      const machine = built.stateless.workflows.machines.get(file.name);
      expect(machine, file.name).toBeDefined();
      const props = machines[logicalId(machine!)]!.Properties as Record<string, unknown>;
      expect(props.DefinitionString).toBe(file.text);
      expect(Object.keys(props.DefinitionSubstitutions as object).sort()).toEqual(placeholdersOf(file.text));
      expect(props.StateMachineType).toBe('STANDARD');
      expect(props.TracingConfiguration).toEqual({ Enabled: true });
      expect((props.LoggingConfiguration as { Level: string }).Level).toBe('ALL');
    }
  });

  it('substitutes the workflow-step function ARN and lets the machine invoke only that function', () => {
    const lifecycle = built.stateless.workflows.machines.get('policy-lifecycle')!;
    const stepArn = { 'Fn::GetAtt': [logicalId(built.stateless.workflowStep), 'Arn'] };
    const props = template.findResources('AWS::StepFunctions::StateMachine')[logicalId(lifecycle)]!.Properties as Record<string, unknown>;
    expect(props.DefinitionSubstitutions).toEqual({ WorkflowStepFunctionArn: stepArn });
    const invoke = statementsOfRole(template, logicalId(lifecycle.role)).filter((s) => s.actions.some((a) => a.startsWith('lambda:')));
    expect(invoke).toEqual([{ actions: ['lambda:InvokeFunction'], resources: [JSON.stringify(stepArn)] }]);
    // A step whose Lambda died part-way (after an append, before its view or signal) runs again and finishes it.
    for (const [name, task] of allStates(JSON.parse(props.DefinitionString as string) as AslMachine).filter(([, s]) => s.Type === 'Task')) {
      expect(JSON.stringify(task.Retry), name).toContain('Lambda.Unknown');
      // A function that outlives its timeout fails with Sandbox.Timedout: the step is retried, not the lifecycle lost.
      expect(JSON.stringify(task.Retry), name).toContain('Sandbox.Timedout');
      // An SDK call that timed out (after the SDK's own retries) fails the step, not the lifecycle.
      expect(JSON.stringify(task.Retry), name).toContain('TimeoutError');
    }
  });

  it('deploys the settlement machine, which invokes only the settlement-step function, with timed tasks that retry', () => {
    const settlement = built.stateless.workflows.machines.get('monthly-settlement')!;
    const stepArn = { 'Fn::GetAtt': [logicalId(built.stateless.settlementStep), 'Arn'] };
    const props = template.findResources('AWS::StepFunctions::StateMachine')[logicalId(settlement)]!.Properties as Record<string, unknown>;
    expect(props.StateMachineName).toBe('PolicyQcStateless-monthly-settlement');
    expect(props.DefinitionSubstitutions).toEqual({ SettlementStepFunctionArn: stepArn });
    const invoke = statementsOfRole(template, logicalId(settlement.role)).filter((s) => s.actions.some((a) => a.startsWith('lambda:')));
    expect(invoke).toEqual([{ actions: ['lambda:InvokeFunction'], resources: [JSON.stringify(stepArn)] }]);
    const states = allStates(JSON.parse(props.DefinitionString as string) as AslMachine);
    const tasks = states.filter(([, s]) => s.Type === 'Task');
    expect(tasks.length).toBe(3);
    // The shards are settled side by side, a bounded number at a time.
    const maps = states.filter(([, s]) => s.Type === 'Map');
    expect(maps.map(([, s]) => (s as { MaxConcurrency?: number }).MaxConcurrency)).toEqual([4]);
    for (const [name, task] of tasks) {
      expect(task.TimeoutSeconds, name).toBeGreaterThan(0);
      expect(JSON.stringify(task.Retry), name).toContain('Lambda.TooManyRequestsException');
      expect(JSON.stringify(task.Retry), name).toContain('Lambda.Unknown');
    }
  });

  it('gives every placeholder of every workflow file a local value too', () => {
    for (const file of files) for (const name of placeholdersOf(file.text)) expect(LOCAL_SUBSTITUTIONS[name], `${file.name}: \${${name}}`).toBeDefined();
  });
});

describe('versions and the live alias', () => {
  const MACHINES = ['policy-lifecycle', 'monthly-settlement'] as const;
  const canary = (context: Record<string, unknown>) => {
    const app = buildApp({ context });
    return { app, template: templateOf(app.stateless) };
  };
  const versionArn = (app: ReturnType<typeof buildApp>, name: string) => ({ 'Fn::GetAtt': [logicalId(app.stateless.workflows.live.get(name)!.version), 'Arn'] });
  const routingOf = (app: ReturnType<typeof buildApp>, template: Template, name: string) =>
    (template.findResources('AWS::StepFunctions::StateMachineAlias')[logicalId(app.stateless.workflows.live.get(name)!.alias)]!.Properties as { RoutingConfiguration: unknown[] }).RoutingConfiguration;

  let built: ReturnType<typeof buildApp>;
  let template: Template;
  beforeAll(() => {
    built = buildApp();
    template = templateOf(built.stateless);
  });

  it('publishes one version per machine, of its current revision, kept when a new one replaces it', () => {
    const versions = template.findResources('AWS::StepFunctions::StateMachineVersion');
    expect(Object.keys(versions)).toHaveLength(files.length);
    for (const name of MACHINES) {
      const machine = built.stateless.workflows.machines.get(name)!;
      const version = versions[logicalId(built.stateless.workflows.live.get(name)!.version)]!;
      const props = version.Properties as Record<string, unknown>;
      expect(props.StateMachineArn).toEqual({ Ref: logicalId(machine) });
      // A changed definition is a new revision: the version is replaced, i.e. a new one published.
      expect(props.StateMachineRevisionId).toEqual({ 'Fn::GetAtt': [logicalId(machine), 'StateMachineRevisionId'] });
      expect(props.Description).toMatch(new RegExp(`^workflows/${name}\\.asl\\.json sha256:[0-9a-f]{12}$`));
      expect(version.UpdateReplacePolicy).toBe('Retain');
      expect(version.DeletionPolicy).toBe('Retain');
    }
  });

  it('gives each machine a live alias routing 100 % to this deploy\'s version, and outputs both ARNs', () => {
    const aliases = template.findResources('AWS::StepFunctions::StateMachineAlias');
    expect(Object.keys(aliases)).toHaveLength(files.length);
    const outputs = Object.values(template.findOutputs('*')).map((o) => JSON.stringify(o.Value));
    for (const name of MACHINES) {
      const live = built.stateless.workflows.live.get(name)!;
      expect((aliases[logicalId(live.alias)]!.Properties as { Name: string }).Name).toBe('live');
      expect(routingOf(built, template, name)).toEqual([{ StateMachineVersionArn: versionArn(built, name), Weight: 100 }]);
      expect(outputs).toContain(JSON.stringify(versionArn(built, name)));
      expect(outputs).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(live.alias), 'Arn'] }));
    }
  });

  it('splits a canary machine between the new version and the previous one given in context', () => {
    const { app, template: t } = canary({ workflowCanary: { percent: 10, previousVersions: { 'policy-lifecycle': 7 } } });
    const lifecycle = app.stateless.workflows.machines.get('policy-lifecycle')!;
    expect(routingOf(app, t, 'policy-lifecycle')).toEqual([
      { StateMachineVersionArn: versionArn(app, 'policy-lifecycle'), Weight: 10 },
      { StateMachineVersionArn: { 'Fn::Join': ['', [{ Ref: logicalId(lifecycle) }, ':7']] }, Weight: 90 },
    ]);
    // A machine the canary does not name goes 100 % to its new version.
    expect(routingOf(app, t, 'monthly-settlement')).toEqual([{ StateMachineVersionArn: versionArn(app, 'monthly-settlement'), Weight: 100 }]);
  });

  it('rolls back with percent 0 (all on the previous version), accepts -c JSON text, refuses an unknown machine', () => {
    const { app, template: t } = canary({ workflowCanary: '{"percent": 0, "previousVersions": {"monthly-settlement": 3}}' });
    const settlement = app.stateless.workflows.machines.get('monthly-settlement')!;
    expect(routingOf(app, t, 'monthly-settlement')).toEqual([
      { StateMachineVersionArn: { 'Fn::Join': ['', [{ Ref: logicalId(settlement) }, ':3']] }, Weight: 100 },
    ]);
    expect(() => buildApp({ context: { workflowCanary: { percent: 10, previousVersions: { 'policy-lifecyle': 7 } } } })).toThrow(/workflowCanary.*policy-lifecyle/);
  });
});
