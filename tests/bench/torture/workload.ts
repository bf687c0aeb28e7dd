import { SeededRandom } from './random.js';

/**
 * The torture workload: N policies through every path of docs/rules.md §3 plus the receipt
 * track and four monthly settlements, as a fixed list of steps on absolute virtual-clock
 * instants. Every id and body follows from the seed, so a re-sent request is the very same
 * request, and two runs driven by the same steps must end identically.
 */

export type Answers = ReadonlyMap<string, { readonly status: number; readonly body: unknown }>;

export interface Action {
  /** Stable across runs and restarts: answered actions are not sent again. */
  readonly key: string;
  readonly credential: string;
  readonly method: 'POST' | 'PUT';
  /** A function when the path needs an earlier answer (a special request's server-made id). */
  readonly path: string | ((answers: Answers) => string);
  readonly body: unknown;
}

export type Step =
  | { readonly kind: 'clock'; readonly label: string; readonly to: Date }
  | { readonly kind: 'burst'; readonly label: string; readonly sequences: readonly { readonly policyId: string; readonly actions: readonly Action[] }[] }
  | { readonly kind: 'settlement'; readonly label: string; readonly month: string };

export const PATHS = [
  'passFirst', 'retryThenPass', 'updateThenPass', 'confirmThenPass', 'windowThenPass',
  'visitSuccess', 'visitWrongPhone', 'visitFailure', 'visitLate',
  'findingsDismiss', 'findingsUphold', 'early', 'exempt', 'exemptRejected',
  'cancelWaiting', 'cancelFirst', 'cancelContact', 'cancelVisit', 'cancelReview',
] as const;
export type Path = (typeof PATHS)[number];

/** Shares beyond the one policy of each path every run has. */
const WEIGHTS: Record<Path, number> = {
  passFirst: 30, retryThenPass: 7, updateThenPass: 8, confirmThenPass: 4, windowThenPass: 7,
  visitSuccess: 5, visitWrongPhone: 5, visitFailure: 4, visitLate: 3,
  findingsDismiss: 4, findingsUphold: 4, early: 4, exempt: 4, exemptRejected: 3,
  cancelWaiting: 2, cancelFirst: 2, cancelContact: 2, cancelVisit: 1, cancelReview: 1,
};

/** When the signed receipt comes back: days after printing, or June (late: > 3 months after the effective date), or never. */
export const RECEIPTS = ['day10', 'day25', 'day45', 'late', 'never'] as const;
export type Receipt = (typeof RECEIPTS)[number];

export interface PlannedPolicy {
  readonly policyId: string;
  readonly path: Path;
  readonly receipt: Receipt;
  readonly agentId: string;
  readonly amount: string;
  readonly index: number;
}

const AGENTS = [
  { agentId: 'A1001', name: '王芳', phone: '13900000001', email: 'a1001@insurer.example', branchId: 'BR-SH' },
  { agentId: 'A2002', name: '李雷', phone: '13900000002', email: 'a2002@insurer.example', branchId: 'BR-SH' },
  // No e-mail on file: its notices go to the branch manager instead.
  { agentId: 'A3003', name: '赵敏', phone: '13900000003', branchId: 'BR-BJ' },
] as const;
const AMOUNTS = ['1200.00', '850.50', '2000.00', '99.99'];

/** 2026-03-02 10:30 Asia/Shanghai (a Monday). Work happens at half past ten so that nothing the
 * workload causes falls due at 09:00, when the 20th's settlement and the quarter's report run:
 * timers due at the same instant have no order, which would make the runs differ legitimately. */
export const TORTURE_CLOCK_START = new Date('2026-03-02T02:30:00Z');
const DAY = 86_400_000;
const day = (n: number, extraMs = 0) => new Date(TORTURE_CLOCK_START.getTime() + n * DAY + extraMs);
export const MONTHS = ['2026-03', '2026-04', '2026-05', '2026-06'] as const;

export function planPolicies(count: number, seed: number): PlannedPolicy[] {
  const random = new SeededRandom(seed);
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  const weighted = (): Path => {
    let r = random.next() * total;
    for (const path of PATHS) if ((r -= WEIGHTS[path]) < 0) return path;
    return 'passFirst';
  };
  const paths: Path[] = [...PATHS.slice(0, count)];
  while (paths.length < count) paths.push(weighted());
  random.shuffle(paths);
  let receiptsGiven = 0;
  return paths.map((path, index) => {
    const cancelled = path.startsWith('cancel');
    // The first five kept policies take each receipt outcome once, so a small run has them all.
    const receipt: Receipt = cancelled ? 'never' : receiptsGiven < RECEIPTS.length ? RECEIPTS[receiptsGiven++] as Receipt
      : random.pick(['day10', 'day10', 'day10', 'day25', 'day25', 'day45', 'late', 'late', 'never'] as const);
    return { policyId: `T${seed}-${String(index).padStart(4, '0')}`, path, receipt, agentId: AGENTS[index % AGENTS.length]!.agentId, amount: random.pick(AMOUNTS), index };
  });
}

/** Builds each policy's requests of a step; `n` numbers a policy's requests within the step. */
class StepBuilder {
  private readonly sequences = new Map<string, Action[]>();
  constructor(private readonly label: string, private readonly now: Date) {}

  private push(p: PlannedPolicy, credential: string, method: 'POST' | 'PUT', path: Action['path'], body: unknown): string {
    const list = this.sequences.get(p.policyId) ?? [];
    this.sequences.set(p.policyId, list);
    const key = `${p.policyId}@${this.label}#${list.length}`;
    list.push({ key, credential, method, path, body });
    return key;
  }

  register(p: PlannedPolicy): void {
    const agent = AGENTS[p.index % AGENTS.length]!;
    this.push(p, 'upstream', 'POST', '/v1/policies', {
      policyId: p.policyId, productCode: 'LIFE20', branchId: agent.branchId,
      printedAt: this.now.toISOString(), effectiveAt: '2026-03-02',
      agent: { agentId: agent.agentId, name: agent.name, phone: agent.phone, ...('email' in agent ? { email: agent.email } : {}) },
      policyholder: { name: '张三', phone: `138${String(10_000_000 + p.index).slice(-8)}` },
      commission: { amount: p.amount },
    });
  }

  call(p: PlannedPolicy, round: number, n: number, outcome: Record<string, unknown>): void {
    this.push(p, 'callcentre', 'POST', `/v1/policies/${p.policyId}/callback-attempts`, { attemptId: `${p.policyId}-r${round}-${n}`, round, calledAt: this.now.toISOString(), operatorId: 'OP1', ...outcome });
  }

  contact(p: PlannedPolicy, body: unknown): void {
    this.push(p, `agent:${p.agentId}`, 'PUT', `/v1/policies/${p.policyId}/contact`, body);
  }

  /** Files a special request and decides it with the id the filing answered. */
  specialRequest(p: PlannedPolicy, type: 'EARLY' | 'EXEMPT', approve: boolean): void {
    const filed = this.push(p, `agent:${p.agentId}`, 'POST', `/v1/policies/${p.policyId}/special-requests`,
      type === 'EARLY' ? { type, reason: 'customer abroad from next week' } : { type, reason: 'signed confirmation on file', signedConfirmationRef: `DOC-${p.index}` });
    this.push(p, 'branch', 'POST', (answers) => `/v1/special-requests/${(answers.get(filed)?.body as { requestId?: string } | undefined)?.requestId ?? 'unknown'}/decision`, { approve, note: approve ? 'approved' : 'not justified' });
  }

  visit(p: PlannedPolicy, success: boolean, phoneWrongOrOutOfUse: boolean): void {
    this.push(p, 'branch', 'POST', `/v1/policies/${p.policyId}/manual-visit`, { visitedAt: this.now.toISOString(), success, phoneWrongOrOutOfUse, visitorId: 'V1' });
  }

  review(p: PlannedPolicy, decision: 'DISMISS' | 'UPHOLD'): void {
    this.push(p, 'compliance', 'POST', `/v1/policies/${p.policyId}/review`, { decision, note: 'listened to the recording' });
  }

  receipt(p: PlannedPolicy): void {
    this.push(p, 'upstream', 'POST', `/v1/policies/${p.policyId}/receipt`, { returnedAt: this.now.toISOString() });
  }

  cancel(p: PlannedPolicy): void {
    this.push(p, 'upstream', 'POST', `/v1/policies/${p.policyId}/cancellation`, { cancelledAt: this.now.toISOString(), reason: 'surrendered in the cooling-off period' });
  }

  build(): Step {
    return { kind: 'burst', label: this.label, sequences: [...this.sequences].map(([policyId, actions]) => ({ policyId, actions })) };
  }
}

const VISITS: readonly Path[] = ['visitSuccess', 'visitWrongPhone', 'visitFailure', 'visitLate', 'cancelVisit'];
const FAIL_FIRST: readonly Path[] = ['updateThenPass', 'confirmThenPass', 'windowThenPass', 'cancelContact', ...VISITS];

/** The whole script: clock advances to absolute instants, bursts of requests, settlement runs. */
export function buildSteps(policies: readonly PlannedPolicy[]): Step[] {
  const steps: Step[] = [];
  const burst = (label: string, at: Date, fill: (b: StepBuilder, p: PlannedPolicy) => void) => {
    if (at > TORTURE_CLOCK_START) steps.push({ kind: 'clock', label: `clock → ${label}`, to: at });
    const builder = new StepBuilder(label, at);
    for (const p of policies) fill(builder, p);
    steps.push(builder.build());
  };
  const is = (p: PlannedPolicy, ...paths: readonly Path[]) => paths.includes(p.path);

  burst('day 0 registrations', day(0), (b, p) => {
    b.register(p);
    if (is(p, 'early')) b.specialRequest(p, 'EARLY', true);
  });
  burst('day 1 early calls', day(1), (b, p) => {
    if (is(p, 'early')) b.call(p, 1, 1, { reached: true });
    if (is(p, 'cancelWaiting')) b.cancel(p);
  });
  burst('day 10 first callbacks', day(10), (b, p) => {
    if (is(p, 'passFirst')) b.call(p, 1, 1, { reached: true });
    if (is(p, 'retryThenPass')) b.call(p, 1, 1, { reached: false, reason: 'NO_ANSWER' });
    if (is(p, ...FAIL_FIRST)) b.call(p, 1, 1, { reached: false, reason: p.index % 2 === 0 ? 'WRONG_NUMBER' : 'EMPTY_NUMBER' });
    if (is(p, 'findingsDismiss', 'findingsUphold', 'cancelReview')) b.call(p, 1, 1, { reached: true, findings: { proxySignature: p.index % 2 === 0, misleading: p.index % 2 === 1 } });
    if (is(p, 'exempt')) b.specialRequest(p, 'EXEMPT', true);
    if (is(p, 'exemptRejected')) {
      b.specialRequest(p, 'EXEMPT', false);
      b.call(p, 1, 1, { reached: true });
    }
    if (is(p, 'cancelFirst')) b.cancel(p);
    if (p.receipt === 'day10') b.receipt(p);
  });
  burst('day 10 16:30 second attempts', day(10, 6 * 3_600_000), (b, p) => {
    if (is(p, 'retryThenPass')) b.call(p, 1, 2, { reached: true });
  });
  burst('day 11 contact updates', day(11), (b, p) => {
    if (is(p, 'updateThenPass', ...VISITS)) b.contact(p, { phone: `137${String(10_000_000 + p.index).slice(-8)}` });
    if (is(p, 'confirmThenPass')) b.contact(p, { confirm: true });
    if (is(p, 'cancelContact', 'cancelReview')) b.cancel(p);
  });
  burst('day 12 second rounds and reviews', day(12), (b, p) => {
    if (is(p, 'updateThenPass', 'confirmThenPass')) b.call(p, 2, 1, { reached: true });
    if (is(p, ...VISITS)) b.call(p, 2, 1, { reached: false, reason: 'POLICYHOLDER_REFUSED' });
    if (is(p, 'findingsDismiss')) b.review(p, 'DISMISS');
    if (is(p, 'findingsUphold')) b.review(p, 'UPHOLD');
  });
  burst('day 15 manual visits', day(15), (b, p) => {
    if (is(p, 'visitSuccess')) b.visit(p, true, false);
    if (is(p, 'visitWrongPhone')) b.visit(p, true, true);
    if (is(p, 'visitFailure')) b.visit(p, false, false);
    if (is(p, 'cancelVisit')) b.cancel(p);
  });
  // 2026-03-20 08:00 Shanghai: March's cutoff has passed, its 09:00 run has not started.
  steps.push({ kind: 'clock', label: 'clock → March cutoff', to: new Date('2026-03-20T00:00:00Z') });
  steps.push({ kind: 'settlement', label: 'settlement 2026-03', month: '2026-03' });
  burst('day 21 second rounds after the window', day(21), (b, p) => {
    if (is(p, 'windowThenPass')) b.call(p, 2, 1, { reached: true });
  });
  burst('day 25 receipts', day(25), (b, p) => { if (p.receipt === 'day25') b.receipt(p); });
  burst('day 45 receipts', day(45), (b, p) => { if (p.receipt === 'day45') b.receipt(p); });
  // Crosses the quarter's report (April 1st) and April's settlement.
  burst('day 50 overdue visits', day(50), (b, p) => { if (is(p, 'visitLate')) b.visit(p, true, p.index % 2 === 0); });
  // Crosses May's settlement; June 5th is more than 3 calendar months after 2026-03-02: late, −20.
  burst('day 95 late receipts', day(95), (b, p) => { if (p.receipt === 'late') b.receipt(p); });
  // Crosses June's settlement, run by the clock at 09:00 on the 20th.
  steps.push({ kind: 'clock', label: 'clock → June 21 (June settlement on the 20th)', to: day(111) });
  steps.push({ kind: 'settlement', label: 'settlement 2026-06 again', month: '2026-06' });
  return steps.filter((s) => s.kind !== 'burst' || s.sequences.length > 0);
}

export interface KillPlan {
  readonly step: number;
  /** Where in the step, as a share of its duration in the uninterrupted run. */
  readonly fraction: number;
}

/**
 * K kills at seeded moments: first in March's settlement run, in the advance that runs June's,
 * in the registration burst, in the advances that fire the most timers at once (first rounds
 * on day 10, contact windows closing on day 20, reminders, April's settlement and the quarter's
 * report before day 50); then every other kill in a clock advance, the rest in any step.
 */
export function planKills(steps: readonly Step[], kills: number, seed: number): KillPlan[] {
  const random = new SeededRandom(seed ^ 0x5eed);
  const clockTo = (label: string) => steps.findIndex((s) => s.kind === 'clock' && s.label.includes(label));
  const forced = [
    steps.findIndex((s) => s.kind === 'settlement'),
    clockTo('June settlement'),
    steps.findIndex((s) => s.kind === 'burst'),
    clockTo('day 10 first callbacks'),
    clockTo('day 21'),
    clockTo('day 50'),
  ].filter((i) => i >= 0);
  const clocks = steps.flatMap((s, i) => (s.kind === 'clock' ? [i] : []));
  const plan: KillPlan[] = [];
  for (let i = 0; i < kills; i++) {
    const step = forced[i] ?? (i % 2 === 0 ? random.pick(clocks) : random.int(steps.length));
    plan.push({ step, fraction: 0.05 + 0.9 * random.next() });
  }
  return plan.sort((a, b) => a.step - b.step);
}
