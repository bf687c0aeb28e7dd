import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import {
  FAILURE_GROUPS,
  FAILURE_REASONS,
  FAILURE_REASON_GROUP,
  failureGroupOf,
  isFailureReason,
} from '../../../functions/domain/failure-reasons.js';

describe('failure reasons', () => {
  it('has the 21 docs/api.md codes, each in one of the five groups', () => {
    expect(FAILURE_REASONS).toHaveLength(21);
    expect(new Set(FAILURE_REASONS).size).toBe(21);
    expect(Object.keys(FAILURE_REASON_GROUP).sort()).toEqual([...FAILURE_REASONS].sort());
    for (const r of FAILURE_REASONS) expect(FAILURE_GROUPS).toContain(failureGroupOf(r));
  });

  it('groups as in docs/api.md', () => {
    const byGroup = (g: string) => FAILURE_REASONS.filter((r) => failureGroupOf(r) === g);
    expect(byGroup('TEMPORARY')).toEqual(['NO_ANSWER', 'NOT_PRESENT', 'HUNG_UP', 'CALL_REFUSED', 'BUSY', 'INCONVENIENT', 'POWERED_OFF']);
    expect(byGroup('NUMBER_PROBLEM')).toEqual([
      'NO_NUMBER', 'EMPTY_NUMBER', 'WRONG_NUMBER', 'AGENT_OR_BRANCH_PHONE', 'RECORDING', 'FAX', 'SUSPENDED', 'NUMBER_PAUSED',
    ]);
    expect(byGroup('SPECIAL')).toEqual(['SPECIAL_REASON', 'SURRENDERED', 'SPECIAL_POLICY']);
    expect(byGroup('REFUSED')).toEqual(['POLICYHOLDER_REFUSED', 'FAMILY_REFUSED']);
    expect(byGroup('OTHER')).toEqual(['OTHER']);
  });

  it('works as a zod enum and as a type guard', () => {
    const schema = z.enum(FAILURE_REASONS);
    expect(schema.parse('FAX')).toBe('FAX');
    expect(schema.safeParse('LOST').success).toBe(false);
    expect(isFailureReason('BUSY')).toBe(true);
    expect(isFailureReason('toString')).toBe(false);
  });
});
