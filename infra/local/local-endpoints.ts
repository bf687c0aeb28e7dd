import type { IncomingMessage, ServerResponse } from 'node:http';
import { Duration } from 'luxon';
import { z } from 'zod';
import type { ClockStatus, VirtualClock } from './clock/virtual-clock.js';
import type { InFlightInvocation } from './lambda/lambda-pool.js';
import { untilStalled } from './until-stalled.js';
import type { LocalDynamoDbStats } from './dynamodb-local.js';
import type { LocalSes } from './ses-local.js';
import type { StepHistoryMetrics } from './workflow-history-recorder.js';
import type { LocalStepFunctions, StalledExecution } from './stepfunctions/local-step-functions.js';

export interface LocalEndpointDeps {
  readonly clock: VirtualClock;
  readonly stepFunctions: LocalStepFunctions;
  /** Resolves once every execution is parked or finished and its steps are recorded. */
  readonly settle: () => Promise<void>;
  readonly ses: LocalSes;
  readonly metrics: LocalMetricsSource;
  readonly diagnostics: () => LocalDiagnostics;
  /** A counter that moves whenever anything gets done (states entered, Lambda answers, steps recorded). */
  readonly progress: () => number;
}

/** What the system is doing now: `GET /_local/diagnostics`, and the body of a stalled advance's 503. */
export interface LocalDiagnostics {
  readonly clock: ClockStatus;
  readonly executionsBusy: { readonly count: number; readonly first: readonly string[] };
  /** Running executions waiting on nothing (no token, no wait, nothing in flight): stuck until a restart resumes them. */
  readonly executionsStalled: readonly StalledExecution[];
  readonly lambdasInFlight: readonly InFlightInvocation[];
  readonly historyRecordsWaiting: number;
}

/** An advance that makes no progress this long answers 503 naming what it waits for (it goes on in the background). */
function advanceStallMs(): number {
  const seconds = Number(process.env.ADVANCE_STALL_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 120) * 1000;
}

const advanceSchema = z.union([
  z.strictObject({ advanceBy: z.string().refine((text) => Duration.fromISO(text).isValid && Duration.fromISO(text).toMillis() >= 0, 'must be a non-negative ISO-8601 duration, e.g. "P10D" or "PT6H"') }),
  z.strictObject({ to: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with offset' }) }),
], { message: 'must be {"advanceBy": "P10D"} or {"to": "<ISO-8601 date-time>"}' });

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const invalid = (res: ServerResponse, message: string, details: unknown[] = []) => send(res, 400, { error: { code: 'VALIDATION_FAILED', message, details } });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

export interface LocalMetricsSource {
  dynamo(): Promise<LocalDynamoDbStats>;
  statesEntered(): number;
  workflowHistory(): StepHistoryMetrics;
}

/** `/_local/clock`, `/_local/emails` (docs/api.md, Local mode only) and `/_local/metrics` (counters for the benchmark). */
export async function handleLocalRequest(req: IncomingMessage, res: ServerResponse, url: URL, deps: LocalEndpointDeps): Promise<void> {
  if (url.pathname === '/_local/clock' && req.method === 'GET') {
    send(res, 200, deps.clock.status());
    return;
  }
  if (url.pathname === '/_local/diagnostics' && req.method === 'GET') {
    send(res, 200, deps.diagnostics());
    return;
  }
  if (url.pathname === '/_local/clock' && req.method === 'POST') {
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      invalid(res, 'the body must be valid JSON');
      return;
    }
    const parsed = advanceSchema.safeParse(body);
    if (!parsed.success) {
      invalid(res, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; '), parsed.error.issues);
      return;
    }
    const now = deps.clock.now();
    const target = 'to' in parsed.data ? new Date(parsed.data.to) : new Date(now.getTime() + Duration.fromISO(parsed.data.advanceBy).toMillis());
    if (target < now) {
      send(res, 409, { error: { code: 'CLOCK_NEVER_GOES_BACK', message: `the clock is at ${now.toISOString()} and never goes back`, details: [] } });
      return;
    }
    // Returns once every timer that fell due has fired and the work it started has settled.
    const outcome = await untilStalled(deps.clock.advanceTo(target, deps.settle), deps.progress, advanceStallMs());
    if (outcome === 'stalled') {
      const diagnostics = deps.diagnostics();
      send(res, 503, { error: { code: 'ADVANCE_STALLED', message: `the advance to ${target.toISOString()} made no progress for ${advanceStallMs() / 1000} s; it goes on, and a repeated request waits for it`, details: [diagnostics] } });
      return;
    }
    send(res, 200, { now: deps.clock.now().toISOString(), pendingTimers: deps.clock.pendingTimers() });
    return;
  }
  if (url.pathname === '/_local/metrics' && req.method === 'GET') {
    const dynamo = await deps.metrics.dynamo();
    const cpu = process.cpuUsage(); // this process, worker threads (the Lambda sandboxes) included
    send(res, 200, {
      dynamoOperations: dynamo.counts,
      dynamoOpenIterators: dynamo.openIterators,
      cpuMicros: { system: cpu.user + cpu.system, dynamodb: dynamo.cpuMicros },
      statesEntered: deps.metrics.statesEntered(),
      workflowHistory: deps.metrics.workflowHistory(),
      runningExecutions: deps.stepFunctions.listExecutions('RUNNING').length,
      engine: { ...deps.stepFunctions.footprint(), pendingTimers: deps.clock.pendingTimers() },
      rssBytes: process.memoryUsage().rss,
    });
    return;
  }
  if (url.pathname === '/_local/emails' && req.method === 'GET') {
    send(res, 200, await deps.ses.emails());
    return;
  }
  send(res, 404, { error: { code: 'NOT_FOUND', message: `no local route ${req.method} ${url.pathname}`, details: [] } });
}
