import type { AuditedEvent } from '../audit/audited-event.js';
import { falseContactKindOf } from './false-contact.js';

export interface Ratio {
  readonly count: number;
  readonly of: number;
  /** count / of, 4 decimals; null when nothing was decided in the period. */
  readonly rate: number | null;
}

export interface AgentQuality {
  readonly agentId: string;
  readonly policiesRegistered: number;
  /** Round-1 callbacks that ended in the period, and how many passed. */
  readonly firstCallbackPass: Ratio;
  /** Callback tracks concluded in the period (pass, manual-visit release, forfeit), and how many passed. */
  readonly overallPass: Ratio;
  /** Receipts settled in the period (returned in time, late, never), and how many came back in time. */
  readonly receiptOnTime: Ratio;
  readonly lateReceipts: number;
  readonly receiptsNeverReturned: number;
  /** Commission holds: manual visits ordered and compliance reviews opened. */
  readonly holds: number;
  readonly forfeits: number;
  /** Proxy signature or misleading sale reported by a callback or a manual visit. */
  readonly findings: number;
  /** Policies on which false customer contact information was found. */
  readonly falseInformation: number;
}

interface Tally {
  registered: number;
  firstTotal: number;
  firstPassed: number;
  concluded: number;
  passed: number;
  onTime: number;
  late: number;
  never: number;
  holds: number;
  forfeits: number;
  findings: number;
  falseInformation: Set<string>;
}

const ratio = (count: number, of: number): Ratio => ({ count, of, rate: of === 0 ? null : Math.round((count / of) * 10_000) / 10_000 });

function tally(t: Tally, event: AuditedEvent): void {
  const data = event.data;
  switch (data.type) {
    case 'PolicyRegistered':
      t.registered++;
      break;
    case 'CallbackAttemptRecorded':
      if (data.roundStatus !== 'OPEN' && data.attempt.round === 1) {
        t.firstTotal++;
        if (data.roundStatus === 'PASSED') t.firstPassed++;
      }
      if (data.roundStatus === 'PASSED') [t.concluded, t.passed] = [t.concluded + 1, t.passed + 1];
      if (data.attempt.findings?.proxySignature || data.attempt.findings?.misleading) t.findings++;
      break;
    case 'CallbackRoundTimedOut':
      if (data.round === 1) t.firstTotal++;
      break;
    case 'ManualVisitOrdered':
    case 'ReviewOpened':
      t.holds++;
      break;
    case 'ManualVisitRecorded':
      if (data.outcome === 'FINDINGS' || data.findings?.proxySignature || data.findings?.misleading) t.findings++;
      if (data.outcome !== 'FINDINGS') t.concluded++;
      if (data.outcome === 'FAILURE') t.forfeits++;
      break;
    case 'ReviewDecided':
      t.concluded++;
      if (data.decision === 'DISMISS') t.passed++;
      else t.forfeits++;
      break;
    case 'ReceiptReturned':
      if (data.late) t.late++;
      else t.onTime++;
      break;
    case 'ReceiptNeverReturned':
      t.never++;
      break;
  }
  if (falseContactKindOf(data)) t.falseInformation.add(event.policyId);
}

/**
 * Agent quality (docs/rules.md §6) over the events of one period, per agent, from the facts alone.
 * Fed one event at a time, so a branch's year of events never has to sit in memory at once.
 */
export function qualityTally() {
  const tallies = new Map<string, Tally>();
  return {
    add(event: AuditedEvent): void {
      let t = tallies.get(event.agentId);
      if (!t) {
        t = { registered: 0, firstTotal: 0, firstPassed: 0, concluded: 0, passed: 0, onTime: 0, late: 0, never: 0, holds: 0, forfeits: 0, findings: 0, falseInformation: new Set() };
        tallies.set(event.agentId, t);
      }
      tally(t, event);
    },
    result(): AgentQuality[] {
      return [...tallies.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([agentId, t]) => ({
        agentId,
        policiesRegistered: t.registered,
        firstCallbackPass: ratio(t.firstPassed, t.firstTotal),
        overallPass: ratio(t.passed, t.concluded),
        receiptOnTime: ratio(t.onTime, t.onTime + t.late + t.never),
        lateReceipts: t.late,
        receiptsNeverReturned: t.never,
        holds: t.holds,
        forfeits: t.forfeits,
        findings: t.findings,
        falseInformation: t.falseInformation.size,
      }));
    },
  };
}

export function qualityReport(events: Iterable<AuditedEvent>): AgentQuality[] {
  const t = qualityTally();
  for (const event of events) t.add(event);
  return t.result();
}
