import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { AnyRoute } from '../../functions/http/route-definition.js';
import { ConsoleApi } from '../constructs/console-api.js';
import { ConsoleAuth } from '../constructs/console-auth.js';
import { ConsoleDeployment } from '../constructs/console-deployment.js';
import { ConsoleHosting } from '../constructs/console-hosting.js';

export interface ConsoleStackProps extends StackProps {
  /** The routes the API serves; the console API keeps those people call. */
  readonly routes: readonly AnyRoute[];
  /** The ARN of the function serving each route (the stateless stack's, shared with the IAM API). */
  readonly functionArns: ReadonlyMap<string, string>;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
}

/**
 * What people use (docs/console.md): the console's static hosting behind CloudFront (its files
 * deployed with the stack), the Cognito user pool they sign in with, and the API for people
 * (Cognito authorizer, WAF) in front of the same Lambda functions as the IAM API, on the
 * console's own origin. A stack of its own: with the functions,
 * workflows and IAM API the stateless stack would pass CloudFormation's 500-resource limit.
 */
export class ConsoleStack extends Stack {
  readonly hosting: ConsoleHosting;
  readonly auth: ConsoleAuth;
  readonly api: ConsoleApi;
  readonly deployment: ConsoleDeployment;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    this.hosting = new ConsoleHosting(this, 'ConsoleHosting');
    const consoleUrl = `https://${this.hosting.distribution.distributionDomainName}`;
    this.auth = new ConsoleAuth(this, 'ConsoleAuth', { consoleUrl, domainPrefix: `policy-qc-${this.account}` });
    // Imported in this environment, so each invoke permission is made here, beside its API.
    const functions = new Map<string, IFunction>(
      [...props.functionArns].map(([handler, functionArn]) => [handler, LambdaFunction.fromFunctionAttributes(this, `Fn-${handler}`, { functionArn, sameEnvironment: true })]),
    );
    this.api = new ConsoleApi(this, 'ConsoleApi', { routes: props.routes, functions, userPool: this.auth.userPool, throttle: props.throttle });
    // One origin for people: the console calls `/v1/…` on its own address.
    this.hosting.serveApi(this.api.restApi);
    const domain = this.auth.domain;
    if (!domain) throw new Error('the console signs in through the hosted UI: ConsoleAuth needs a domainPrefix');
    this.deployment = new ConsoleDeployment(this, 'ConsoleDeployment', { bucket: this.hosting.bucket, distribution: this.hosting.distribution, domain, auth: this.auth });
    new CfnOutput(this, 'ConsoleUserPoolId', { value: this.auth.userPool.userPoolId, description: 'Cognito user pool of the people who use the console' });
    new CfnOutput(this, 'ConsoleUserPoolClientId', { value: this.auth.client.userPoolClientId, description: 'App client of the web console' });
    new CfnOutput(this, 'ConsoleApiUrl', { value: this.api.restApi.url, description: 'API for people (Cognito ID token in Authorization); the console reaches it through its own address, /v1/…' });
  }
}
