import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { clock } from '../ports/clock.js';
import type { Notifier } from '../ports/notifier.js';
import type { WorkflowEngine } from '../ports/workflow-engine.js';
import type { Dependencies, Recipients } from '../use-cases/dependencies.js';
import type { ArchiveStore } from '../ports/archive-store.js';
import { FileArchiveStore } from './archive/file-archive-store.js';
import { DEFAULT_RETENTION_DAYS, S3ArchiveStore } from './archive/s3-archive-store.js';
import { DynamoDbAccessRequests } from './dynamodb/dynamodb-access-requests.js';
import { DynamoDbAnchorLedger } from './dynamodb/dynamodb-anchor-ledger.js';
import { DynamoDbAuditStore } from './dynamodb/dynamodb-audit-store.js';
import { DynamoDbMailLedger } from './dynamodb/dynamodb-mail-ledger.js';
import { DynamoDbInboxClaims } from './dynamodb/dynamodb-inbox-claims.js';
import { DynamoDbPolicyRepository } from './dynamodb/dynamodb-policy-repository.js';
import { DynamoDbSettlementStore } from './dynamodb/dynamodb-settlement-store.js';
import { DynamoDbStaffDirectory } from './dynamodb/dynamodb-staff-directory.js';
import { DynamoDbUnpaidCommissions } from './dynamodb/dynamodb-unpaid-commissions.js';
import { TableClient } from './dynamodb/table-client.js';
import { traced } from './observability.js';
import { powertoolsBusinessMetrics } from './powertools-business-metrics.js';
import { SesNotifier } from './ses/ses-notifier.js';
import { SfnWorkflowEngine } from './stepfunctions/sfn-workflow-engine.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

/**
 * No call waits forever: the SDK's default has no timeout at all. A request that times out is
 * retried by the SDK like any transient failure; every write here is conditional or idempotent.
 */
const SDK_TIMEOUTS = { connectionTimeout: 5_000, requestTimeout: 30_000 } as const;

/**
 * Endpoints only differ in local mode (loopback stand-ins); on AWS the SDK defaults apply, but for the timeouts.
 * Each client resolves its middleware once per operation instead of on every call (nothing
 * adds middleware after the first call).
 */
function clientConfig(endpointVariable: string) {
  const endpoint = process.env[endpointVariable];
  return { region: process.env.AWS_REGION ?? 'us-east-1', cacheMiddleware: true, requestHandler: SDK_TIMEOUTS, ...(endpoint ? { endpoint } : {}) };
}


/**
 * The SDK's logger middleware filters every request and response for sensitive fields even
 * when nothing logs them (no logger is configured here): about 5 % of each call's CPU.
 */
function withoutUnusedLogging<C extends { middlewareStack: { remove(name: string): boolean } }>(client: C): C {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/**
 * A Lambda bundle leaves out the SDK clients its function may not use (esbuild defines these
 * variables per function from its declared access, infra/constructs/service-function.ts; the
 * dead branch and the client's code drop out of the bundle). Unbundled (local mode, tests)
 * they are unset and every client is there. Calling a left-out one is a wiring error. The
 * variables are read where they decide, so that esbuild sees a constant condition there.
 */
function leftOut<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: (_target, method) => () => Promise.reject(new Error(`${String(method)}: this function's bundle has no ${what} client (its declared access does not include it)`)),
  });
}

export function recipientsFromEnv(): Recipients {
  const managers = JSON.parse(process.env.BRANCH_MANAGER_EMAILS ?? '{}') as Record<string, string | string[]>;
  const list = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
  const compliance = (process.env.COMPLIANCE_EMAILS ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  return {
    branchManagers: (branchId) => list(managers[branchId] ?? managers['*']),
    compliance: () => compliance,
  };
}

/** The archive: a folder locally (ARCHIVE_DIR, under DATA_DIR), the Object Lock bucket on AWS (ARCHIVE_BUCKET). */
export function archiveFromEnv(): ArchiveStore | undefined {
  if (process.env.ARCHIVE_DIR) return new FileArchiveStore(process.env.ARCHIVE_DIR);
  const bucket = process.env.ARCHIVE_BUCKET;
  if (!bucket || process.env.BUNDLE_OMITS_ARCHIVE_CLIENT === 'true') return undefined;
  const days = Number(process.env.ARCHIVE_RETENTION_DAYS);
  return new S3ArchiveStore(withoutUnusedLogging(new S3Client(clientConfig('S3_ENDPOINT'))), bucket, clock, days > 0 ? days : DEFAULT_RETENTION_DAYS);
}

let cached: Dependencies | undefined;

/** Local mode sets the environment after start-up and re-wires once; Lambda never calls this. */
export function resetDependenciesFromEnv(): void {
  cached = undefined;
}

/** Wired once per Lambda container (module scope), from environment configuration. */
export function dependenciesFromEnv(): Dependencies {
  if (cached) return cached;
  const db = new TableClient(traced(withoutUnusedLogging(new DynamoDBClient(clientConfig('DYNAMODB_ENDPOINT')))));
  const tableName = required('TABLE_NAME');
  cached = {
    repository: new DynamoDbPolicyRepository(db, tableName, powertoolsBusinessMetrics),
    audit: new DynamoDbAuditStore(db, tableName),
    settlements: new DynamoDbSettlementStore(db, tableName),
    unpaid: new DynamoDbUnpaidCommissions(db, tableName),
    workflow: process.env.BUNDLE_OMITS_WORKFLOW_CLIENT === 'true'
      ? leftOut<WorkflowEngine>('Step Functions')
      : new SfnWorkflowEngine(traced(withoutUnusedLogging(new SFNClient(clientConfig('SFN_ENDPOINT')))), required('LIFECYCLE_STATE_MACHINE_ARN'), process.env.SETTLEMENT_STATE_MACHINE_ARN || undefined),
    notifier: process.env.BUNDLE_OMITS_MAIL_CLIENT === 'true'
      ? leftOut<Notifier>('SES')
      : new SesNotifier(traced(withoutUnusedLogging(new SESv2Client(clientConfig('SES_ENDPOINT')))), clock, required('MAIL_FROM'), process.env.MAIL_CONFIGURATION_SET || undefined),
    mail: new DynamoDbMailLedger(db, tableName, powertoolsBusinessMetrics),
    claims: new DynamoDbInboxClaims(db, tableName),
    clock,
    staff: new DynamoDbStaffDirectory(db, tableName),
    recipients: recipientsFromEnv(),
    defaultRuleSet: process.env.DEFAULT_RULE_SET || undefined,
    mailLeaseMs: Number(process.env.MAIL_LEASE_MS) > 0 ? Number(process.env.MAIL_LEASE_MS) : undefined,
    archive: archiveFromEnv(),
    anchors: new DynamoDbAnchorLedger(db, tableName),
    accessRequests: new DynamoDbAccessRequests(db, tableName),
  };
  return cached;
}

/**
 * The dependencies of one API request: the lifecycles it starts carry its request id in their
 * input (docs/operations.md "Observability"). Passed explicitly, not through AsyncLocalStorage,
 * whose hooks measured 2.6 times the CPU of every await on Node 20.
 */
export function correlatedDependencies(deps: Dependencies, correlationId: string | undefined): Dependencies {
  // Duck-typed: naming the class here would pull the Step Functions client into bundles that leave it out.
  const workflow = deps.workflow as WorkflowEngine & Partial<Pick<SfnWorkflowEngine, 'correlated'>>;
  if (correlationId === undefined || typeof workflow.correlated !== 'function') return deps;
  return { ...deps, workflow: workflow.correlated(correlationId) };
}
