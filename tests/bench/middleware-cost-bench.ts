// CPU of the Powertools middy chain per invocation (docs/operations.md "Observability"):
// the same trivial handler called bare and through observedLambda, with one info line and
// one business metric per call (what a typical step does). `npm run bench:middleware`
import type { Context } from 'aws-lambda';
import { logger } from '../../functions/adapters/logger.js';
import { observedLambda } from '../../functions/adapters/lambda-observability.js';
import { powertoolsBusinessMetrics } from '../../functions/adapters/powertools-business-metrics.js';
import { customerDataAccess, LOG_READER, scrubText } from '../../functions/domain/customer-privacy.js';

const CALLS = Number(process.argv[2] ?? 5000);
const context = { functionName: 'bench', awsRequestId: 'r', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:bench', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

async function cpuPerCall(call: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await call(i); // warm-up
  const start = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await call(i);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / CALLS;
}

// Log lines and EMF go to a sink, not the terminal: the cost measured is producing them.
process.stdout.write = (() => true) as typeof process.stdout.write;
const work = async (event: { id: string }) => ({ ok: event.id.length });
const bare = (event: { id: string }) => { logger.info('step', { id: event.id }); return work(event); };
const observed = observedLambda(async (event: { id: string }) => {
  logger.info('step', { id: event.id });
  powertoolsBusinessMetrics.count('Registrations');
  return work(event);
}, (event) => event.id);

// The line as the logger wrote it before Powertools: scrubbed JSON straight to stdout.
const access = customerDataAccess(LOG_READER, {});
const plain = (event: { id: string }) => {
  process.stdout.write(scrubText(JSON.stringify({ level: 'info', time: new Date().toISOString(), message: 'step', id: event.id }), access) + '\n');
  return work(event);
};

const plainMs = await cpuPerCall((i) => plain({ id: `req-${i}` }));
const bareMs = await cpuPerCall((i) => bare({ id: `req-${i}` }));
const observedMs = await cpuPerCall((i) => observed({ id: `req-${i}` }, context));
process.stderr.write(`bare handler + 1 plain JSON line (before): ${(plainMs * 1000).toFixed(1)} µs CPU per call\n`);
process.stderr.write(`bare handler + 1 Powertools log line: ${(bareMs * 1000).toFixed(1)} µs CPU per call\n`);
process.stderr.write(`Powertools chain + 1 log line + 1 metric: ${(observedMs * 1000).toFixed(1)} µs CPU per call (+${((observedMs - bareMs) * 1000).toFixed(1)} µs)\n`);
