import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition as localTable } from '../../infra/local/dynamodb-local.js';
import { buildApp, logicalId } from './support.js';

/**
 * One real synth of the whole app, as `npm run synth` does it: esbuild bundling of every
 * function (locally, no Docker) and the cdk-nag AwsSolutions pack as a validation plugin,
 * which fails synth on any unacknowledged finding.
 */
let built: ReturnType<typeof buildApp>;
/**
 * The largest bundle allowed (docs/operations.md "Lambda bundles"): minified, tree-shaken,
 * the SDK and Powertools inside. A guard against regressions (an SDK left out, zod's locales
 * back in), not the 300 KB aimed at: that needs per-route entry modules (every HTTP bundle
 * still holds the whole route table).
 */
const MAX_BUNDLE_BYTES = 1000 * 1024;
let outdir: string;

beforeAll(() => {
  built = buildApp({ bundle: true, nag: true });
  outdir = built.app.synth().directory;
}, 300_000);

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

/** The asset folder of a function's code in the cloud assembly (its S3 key is `<hash>.zip`). */
function assetOf(fn: IConstruct): string {
  const template = JSON.parse(readFileSync(join(outdir, `${Stack.of(fn).artifactId}.template.json`), 'utf8')) as { Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }> };
  const key = template.Resources[logicalId(fn)]?.Properties.Code?.S3Key ?? '';
  return `asset.${key.replace(/\.zip$/, '')}`;
}

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding, error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(built.app);
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    for (const stack of [built.stateful, built.stateless]) {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    }
  });

  it('gives every acknowledgement a reason', () => {
    const acks = acknowledgements(built.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
  });

  it('acknowledges no wildcard resource on the table, the key or the archive', () => {
    const ids = acknowledgements(built.app).map((a) => a.id).filter((id) => id.includes('IAM5'));
    expect(ids.filter((id) => /Table|DataKey|AuditArchive|dynamodb|kms/.test(id))).toEqual([]);
  });
});

describe('synth', () => {
  it('bundles every function locally with esbuild into a lean ESM bundle with an external source map', () => {
    const assets = readdirSync(outdir).filter((d) => d.startsWith('asset.'));
    const bundles = assets.filter((d) => existsSync(join(outdir, d, 'index.mjs')));
    const functionCount = built.stateless.node.findAll().filter((c) => c.constructor.name === 'ServiceFunction').length;
    expect(bundles.length).toBe(functionCount);
    const sizes: string[] = [];
    for (const b of bundles) {
      const map = JSON.parse(readFileSync(join(outdir, b, 'index.mjs.map'), 'utf8')) as { sources: string[]; sourcesContent?: unknown };
      // The AWS SDK is in the bundle, at the pinned version; the credential chain is Lambda's environment only.
      expect(map.sources.some((s) => s.includes('node_modules/@aws-sdk/client-')), b).toBe(true);
      expect(map.sources.filter((s) => /node_modules\/@aws-sdk\/(credential-provider-node|credential-provider-sso|nested-clients)\//.test(s)), b).toEqual([]);
      // zod's locales stay out (namespace import, tree-shaken), and so do the sources in the map.
      expect(map.sources.filter((s) => s.includes('zod/v4/locales/') && !s.endsWith('/en.js')), b).toEqual([]);
      expect(map.sourcesContent, b).toBeUndefined();
      const size = statSync(join(outdir, b, 'index.mjs')).size;
      if (size > MAX_BUNDLE_BYTES) sizes.push(`${b}: ${size} bytes`);
    }
    expect(sizes, `bundles over ${MAX_BUNDLE_BYTES} bytes`).toEqual([]);
  });

  it('leaves the Step Functions and SES clients out of the bundles of routes that do not declare them', () => {
    const getPolicy = built.stateless.httpFunctions.get('get-policy');
    const asset = getPolicy && assetOf(getPolicy);
    expect(asset).toBeDefined();
    const sources = (JSON.parse(readFileSync(join(outdir, asset!, 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources;
    expect(sources.filter((s) => /client-sfn|client-sesv2/.test(s))).toEqual([]);
    const workflowStep = (JSON.parse(readFileSync(join(outdir, assetOf(built.stateless.workflowStep), 'index.mjs.map'), 'utf8')) as { sources: string[] }).sources;
    expect(workflowStep.some((s) => s.includes('client-sfn/'))).toBe(true);
    expect(workflowStep.some((s) => s.includes('client-sesv2/'))).toBe(true);
  });

  it('keeps the data stateful stack retained and protected', () => {
    const template = JSON.parse(readFileSync(join(outdir, 'PolicyQcStateful.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; DeletionPolicy?: string; Properties: Record<string, unknown> }> };
    const byType = (t: string) => Object.values(template.Resources).filter((r) => r.Type === t);
    const [table] = byType('AWS::DynamoDB::Table');
    expect(table!.DeletionPolicy).toBe('Retain');
    expect(table!.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    });
    const gsis = (table!.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: { AttributeName: string }[] }[]);
    const expected = [
      ['work', 'workPk', 'workSk'],
      ['audit', 'auditPk', 'auditSk'],
      ['auditAgent', 'agentPk', 'auditSk'],
      ['auditBranch', 'branchPk', 'auditSk'],
      ['auditType', 'typePk', 'auditSk'],
      ['falseContact', 'falseContactPk', 'auditSk'],
      ['unpaid', 'unpaidPk', 'unpaidSk'],
    ];
    expect(gsis.map((g) => [g.IndexName, ...g.KeySchema.map((k) => k.AttributeName)])).toEqual(expected);
    // The local table (dynalite) has exactly the same indexes.
    expect(localTable.GlobalSecondaryIndexes.map((g) => [g.IndexName, ...g.KeySchema.map((k) => k.AttributeName)])).toEqual(expected);
    const [key] = byType('AWS::KMS::Key');
    expect(key!.DeletionPolicy).toBe('Retain');
    expect(key!.Properties.EnableKeyRotation).toBe(true);
    const archive = byType('AWS::S3::Bucket').find((b) => b.Properties.ObjectLockEnabled === true)!;
    expect(archive.DeletionPolicy).toBe('Retain');
    expect(archive.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3653 } } },
    });
    const policies = byType('AWS::S3::BucketPolicy').map((p) => JSON.stringify(p.Properties));
    expect(policies.some((p) => p.includes('"aws:SecureTransport":"false"'))).toBe(true);
    // Write-once for everyone: deleting objects or loosening the lock is denied to every principal.
    const deny = byType('AWS::S3::BucketPolicy').flatMap((p) => (p.Properties as { PolicyDocument: { Statement: { Sid?: string; Effect: string; Principal: unknown; Action: string[] }[] } }).PolicyDocument.Statement)
      .find((st) => st.Sid === 'DenyArchiveDeletionAndLockChanges');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(deny?.Action).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutBucketObjectLockConfiguration', 's3:BypassGovernanceRetention']));
  });
});
