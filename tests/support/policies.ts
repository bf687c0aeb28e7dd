import { randomUUID } from 'node:crypto';

/** 2026-03-02 09:00 in Shanghai: inside calling hours, a Monday. */
export const CLOCK_START = new Date('2026-03-02T01:00:00Z');

export const AGENT_ID = 'A1001';
export const AGENT_PHONE = '13900000001';
export const CUSTOMER_PHONE = '13812345678';

export function newPolicyId(prefix = 'P'): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}

export function registration(policyId: string, printedAt: Date, overrides: Record<string, unknown> = {}) {
  return {
    policyId,
    productCode: 'LIFE20',
    branchId: 'BR-SH',
    printedAt: printedAt.toISOString(),
    effectiveAt: printedAt.toISOString().slice(0, 10),
    agent: { agentId: AGENT_ID, name: '王芳', phone: AGENT_PHONE, email: 'a1001@insurer.example' },
    policyholder: { name: '张三', phone: CUSTOMER_PHONE },
    commission: { amount: '1200.00' },
    ...overrides,
  };
}

export function attempt(round: number, calledAt: Date, outcome: { reached: boolean; reason?: string; findings?: { proxySignature: boolean; misleading: boolean } }) {
  return { attemptId: `AT-${randomUUID().slice(0, 16)}`, round, calledAt: calledAt.toISOString(), operatorId: 'OP7', ...outcome };
}
