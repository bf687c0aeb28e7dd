import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes.js';
import { ROLES } from '../../functions/use-cases/caller.js';
import { buildApp, logicalId, templateOf } from './support.js';

/** People sign in with Cognito (groups = roles, `custom:subject`) and call the console API; systems keep IAM. */
let template: Template;
let built: ReturnType<typeof buildApp>;

beforeAll(() => {
  built = buildApp();
  template = templateOf(built.console);
});

describe('the console user pool', () => {
  it('admits only users an administrator creates, with MFA and a strong password, and keeps them', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true, RequireNumbers: true, RequireUppercase: true, RequireLowercase: true }) },
        Schema: Match.arrayWith([Match.objectLike({ Name: 'subject', AttributeDataType: 'String', Mutable: true })]),
        DeletionProtection: 'ACTIVE',
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      }),
    });
  });

  it('has one group per role people hold, none for upstream systems', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => (g.Properties as { GroupName: string }).GroupName);
    expect(groups.sort()).toEqual(ROLES.filter((r) => r !== 'upstream').sort());
  });

  it('lets the console read the subject but never write it', () => {
    const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    const props = client!.Properties as { ReadAttributes: string[]; WriteAttributes: string[]; GenerateSecret: boolean };
    expect(props.ReadAttributes).toContain('custom:subject');
    expect(props.WriteAttributes).not.toContain('custom:subject');
    expect(props.GenerateSecret).toBe(false);
  });
});

describe('the console API', () => {
  const methodsOf = (restApi: string) => Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { RestApiId: { Ref: restApi } } })).map((m) => m.Properties as Record<string, unknown>);

  it('serves every route a person may call, each behind the Cognito authorizer, with the same functions as the IAM API', () => {
    const consoleApi = logicalId(built.console.api.restApi);
    const methods = methodsOf(consoleApi);
    const peopleRoutes = ROUTES.filter((r) => r.roles.some((role) => role !== 'upstream'));
    expect(methods).toHaveLength(peopleRoutes.length);
    expect(built.console.api.routes.map((r) => r.handler).sort()).toEqual(peopleRoutes.map((r) => r.handler).sort());
    expect(built.console.api.routes.map((r) => r.handler)).not.toContain('register-policy');
    const [authorizerId, authorizer] = Object.entries(template.findResources('AWS::ApiGateway::Authorizer'))[0]!;
    expect(authorizer.Properties).toMatchObject({ Type: 'COGNITO_USER_POOLS', IdentitySource: 'method.request.header.Authorization', RestApiId: { Ref: consoleApi } });
    expect(JSON.stringify(authorizer.Properties)).toContain(logicalId(built.console.auth.userPool));
    // The functions live in the stateless stack: each integration invokes one by its exported ARN.
    const functionIds = [...built.stateless.httpFunctions.values()].map((f) => logicalId(f));
    for (const m of methods) {
      expect(m.AuthorizationType).toBe('COGNITO_USER_POOLS');
      expect(m.AuthorizerId).toEqual({ Ref: authorizerId });
      expect(functionIds.some((id) => JSON.stringify(m.Integration).includes(`PolicyQcStateless:ExportsOutputFnGetAtt${id}Arn`))).toBe(true);
    }
  });

  it('keeps the IAM API whole: every route, IAM-authorised', () => {
    const methods = Object.values(templateOf(built.stateless).findResources('AWS::ApiGateway::Method')).map((m) => m.Properties as Record<string, unknown>);
    expect(methods).toHaveLength(ROUTES.length);
    expect(new Set(methods.map((m) => m.AuthorizationType))).toEqual(new Set(['AWS_IAM']));
  });

  it('writes access logs and traces, throttled like the IAM API', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      RestApiId: { Ref: logicalId(built.console.api.restApi) },
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      TracingEnabled: true,
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR', DataTraceEnabled: false })],
    });
  });

  it('sits behind a WAF web ACL: managed rules and a per-IP rate limit', () => {
    const [aclId, acl] = Object.entries(template.findResources('AWS::WAFv2::WebACL'))[0]!;
    const rules = (acl.Properties as { Scope: string; Rules: { Name: string }[] }).Rules.map((r) => r.Name);
    expect(rules).toEqual(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList', 'PerIpRateLimit']);
    // Behind CloudFront the source address is the edge's: the limit counts the viewer's forwarded address.
    const rate = (acl.Properties as { Rules: { Name: string; Statement: { RateBasedStatement?: unknown } }[] }).Rules.find((r) => r.Name === 'PerIpRateLimit');
    expect(rate?.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' } });
    const [association] = Object.values(template.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(JSON.stringify(association!.Properties)).toContain(aclId);
    expect(JSON.stringify(association!.Properties)).toContain(logicalId(built.console.api.restApi));
  });
});
