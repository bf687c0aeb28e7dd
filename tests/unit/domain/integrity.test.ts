import { describe, expect, it } from 'vitest';
import { integrityOf, integrityStatus, scoreOf, type IntegrityFact } from '../../../functions/domain/integrity.js';
import { DEFAULT_INTEGRITY_TABLE, integrityTableOf, resolveRuleSet, ruleSetSchema, type IntegrityTable } from '../../../functions/domain/rule-set.js';
import type { IntegrityCase } from '../../../functions/domain/integrity-cases.js';

const fact = (c: IntegrityCase, agentId: string, policyId: string, at: string, branchId = 'BR1'): IntegrityFact => ({ case: c, agentId, branchId, policyId, at });
const table = DEFAULT_INTEGRITY_TABLE;

describe('the integrity table (seeds 002 and 003)', () => {
  it('defaults to the seed values: 1 point for a receipt not returned or feedback not returned in time, 60 and twice in a row', () => {
    expect(integrityTableOf(resolveRuleSet())).toEqual({
      startScore: 100,
      pointsPerCase: { RECEIPT_NOT_RETURNED: 1, RECEIPT_RETURNED_LATE: 1, CONTACT_UPDATE_NOT_RETURNED: 1, PROXY_SIGNATURE_UPHELD: 10, MISLEADING_UPHELD: 10, FALSE_CONTACT: 5 },
      restrictedBelow: 60,
      dismissalAfterConsecutive: 2,
      period: 'QUARTER',
    });
    expect(integrityTableOf(resolveRuleSet('strict-72h'))).toEqual(table);
  });

  it('is validated data: halves allowed, finer fractions, negatives and a threshold above the start refused', () => {
    const withTable = (integrity: unknown) => ({ ...structuredClone(resolveRuleSet()), integrity });
    expect(ruleSetSchema.safeParse(withTable({ ...table, pointsPerCase: { ...table.pointsPerCase, FALSE_CONTACT: 0.5 } })).success).toBe(true);
    for (const bad of [0.25, -1]) {
      const parsed = ruleSetSchema.safeParse(withTable({ ...table, pointsPerCase: { ...table.pointsPerCase, FALSE_CONTACT: bad } }));
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual(['integrity', 'pointsPerCase', 'FALSE_CONTACT']);
    }
    const missing = ruleSetSchema.safeParse(withTable({ ...table, pointsPerCase: { RECEIPT_NOT_RETURNED: 1 } }));
    expect(missing.success).toBe(false);
    const above = ruleSetSchema.safeParse(withTable({ ...table, restrictedBelow: 101 }));
    expect(above.error?.issues.map((i) => i.path.join('.'))).toContain('integrity.restrictedBelow');
    // A rule set written before the table existed gets the default one.
    const { integrity: _omitted, ...older } = structuredClone(resolveRuleSet());
    expect(integrityTableOf(ruleSetSchema.parse(older))).toEqual(table);
  });
});

describe('integrityOf', () => {
  it('subtracts each case\'s points from 100, per agent, oldest case first', () => {
    const facts = [
      fact('FALSE_CONTACT', 'A2', 'P9', '2026-02-01T00:00:00Z', 'BR2'),
      fact('RECEIPT_NOT_RETURNED', 'A1', 'P2', '2026-03-01T00:00:00Z'),
      fact('PROXY_SIGNATURE_UPHELD', 'A1', 'P1', '2026-01-10T00:00:00Z'),
      fact('MISLEADING_UPHELD', 'A1', 'P1', '2026-01-10T00:00:00Z'),
      fact('CONTACT_UPDATE_NOT_RETURNED', 'A1', 'P3', '2026-02-10T00:00:00Z'),
    ];
    const [a1, a2] = integrityOf(facts, table);
    expect(a1).toEqual({
      agentId: 'A1', branchId: 'BR1', totalPoints: 22, score: 78,
      points: [
        { case: 'PROXY_SIGNATURE_UPHELD', policyId: 'P1', at: '2026-01-10T00:00:00Z', points: 10 },
        { case: 'MISLEADING_UPHELD', policyId: 'P1', at: '2026-01-10T00:00:00Z', points: 10 },
        { case: 'CONTACT_UPDATE_NOT_RETURNED', policyId: 'P3', at: '2026-02-10T00:00:00Z', points: 1 },
        { case: 'RECEIPT_NOT_RETURNED', policyId: 'P2', at: '2026-03-01T00:00:00Z', points: 1 },
      ],
    });
    expect(a2).toMatchObject({ agentId: 'A2', branchId: 'BR2', totalPoints: 5, score: 95 });
    expect(integrityOf([], table)).toEqual([]);
  });

  it('keeps fractional points exact and never scores below 0', () => {
    const tenth: IntegrityTable = { ...table, pointsPerCase: { ...table.pointsPerCase, RECEIPT_RETURNED_LATE: 0.1, FALSE_CONTACT: 60 } };
    const late = [1, 2, 3].map((n) => fact('RECEIPT_RETURNED_LATE', 'A1', `P${n}`, `2026-01-0${n}T00:00:00Z`));
    expect(integrityOf(late, tenth)[0]).toMatchObject({ totalPoints: 0.3, score: 99.7 });
    const many = [1, 2].map((n) => fact('FALSE_CONTACT', 'A1', `P${n}`, `2026-01-0${n}T00:00:00Z`));
    expect(integrityOf(many, tenth)[0]).toMatchObject({ totalPoints: 120, score: 0 });
    expect(scoreOf(40.5, table)).toBe(59.5);
  });
});

describe('integrityStatus (003: below 60 restricted, twice in a row proposed for dismissal)', () => {
  it('judges the last period, looking back over consecutive periods', () => {
    expect(integrityStatus([100, 60], table)).toBe('OK');
    expect(integrityStatus([100, 59.5], table)).toBe('RESTRICTED');
    expect(integrityStatus([59, 59.5], table)).toBe('DISMISSAL_PROPOSED');
    expect(integrityStatus([59, 60], table)).toBe('OK');
    expect(integrityStatus([59], table)).toBe('RESTRICTED');
    expect(integrityStatus([], table)).toBe('OK');
  });

  it('follows the configured number of consecutive periods', () => {
    const three: IntegrityTable = { ...table, dismissalAfterConsecutive: 3 };
    expect(integrityStatus([50, 50], three)).toBe('RESTRICTED');
    expect(integrityStatus([100, 50, 50], three)).toBe('RESTRICTED');
    expect(integrityStatus([50, 50, 50], three)).toBe('DISMISSAL_PROPOSED');
    expect(integrityStatus([50], { ...table, dismissalAfterConsecutive: 1 })).toBe('DISMISSAL_PROPOSED');
  });
});
