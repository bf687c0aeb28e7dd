import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BusinessMetric, BusinessMetrics } from '../ports/business-metrics.js';
import { metrics } from './observability.js';

/** Business counts as EMF through Powertools Metrics; logMetrics flushes them when the invocation ends. */
export const powertoolsBusinessMetrics: BusinessMetrics = {
  count: (metric: BusinessMetric, n = 1) => metrics.addMetric(metric, MetricUnit.Count, n),
};
