import type { LocalApi } from '../support/local-api.js';
import { newPolicyId, registration } from '../support/policies.js';

/**
 * The memory benchmark's traffic: abuse (requests the API must refuse with a 4xx) and a
 * steady mix of valid registrations, policy reads and queue reads. Every run is bounded in
 * time and in count, and only talks to the local system on loopback.
 */
export interface RunStats {
  readonly sent: number;
  readonly seconds: number;
  /** Responses by status class, e.g. { '2xx': 900, '4xx': 3 }. */
  readonly statuses: Readonly<Record<string, number>>;
}

type Call = (api: LocalApi) => Promise<{ status: number }>;

/** Each request the API must refuse with a 4xx, never a 500 (bad input, routes, credentials). */
const ABUSE: readonly Call[] = [
  (api) => api.call('upstream', 'POST', '/v1/policies', undefined, '{"policyId": "P-1", "agent": {'),
  (api) => api.call('upstream', 'POST', '/v1/policies', { policyId: 42, commission: { amount: '12.345' }, printedAt: 'yesterday' }),
  (api) => api.call('upstream', 'POST', '/v1/policies', undefined, ''),
  (api) => api.call('upstream', 'POST', '/v1/policies', [1, 2, 3]),
  (api) => api.get('manager', `/v1/no-such-route/${newPolicyId('X')}`),
  (api) => api.call('upstream', 'DELETE', `/v1/policies/${newPolicyId('X')}`),
  (api) => api.call(undefined, 'GET', `/v1/policies/${newPolicyId('X')}`),
  (api) => api.get('nobody', `/v1/policies/${newPolicyId('X')}`),
  (api) => api.post('callcentre', '/v1/policies', registration(newPolicyId('X'), new Date())),
  (api) => api.get('manager', '/v1/policies/%E0%A4%A'),
  (api) => api.get('manager', `/v1/policies/${'x'.repeat(200)}`),
  (api) => api.get('auditor', '/v1/audit/events?from=not-a-date&limit=-5'),
  (api) => api.post('callcentre', `/v1/policies/${newPolicyId('X')}/callback-attempts`, { round: 3, reached: 'yes' }),
  (api) => api.put('agent:A1001', `/v1/policies/${newPolicyId('X')}/contact`, { phone: 'not a phone' }),
  (api) => api.call(undefined, 'POST', '/_local/clock', undefined, '{"advanceBy":'),
  (api) => api.get('manager', `/_local/${newPolicyId('nothing-')}`),
];
/** One body over the API's 1 MB limit in every this many abuse requests. */
const OVERSIZED_EVERY = 200;
const OVERSIZED = `{"policyId":"${'x'.repeat(1024 * 1024)}"}`;

/** As many refused requests as `concurrency` callers make in `seconds` (at most `maxRequests`). */
export async function abuse(api: LocalApi, seconds: number, concurrency: number, maxRequests: number): Promise<RunStats> {
  let sent = 0;
  const statuses: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      const n = sent++;
      const { status } = n % OVERSIZED_EVERY === OVERSIZED_EVERY - 1
        ? await api.call('upstream', 'POST', '/v1/policies', undefined, OVERSIZED)
        : await (ABUSE[n % ABUSE.length] as Call)(api);
      count(statuses, status);
      if (status < 400 || status >= 500) throw new Error(`abuse request ${n % ABUSE.length} answered ${status}: it must be refused with a 4xx`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { sent, seconds: (performance.now() - started) / 1000, statuses };
}

/** Valid traffic: a new policy, a read of one, or a work queue read. */
export class ValidMix {
  private readonly registered: string[] = [];
  private n = 0;

  constructor(private readonly api: LocalApi, private readonly printedAt: Date) {}

  next(): Promise<{ status: number }> {
    const n = this.n++;
    const known = this.registered.length > 0 ? this.registered[n % this.registered.length] : undefined;
    switch (n % 5) {
      case 0:
      case 3:
        return this.register();
      case 1:
        return known ? this.api.get('manager', `/v1/policies/${known}`) : this.register();
      case 2:
        return this.api.get('callcentre', '/v1/callbacks/due?limit=50');
      default:
        return n % 2 === 0 ? this.api.get('branch', '/v1/manual-visits/open') : this.api.get('compliance', '/v1/reviews/open');
    }
  }

  registeredCount(): number {
    return this.registered.length;
  }

  /** Cancels every policy registered so far, which ends its lifecycle. */
  cancelAll(rate: number, maxInFlight: number): Promise<RunStats> {
    const policies = this.registered.splice(0);
    const cancel = () => this.api.post('upstream', `/v1/policies/${policies.pop()}/cancellation`, { cancelledAt: this.printedAt.toISOString(), reason: 'surrendered' });
    return steadyLoad(cancel, rate, policies.length / rate, maxInFlight);
  }

  private async register(): Promise<{ status: number }> {
    const policyId = newPolicyId();
    const response = await this.api.post('upstream', '/v1/policies', registration(policyId, this.printedAt));
    if (response.status === 201) this.registered.push(policyId);
    return response;
  }
}

/** Open loop: `rate` requests a second for `seconds`, at most `maxInFlight` unanswered (then it waits). */
export async function steadyLoad(next: () => Promise<{ status: number }>, rate: number, seconds: number, maxInFlight: number): Promise<RunStats> {
  const total = Math.round(rate * seconds);
  const statuses: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let sent = 0; sent < total; sent++) {
    const due = started + (sent * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    const request: Promise<void> = next().then(
      ({ status }) => count(statuses, status),
      () => count(statuses, 0),
    ).finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return { sent: total, seconds: (performance.now() - started) / 1000, statuses };
}

function count(statuses: Record<string, number>, status: number): void {
  const key = status === 0 ? 'failed' : `${Math.floor(status / 100)}xx`;
  statuses[key] = (statuses[key] ?? 0) + 1;
}
