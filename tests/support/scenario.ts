import { expect } from 'vitest';
import type { LocalApi } from './local-api.js';
import { attempt, registration } from './policies.js';

type View = {
  stage: string;
  callback: { status: string; outcome?: string; rounds: { round: number; status: string; endReason?: string }[] };
  commission: { amount: string; status: string; deductions: { code: string; amount: string }[]; net: string };
  receipt: { status: string; late: boolean };
  policyholder: { phone: string; name: string };
  falseContactFound: boolean;
};

/** Steps of docs/rules.md §3 driven through the HTTP API, asserting each landing stage. */
export class Scenario {
  constructor(readonly api: LocalApi, readonly policyId: string) {}

  async view(credential = 'auditor'): Promise<View> {
    const response = await this.api.get<View>(credential, `/v1/policies/${this.policyId}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async expectStage(stage: string): Promise<View> {
    const view = await this.view();
    expect(view.stage).toBe(stage);
    return view;
  }

  async register(overrides: Record<string, unknown> = {}): Promise<void> {
    const response = await this.api.post('upstream', '/v1/policies', registration(this.policyId, await this.api.now(), overrides));
    expect(response.status, response.text).toBe(201);
    await this.expectStage('WAITING_FIRST_CALLBACK');
  }

  async call(round: number, outcome: Parameters<typeof attempt>[2], expectedStatus = 200) {
    const response = await this.api.post<{ roundStatus: string; nextAttemptNotBefore?: string }>('callcentre', `/v1/policies/${this.policyId}/callback-attempts`, attempt(round, await this.api.now(), outcome));
    expect(response.status, response.text).toBe(expectedStatus);
    return response.body;
  }

  /** Registered and the first callback round open (day 10). */
  async toFirstCallback(overrides: Record<string, unknown> = {}): Promise<void> {
    await this.register(overrides);
    await this.api.advance('P10D');
    await this.expectStage('FIRST_CALLBACK');
  }

  /** First round failed at once on a wrong number: the contact-update window is open. */
  async toContactUpdate(): Promise<void> {
    await this.toFirstCallback();
    expect((await this.call(1, { reached: false, reason: 'WRONG_NUMBER' })).roundStatus).toBe('FAILED');
    await this.expectStage('CONTACT_UPDATE');
  }

  async toSecondCallback(): Promise<void> {
    await this.toContactUpdate();
    const response = await this.api.put(`agent:A1001`, `/v1/policies/${this.policyId}/contact`, { phone: '13787654321' });
    expect(response.status, response.text).toBe(200);
    await this.expectStage('SECOND_CALLBACK');
  }

  async toManualVisit(): Promise<void> {
    await this.toSecondCallback();
    expect((await this.call(2, { reached: false, reason: 'POLICYHOLDER_REFUSED' })).roundStatus).toBe('FAILED');
    const view = await this.expectStage('MANUAL_VISIT');
    expect(view.commission.status).toBe('HELD');
  }

  async toReview(): Promise<void> {
    await this.toFirstCallback();
    expect((await this.call(1, { reached: true, findings: { proxySignature: true, misleading: false } })).roundStatus).toBe('FINDINGS');
    const view = await this.expectStage('COMPLIANCE_REVIEW');
    expect(view.commission.status).toBe('HELD');
  }

  async returnReceipt(at?: Date): Promise<void> {
    const response = await this.api.post('upstream', `/v1/policies/${this.policyId}/receipt`, { returnedAt: (at ?? (await this.api.now())).toISOString() });
    expect(response.status, response.text).toBe(200);
  }
}
