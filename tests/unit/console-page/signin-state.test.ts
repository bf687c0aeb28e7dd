// Pure parts of the console's sign-in: the acting role, the kept drafts, the call's body.
import { describe, expect, it } from 'vitest';
import { actingRole, rememberedRole, rememberRole } from '../../../console/src/acting-role.js';
import { attemptBody } from '../../../console/src/call-attempt.js';
import { keepDrafts, keptDrafts, withoutDrafts } from '../../../console/src/drafts.js';

/** A Storage stand-in: what the console writes, and nothing else. */
function memory(): Storage & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() { return data.size; },
    key: (i: number) => [...data.keys()][i] ?? null,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => { data.set(k, v); },
    removeItem: (k: string) => { data.delete(k); },
    clear: () => data.clear(),
  };
}

describe('the acting role', () => {
  it('is the only role of a person in one group, without asking', () => {
    expect(actingRole({ roles: ['auditor'] }, null)).toBe('auditor');
    expect(actingRole({ roles: ['auditor'] }, 'branch')).toBe('auditor');
  });

  it('is the remembered choice of a person in several groups while they still hold it; else they are asked', () => {
    const person = { roles: ['branch', 'compliance'] as const, subject: 'S1' };
    expect(actingRole(person, null)).toBeUndefined();
    expect(actingRole(person, 'compliance')).toBe('compliance');
    expect(actingRole(person, 'auditor')).toBeUndefined();
  });

  it('remembers the role name only', () => {
    const storage = memory();
    rememberRole('compliance', storage);
    expect([...storage.data]).toEqual([['console.actingRole', 'compliance']]);
    expect(rememberedRole(storage)).toBe('compliance');
  });
});

describe('drafts kept across a sign-in', () => {
  it('are kept per page, read back, and dropped once filled', () => {
    const storage = memory();
    keepDrafts(storage, '/', { 'call:P-1:1': { reached: 'on', 'confirmations.identity': 'YES' }, other: { a: 'b' } });
    expect(keptDrafts(storage, '/policies/P-1')).toEqual({});
    const kept = keptDrafts(storage, '/');
    expect(kept['call:P-1:1']).toEqual({ reached: 'on', 'confirmations.identity': 'YES' });
    keepDrafts(storage, '/', withoutDrafts(kept, ['call:P-1:1', 'other']));
    expect(storage.data.size).toBe(0);
  });

  it('reads a damaged entry as none', () => {
    const storage = memory();
    storage.setItem('console.drafts:/', '{not json');
    expect(keptDrafts(storage, '/')).toEqual({});
  });
});

describe('the call form\'s body', () => {
  const base = { attemptId: 'AT-1', round: 1, calledAt: '2026-03-12T02:00:00.000Z', operatorId: 'OP7' };

  it('a call not reached carries its reason only', () => {
    expect(attemptBody({ reason: 'NO_ANSWER', 'confirmations.identity': 'YES', recordingRef: 'r' }, base)).toEqual({ ...base, reached: false, reason: 'NO_ANSWER' });
  });

  it('a reached call carries the findings, the seven answers (unanswered = NOT_ASKED) and the recording', () => {
    const body = attemptBody({ reached: 'on', misleading: 'on', 'confirmations.identity': 'YES', 'confirmations.coolingOff': 'NO', recordingRef: 'rec/1', durationSeconds: '412' }, base);
    expect(body).toEqual({
      ...base, reached: true, findings: { proxySignature: false, misleading: true },
      confirmations: { identity: 'YES', purchasedAndSigned: 'NOT_ASKED', readAndUnderstood: 'NOT_ASKED', coverAndExclusions: 'NOT_ASKED', surrenderLoss: 'NOT_ASKED', coolingOff: 'NO', paymentTerms: 'NOT_ASKED' },
      recordingRef: 'rec/1', durationSeconds: 412,
    });
    expect(attemptBody({ reached: 'on', recordingRef: '', durationSeconds: '' }, base)).not.toHaveProperty('recordingRef');
    expect(attemptBody({ reached: 'on', durationSeconds: '0' }, base)).toMatchObject({ durationSeconds: 0 });
  });
});
