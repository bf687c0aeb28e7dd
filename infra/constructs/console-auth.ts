import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery, CfnUserPoolGroup, OAuthScope, ClientAttributes, FeaturePlan, Mfa, StandardThreatProtectionMode, StringAttribute, UserPool, type UserPoolClient, type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES, type Role } from '../../functions/use-cases/caller.js';

/** People sign in; systems (`upstream`) keep IAM and have no group. */
export const PEOPLE_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'upstream');

/**
 * The OAuth scopes the console's app client allows, and so the ones the console asks for
 * (console-config.json): asking for one the client does not allow fails the sign-in. `openid`
 * alone already puts every attribute the client may read (`custom:subject`) in the ID token.
 */
export const CONSOLE_SCOPES = [OAuthScope.OPENID, OAuthScope.EMAIL] as const;

/** The custom attribute naming the person's staff directory subject (read as `custom:subject`). */
export const SUBJECT_ATTRIBUTE = 'subject';

export interface ConsoleAuthProps {
  /**
   * Keep the pool (its users) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Where the console is served (CloudFront), e.g. `https://d1.cloudfront.net`: the hosted UI
   * returns there after sign-in and sign-out. Cognito compares it character for character
   * with the console's `redirect_uri`, so the console reads it from console-config.json.
   */
  readonly consoleUrl?: string;
  /** The hosted UI's domain prefix (unique per region). */
  readonly domainPrefix?: string;
}

/**
 * Sign-in for people (docs/api.md, Staff and scope): an Amazon Cognito user pool whose groups
 * are the API roles and whose custom attribute `subject` is the person's staff directory
 * subject. Administrators create users (no self sign-up), put them in groups and set the
 * subject; the branch comes from the directory, never from the token. MFA is required, and
 * threat protection (Plus feature plan) blocks risky sign-ins.
 */
export class ConsoleAuth extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  /** The hosted UI's domain, when `domainPrefix` is given. */
  public readonly domain?: UserPoolDomain;
  /** The callback and sign-out URL of the app client (`consoleUrl`, exactly). */
  public readonly callbackUrl?: string;
  /** The group of each role that people hold. */
  public readonly groups: ReadonlyMap<Role, CfnUserPoolGroup>;

  constructor(scope: Construct, id: string, props: ConsoleAuthProps = {}) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { [SUBJECT_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, risky sign-ins) for accounts that can forfeit commissions.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    // The console may read the subject but never write it: only administrators assign it.
    this.client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes(SUBJECT_ATTRIBUTE),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
      // The console signs in through the hosted UI: authorization code with PKCE, no secret.
      ...(props.consoleUrl ? {
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: [...CONSOLE_SCOPES],
          callbackUrls: [props.consoleUrl],
          logoutUrls: [props.consoleUrl],
        },
      } : {}),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    if (props.consoleUrl) this.callbackUrl = props.consoleUrl;
    if (props.domainPrefix) this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    const groups = new Map<Role, CfnUserPoolGroup>();
    for (const role of PEOPLE_ROLES) {
      groups.set(role, new CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `Policy QC role "${role}" (docs/api.md): a member acts in this role`,
      }));
    }
    this.groups = groups;
  }
}
