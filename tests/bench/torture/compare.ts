import type { HistoryEvent, Snapshot } from './snapshot.js';

/** The counts of the summary line; all zero when the killed run ended as the uninterrupted one. */
export interface Counts {
  policies: number;
  kills: number;
  divergedViews: number;
  lostFacts: number;
  extraFacts: number;
  statementLinesDiffering: number;
  mailsLost: number;
  mailsDoubled: number;
  invalidChains: number;
  serverErrors: number;
}

export interface Divergence {
  readonly where: string;
  readonly field: string;
  readonly expected: unknown;
  readonly got: unknown;
}

export interface Comparison {
  readonly counts: Counts;
  readonly divergences: Divergence[];
  /** Policies whose hashes were not compared: their events carry ids the server makes at random. */
  readonly hashesNotCompared: number;
}

/** JSON with sorted keys: equal values give equal text whatever the key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

// A special request's id is made by the server at random (`SR-<uuid>`): each run has its own.
const REQUEST_ID = /SR-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Replaces each server-made request id by its order of first appearance in `context`'s text. */
function requestIdNames(context: unknown): Map<string, string> {
  const names = new Map<string, string>();
  for (const id of JSON.stringify(context).match(REQUEST_ID) ?? []) if (!names.has(id)) names.set(id, `SR#${names.size + 1}`);
  return names;
}

function renamed<T>(value: T, names: ReadonlyMap<string, string>): T {
  if (names.size === 0) return value;
  return JSON.parse(JSON.stringify(value).replace(REQUEST_ID, (id) => names.get(id) ?? 'SR#?')) as T;
}

/** A 200's body as it is; any other answer with its status, so that it differs from every view. */
const readBody = (read: { status: number; body: unknown } | undefined) => (read?.status === 200 ? read.body : { httpStatus: read?.status, body: read?.body });

/** Every leaf where `expected` and `got` differ, as dotted paths. */
export function differences(expected: unknown, got: unknown, path = ''): { field: string; expected: unknown; got: unknown }[] {
  if (canonical(expected) === canonical(got)) return [];
  const bothObjects = expected && got && typeof expected === 'object' && typeof got === 'object' && Array.isArray(expected) === Array.isArray(got);
  if (!bothObjects) return [{ field: path || '(whole)', expected, got }];
  const keys = new Set([...Object.keys(expected), ...Object.keys(got)]);
  return [...keys].flatMap((key) => differences((expected as Record<string, unknown>)[key], (got as Record<string, unknown>)[key], path ? `${path}.${key}` : key));
}

/**
 * A lost fact and an extra one of the same type in one policy are most likely one fact
 * recorded differently (another instant, other data): shown as its changed fields, still
 * counted as one lost and one extra.
 */
function factDivergences(id: string, lost: readonly string[], extra: readonly string[]): Divergence[] {
  const out: Divergence[] = [];
  const unpaired = extra.map((item) => JSON.parse(item) as { type: string });
  for (const item of lost) {
    const expected = JSON.parse(item) as { type: string };
    const match = unpaired.findIndex((e) => e.type === expected.type);
    if (match < 0) {
      out.push({ where: id, field: 'history: lost fact', expected, got: undefined });
      continue;
    }
    const [got] = unpaired.splice(match, 1);
    for (const d of differences(expected, got)) out.push({ where: id, field: `history: changed fact ${expected.type}.${d.field}`, expected: d.expected, got: d.got });
  }
  for (const got of unpaired) out.push({ where: id, field: 'history: extra fact', expected: undefined, got });
  return out;
}

/** Counts of each canonical text in `items`. */
function tally(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** How many of `expected`'s items `got` lacks, and how many it has beyond them. */
function multisetDiff(expected: readonly string[], got: readonly string[]): { lost: string[]; extra: string[] } {
  const want = tally(expected);
  const have = tally(got);
  const lost: string[] = [];
  const extra: string[] = [];
  for (const [item, n] of want) for (let i = have.get(item) ?? 0; i < n; i++) lost.push(item);
  for (const [item, n] of have) for (let i = want.get(item) ?? 0; i < n; i++) extra.push(item);
  return { lost, extra };
}

const fact = (e: HistoryEvent) => canonical({ type: e.type, at: e.at, actor: e.actor, data: e.data });

/**
 * Compares the killed run's snapshot to the uninterrupted one's: views, each history's business
 * events, statements, e-mails; and counts invalid chains and 5xx answers of both runs.
 */
export function compareRuns(reference: Snapshot, killed: Snapshot, policyIds: readonly string[], extra: { kills: number; serverErrors: number }): Comparison {
  const divergences: Divergence[] = [];
  const counts: Counts = { policies: policyIds.length, kills: extra.kills, divergedViews: 0, lostFacts: 0, extraFacts: 0, statementLinesDiffering: 0, mailsLost: 0, mailsDoubled: 0, invalidChains: 0, serverErrors: extra.serverErrors };
  let hashesNotCompared = 0;

  for (const id of policyIds) {
    const names = { expected: requestIdNames(reference.histories[id]), got: requestIdNames(killed.histories[id]) };
    const view = { expected: renamed(readBody(reference.views[id]), names.expected), got: renamed(readBody(killed.views[id]), names.got) };
    const viewDiffs = differences(view.expected, view.got);
    const expectedEvents = renamed(reference.histories[id]?.body ?? [], names.expected);
    const gotEvents = renamed(killed.histories[id]?.body ?? [], names.got);
    const { lost, extra: extraFacts } = multisetDiff(expectedEvents.map(fact), gotEvents.map(fact));
    counts.lostFacts += lost.length;
    counts.extraFacts += extraFacts.length;
    divergences.push(...factDivergences(id, lost, extraFacts));
    // Same facts: then also the same order, the same state before/after, and the same hashes.
    const randomIds = names.expected.size > 0 || names.got.size > 0;
    if (randomIds) hashesNotCompared++;
    const historyDiffs = lost.length + extraFacts.length > 0 ? [] : differences(
      expectedEvents.map((e) => ({ seq: e.seq, fact: fact(e), before: e.before, after: e.after, ...(randomIds ? {} : { prevHash: e.prevHash, hash: e.hash }) })),
      gotEvents.map((e) => ({ seq: e.seq, fact: fact(e), before: e.before, after: e.after, ...(randomIds ? {} : { prevHash: e.prevHash, hash: e.hash }) })),
    ).map((d) => ({ ...d, field: `history[${d.field}]` }));
    if (viewDiffs.length + historyDiffs.length > 0) counts.divergedViews++;
    for (const d of [...viewDiffs, ...historyDiffs]) divergences.push({ where: id, ...d });
  }

  for (const [label, snapshot] of [['uninterrupted', reference], ['killed', killed]] as const) {
    for (const id of policyIds) {
      const verification = snapshot.verifications[id];
      if (verification?.status === 200 && verification.body.valid && verification.body.workflowSteps?.valid !== false) continue;
      counts.invalidChains++;
      divergences.push({ where: id, field: `verify (${label} run)`, expected: { valid: true }, got: verification?.body });
    }
  }

  for (const month of Object.keys(reference.statements)) {
    const lines = compareStatements(reference.statements[month], killed.statements[month]);
    counts.statementLinesDiffering += lines.length;
    for (const d of lines) divergences.push({ where: `statement ${month}`, ...d });
  }

  const mailKey = (m: Snapshot['emails'][number]) => canonical(renamed({ to: m.to, subject: m.subject, text: m.text, html: m.html, sentAt: m.sentAt }, requestIdNames(m)));
  const mails = multisetDiff(reference.emails.map(mailKey), killed.emails.map(mailKey));
  counts.mailsLost = mails.lost.length;
  counts.mailsDoubled = mails.extra.length;
  for (const item of mails.lost) divergences.push({ where: 'e-mails', field: 'lost', expected: brief(item), got: undefined });
  for (const item of mails.extra) divergences.push({ where: 'e-mails', field: 'doubled', expected: undefined, got: brief(item) });

  return { counts, divergences, hashesNotCompared };
}

function brief(mailText: string): unknown {
  const { to, subject, sentAt } = JSON.parse(mailText) as { to: string[]; subject: string; sentAt: string };
  return { to, subject, sentAt };
}

type Statement = { status?: string; attempt?: number; agents?: { agentId: string; lines: { policyId: string }[]; totalNet: string }[]; [key: string]: unknown };

/** One entry per statement line (agent and policy) differing, lost or extra, per agent total and for the header and totals. */
function compareStatements(expectedRead: { status: number; body: unknown } | undefined, gotRead: { status: number; body: unknown } | undefined): { field: string; expected: unknown; got: unknown }[] {
  const out: { field: string; expected: unknown; got: unknown }[] = [];
  const lines = (read: typeof expectedRead) => {
    const body = (read?.status === 200 ? read.body : {}) as Statement;
    const map = new Map<string, unknown>();
    for (const agent of body.agents ?? []) {
      map.set(`${agent.agentId} total`, agent.totalNet);
      for (const line of agent.lines) map.set(`${agent.agentId}/${line.policyId}`, line);
    }
    // The attempt number legitimately differs: a run a crash interrupted resumes as the next attempt.
    const { agents: _agents, attempt: _attempt, ...header } = body;
    map.set('header and totals', { httpStatus: read?.status, ...header });
    return map;
  };
  const expected = lines(expectedRead);
  const got = lines(gotRead);
  for (const key of new Set([...expected.keys(), ...got.keys()])) {
    if (canonical(expected.get(key)) !== canonical(got.get(key))) out.push({ field: key, expected: expected.get(key), got: got.get(key) });
  }
  return out;
}

export function summaryLine(c: Counts): string {
  return `policies ${c.policies}, kills ${c.kills}, diverged views ${c.divergedViews}, lost facts ${c.lostFacts}, extra facts ${c.extraFacts}, `
    + `statement lines differing ${c.statementLinesDiffering}, mails lost ${c.mailsLost}/doubled ${c.mailsDoubled}, invalid chains ${c.invalidChains}, 5xx ${c.serverErrors}`;
}

export function allZero(c: Counts): boolean {
  return c.divergedViews + c.lostFacts + c.extraFacts + c.statementLinesDiffering + c.mailsLost + c.mailsDoubled + c.invalidChains + c.serverErrors === 0;
}
