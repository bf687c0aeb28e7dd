import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestBodyModel } from '../../functions/http/json-schema.js';
import { ROUTES } from '../../functions/http/routes.js';
import { ROLES } from '../../functions/use-cases/caller.js';
import { executeApiPath } from '../../infra/constructs/api.js';
import { buildApp, logicalId, statementsOfRole, templateOf } from './support.js';

let template: Template;
let built: ReturnType<typeof buildApp>;

beforeAll(() => {
  built = buildApp({ context: { iamRolePrefix: 'qc-test' } });
  template = templateOf(built.stateless);
});

/** "METHOD /path" of every method of one API (the IAM API unless given), with its properties. */
function methods(restApiId = logicalId(built.stateless.api.restApi)): Map<string, Record<string, unknown>> {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (!id) return ''; // the root resource
    const r = resources[id]!.Properties as { ParentId: unknown; PathPart: string };
    return `${pathOf(r.ParentId)}/${r.PathPart}`;
  };
  const out = new Map<string, Record<string, unknown>>();
  for (const m of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
    const p = m.Properties as Record<string, unknown>;
    if ((p.RestApiId as { Ref?: string }).Ref !== restApiId) continue;
    out.set(`${String(p.HttpMethod)} ${pathOf(p.ResourceId) || '/'}`, p);
  }
  return out;
}

describe('API Gateway', () => {
  it('has one IAM-authorised, validated method per route, integrated with its handler function', () => {
    const all = methods();
    expect([...all.keys()].sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    const validators = template.findResources('AWS::ApiGateway::RequestValidator', { Properties: { RestApiId: { Ref: logicalId(built.stateless.api.restApi) } } });
    const [validatorId] = Object.keys(validators);
    expect(validators[validatorId!]!.Properties).toMatchObject({ ValidateRequestBody: true, ValidateRequestParameters: true });
    for (const route of ROUTES) {
      const m = all.get(`${route.method} ${route.path}`)!;
      expect(m.AuthorizationType).toBe('AWS_IAM');
      expect(m.RequestValidatorId).toEqual({ Ref: validatorId });
      const fnId = logicalId(built.stateless.httpFunctions.get(route.handler)!);
      expect(JSON.stringify(m.Integration)).toContain(`"${fnId}","Arn"`);
      expect((m.Integration as { Type: string }).Type).toBe('AWS_PROXY');
      for (const p of route.path.match(/\{[^}]+\}/g) ?? []) {
        expect(m.RequestParameters).toMatchObject({ [`method.request.path.${p.slice(1, -1)}`]: true });
      }
    }
  });

  it('validates each body against its own model, generated from the route\'s zod schema (draft-04)', () => {
    const all = methods();
    const models = template.findResources('AWS::ApiGateway::Model', { Properties: { RestApiId: { Ref: logicalId(built.stateless.api.restApi) } } });
    expect(Object.keys(models)).toHaveLength(ROUTES.filter((r) => r.body).length);
    for (const route of ROUTES) {
      const m = all.get(`${route.method} ${route.path}`)!;
      if (!route.body) {
        expect(m.RequestModels, `${route.method} ${route.path}`).toBeUndefined();
        continue;
      }
      const ref = (m.RequestModels as Record<string, { Ref: string }>)['application/json']!.Ref;
      const model = models[ref]!.Properties as { ContentType: string; Schema: Record<string, unknown> };
      expect(model.ContentType).toBe('application/json');
      const { title: _title, ...schema } = model.Schema;
      expect(schema).toEqual(requestBodyModel(route.body));
      expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
    }
  });

  it('declares the query parameters, the required ones as required', () => {
    const search = methods().get('GET /v1/audit/events')!;
    expect(search.RequestParameters).toEqual({
      'method.request.querystring.from': true,
      'method.request.querystring.to': true,
      'method.request.querystring.agentId': false,
      'method.request.querystring.branchId': false,
      'method.request.querystring.type': false,
      'method.request.querystring.limit': false,
      'method.request.querystring.cursor': false,
    });
  });

  it("answers its own validation failures in the error shape, with the validator's message", () => {
    for (const type of ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"VALIDATION_FAILED","message":\\$context.error.validationErrorString') },
      });
    }
  });

  it('is throttled and writes access logs and traces', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      TracingEnabled: true,
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
  });

  it.each(ROLES)('IAM role "%s" may invoke exactly the routes open to it', (role) => {
    const iamRole = built.stateless.api.roles.get(role)!;
    const props = template.findResources('AWS::IAM::Role')[logicalId(iamRole)]!.Properties as { RoleName: string };
    expect(props.RoleName).toBe(`qc-test-${role}`);
    const statements = statementsOfRole(template, logicalId(iamRole));
    expect(new Set(statements.flatMap((s) => s.actions))).toEqual(new Set(['execute-api:Invoke']));
    const stageRef = JSON.stringify({ Ref: logicalId(built.stateless.api.restApi.deploymentStage) });
    const allowed = statements.flatMap((s) => s.resources).map((r) => {
      expect(r).toContain(stageRef);
      const tail = (JSON.parse(r) as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].at(-1) as string;
      return tail.slice(1); // "/POST/v1/policies/*/receipt" → "POST/v1/…"
    });
    const expected = ROUTES.filter((r) => r.roles.includes(role)).map((r) => `${r.method}${executeApiPath(r.path)}`);
    expect(allowed.sort()).toEqual(expected.sort());
  });

  it('tells the functions how to read the role from the caller ARN', () => {
    for (const fn of built.stateless.httpFunctions.values()) {
      const env = (template.findResources('AWS::Lambda::Function')[logicalId(fn)]!.Properties as { Environment: { Variables: Record<string, string> } }).Environment.Variables;
      expect(env.IAM_ROLE_PREFIX).toBe('qc-test');
    }
  });
});
