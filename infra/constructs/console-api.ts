import { Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat, AuthorizationType, CognitoUserPoolsAuthorizer, EndpointType, LambdaIntegration, LogGroupLogDestination, MethodLoggingLevel, RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { AnyRoute } from '../../functions/http/route-definition.js';
import { addContractResponses, addRoute } from './api.js';
import { PEOPLE_ROLES } from './console-auth.js';

export interface ConsoleApiProps {
  /** The route table; the routes open to some person's role are served. */
  readonly routes: readonly AnyRoute[];
  /** The Lambda serving each route: the same functions as the IAM API's. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly userPool: IUserPool;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Requests one client IP may make in 5 minutes before WAF blocks it.
   * @default 2000
   */
  readonly requestsPerIpPer5Minutes?: number;
  /** @default 'prod' */
  readonly stageName?: string;
}

/**
 * The API for people (the web console): the same routes and Lambdas as the IAM API, each
 * method behind a Cognito user-pool authorizer (ID token in `Authorization`). The handlers read
 * `cognito:groups` and `custom:subject` (functions/http/authenticate.ts) and then hold the
 * person to its staff directory entry; routes only systems call (registration, receipts,
 * cancellations) are not on it.
 */
export class ConsoleApi extends Construct {
  public readonly restApi: RestApi;
  /** The routes this API serves. */
  public readonly routes: readonly AnyRoute[];
  public readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: ConsoleApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    const api = new RestApi(this, 'RestApi', {
      restApiName: `${Stack.of(this).stackName}-console-api`,
      description: 'Policy QC HTTP API for people (docs/api.md), Cognito-authorised',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true, httpMethod: true, ip: true, protocol: true, requestTime: true, resourcePath: true, responseLength: true, status: true, user: true,
        }),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
      },
    });
    this.restApi = api;
    const validator = addContractResponses(api);
    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [props.userPool], identitySource: 'method.request.header.Authorization' });
    this.routes = props.routes.filter((route) => route.roles.some((role) => PEOPLE_ROLES.includes(role)));
    const integrations = new Map<string, LambdaIntegration>();
    for (const route of this.routes) {
      const fn = props.functions.get(route.handler);
      if (!fn) throw new Error(`No function for handler "${route.handler}" (${route.method} ${route.path})`);
      const integration = integrations.get(route.handler) ?? new LambdaIntegration(fn, { allowTestInvoke: false });
      integrations.set(route.handler, integration);
      addRoute(api, route, integration, validator, { authorizationType: AuthorizationType.COGNITO, authorizer });
    }
    this.webAcl = consoleWebAcl(this, props.requestsPerIpPer5Minutes ?? 2000);
    new CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: this.webAcl.attrArn });
  }
}

const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/** Unlike the IAM API, this one is reachable by anyone on the internet: AWS managed rules and a per-IP rate limit in front of it. */
function consoleWebAcl(scope: Construct, limit: number): CfnWebACL {
  const managed = (name: string, priority: number) => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
    visibilityConfig: visibility(name),
  });
  return new CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('console-api'),
    rules: [
      managed('AWSManagedRulesCommonRuleSet', 1),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
      managed('AWSManagedRulesAmazonIpReputationList', 3),
      // People reach this API through the console's CloudFront distribution (console-hosting.ts):
      // the source address is CloudFront's, shared by everyone at an edge, so the limit counts the
      // viewer's address CloudFront adds to X-Forwarded-For. A request without one (straight to
      // execute-api) is counted as it comes.
      {
        name: 'PerIpRateLimit',
        priority: 4,
        action: { block: {} },
        statement: { rateBasedStatement: { limit, aggregateKeyType: 'FORWARDED_IP', forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' } } },
        visibilityConfig: visibility('PerIpRateLimit'),
      },
    ],
  });
}
