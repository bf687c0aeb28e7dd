import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Validations } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleHosting, SPA_REWRITE } from '../../infra/constructs/console-hosting.js';

let app: App;
let stack: Stack;
let template: Template;

beforeAll(() => {
  app = new App();
  stack = new Stack(app, 'ConsoleTest', { env: { account: '123456789012', region: 'ap-east-1' } });
  new ConsoleHosting(stack, 'Console');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  template = Template.fromStack(stack);
});

describe('ConsoleHosting', () => {
  it('keeps the files bucket private, encrypted, TLS-only and logged', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: Match.objectLike({ ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } })] }),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 's3/' }),
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(template.findResources('AWS::S3::Bucket', { Properties: { WebsiteConfiguration: Match.anyValue() } })).toEqual({});
  });

  it('lets only this CloudFront distribution read the files, through origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Action: 's3:GetObject',
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })] }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('serves the one page for the console pages and passes its files through', () => {
    const handler = new Function(`${SPA_REWRITE}; return handler;`)() as (event: { request: { uri: string } }) => { uri: string };
    const uri = (path: string) => handler({ request: { uri: path } }).uri;
    expect(uri('/')).toBe('/index.html');
    expect(uri('/policies/P-1001')).toBe('/index.html');
    expect(uri('/assets/console.js')).toBe('/assets/console.js');
    expect(uri('/assets/fonts/noto-sans-sc-4-400-normal.woff2')).toBe('/assets/fonts/noto-sans-sc-4-400-normal.woff2');
    expect(uri('/console-config.json')).toBe('/console-config.json');
    expect(uri('/openapi.json')).toBe('/openapi.json');
  });

  it('has no unacknowledged cdk-nag finding, and a reason for each acknowledgement', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });
});
