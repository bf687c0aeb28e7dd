import type { Node } from 'constructs';
import type { WorkflowCanary } from './constructs/live-alias.js';

/** Deployment configuration, read from CDK context (`cdk.json` "context" or `-c key=value`). */
export interface AppConfig {
  /** Sender address of every notification (must be a verified SES identity). */
  readonly mailFrom: string;
  /** Branch id → branch manager e-mail(s); `"*"` is the default for branches not listed. */
  readonly branchManagerEmails: Readonly<Record<string, string | readonly string[]>>;
  /** Compliance team addresses. */
  readonly complianceEmails: readonly string[];
  /** Name of the rule set new policies start under unless the request names one. */
  readonly ruleSet: string;
  /** Local time (HH:mm, Asia/Shanghai) at which the monthly settlement runs on the 20th. */
  readonly settlementLocalTime: { readonly hour: number; readonly minute: number };
  /** Prefix of the per-role IAM role names: `<prefix>-<role>`. */
  readonly iamRolePrefix: string;
  /** Addresses that receive alarm notifications (none: alarms only change state). */
  readonly alarmEmails: readonly string[];
  /** Object Lock default retention of the audit archive, in days (COMPLIANCE mode; default ten years). */
  readonly archiveRetentionDays: number;
  /** Steady-state API throttling: requests per second and burst. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  /** A weighted canary of the workflow versions this deploy publishes (none: 100 % new). */
  readonly workflowCanary?: WorkflowCanary;
}

export const DEFAULT_CONFIG: AppConfig = {
  mailFrom: 'policy-qc@example.com',
  branchManagerEmails: { '*': 'branch-managers@example.com' },
  complianceEmails: ['compliance@example.com'],
  ruleSet: 'default',
  settlementLocalTime: { hour: 9, minute: 0 },
  iamRolePrefix: 'policy-qc',
  alarmEmails: [],
  archiveRetentionDays: 3653,
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
};

/** Reads the configuration from context, failing synth loudly on a malformed value. */
export function readConfig(node: Node): AppConfig {
  const get = (key: string): unknown => node.tryGetContext(key);
  const d = DEFAULT_CONFIG;
  return {
    mailFrom: emailOr(get('mailFrom'), 'mailFrom', d.mailFrom),
    branchManagerEmails: branchEmails(get('branchManagerEmails'), d.branchManagerEmails),
    complianceEmails: emailList(get('complianceEmails'), 'complianceEmails', d.complianceEmails),
    ruleSet: stringOr(get('ruleSet'), 'ruleSet', d.ruleSet),
    settlementLocalTime: localTime(get('settlementLocalTime'), d.settlementLocalTime),
    iamRolePrefix: rolePrefix(get('iamRolePrefix'), d.iamRolePrefix),
    alarmEmails: emailList(get('alarmEmails'), 'alarmEmails', d.alarmEmails),
    archiveRetentionDays: positiveInt(get('archiveRetentionDays'), 'archiveRetentionDays', d.archiveRetentionDays),
    apiThrottle: {
      rateLimit: positiveInt(get('apiRateLimit'), 'apiRateLimit', d.apiThrottle.rateLimit),
      burstLimit: positiveInt(get('apiBurstLimit'), 'apiBurstLimit', d.apiThrottle.burstLimit),
    },
    ...optional('workflowCanary', workflowCanary(get('workflowCanary'))),
  };
}

/** `{ key: value }`, or nothing when the value is absent (the config then equals its default). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function fail(key: string, expected: string, value: unknown): never {
  throw new Error(`CDK context "${key}": expected ${expected}, got ${JSON.stringify(value)}`);
}

/** Context passed with `-c` arrives as a string; JSON values are parsed. */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

function stringOr(value: unknown, key: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') fail(key, 'a non-empty string', value);
  return value;
}

function emailOr(value: unknown, key: string, fallback: string): string {
  const s = stringOr(value, key, fallback);
  if (!EMAIL.test(s)) fail(key, 'an e-mail address', value);
  return s;
}

function emailList(value: unknown, key: string, fallback: readonly string[]): readonly string[] {
  const v = parsed(value);
  if (v === undefined) return fallback;
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(list) || !list.every((e): e is string => typeof e === 'string' && EMAIL.test(e))) {
    fail(key, 'a list of e-mail addresses', value);
  }
  return list;
}

function branchEmails(value: unknown, fallback: AppConfig['branchManagerEmails']): AppConfig['branchManagerEmails'] {
  const v = parsed(value);
  if (v === undefined) return fallback;
  const ok =
    typeof v === 'object' && v !== null && !Array.isArray(v) &&
    Object.values(v).every((e) => [e].flat().every((a) => typeof a === 'string' && EMAIL.test(a))) && '*' in v;
  if (!ok) fail('branchManagerEmails', 'an object branchId → e-mail with a "*" default', value);
  return v as AppConfig['branchManagerEmails'];
}

function localTime(value: unknown, fallback: AppConfig['settlementLocalTime']): AppConfig['settlementLocalTime'] {
  if (value === undefined) return fallback;
  const m = typeof value === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (!m) fail('settlementLocalTime', '"HH:mm"', value);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

function rolePrefix(value: unknown, fallback: string): string {
  const s = stringOr(value, 'iamRolePrefix', fallback);
  // The longest role name is `<prefix>-compliance`; IAM allows 64 characters.
  if (!/^[A-Za-z0-9+=,.@_-]{1,50}$/.test(s)) fail('iamRolePrefix', '1–50 IAM name characters', value);
  return s;
}

function positiveInt(value: unknown, key: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) fail(key, 'a positive integer', value);
  return n;
}

/** `{"percent": 10, "previousVersions": {"policy-lifecycle": 7}}`: at least one machine, whole percent 0–100. */
function workflowCanary(value: unknown): WorkflowCanary | undefined {
  const v = parsed(value);
  if (v === undefined) return undefined;
  const expected = 'an object {"percent": 0–100, "previousVersions": {"<workflow file>": <version number>, …}} naming at least one version';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('workflowCanary', expected, value);
  const { percent, previousVersions } = v as Record<string, unknown>;
  if (typeof percent !== 'number' || !Number.isInteger(percent) || percent < 0 || percent > 100) fail('workflowCanary', expected, value);
  if (typeof previousVersions !== 'object' || previousVersions === null || Array.isArray(previousVersions)) fail('workflowCanary', expected, value);
  const versions = Object.entries(previousVersions);
  if (versions.length === 0 || !versions.every(([, n]) => typeof n === 'number' && Number.isInteger(n) && n > 0)) fail('workflowCanary', expected, value);
  return { percent, previousVersions: Object.fromEntries(versions) as Record<string, number> };
}
