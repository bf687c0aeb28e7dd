import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CfnOutput, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { LiveAlias, type WorkflowCanary } from './live-alias.js';

/** One ASL file of `workflows/`. */
export interface WorkflowFile {
  /** File name without `.asl.json`, e.g. `policy-lifecycle`. */
  readonly name: string;
  readonly path: string;
  readonly text: string;
}

/** A value for a `${Name}` placeholder and the permission the state machine needs to use it. */
export interface Substitution {
  readonly value: string;
  /** Grants the state machine's role what the substituted resource needs (e.g. invoke a function). */
  readonly grant?: (role: IRole) => void;
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** Every `workflows/*.asl.json`, sorted by name. */
export function loadWorkflowFiles(dir: string): WorkflowFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.asl.json'))
    .sort()
    .map((f) => {
      const path = join(dir, f);
      return { name: basename(f, '.asl.json'), path, text: readFileSync(path, 'utf8') };
    });
}

/** The distinct `${Name}` placeholders of an ASL text. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))].sort();
}

/** The substitutions an ASL file uses; throws (failing synth) when one has no value. */
export function substitutionsFor(file: WorkflowFile, available: Readonly<Record<string, Substitution>>): Record<string, Substitution> {
  const names = placeholdersOf(file.text);
  const missing = names.filter((n) => !(n in available));
  if (missing.length > 0) {
    throw new Error(
      `${file.path}: no value for placeholder(s) ${missing.map((n) => '${' + n + '}').join(', ')}; ` +
        `add them to the substitutions map in infra/stacks/stateless-stack.ts (known: ${Object.keys(available).join(', ')})`,
    );
  }
  return Object.fromEntries(names.map((n) => [n, available[n] as Substitution]));
}

/** The name of the state machine deployed from `workflows/<fileName>.asl.json`. */
export function stateMachineName(prefix: string, fileName: string): string {
  return `${prefix}-${fileName}`;
}

/** `policy-lifecycle` → `PolicyLifecycle`. */
export function pascalCase(name: string): string {
  return name.replace(/(^|[-_.])([a-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

export interface WorkflowsProps {
  /** Folder holding the `*.asl.json` files. */
  readonly dir: string;
  /**
   * Prefix of the state machine names: `<prefix>-<file name>`. Fixed names let a function
   * the definition itself invokes know the machine's ARN without a dependency cycle.
   */
  readonly namePrefix: string;
  /** Values for every `${Name}` placeholder any file may use. */
  readonly substitutions: Readonly<Record<string, Substitution>>;
  /**
   * Retention of the execution logs.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * A weighted canary of this deploy's versions against the previous ones.
   * @default every `live` alias routes 100 % to the version this deploy publishes
   */
  readonly canary?: WorkflowCanary;
}

/**
 * One Standard state machine per ASL file, deployed from the very file the local engine
 * runs, with `definitionSubstitutions`, logging ALL and X-Ray tracing; each with the version
 * this deploy publishes and the `live` alias executions are started through.
 */
export class Workflows extends Construct {
  /** State machines by file name (`policy-lifecycle`, `monthly-settlement`, …). */
  public readonly machines: ReadonlyMap<string, StateMachine>;
  /** Execution log groups by file name (the lifecycle's feeds the workflow step history). */
  public readonly logGroups: ReadonlyMap<string, LogGroup>;
  /** Published version and `live` alias by file name. */
  public readonly live: ReadonlyMap<string, LiveAlias>;

  constructor(scope: Construct, id: string, props: WorkflowsProps) {
    super(scope, id);
    const machines = new Map<string, StateMachine>();
    const logGroups = new Map<string, LogGroup>();
    const live = new Map<string, LiveAlias>();
    const files = loadWorkflowFiles(props.dir);
    const unknown = Object.keys(props.canary?.previousVersions ?? {}).filter((n) => !files.some((f) => f.name === n));
    if (unknown.length > 0) {
      throw new Error(`CDK context "workflowCanary": no workflow file ${unknown.join(', ')} (known: ${files.map((f) => f.name).join(', ')})`);
    }
    for (const file of files) {
      const subs = substitutionsFor(file, props.substitutions);
      const cid = pascalCase(file.name);
      const logs = new LogGroup(this, `${cid}Logs`, {
        retention: props.logRetention ?? RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const machine = new StateMachine(this, cid, {
        stateMachineName: stateMachineName(props.namePrefix, file.name),
        stateMachineType: StateMachineType.STANDARD,
        definitionBody: DefinitionBody.fromString(file.text),
        definitionSubstitutions: Object.fromEntries(Object.entries(subs).map(([k, s]) => [k, s.value])),
        // Execution data stays out of the logs: payloads carry policyholder contact data,
        // and the business history is the event log (docs/architecture.md §3).
        logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: false },
        tracingEnabled: true,
      });
      for (const s of Object.values(subs)) s.grant?.(machine.role);
      const previousVersion = props.canary?.previousVersions[file.name];
      const published = new LiveAlias(this, `${cid}Live`, {
        machine,
        file,
        ...(props.canary && previousVersion !== undefined ? { canary: { previousVersion, percent: props.canary.percent } } : {}),
      });
      // What a canary or a rollback needs: the version number this deploy serves.
      new CfnOutput(this, `${cid}VersionArn`, { value: published.version.attrArn, description: `The version of ${file.name} this deploy published` });
      new CfnOutput(this, `${cid}AliasArn`, { value: published.aliasArn, description: `The alias executions of ${file.name} start through` });
      machines.set(file.name, machine);
      logGroups.set(file.name, logs);
      live.set(file.name, published);
    }
    this.machines = machines;
    this.logGroups = logGroups;
    this.live = live;
  }
}

/** A grant that lets a state machine invoke one function (its unqualified ARN only). */
export function invokeGrant(functionArn: string): (role: IRole) => void {
  return (role) =>
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn] }));
}
