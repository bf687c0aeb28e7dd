import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { HandlerAccess } from '../../functions/http/route-definition.js';
import { allowStartThroughAlias, type StartTarget } from './live-alias.js';
import type { ServiceFunction } from './service-function.js';
import { allowSettlementStart } from './settlement-functions.js';
import { allowArchive } from './archive-jobs.js';

export type { HandlerAccess };

/** Partition-key prefix of the access-log items (functions/adapters/dynamodb/table-keys.ts). */
const ACCESS_LOG_KEY_PREFIX = 'ACCESS#';

/** What the grants of an HTTP function point at. */
export interface HttpAccessTargets {
  readonly table: ITable;
  readonly key: IKey;
  readonly indexNames: readonly string[];
  /** The lifecycle machine and its `live` alias, which lifecycles are started through. */
  readonly lifecycle: StartTarget;
  /** The settlement machine and alias, and the machine's name (its executions' ARNs hold it). */
  readonly settlement?: StartTarget & { readonly name: string };
  readonly mail: { readonly identityArn: string; readonly configurationSetArn: string };
  /** The Object Lock archive bucket, for routes that read or write it. */
  readonly archive?: IBucket;
  readonly archiveRetentionDays?: number;
}

/**
 * Turns a route's declared `access` (functions/http/routes.ts) into the IAM statements of its
 * function: nothing is granted that the route does not declare.
 */
export function grantHttpAccess(f: ServiceFunction, handler: string, access: HandlerAccess, targets: HttpAccessTargets): void {
  const { table, key, indexNames } = targets;
  f.bindTable(table, key, indexNames, access.table);
  if (access.startsLifecycle) allowStartThroughAlias(f, targets.lifecycle);
  // Task tokens are not resources: SendTaskSuccess/Failure cannot be scoped to a machine.
  if (access.completesTasks) f.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: ['*'] }));
  if (access.sendsMail) f.allowSendMail(targets.mail.identityArn, targets.mail.configurationSetArn);
  if (access.recordsReads) f.allowTableItems(table, key, ['dynamodb:PutItem'], [ACCESS_LOG_KEY_PREFIX]);
  if (access.archive) {
    if (!targets.archive) throw new Error(`HTTP handler ${handler} uses the archive but there is no archive bucket`);
    allowArchive(f, targets.archive, access.archive, targets.archiveRetentionDays);
  }
  if (access.startsSettlement) {
    if (!targets.settlement) throw new Error(`HTTP handler ${handler} starts settlements but there is no settlement workflow`);
    allowSettlementStart(f, targets.settlement, targets.settlement.name);
  }
}

/** The SDK clients beyond DynamoDB a route's function needs, by its declared access (the rest stay out of its bundle). */
export function sdkClientsOf(access: HandlerAccess): { workflow: boolean; mail: boolean; archive: boolean } {
  return {
    workflow: Boolean(access.startsLifecycle || access.completesTasks || access.startsSettlement),
    mail: Boolean(access.sendsMail),
    archive: Boolean(access.archive),
  };
}
