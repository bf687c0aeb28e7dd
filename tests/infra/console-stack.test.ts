import type { Template } from 'aws-cdk-lib/assertions';
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

beforeAll(() => {
  built = buildApp();
  template = templateOf(built.console);
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  config = (distribution!.Properties as { DistributionConfig: DistributionConfig }).DistributionConfig;
});

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
