import { CfnOutput, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { RestApiBase } from 'aws-cdk-lib/aws-apigateway';
import { RestApiOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The SPA rewrite as a CloudFront Function (viewer request): the console's pages (`/`, the deep
 * link `/policies/{id}`) get the one page; the files it loads (`/assets/…`, the config) and the
 * contract (`/openapi.json`) pass. Plain ES5.1 for the cloudfront-js runtime;
 * tests/infra/console-hosting.test.ts runs it.
 */
export const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.indexOf('/assets/') !== 0 && uri !== '/console-config.json' && uri !== '/openapi.json') request.uri = '/index.html';
  return request;
}`;

/** The paths CloudFront sends to the API for people rather than to the bucket. */
export const API_PATH_PATTERN = '/v1/*';

export interface ConsoleHostingProps {
  /** Days the access logs of the bucket and the distribution are kept. */
  readonly logRetentionDays?: number;
}

/**
 * Hosting of the web console (docs/console.md): a private S3 bucket read only by CloudFront
 * through origin access control, HTTPS only, security headers, the SPA rewrite, and access
 * logs. With `serveApi`, the same distribution also answers `/v1/*` from the API for people,
 * so the browser never leaves the console's origin (no CORS).
 */
export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps = {}) {
    super(scope, id);
    const expiration = Duration.days(props.logRetentionDays ?? 400);
    const logs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging writes with an ACL.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket of the console bucket and distribution; logging its own access would log the logging.' });

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const rewrite = new cloudfront.Function(this, 'SpaRewrite', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'console pages -> /index.html',
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'policy QC web console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ function: rewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Staff sign in from every branch and may travel; who may use the console is decided by the Cognito sign-in, not by country.' },
      { id: 'AwsSolutions-CFR2', reason: 'The distribution serves public static files only (no data, no credentials); the API behind the console has its own throttling and IAM/Cognito authorisation.' },
      { id: 'AwsSolutions-CFR4', reason: 'No custom domain yet: the default *.cloudfront.net certificate cannot pin TLS 1.2. With a domain, minimumProtocolVersion TLS_V1_2_2021 (set here) applies.' },
    );

    new CfnOutput(this, 'ConsoleUrl', { value: `https://${this.distribution.distributionDomainName}/` });
    new CfnOutput(this, 'ConsoleBucket', { value: this.bucket.bucketName, description: 'The console\'s files (deployed with the stack: console-deployment.ts)' });
  }

  /**
   * Routes `/v1/*` to `api` (origin path = its stage, so `/v1/x` reaches `/<stage>/v1/x`):
   * every method, nothing cached (answers depend on who asks), and every viewer header and
   * query string forwarded but Host, which API Gateway needs to be its own.
   */
  serveApi(api: RestApiBase): void {
    this.distribution.addBehavior(API_PATH_PATTERN, new RestApiOrigin(api, { originPath: `/${api.deploymentStage.stageName}` }), {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    });
  }
}
