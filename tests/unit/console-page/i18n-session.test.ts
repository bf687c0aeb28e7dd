// The browser code under test: type-checked with console/tsconfig.json (DOM types), not the root one.
import { describe, expect, it } from 'vitest';
import { code, KEYS_FOR_TEST, t } from '../../../console/src/i18n.js';
import { pkceChallenge } from '../../../console/src/cognito.js';
import { localIdentity, tokenIdentity } from '../../../console/src/session.js';
import { monthsUpTo } from '../../../console/src/pages/manager.js';

describe('console texts', () => {
  it('has every text in both languages', () => {
    expect([...KEYS_FOR_TEST.en].sort()).toEqual([...KEYS_FOR_TEST.zh].sort());
  });

  it('speaks Chinese by default, and shows an unknown code as itself', () => {
    expect(t('queue')).toBe('待拨打队列');
    expect(code('COMPLIANCE_REVIEW')).toBe('合规复核');
    expect(code('SOME_NEW_CODE')).toBe('SOME_NEW_CODE');
  });
});

describe('local sign-in', () => {
  it('turns ?as=<role>:<subject> into the local bearer credential', () => {
    expect(localIdentity('agent:A1001')).toEqual({ role: 'agent', subject: 'A1001', authorization: 'Bearer local:agent:A1001' });
    expect(localIdentity('auditor')).toEqual({ role: 'auditor', authorization: 'Bearer local:auditor' });
  });

  it('refuses what is not a role and an ID', () => {
    for (const bad of ['', 'Agent:A1', 'agent:A 1', 'agent:', 'agent:a:b', `agent:${'x'.repeat(65)}`]) expect(localIdentity(bad), bad).toBeUndefined();
  });
});

describe('manager charts', () => {
  it('counts months back in Shanghai time', () => {
    // 2026-03-31 17:00Z is already 1 April in Shanghai.
    expect(monthsUpTo(new Date('2026-03-31T17:00:00Z'), 3)).toEqual(['2026-02', '2026-03', '2026-04']);
    expect(monthsUpTo(new Date('2026-01-15T00:00:00Z'), 2)).toEqual(['2025-12', '2026-01']);
  });
});

describe('Cognito sign-in', () => {
  it('computes the PKCE S256 challenge of RFC 7636 appendix B', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('reads the role from the groups and the subject from the ID token, and sends the token', () => {
    const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '');
    const token = `${part({ alg: 'RS256' })}.${part({ 'cognito:groups': ['branch'], 'custom:subject': 'BC1', sub: 'x' })}.sig`;
    expect(tokenIdentity(token)).toEqual({ role: 'branch', subject: 'BC1', authorization: `Bearer ${token}` });
    expect(tokenIdentity('not-a-token')).toBeUndefined();
  });
});
