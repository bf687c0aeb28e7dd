import { ruleSetByVersion } from '../../domain/rule-set.js';
import { type CommissionFacts, decideSettlement, type SettlementDecision } from '../../domain/settlement-decision.js';
import { projectionOf, unpaidCommissionOf } from '../../lifecycle/projection.js';
import type { SettlementLine, UnpaidCommission } from '../../ports/settlement-store.js';
import type { Dependencies } from '../dependencies.js';
import { NotFoundError } from '../errors.js';
import { type FinalSettlement, recordSettlements } from './record-settlements.js';

export interface PageResult {
  readonly month: string;
  readonly shard: number;
  /** Where the shard's next page starts; "" once done. */
  readonly cursor: string;
  readonly done: boolean;
}

export function lineOf(month: string, facts: CommissionFacts, d: SettlementDecision): SettlementLine {
  return {
    month,
    policyId: facts.policyId,
    agentId: facts.agentId,
    branchId: facts.branchId,
    decision: d.decision,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.reasons ? { reasons: d.reasons } : {}),
    gross: d.gross.toString(),
    deductions: d.deductions.map((x) => ({ code: x.code, amount: x.amount.toString() })),
    net: d.net.toString(),
    final: d.final,
  };
}

/**
 * The page's commissions as their logs stand: a view behind its log (a crash between an append
 * and its projection) is healed from the log first, so no decision is taken on facts the log
 * has moved past. One existence read per page proves the others current.
 */
async function currentCommissions(deps: Dependencies, items: readonly UnpaidCommission[]): Promise<UnpaidCommission[]> {
  const behind = await deps.repository.logsAhead(items.map((c) => ({ policyId: c.policyId, version: c.head.version })));
  if (behind.size === 0) return [...items];
  const healed = new Map<string, UnpaidCommission | undefined>();
  for (const policyId of behind) {
    const loaded = await deps.repository.load(policyId);
    if (!loaded) continue;
    await deps.repository.project(projectionOf(loaded.state));
    healed.set(policyId, unpaidCommissionOf(loaded.state));
  }
  return items.flatMap((c) => {
    if (!behind.has(c.policyId)) return [c];
    const fresh = healed.get(c.policyId);
    return fresh ? [fresh] : [];
  });
}

/** The shards of the unpaid set: the settlement machine settles them side by side. */
export function settlementShards(deps: Dependencies, month: string): { month: string; shards: number[] } {
  return { month, shards: Array.from({ length: deps.unpaid.shards }, (_, shard) => shard) };
}

/**
 * One page of one shard of a month's settlement (the state machine loops over each shard's pages).
 * Primary course: 1. read a page of the unpaid index; 2. decide each commission from its
 * facts as of the month's cutoff; 3. store the lines not stored yet (once per month and
 * policy: an earlier attempt's lines are kept as they are); 4. record every final line in its
 * policy's log. Pages hold at most `pageSize` commissions, so memory stays flat however many
 * are unpaid.
 */
export async function settlePage(deps: Dependencies, month: string, shard: number, cursor: string, pageSize: number): Promise<PageResult> {
  const run = await deps.settlements.getRun(month);
  if (!run) throw new NotFoundError(`no settlement run for ${month}: start it with POST /v1/settlements`);
  if (run.status === 'COMPLETED') return { month, shard, cursor: '', done: true };
  const page = await deps.unpaid.list(shard, cursor, pageSize);
  const decided: FinalSettlement[] = [];
  for (const commission of await currentCommissions(deps, page.items)) {
    const { facts } = commission;
    const decision = decideSettlement(facts, month, ruleSetByVersion(facts.ruleSet.name, facts.ruleSet.version));
    if (decision) decided.push({ commission, line: lineOf(month, facts, decision) });
  }
  // Only an earlier attempt can have stored lines that must be kept; a first attempt's page
  // retried recomputes the very same lines from the same facts, so it skips the read.
  const stored = run.attempt > 1 ? await deps.settlements.findLines(month, decided.map((d) => d.line)) : new Map<string, SettlementLine>();
  await deps.settlements.putLines(decided.filter((d) => !stored.has(d.commission.policyId)).map((d) => d.line));
  const finals: FinalSettlement[] = [];
  for (const d of decided) {
    const earlier = stored.get(d.commission.policyId);
    // A cancellation that arrived after an earlier attempt paid the line on paper: never paid.
    const neverPaid = earlier?.decision === 'PAY' && d.line.decision === 'FORFEIT' && d.line.reason === 'CANCELLED';
    if (neverPaid) await deps.settlements.putLines([d.line]);
    const line = earlier && !neverPaid ? earlier : d.line;
    if (line.final) finals.push({ commission: d.commission, line });
  }
  await recordSettlements(deps, finals);
  return { month, shard, cursor: page.cursor ?? '', done: page.cursor === undefined };
}
