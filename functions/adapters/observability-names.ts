/** The service name of every log line, metric and trace segment (the metrics' `service` dimension). */
export const SERVICE_NAME = 'policy-qc';
/** The CloudWatch namespace of the business metrics (infra/constructs/dashboard.ts reads them there). */
export const METRICS_NAMESPACE = 'PolicyQc';
