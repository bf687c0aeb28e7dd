import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { customerDataAccess, LOG_READER, scrubText } from '../domain/customer-privacy.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from './observability-names.js';

// Log lines grant no customer data (domain/customer-privacy.ts): numbers are scrubbed from every line.
const LOG_ACCESS = customerDataAccess(LOG_READER, {});

/**
 * Powertools' JSON shape (level, message, timestamp, service, Lambda context, correlation id,
 * X-Ray trace id, extra keys), with the whole record scrubbed of phone and ID-card numbers
 * before it is written (docs/rules.md §7). Scrubbing the serialised record covers keys
 * appended anywhere, nested values and error messages alike.
 */
export class ScrubbingLogFormatter extends LogFormatter {
  public formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const record: Record<string, unknown> = {
      level: attributes.logLevel,
      message: attributes.message,
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      ...(context ? { function_name: context.functionName, function_request_id: context.awsRequestId, cold_start: context.coldStart } : {}),
      ...(attributes.xRayTraceId ? { xray_trace_id: attributes.xRayTraceId } : {}),
      ...additional,
      ...(attributes.error ? { error: this.formatError(attributes.error) } : {}),
    };
    return new LogItem({ attributes: JSON.parse(scrubText(JSON.stringify(record), LOG_ACCESS)) as LogAttributes });
  }
}

const level = (process.env.LOG_LEVEL ?? 'info').toUpperCase();

export const powertoolsLogger = new Logger({
  serviceName: SERVICE_NAME,
  logLevel: (['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level) ? level : 'INFO') as 'INFO',
  logFormatter: new ScrubbingLogFormatter(),
});

/**
 * Metrics' own messages go through the logger, less the warning logMetrics gives every
 * invocation that counted nothing (most of them): a line each, measured at a fifth of the
 * chain's local CPU.
 */
const metricsLogger = {
  debug: (message: string) => powertoolsLogger.debug(message),
  info: (message: string) => powertoolsLogger.info(message),
  warn: (message: string) => {
    if (!String(message).startsWith('No application metrics to publish')) powertoolsLogger.warn(String(message));
  },
  error: (message: string) => powertoolsLogger.error(message),
};

export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger: metricsLogger });

/** Off outside Lambda (no X-Ray daemon) and when POWERTOOLS_TRACE_DISABLED is set (local mode). */
export const tracer = new Tracer({ serviceName: SERVICE_NAME });

/** An SDK client whose calls are traced as X-Ray subsegments (a no-op when tracing is off). */
export function traced<C extends object>(client: C): C {
  return tracer.captureAWSv3Client(client);
}
