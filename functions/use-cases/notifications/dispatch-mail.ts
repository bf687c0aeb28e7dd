import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Audience, mailsOf, type RecordedFact } from '../../lifecycle/policy-mails.js';
import type { PolicyState } from '../../lifecycle/policy-state.js';
import type { Notification } from '../../ports/notifier.js';
import type { Dependencies } from '../dependencies.js';

export interface DispatchOptions {
  /**
   * How long a claim keeps others off (ms of wall time, not business time: a restarted local
   * system resumes at the same virtual instant). Longer than a send takes; a sender that died
   * holding it delays the resend by at most this much.
   */
  readonly leaseMs: number;
  /** How often a dispatcher finding another's live claim looks again. */
  readonly pollMs: number;
}

/** Above an SES call with the SDK's retries, below the workflow step's timeout. */
export const DEFAULT_LEASE_MS = 15_000;
const POLL_MS = 200;

/**
 * Sends a mail once: claim → send → mark sent. A mail already marked sent is skipped; one
 * claimed by a live sender is waited for (then skipped once sent, or taken over if the lease
 * runs out); a failed send gives the claim back and throws, so the step's retry sends. Only a
 * crash between SES accepting the mail and the mark can send it twice (never lose it).
 * Returns whether this call sent it.
 */
export async function dispatchMail(deps: Dependencies, mail: Notification, options: DispatchOptions = { leaseMs: deps.mailLeaseMs ?? DEFAULT_LEASE_MS, pollMs: POLL_MS }): Promise<boolean> {
  if (mail.to.length === 0) return false;
  const token = randomUUID();
  const giveUpAt = Date.now() + 2 * options.leaseMs;
  for (;;) {
    const now = Date.now();
    const outcome = await deps.mail.claim({ id: mail.id, token, now, leaseUntil: now + options.leaseMs, template: mail.template, to: mail.to });
    if (outcome.kind === 'sent') return false;
    if (outcome.kind === 'claimed') break;
    if (now > giveUpAt) throw new Error(`mail ${mail.id} is still claimed by another sender`);
    await sleep(Math.max(1, Math.min(options.pollMs, outcome.leaseUntil - now + 1)));
  }
  try {
    await deps.notifier.send(mail);
  } catch (error) {
    // Best effort: if this fails too, the lease runs out and the retry takes the claim over.
    await deps.mail.release(mail.id, token).catch(() => undefined);
    throw error;
  }
  await deps.mail.markSent(mail.id, deps.clock.now().toISOString());
  return true;
}

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

/** Sends the e-mails a recorded fact implies (once each, whoever calls: the step, its retry, a resumed execution). */
export async function dispatchFactMails(deps: Dependencies, fact: RecordedFact | undefined): Promise<void> {
  if (!fact) return;
  for (const mail of mailsOf(fact)) {
    await dispatchMail(deps, { id: mail.id, to: recipients(deps, fact.after, mail.audience), template: mail.template, data: mail.data });
  }
}
