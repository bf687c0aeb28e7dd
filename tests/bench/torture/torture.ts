import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allZero, compareRuns, summaryLine, type Comparison } from './compare.js';
import { DEFAULT_WATCH, TortureDriver, type RunResult, type WatchOptions } from './driver.js';
import { workloadMismatches } from './outcomes.js';
import { buildSteps, planKills, planPolicies, TORTURE_CLOCK_START } from './workload.js';

export interface TortureOptions {
  readonly policies: number;
  readonly kills: number;
  readonly seed: number;
  /** Requests in flight at once in a burst (one policy's requests stay in order). */
  readonly concurrency?: number;
  /** Also SIGKILL dynalite's process (default), else only `npm start`'s. */
  readonly killDatabase?: boolean;
  readonly keepData?: boolean;
  readonly progress?: (line: string) => void;
  /** Call timeout, stall detection, cap and heartbeat of each run (DEFAULT_WATCH where not given). */
  readonly watch?: Partial<WatchOptions>;
  /** Every line the systems print, to this file (`--system-log`), at `logLevel` (`--log-level`). */
  readonly systemLog?: string;
  readonly logLevel?: string;
}

export interface TortureResult extends Comparison {
  readonly summary: string;
  readonly ok: boolean;
  readonly runs: readonly RunResult[];
  readonly seconds: number;
  /** Workload requests whose final status differs between the runs, the re-sent ones excepted (a replay may answer 200 where the first answer was 201). */
  readonly answersDiffering: string[];
  /** Policies of the uninterrupted run not where their path must end: the workload itself is wrong. */
  readonly workloadMismatches: string[];
  readonly dataDirs: readonly string[];
}

// Small settlement pages: a run takes many steps, so a kill can land in the middle of it.
const SYSTEM_ENV = { SETTLEMENT_PAGE_SIZE: '5' };

/**
 * Runs the workload twice on fresh data folders, uninterrupted then with `kills` SIGKILLs of
 * the whole local system, and compares what each run ended with. With kills = 0 the two
 * runs must agree exactly: the harness's own determinism check.
 */
export async function runTorture(options: TortureOptions): Promise<TortureResult> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const policies = planPolicies(options.policies, options.seed);
  const policyIds = policies.map((p) => p.policyId);
  const steps = buildSteps(policies);
  const plan = planKills(steps, options.kills, options.seed);
  const killsAt = new Map<number, number[]>();
  for (const kill of plan) killsAt.set(kill.step, [...(killsAt.get(kill.step) ?? []), kill.fraction]);
  const watch = { ...DEFAULT_WATCH, ...options.watch };
  // A timed-out call is re-sent in the killed run (as one cut by a kill); it ends the uninterrupted one, the yardstick.
  const driver = (label: string, dataDir: string, onCallTimeout: 'resend' | 'fail') => new TortureDriver({
    label, dataDir, clockStart: TORTURE_CLOCK_START, env: SYSTEM_ENV, concurrency: options.concurrency ?? 16, killDatabase: options.killDatabase ?? true, progress, onCallTimeout, watch,
    ...(options.systemLog ? { systemLog: options.systemLog } : {}), ...(options.logLevel ? { logLevel: options.logLevel } : {}),
  });

  const dataDirs = [await mkdtemp(join(tmpdir(), 'qc-torture-uninterrupted-')), await mkdtemp(join(tmpdir(), 'qc-torture-killed-'))];
  try {
    const reference = await driver('uninterrupted run', dataDirs[0]!, 'fail').run(steps, policyIds, new Map());
    if (reference.refused.length > 0) throw new Error(`the workload itself is wrong: the uninterrupted run refused ${reference.refused.length} request(s), e.g.\n${reference.refused.slice(0, 5).join('\n')}`);
    const mismatches = workloadMismatches(policies, reference.snapshot);
    const killed = await driver(options.kills > 0 ? 'killed run' : 'second uninterrupted run', dataDirs[1]!, 'resend').run(steps, policyIds, killsAt, reference.stepMs);
    const comparison = compareRuns(reference.snapshot, killed.snapshot, policyIds, { kills: killed.kills.length, serverErrors: reference.serverErrors.length + killed.serverErrors.length });
    const answersDiffering = [...reference.statuses]
      .filter(([key, status]) => !killed.resent.has(key) && killed.statuses.get(key) !== status)
      .map(([key, status]) => `${key}: ${status} → ${killed.statuses.get(key)}`);
    return {
      ...comparison,
      summary: summaryLine(comparison.counts),
      ok: allZero(comparison.counts) && mismatches.length === 0,
      runs: [reference, killed],
      seconds: (performance.now() - started) / 1000,
      answersDiffering,
      workloadMismatches: mismatches,
      dataDirs,
    };
  } finally {
    if (!options.keepData) for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
  }
}

/** A divergence's kind, so that the details show the first few of each. */
function kindOf(d: { where: string; field: string }): string {
  if (d.where === 'e-mails') return `e-mails ${d.field}`;
  if (d.where.startsWith('statement')) return 'statement lines';
  if (d.field.startsWith('history: changed')) return 'history facts changed (each counted lost + extra)';
  if (d.field.startsWith('history: ')) return d.field.replace(':', '');
  if (d.field.startsWith('verify')) return 'invalid chains';
  return d.field.startsWith('history[') ? 'history order, states or hashes' : 'views';
}

/** The lines a developer reads after the summary: the first divergences of each kind, and what the runs did. */
export function details(result: TortureResult, perKind: number): string[] {
  const [reference, killed] = result.runs;
  const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value).slice(0, 400));
  const lines: string[] = [];
  const kinds = new Map<string, typeof result.divergences>();
  for (const d of result.divergences) kinds.set(kindOf(d), [...(kinds.get(kindOf(d)) ?? []), d]);
  for (const [kind, list] of kinds) {
    lines.push(`${kind}: ${list.length}`);
    for (const d of list.slice(0, perKind)) lines.push(`  ${d.where} ${d.field}: expected ${show(d.expected)}, got ${show(d.got)}`);
    if (list.length > perKind) lines.push(`  … ${list.length - perKind} more`);
  }
  if (result.workloadMismatches.length > 0) lines.push(`WORKLOAD: ${result.workloadMismatches.length} policies of the uninterrupted run did not end where their path must`, ...result.workloadMismatches.slice(0, perKind).map((m) => `  ${m}`));
  if (killed) {
    const mid = killed.kills.filter((k) => k.midStep).length;
    lines.push(`kills: ${mid} in the middle of a step, ${killed.kills.length - mid} between steps; requests re-sent after a restart: ${killed.resent.size}; restart ${Math.round(killed.kills.reduce((a, k) => a + k.restartMs, 0) / Math.max(1, killed.kills.length))} ms on average`);
    for (const k of killed.kills) lines.push(`  kill ${k.midStep ? 'during' : 'after'} step ${k.step + 1} "${k.label}"`);
    if (killed.refused.length > 0) lines.push(`4xx answers in the killed run (a re-sent request may be refused legitimately): ${killed.refused.length}`, ...killed.refused.slice(0, perKind).map((r) => `  ${r}`));
  }
  for (const run of result.runs) for (const error of run.serverErrors.slice(0, perKind)) lines.push(`  5xx in the ${run.label}: ${error}`);
  for (const run of result.runs) {
    if (run.timedOut.length > 0) lines.push(`calls timed out in the ${run.label} (re-sent): ${run.timedOut.length}`, ...run.timedOut.slice(0, perKind).map((t) => `  ${t}`));
  }
  if (result.answersDiffering.length > 0) lines.push(`answers differing between the runs (requests answered at their first sending): ${result.answersDiffering.length}`, ...result.answersDiffering.slice(0, perKind).map((a) => `  ${a}`));
  lines.push(`hashes compared for ${result.counts.policies - result.hashesNotCompared} policies (${result.hashesNotCompared} carry server-made special-request ids, renamed before comparing)`);
  if (reference) lines.push(`e-mails: ${reference.snapshot.emails.length} in the uninterrupted run, ${killed?.snapshot.emails.length ?? 0} in the other`);
  return lines;
}
