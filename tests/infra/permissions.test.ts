import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes.js';
import type { ServiceFunction } from '../../infra/constructs/service-function.js';
import { actionsByResource, buildApp, logicalId, statementsOfRole, templateOf } from './support.js';

const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
/** The only actions a function may hold on "*", each because AWS offers no resource scoping. */
const ON_STAR = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'states:SendTaskSuccess', 'states:SendTaskFailure']);

let template: Template;
let built: ReturnType<typeof buildApp>;

beforeAll(() => {
  built = buildApp();
  template = templateOf(built.stateless);
});

const fn = (handler: string) => built.stateless.httpFunctions.get(handler)!;

/** The raw Allow statements (with conditions) of a function's role. */
function statementsOfRawRole(f: ServiceFunction): Record<string, unknown>[] {
  const roleId = logicalId(f.role!);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((p) => p.Properties as { Roles?: unknown[]; PolicyDocument: { Statement: Record<string, unknown>[] } })
    .filter((p) => JSON.stringify(p.Roles ?? []).includes(`"${roleId}"`))
    .flatMap((p) => p.PolicyDocument.Statement);
}

/** Classifies every resource a function's role reaches. */
function reach(fn: ServiceFunction) {
  const byResource = actionsByResource(statementsOfRole(template, logicalId(fn.role!)));
  const lifecycle = built.stateless.workflows.machines.get('policy-lifecycle')!;
  const settlement = built.stateless.workflows.machines.get('monthly-settlement')!;
  const aliasOf = (name: string) => JSON.stringify({ 'Fn::GetAtt': [logicalId(built.stateless.workflows.live.get(name)!.alias), 'Arn'] });
  const kinds = new Map<string, string[]>();
  for (const [resource, actions] of byResource) {
    const kind =
      resource === '"*"' ? 'star'
      : resource.includes(`"${logicalId(fn.functionLogGroup)}"`) ? 'ownLogs'
      : /ExportsOutputFnGetAttTable[A-Za-z0-9]*Arn/.test(resource) ? (resource.includes('/index/') ? 'tableIndex' : 'table')
      : /ExportsOutputFnGetAttDataKey[A-Za-z0-9]*Arn/.test(resource) ? 'key'
      : resource === JSON.stringify({ Ref: logicalId(lifecycle) }) ? 'lifecycle'
      : resource === JSON.stringify({ Ref: logicalId(settlement) }) ? 'settlement'
      : resource === aliasOf('policy-lifecycle') ? 'lifecycleAlias'
      : resource === aliasOf('monthly-settlement') ? 'settlementAlias'
      : /:stateMachine:PolicyQcStateless-monthly-settlement"/.test(resource) ? 'settlementByName'
      : /:stateMachine:PolicyQcStateless-monthly-settlement:live"/.test(resource) ? 'settlementAliasByName'
      : /:execution:PolicyQcStateless-monthly-settlement:\*/.test(resource) ? 'settlementExecutions'
      : resource.includes(':identity/') ? 'mailIdentity'
      : resource.includes(':configuration-set/') ? 'mailConfigurationSet'
      : resource.includes('PolicyQcStateful-ArchiveBucketArn') ? (resource.includes('/*') ? 'archiveObjects' : 'archive')
      : `unexpected ${resource}`;
    kinds.set(kind, [...new Set([...(kinds.get(kind) ?? []), ...actions])].sort());
  }
  return kinds;
}

describe('least privilege: each function reaches only what it needs', () => {
  const handlers = ROUTES.map((r) => r.handler);

  it.each(handlers)('http %s', (handler) => {
    const access = ROUTES.find((r) => r.handler === handler)!.access;
    const kinds = reach(built.stateless.httpFunctions.get(handler)!);
    const expected = ['ownLogs', 'star', 'table', 'tableIndex', 'key', ...(access.startsLifecycle ? ['lifecycle', 'lifecycleAlias'] : []), ...(access.startsSettlement ? ['settlement', 'settlementAlias', 'settlementExecutions'] : [])];
    if (access.sendsMail) expected.push('mailIdentity', 'mailConfigurationSet');
    if (access.archive) expected.push('archive', 'archiveObjects');
    expect([...kinds.keys()].sort()).toEqual(expected.sort());
    // The archive: list and get; the writer also puts with a retention; nobody deletes.
    if (access.archive) {
      expect(kinds.get('archive')).toEqual(['s3:ListBucket']);
      expect(kinds.get('archiveObjects')?.length).toBeGreaterThan(0);
      expect(kinds.get('archiveObjects')).toEqual(access.archive === 'RW' ? ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'] : ['s3:GetObject']);
    }
    expect(kinds.get('ownLogs')).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    const writes = (kinds.get('table') ?? []).filter((a) => WRITE.includes(a));
    if (access.recordsReads) {
      // Read-only, except recording the read: PutItem on access-log items and nothing else.
      expect(writes).toEqual(['dynamodb:PutItem']);
      const fnStatements = statementsOfRawRole(fn(handler));
      const puts = fnStatements.filter((st) => [st.Action].flat().includes('dynamodb:PutItem'));
      expect(puts).toHaveLength(1);
      expect(puts[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ACCESS#*'] } });
      expect((kinds.get('tableIndex') ?? []).filter((a) => WRITE.includes(a))).toEqual([]);
    } else {
      expect(writes.length > 0).toBe(access.table === 'RW');
      expect(kinds.get('tableIndex')).toEqual(kinds.get('table'));
    }
    for (const a of kinds.get('star') ?? []) expect(ON_STAR.has(a), a).toBe(true);
    expect(kinds.get('star')!.includes('states:SendTaskSuccess')).toBe(Boolean(access.completesTasks));
    if (access.startsLifecycle) {
      expect(kinds.get('lifecycle')).toEqual(['states:StartExecution']);
      expect(kinds.get('lifecycleAlias')).toEqual(['states:StartExecution']);
    }
    if (access.startsSettlement) {
      expect(kinds.get('settlement')).toEqual(['states:StartExecution']);
      expect(kinds.get('settlementAlias')).toEqual(['states:StartExecution']);
      expect(kinds.get('settlementExecutions')).toEqual(['states:DescribeExecution']);
    }
  });

  it('the settlement step: table read/write and mail; starts the next queued month on the settlement machine only', () => {
    const kinds = reach(built.stateless.settlementStep);
    expect([...kinds.keys()].sort()).toEqual(['key', 'mailConfigurationSet', 'mailIdentity', 'ownLogs', 'settlementAliasByName', 'settlementByName', 'settlementExecutions', 'star', 'table', 'tableIndex'].sort());
    expect(kinds.get('table')).toEqual(expect.arrayContaining(['dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']));
    expect(kinds.get('settlementByName')).toEqual(['states:StartExecution']);
    expect(kinds.get('settlementAliasByName')).toEqual(['states:StartExecution']);
    expect(kinds.get('settlementExecutions')).toEqual(['states:DescribeExecution']);
    expect(kinds.get('star')!.some((a) => a.startsWith('states:'))).toBe(false);
  });

  it('the settlement starter (schedule target): starts and describes settlement executions only, no mail', () => {
    const kinds = reach(built.stateless.settlementStarter!);
    expect([...kinds.keys()].sort()).toEqual(['key', 'ownLogs', 'settlement', 'settlementAlias', 'settlementExecutions', 'star', 'table', 'tableIndex'].sort());
    expect(kinds.get('settlement')).toEqual(['states:StartExecution']);
    expect(kinds.get('settlementAlias')).toEqual(['states:StartExecution']);
    expect(kinds.get('settlementExecutions')).toEqual(['states:DescribeExecution']);
  });

  it('every start goes through the live alias: StartExecution only with the qualifier "live"', () => {
    const starts = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } }).PolicyDocument.Statement)
      .filter((st) => [st.Action].flat().includes('states:StartExecution'));
    // The lifecycle's starters (HTTP), the settlement's (HTTP, the starter, the settlement step).
    expect(starts.length).toBeGreaterThanOrEqual(4);
    for (const st of starts) {
      expect(st.Action).toBe('states:StartExecution');
      expect(st.Condition).toEqual({ StringEquals: { 'states:StateMachineQualifier': 'live' } });
    }
  });

  it('GET handlers are read-only (the audit reads record themselves, nothing more)', () => {
    for (const route of ROUTES.filter((r) => r.method === 'GET')) expect(route.access.table).toBe('R');
  });

  it('the workflow step: table read/write, task completion, mail through the one identity and configuration set', () => {
    const kinds = reach(built.stateless.workflowStep);
    expect([...kinds.keys()].sort()).toEqual(['key', 'mailConfigurationSet', 'mailIdentity', 'ownLogs', 'star', 'table', 'tableIndex'].sort());
    expect(kinds.get('mailIdentity')).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    expect(kinds.get('table')).toEqual(expect.arrayContaining(WRITE));
    expect(kinds.get('star')).toEqual(expect.arrayContaining(['states:SendTaskFailure', 'states:SendTaskSuccess']));
  });

  it('the key is usable only through DynamoDB', () => {
    const statements = statementsOfRole(template, logicalId(built.stateless.workflowStep.role!));
    const policies = template.findResources('AWS::IAM::Policy');
    const kms = Object.values(policies).flatMap((p) => (p.Properties as { PolicyDocument: { Statement: Record<string, unknown>[] } }).PolicyDocument.Statement)
      .filter((s) => [s.Action].flat().some((a) => String(a).startsWith('kms:')));
    expect(statements.length).toBeGreaterThan(0);
    for (const s of kms) expect(JSON.stringify(s.Condition)).toContain('kms:ViaService');
  });

  it('every function gets the contract environment', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    for (const fn of [built.stateless.workflowStep, built.stateless.settlementStep, built.stateless.settlementStarter!, ...built.stateless.httpFunctions.values()]) {
      const env = (fns[logicalId(fn)]!.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
      const archive = ROUTES.find((r) => built.stateless.httpFunctions.get(r.handler) === fn)?.access.archive;
      expect(Object.keys(env).sort()).toEqual([
        'AUTH_MODE', 'BRANCH_MANAGER_EMAILS', 'COMPLIANCE_EMAILS', 'DEFAULT_RULE_SET', 'IAM_ROLE_PREFIX',
        'LIFECYCLE_STATE_MACHINE_ARN', 'MAIL_CONFIGURATION_SET', 'MAIL_FROM', 'NODE_OPTIONS', 'SETTLEMENT_STATE_MACHINE_ARN', 'TABLE_NAME',
        ...(archive ? ['ARCHIVE_BUCKET'] : []), ...(archive === 'RW' ? ['ARCHIVE_RETENTION_DAYS'] : []),
      ].sort());
      expect(env.AUTH_MODE).toBe('iam');
      expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
      // Starts go through the alias (the execution ARNs are derived from its machine part).
      expect(JSON.stringify(env.LIFECYCLE_STATE_MACHINE_ARN)).toContain(':stateMachine:PolicyQcStateless-policy-lifecycle:live"');
      expect(JSON.stringify(env.SETTLEMENT_STATE_MACHINE_ARN)).toContain(':stateMachine:PolicyQcStateless-monthly-settlement:live"');
    }
    const lifecycle = template.findResources('AWS::StepFunctions::StateMachine')[logicalId(built.stateless.workflows.machines.get('policy-lifecycle')!)]!;
    expect((lifecycle.Properties as { StateMachineName: string }).StateMachineName).toBe('PolicyQcStateless-policy-lifecycle');
  });

  it('functions are arm64, Node.js 22, traced, with a retained log group of one year', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: 'nodejs22.x',
      TracingConfig: { Mode: 'Active' },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });
});
