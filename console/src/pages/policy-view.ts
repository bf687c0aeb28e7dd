/** The parts of the policy view (docs/api.md, Policy view) the console reads. */
export interface PolicyView {
  policyId: string; productCode: string; branchId: string; agentId: string; printedAt: string; timeZone: string; stage: string;
  policyholder: { name: string; phone: string; address?: string };
  callback: {
    status: string; outcome?: string;
    rounds: { round: number; status: string; openedAt: string; deadline: string; endReason?: string; nextAttemptNotBefore?: string; notBefore: string;
      attempts: { attemptId: string; calledAt: string; reached: boolean; reason?: string; findings?: { proxySignature: boolean; misleading: boolean }; operatorId: string }[] }[];
    contactWindow?: { openedAt: string; closesAt: string; outcome?: string; respondedAt?: string };
    manualVisit?: { orderedAt: string; dueBy: string; outcome?: string; visitedAt?: string };
    review?: { openedAt: string; dueBy: string; decision?: string; decidedAt?: string };
  };
  specialRequests: { requestId: string; type: string; reason: string; filedAt: string; status: string; decidedAt?: string; note?: string }[];
  receipt: { status: string; returnedAt?: string; late: boolean; givenUp: boolean };
  commission: { amount: string; status: string; deductions: { code: string; amount: string }[]; net: string; settlement?: { month: string; decision: string; net: string } };
  ruleSet: { name: string; version: number };
}
