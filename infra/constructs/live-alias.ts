import { createHash } from 'node:crypto';
import { RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CfnStateMachineAlias, CfnStateMachineVersion, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** The alias every starter starts executions through. */
export const LIVE_ALIAS = 'live';

/** `<machine ARN>:live`. Works on a computed ARN too, for functions the machine itself invokes. */
export function liveAliasArn(machineArn: string): string {
  return `${machineArn}:${LIVE_ALIAS}`;
}

/**
 * A weighted canary for one deploy (CDK context `workflowCanary`): `percent` of new executions
 * of each listed machine run on the version this deploy publishes, the rest on its previous one.
 */
export interface WorkflowCanary {
  /** 0–100: 0 sends everything to the previous version (roll back), 100 everything to the new one. */
  readonly percent: number;
  /** Workflow file name → the version number the alias served before. Machines not listed: 100 % new. */
  readonly previousVersions: Readonly<Record<string, number>>;
}

export interface RoutingEntry {
  readonly stateMachineVersionArn: string;
  readonly weight: number;
}

/** The alias's routing: all on the new version, or split with the previous one by `percent`. */
export function liveRouting(newVersionArn: string, previous?: { readonly versionArn: string; readonly percent: number }): RoutingEntry[] {
  if (previous === undefined || previous.percent === 100) return [{ stateMachineVersionArn: newVersionArn, weight: 100 }];
  if (previous.percent === 0) return [{ stateMachineVersionArn: previous.versionArn, weight: 100 }];
  return [
    { stateMachineVersionArn: newVersionArn, weight: previous.percent },
    { stateMachineVersionArn: previous.versionArn, weight: 100 - previous.percent },
  ];
}

export interface LiveAliasProps {
  readonly machine: StateMachine;
  /** The ASL file the machine is deployed from (named in the version's description). */
  readonly file: { readonly name: string; readonly text: string };
  /** A canary against this version number of the machine. */
  readonly canary?: { readonly previousVersion: number; readonly percent: number };
}

/**
 * The version this deploy publishes of one state machine, and its `live` alias.
 *
 * The version's revision id is the machine's current one: a deploy that changes the machine
 * replaces the version resource, which publishes a new version. The replaced version is
 * retained, so a canary or a rollback can still route to it and the executions it runs keep
 * their definition (AWS keeps up to 1,000 versions per machine).
 */
export class LiveAlias extends Construct implements StartTarget {
  public readonly version: CfnStateMachineVersion;
  public readonly alias: CfnStateMachineAlias;
  public readonly machineArn: string;

  constructor(scope: Construct, id: string, props: LiveAliasProps) {
    super(scope, id);
    const { machine, file } = props;
    this.machineArn = machine.stateMachineArn;
    const digest = createHash('sha256').update(file.text).digest('hex').slice(0, 12);
    this.version = new CfnStateMachineVersion(this, 'Version', {
      stateMachineArn: machine.stateMachineArn,
      stateMachineRevisionId: machine.stateMachineRevisionId,
      description: `workflows/${file.name}.asl.json sha256:${digest}`,
    });
    this.version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const previous = props.canary && { versionArn: `${machine.stateMachineArn}:${props.canary.previousVersion}`, percent: props.canary.percent };
    this.alias = new CfnStateMachineAlias(this, 'Alias', {
      name: LIVE_ALIAS,
      description: previous
        ? `canary: ${previous.percent}% on this deploy's version, the rest on version ${props.canary?.previousVersion}`
        : "all new executions on this deploy's version",
      routingConfiguration: liveRouting(this.version.attrArn, previous),
    });
  }

  /** The alias's ARN (a reference: whoever uses it is deployed after the alias exists). */
  get aliasArn(): string {
    return this.alias.attrArn;
  }
}

/** A machine's ARN and its `live` alias's ARN, referenced or computed from the machine's name. */
export interface StartTarget {
  readonly machineArn: string;
  readonly aliasArn: string;
}

/**
 * StartExecution through the `live` alias only. AWS authorises a start through an alias on the
 * machine's own ARN, with the alias name as `states:StateMachineQualifier`; the alias ARN is
 * listed too. A start on the bare machine (no qualifier) or on a version (its number) is denied.
 */
export function allowStartThroughAlias(grantee: IGrantable, target: StartTarget): void {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({
    actions: ['states:StartExecution'],
    resources: [target.machineArn, target.aliasArn],
    conditions: { StringEquals: { 'states:StateMachineQualifier': LIVE_ALIAS } },
  }));
}
