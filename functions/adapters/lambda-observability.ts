import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { metrics, powertoolsLogger, tracer } from './observability.js';


/** captureLambdaHandler when tracing is on (observability.ts: the tracer is loaded only then). */
const tracing = tracer ? (await import('@aws-lambda-powertools/tracer/middleware')).captureLambdaHandler(tracer, { captureResponse: false }) : undefined;

/** Local mode calls workflow handlers without Lambda's context object; Powertools needs one. */
function localContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:local',
    memoryLimitInMB: '512',
    awsRequestId: 'local',
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * One Lambda handler through the Powertools middy chain: an X-Ray subsegment around the
 * handler, the Lambda context and the correlation id on every log line (keys reset per
 * invocation), and the business metrics flushed as EMF when it ends (docs/operations.md
 * "Observability").
 */
export function observedLambda<E, R>(handler: (event: E, context: Context) => Promise<R>, correlationIdOf: (event: E) => string | undefined) {
  const chain = middy<E, R>()
    .use(tracing ?? [])
    .use(injectLambdaContext(powertoolsLogger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler((event, context) => {
      const id = correlationIdOf(event);
      if (id === undefined) return handler(event, context);
      powertoolsLogger.appendKeys({ correlation_id: id });
      return handler(event, context);
    });
  const lambda = (event: E, context?: Context): Promise<R> => chain(event, context ?? localContext());
  return lambda;
}

/**
 * A workflow payload's correlation id: its `correlationId`; else, for the lifecycle's first
 * step, the execution input's `correlationId` (`executionInput`) or the execution's name
 * (`executionName`), as that step passes the input whole: it may lack the field.
 */
export function correlationIdOf(payload: unknown): string | undefined {
  const fields = objectOf(payload);
  return nonEmpty(fields?.correlationId) ?? nonEmpty(objectOf(fields?.executionInput)?.correlationId) ?? nonEmpty(fields?.executionName);
}

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
