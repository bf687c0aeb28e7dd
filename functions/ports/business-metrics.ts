/** The business counts the operators watch (infra/constructs/dashboard.ts). */
export const BUSINESS_METRICS = ['Registrations', 'FailedRounds', 'CommissionHolds', 'Forfeits', 'SettlementLines', 'MailsSent'] as const;
export type BusinessMetric = (typeof BUSINESS_METRICS)[number];

/** Counts facts as they are recorded; adapters send them to CloudWatch at the end of the invocation. */
export interface BusinessMetrics {
  count(metric: BusinessMetric, n?: number): void;
}

export const noBusinessMetrics: BusinessMetrics = { count: () => undefined };
