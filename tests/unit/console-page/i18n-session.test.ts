// The browser code under test: type-checked with console/tsconfig.json (DOM types), not the root one.
import { describe, expect, it } from 'vitest';
import { code, KEYS_FOR_TEST, t } from '../../../console/src/i18n.js';
import { claimsPerson, localCredential, localPerson } from '../../../console/src/session.js';
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
  it('turns ?as=<role>[+<role>…]:<subject> into the person and the local bearer credential', () => {
    expect(localPerson('agent:A1001')).toEqual({ roles: ['agent'], subject: 'A1001' });
    expect(localPerson('auditor')).toEqual({ roles: ['auditor'] });
    expect(localPerson('branch+compliance:S1')).toEqual({ roles: ['branch', 'compliance'], subject: 'S1' });
    expect(localCredential({ roles: ['branch', 'compliance'], subject: 'S1' })).toBe('Bearer local:branch+compliance:S1');
    expect(localCredential({ roles: ['auditor'] })).toBe('Bearer local:auditor');
  });

  it('refuses what is not roles and an ID', () => {
    for (const bad of ['', 'Agent:A1', 'agent:A 1', 'agent:', 'agent:a:b', `agent:${'x'.repeat(65)}`, 'root:S1', 'branch+branch:S1', 'branch+:S1']) expect(localPerson(bad), bad).toBeUndefined();
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
  it('reads the roles from the ID token\'s groups and the subject from custom:subject', () => {
    expect(claimsPerson({ 'cognito:groups': ['branch', 'compliance', 'some-other-group'], 'custom:subject': 'BC1', sub: 'x' })).toEqual({ roles: ['branch', 'compliance'], subject: 'BC1' });
    expect(claimsPerson({ 'custom:subject': 'BC1' })).toBeUndefined();
  });
});
