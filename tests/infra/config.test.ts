import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, readConfig } from '../../infra/config.js';
import { cdkJsonContext } from './support.js';

const config = (context: Record<string, unknown>) => readConfig(new App({ context }).node);

describe('configuration from CDK context', () => {
  it('defaults sanely without context', () => {
    expect(config({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads cdk.json', () => {
    const c = config(cdkJsonContext());
    expect(c.settlementLocalTime).toEqual({ hour: 9, minute: 0 });
    expect(c.branchManagerEmails['*']).toMatch(/@/);
  });

  it('accepts -c strings (JSON objects, comma lists, HH:mm)', () => {
    const c = config({
      branchManagerEmails: '{"*":"a@x.cn","B01":["b@x.cn","c@x.cn"]}',
      complianceEmails: 'c1@x.cn, c2@x.cn',
      settlementLocalTime: '07:30',
      apiRateLimit: '20',
    });
    expect(c.branchManagerEmails).toEqual({ '*': 'a@x.cn', B01: ['b@x.cn', 'c@x.cn'] });
    expect(c.complianceEmails).toEqual(['c1@x.cn', 'c2@x.cn']);
    expect(c.settlementLocalTime).toEqual({ hour: 7, minute: 30 });
    expect(c.apiThrottle.rateLimit).toBe(20);
  });

  it('fails synth loudly on a malformed value', () => {
    expect(() => config({ settlementLocalTime: '9am' })).toThrow(/settlementLocalTime/);
    expect(() => config({ branchManagerEmails: { B01: 'a@x.cn' } })).toThrow(/"\*" default/);
    expect(() => config({ mailFrom: 'nobody' })).toThrow(/mailFrom/);
  });

  it('reads a workflow canary, and refuses one that names no version or a percent outside 0–100', () => {
    expect(config({}).workflowCanary).toBeUndefined();
    expect(config({ workflowCanary: '{"percent":10,"previousVersions":{"policy-lifecycle":7}}' }).workflowCanary)
      .toEqual({ percent: 10, previousVersions: { 'policy-lifecycle': 7 } });
    for (const bad of [{ percent: 10 }, { percent: 10, previousVersions: {} }, { percent: 101, previousVersions: { a: 1 } }, { percent: 10, previousVersions: { a: 0 } }, { percent: 2.5, previousVersions: { a: 1 } }, 'ten']) {
      expect(() => config({ workflowCanary: bad }), JSON.stringify(bad)).toThrow(/workflowCanary/);
    }
  });
});
