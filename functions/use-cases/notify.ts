import { DateTime } from 'luxon';
import { customerDataAccess, EMAIL_READER, shownName, shownPhone } from '../domain/customer-privacy.js';
import type { PolicyState } from '../lifecycle/policy-state.js';
import type { TemplateName } from '../ports/notifier.js';
import type { Dependencies } from './dependencies.js';

export type Audience = 'agent' | 'branchManager' | 'compliance';

function recipients(deps: Dependencies, state: PolicyState, audience: readonly Audience[]): string[] {
  const to = new Set<string>();
  for (const who of audience) {
    if (who === 'agent') {
      // No agent e-mail on file: the branch manager is told instead, so the notice is not lost.
      const addresses = state.policy.agent.email ? [state.policy.agent.email] : deps.recipients.branchManagers(state.policy.branchId);
      addresses.forEach((a) => to.add(a));
    }
    if (who === 'branchManager') deps.recipients.branchManagers(state.policy.branchId).forEach((a) => to.add(a));
    if (who === 'compliance') deps.recipients.compliance().forEach((a) => to.add(a));
  }
  return [...to];
}

export function localTime(iso: string, timeZone: string): string {
  return DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
}

/** Sends one templated e-mail about a policy; e-mail grants no customer data, so it is masked (domain/customer-privacy.ts). */
export async function notify(deps: Dependencies, state: PolicyState, template: TemplateName, audience: readonly Audience[], extra: Record<string, string> = {}): Promise<void> {
  const to = recipients(deps, state, audience);
  if (to.length === 0) return;
  const access = customerDataAccess(EMAIL_READER, {});
  await deps.notifier.send({
    to,
    template,
    data: {
      policyId: state.policy.policyId,
      branchId: state.policy.branchId,
      agentId: state.policy.agent.agentId,
      agentName: state.policy.agent.name,
      customerName: shownName(state.policy.policyholder.name, access),
      customerPhone: shownPhone(state.contact.phone, access),
      timeZone: state.policy.timeZone,
      ...extra,
    },
  });
}
