import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { CachePolicy, OriginRequestPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_PATH_PATTERN } from '../../infra/constructs/console-hosting.js';
import { buildApp, logicalId, templateOf } from './support.js';

/** The console stack as composed: one CloudFront origin for people, the console's files and the API behind it. */
let template: Template;
let built: ReturnType<typeof buildApp>;

interface Origin { readonly Id: string; readonly DomainName: unknown; readonly OriginPath?: unknown; readonly S3OriginConfig?: unknown; readonly CustomOriginConfig?: { readonly OriginProtocolPolicy: string } }
interface Behavior { readonly PathPattern?: string; readonly TargetOriginId: string; readonly AllowedMethods: string[]; readonly CachePolicyId: string; readonly OriginRequestPolicyId?: string; readonly ViewerProtocolPolicy: string }
interface DistributionConfig { readonly Origins: Origin[]; readonly DefaultCacheBehavior: Behavior; readonly CacheBehaviors?: Behavior[] }

let config: DistributionConfig;
let outdir: string;

beforeAll(() => {
  built = buildApp();
  template = templateOf(built.console);
  outdir = built.app.synth().directory;
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  config = (distribution!.Properties as { DistributionConfig: DistributionConfig }).DistributionConfig;
});

/** The staged asset folder holding `file` (a BucketDeployment source), read as JSON. */
function assetJson(dir: string, file: string): unknown {
  const asset = readdirSync(dir).find((d) => d.startsWith('asset.') && existsSync(join(dir, d, file)));
  expect(asset, file).toBeDefined();
  return JSON.parse(readFileSync(join(dir, asset!, file), 'utf8'));
}

/** A template string value as text: an Fn::Join's tokens shown as their JSON (as `resolve` shows markers). */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  return join ? join[1].map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(join[0]) : JSON.stringify(value);
}

const originOf = (behavior: Behavior) => config.Origins.find((o) => o.Id === behavior.TargetOriginId);

describe('one origin for people', () => {
  it('serves the console from the bucket by default', () => {
    const origin = originOf(config.DefaultCacheBehavior);
    expect(origin?.S3OriginConfig).toBeDefined();
    expect(JSON.stringify(origin?.DomainName)).toContain(logicalId(built.console.hosting.bucket));
  });

  it('sends /v1/* to the API for people, at its stage, every method, uncached, every header but Host', () => {
    const behavior = (config.CacheBehaviors ?? []).find((b) => b.PathPattern === API_PATH_PATTERN);
    expect(API_PATH_PATTERN).toBe('/v1/*');
    expect(behavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: CachePolicy.CACHING_DISABLED.cachePolicyId,
      // Authorization, X-Acting-Role, Accept, Content-Type and the query string reach the API.
      OriginRequestPolicyId: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER.originRequestPolicyId,
      ViewerProtocolPolicy: 'https-only',
    });
    const origin = originOf(behavior!);
    const restApi = built.console.api.restApi;
    expect(JSON.stringify(origin?.DomainName)).toContain(logicalId(restApi));
    expect(origin?.CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
    // `/v1/x` on CloudFront is `/<stage>/v1/x` on execute-api.
    expect(origin?.OriginPath).toEqual({ 'Fn::Join': ['', ['/', { Ref: logicalId(restApi.deploymentStage) }]] });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
  });

  it('is the only API behaviour: everything else is the console', () => {
    expect((config.CacheBehaviors ?? []).map((b) => b.PathPattern)).toEqual([API_PATH_PATTERN]);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
  });
});

describe('cdk-nag on the console stack', () => {
  it('reports no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks().validateScope(built.console);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('the console deployed with the stack', () => {
  it('copies its files to the console bucket, prunes the rest and invalidates the distribution', () => {
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(built.console.hosting.bucket) },
      DistributionId: { Ref: logicalId(built.console.hosting.distribution) },
      DistributionPaths: ['/*'],
      Prune: true,
      // The build, console-config.json and openapi.json.
      SourceObjectKeys: Match.arrayWith([Match.stringLikeRegexp('\\.zip$')]),
    });
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect((deployment!.Properties as { SourceObjectKeys: unknown[] }).SourceObjectKeys).toHaveLength(3);
  });

  it('writes console-config.json for Cognito sign-in with the API on the same origin', () => {
    // apiBase '' + the console's paths (`/v1/…`) = relative URLs: CloudFront's /v1/* behaviour answers them.
    type Written = { mode: string; apiBase: string; cognito: { domain: string; clientId: string; region: string; userPoolId: string; redirectUri: string; scope: string } };
    const written = assetJson(outdir, 'console-config.json') as Written;
    expect(written).toMatchObject({ mode: 'cognito', apiBase: '' });
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    const markers = Object.assign({}, ...(deployment!.Properties as { SourceMarkers: Record<string, unknown>[] }).SourceMarkers) as Record<string, unknown>;
    const resolve = (text: string) => text.replace(/<<marker:[^>]+>>/g, (m) => JSON.stringify(markers[m]));
    const domain = built.console.auth.domain!;
    expect(resolve(written.cognito.domain)).toBe(`${JSON.stringify({ Ref: logicalId(domain) })}.auth.${JSON.stringify({ Ref: 'AWS::Region' })}.amazoncognito.com`);
    expect(resolve(written.cognito.clientId)).toBe(JSON.stringify({ Ref: logicalId(built.console.auth.client) }));
    // The OIDC issuer is https://cognito-idp.<region>.amazonaws.com/<userPoolId>.
    expect(resolve(written.cognito.region)).toBe(JSON.stringify({ Ref: 'AWS::Region' }));
    expect(resolve(written.cognito.userPoolId)).toBe(JSON.stringify({ Ref: logicalId(built.console.auth.userPool) }));
    // Cognito compares redirect_uri and logout_uri with the client's URLs character for character,
    // and refuses a scope the client does not allow: the console reads all three from here.
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    const oauth = client!.Properties as { CallbackURLs: unknown[]; LogoutURLs: unknown[]; AllowedOAuthScopes: string[] };
    expect(oauth.CallbackURLs).toHaveLength(1);
    const callbackUrl = joined(oauth.CallbackURLs[0]);
    expect(resolve(written.cognito.redirectUri)).toBe(callbackUrl);
    // The console's address itself: no path, no trailing slash.
    expect(callbackUrl).toBe(`https://${JSON.stringify({ 'Fn::GetAtt': [logicalId(built.console.hosting.distribution), 'DomainName'] })}`);
    expect(oauth.LogoutURLs).toEqual(oauth.CallbackURLs);
    expect(written.cognito.scope.split(' ')).toEqual(oauth.AllowedOAuthScopes);
    expect(written.cognito.scope).toBe('openid email');
  });

  it('publishes the OpenAPI document at /openapi.json, as the local server does', () => {
    const doc = assetJson(outdir, 'openapi.json') as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/v1/'))).toBe(true);
  });

  it('builds the console at synth, without a console/dist', () => {
    const bundled = buildApp({ context: { 'aws:cdk:bundling-stacks': [built.console.stackName] } });
    const dir = bundled.app.synth().directory;
    const asset = readdirSync(dir).find((d) => d.startsWith('asset.') && existsSync(join(dir, d, 'index.html')));
    expect(asset).toBeDefined();
    const files = (sub: string) => readdirSync(join(dir, asset!, sub));
    expect(files('.').sort()).toEqual(['assets', 'index.html']); // console-config.json is the deployment's, not the build's
    expect(files('assets')).toEqual(expect.arrayContaining(['console.js', 'console.css', 'fonts']));
    expect(files('assets/fonts').some((f) => f.endsWith('.woff2'))).toBe(true);
  }, 120_000);
});
