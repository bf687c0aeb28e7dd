import { LogFormatter, LogItem, Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
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

/**
 * Tracing runs on Lambda unless POWERTOOLS_TRACE_DISABLED is set (local mode sets it). Off, the
 * tracer is not even loaded: the X-Ray SDK under it enables async hooks (cls-hooked) as it
 * loads, which measured 10-15 times the CPU of every await in the process.
 */
const tracingOn = process.env.POWERTOOLS_TRACE_DISABLED !== 'true' && (process.env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda');

export const tracer: Tracer | undefined = tracingOn ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName: SERVICE_NAME }) : undefined;

/** An SDK client whose calls are traced as X-Ray subsegments (as it is when tracing is off). */
export function traced<C extends object>(client: C): C {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
