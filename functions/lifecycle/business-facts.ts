import type { BusinessMetric } from '../ports/business-metrics.js';
import type { EventData } from './events.js';

/**
 * What an appended fact counts for (docs/rules.md §3-§5, §9): a registration, a callback
 * round that failed, a commission held (the manual visit ordered after the second failure),
 * a settlement line, and a forfeit among them.
 */
export function metricsOfFact(data: EventData): BusinessMetric[] {
  switch (data.type) {
    case 'PolicyRegistered': return ['Registrations'];
    case 'CallbackRoundTimedOut': return ['FailedRounds'];
    case 'CallbackAttemptRecorded': return data.roundStatus === 'FAILED' ? ['FailedRounds'] : [];
    case 'ManualVisitOrdered': return ['CommissionHolds'];
    case 'CommissionSettled': return data.decision === 'FORFEIT' ? ['SettlementLines', 'Forfeits'] : ['SettlementLines'];
    default: return [];
  }
}
