import { Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  type IAuthorizer,
  type JsonSchema,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AccountRootPrincipal, type IPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROLES, type Role as ApiRole } from '../../functions/use-cases/caller.js';
import { requestBodyModel } from '../../functions/http/json-schema.js';
import { type AnyRoute, pathParamsOf, queryParamsOf } from '../../functions/http/route-definition.js';
import { pascalCase } from './workflows.js';

export interface ApiProps {
  /** The route table (`functions/http/routes.ts`). */
  readonly routes: readonly AnyRoute[];
  /** The Lambda serving each `RouteSpec.handler`. */
  readonly functions: ReadonlyMap<string, IFunction>;
  /** Prefix of the per-role IAM role names: `<prefix>-<role>`. */
  readonly rolePrefix: string;
  /** Steady-state requests per second and burst, per stage. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Who may assume the per-role IAM roles (an identity broker, SSO permission sets, …).
   * @default - the account (its IAM policies then decide who may call sts:AssumeRole)
   */
  readonly callers?: IPrincipal;
  /**
   * Name of the deployment stage (the first path segment after the host).
   * @default 'prod'
   */
  readonly stageName?: string;
}

/** `/v1/policies/{policyId}/receipt` → `/v1/policies/*\/receipt` (the shape execute-api ARNs match on). */
export function executeApiPath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

/**
 * The REST API of docs/api.md: one resource/method per route, AWS_IAM authorisation, request
 * validation, throttling, access logs, and one IAM role per API role allowed to invoke
 * exactly the routes that name it. Handlers read the role from the caller's
 * `assumed-role/<prefix>-<role>/<subject>` ARN.
 */
export class Api extends Construct {
  public readonly restApi: RestApi;
  /** The IAM role of each API role. */
  public readonly roles: ReadonlyMap<ApiRole, Role>;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    const api = new RestApi(this, 'RestApi', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'Policy QC HTTP API (docs/api.md), IAM-authorised',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: props.stageName ?? 'prod',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
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

    const integrations = new Map<string, LambdaIntegration>();
    for (const route of props.routes) {
      const fn = props.functions.get(route.handler);
      if (!fn) throw new Error(`No function for handler "${route.handler}" (${route.method} ${route.path})`);
      let integration = integrations.get(route.handler);
      if (!integration) {
        integration = new LambdaIntegration(fn, { allowTestInvoke: false });
        integrations.set(route.handler, integration);
      }
      addRoute(api, route, integration, validator);
    }

    const stage = api.deploymentStage.stageName;
    const roles = new Map<ApiRole, Role>();
    for (const role of ROLES) {
      const allowed = props.routes.filter((r) => r.roles.includes(role));
      const iamRole = new Role(this, `Caller-${role}`, {
        roleName: `${props.rolePrefix}-${role}`,
        assumedBy: props.callers ?? new AccountRootPrincipal(),
        description: `Policy QC API role "${role}": may invoke the ${allowed.length} route(s) of docs/api.md open to it`,
      });
      if (allowed.length > 0) {
        iamRole.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['execute-api:Invoke'],
            resources: allowed.map((r) => api.arnForExecuteApi(r.method, executeApiPath(r.path), stage)),
          }),
        );
      }
      roles.set(role, iamRole);
    }
    this.roles = roles;
  }
}

/**
 * API Gateway's own rejections (authorisation, bad body, throttling) in the contract's error
 * shape, and the request validator the methods use (shared by the console API).
 */
export function addContractResponses(api: RestApi): RequestValidator {
  // API Gateway's own rejections (IAM denial, bad body, throttling) in the contract's error shape.
  for (const [type, code] of [
    [ResponseType.DEFAULT_4XX, 'CLIENT_ERROR'],
    [ResponseType.DEFAULT_5XX, 'SERVER_ERROR'],
  ] as const) {
    api.addGatewayResponse(`${code}Response`, {
      type,
      templates: {
        'application/json': `{"error":{"code":"${code}","message":$context.error.messageString,"details":[{"type":"$context.error.responseType"}]}}`,
      },
    });
  }
  // A body or parameter the route's model rejects: the validator's own words name the field.
  for (const [type, id] of [
    [ResponseType.BAD_REQUEST_BODY, 'BadBody'],
    [ResponseType.BAD_REQUEST_PARAMETERS, 'BadParameters'],
  ] as const) {
    api.addGatewayResponse(`${id}Response`, {
      type,
      templates: {
        'application/json': '{"error":{"code":"VALIDATION_FAILED","message":$context.error.validationErrorString,"details":[{"type":"$context.error.responseType"}]}}',
      },
    });
  }

  return api.addRequestValidator('Validator', {
    validateRequestBody: true,
    validateRequestParameters: true,
  });
}

/** How a method is authorised: AWS_IAM (systems, the IAM API) unless a Cognito authorizer is given (people, the console API). */
export type MethodAuth = { readonly authorizationType: AuthorizationType.IAM } | { readonly authorizationType: AuthorizationType.COGNITO; readonly authorizer: IAuthorizer };

export function addRoute(api: RestApi, route: AnyRoute, integration: LambdaIntegration, validator: RequestValidator, auth: MethodAuth = { authorizationType: AuthorizationType.IAM }): void {
  const pathParams = pathParamsOf(route.path).map((p) => [`method.request.path.${p}`, true] as const);
  // Required query parameters are checked at the edge too; their values are the Lambda's to check.
  const query = queryParamsOf(route).map(({ name, required }) => [`method.request.querystring.${name}`, required] as const);
  // The body's model is generated from the route's zod schema (draft-04, what API Gateway speaks).
  const model = route.body
    ? api.addModel(`${pascalCase(route.handler)}Body`, {
        contentType: 'application/json',
        modelName: `${pascalCase(route.handler)}Body`,
        schema: { title: `${pascalCase(route.handler)}Body`, ...requestBodyModel(route.body) } as JsonSchema,
      })
    : undefined;
  api.root.resourceForPath(route.path).addMethod(route.method, integration, {
    ...auth,
    requestValidator: validator,
    requestParameters: Object.fromEntries([...pathParams, ...query]),
    requestModels: model ? { 'application/json': model } : undefined,
  });
}
