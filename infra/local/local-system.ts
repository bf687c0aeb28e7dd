import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { dependenciesFromEnv, resetDependenciesFromEnv } from '../../functions/adapters/dependencies-from-env.js';
import { logger } from '../../functions/adapters/logger.js';
import { useClock } from '../../functions/ports/clock.js';
import { WORK_BUCKETS } from '../../functions/ports/policy-repository.js';
import { resumeSettlement, settlementRules } from '../../functions/use-cases/settlement/start-settlement.js';
import { armMonthlySettlement, withSettlementTime } from './settlement-timer.js';
import { executionNameFor } from '../../functions/adapters/stepfunctions/sfn-workflow-engine.js';
import { VirtualClock } from './clock/virtual-clock.js';
import { LocalStepFunctions } from './stepfunctions/local-step-functions.js';
import { createSfnRequestHandler } from './stepfunctions/sfn-http-facade.js';
import { executionArnOf } from './stepfunctions/api-validation.js';
import { handleApiRequest, type HttpInvoker } from './api-gateway-proxy.js';
import { LambdaPool } from './lambda/lambda-pool.js';
import { functionTimeoutSeconds } from '../function-timeouts.js';
import { newestRecordedInstant } from './recorded-time.js';
import type { LocalDiagnostics } from './local-endpoints.js';
import { SharedInstant } from './lambda/shared-clock.js';
import { LOCAL_TABLE_NAME, startLocalDynamoDb } from './dynamodb-local.js';
import { startLocalSes } from './ses-local.js';
import { handleLocalRequest, type LocalMetricsSource } from './local-endpoints.js';
import { listen, LOCAL_CREDENTIALS } from './loopback.js';
import { loadWorkflowDefinitions, LOCAL_REGION, localFunctionArn, localStateMachineArn } from './workflow-definitions.js';
import { WorkflowHistoryRecorder } from './workflow-history-recorder.js';
import { scheduleQuarterlyReports } from './quarterly-report-timer.js';
import { createConsoleHandler } from './console-assets.js';
import { armSpecialRequestSweep } from './special-request-timer.js';
import { scheduleDailyAnchors } from './anchor-timer.js';

export interface LocalSystemOptions {
  /** Port of the API on 127.0.0.1; 0 picks a free one. */
  readonly port?: number;
  /** Where dynalite keeps its data, the clock its instant and the local SES its mail; survives restarts. */
  readonly dataDir: string;
  /** Virtual clock start for a new data folder (a resumed one keeps its instant). */
  readonly clockStart?: Date;
  /** Default e-mail recipients when the environment names none. */
  readonly mailDefaults?: { from: string; branchManagers: string; compliance: string };
}

export interface LocalSystem {
  readonly url: string;
  /** The local DynamoDB endpoint (for tools such as the settlement benchmark's seeder). */
  readonly dynamoEndpoint: string;
  readonly clock: VirtualClock;
  readonly stepFunctions: LocalStepFunctions;
  /** Lifecycles found open in the event log at start-up and resumed. */
  readonly resumed: number;
  /** The month whose unfinished settlement run was started again at start-up, if any. */
  readonly resumedSettlement?: string;
  /** Counters for the benchmark: DynamoDB requests by operation and its CPU time, states entered. */
  readonly metrics: LocalMetricsSource;
  stop(): Promise<void>;
}

export const LIFECYCLE_MACHINE = 'policy-lifecycle';
/** A resumed wait whose deadline has come is armed a second later (Step Functions' shortest wait): the catch-up fires it at the restart instant. */
const RESUMED_WAIT_GRACE_MS = 1000;
export const SETTLEMENT_MACHINE = 'monthly-settlement';
/** The state machines' Lambda functions: handler modules under functions/handlers. */
const LAMBDAS: Record<string, string> = {
  [localFunctionArn('workflow-step')]: 'workflow/workflow-step.ts',
  [localFunctionArn('settlement-step')]: 'workflow/settlement-step.ts',
};

/**
 * The whole product on loopback (docs/architecture.md §6): dynalite on disk, the local Step
 * Functions engine on the virtual clock behind an SFN-protocol endpoint, aws-ses-v2-local,
 * and an HTTP server invoking the very same Lambda handlers through API Gateway events.
 */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  await mkdir(options.dataDir, { recursive: true });
  const clockFile = join(options.dataDir, 'clock.json');
  const dynamoDir = join(options.dataDir, 'dynamodb');
  // The clock file is written before the table exists, so a table without one was not left by a crash.
  const hasData = await access(join(dynamoDir, 'CURRENT')).then(() => true, () => false);
  const clock = await VirtualClock.open({
    persistFile: clockFile,
    startIfNew: options.clockStart ?? new Date(),
    ...(hasData ? { requireFile: `${options.dataDir} holds data but no clock.json: business time cannot be told. Restore the file (e.g. {"now":"<ISO-8601 instant at or after the newest event>"}) or start with a new DATA_DIR` } : {}),
  });
  if (clock.interrupted) logger.warn('the last run stopped while the clock was busy; re-send the advance if it was not answered', { ...clock.interrupted, now: clock.now().toISOString() });
  const dynamo = await startLocalDynamoDb(dynamoDir);
  // A lagging clock file (restored from a backup) must not put new facts before recorded ones.
  const newest = await newestRecordedInstant(dynamo.endpoint, LOCAL_TABLE_NAME, clock.now());
  if (newest && newest > clock.now()) {
    logger.warn('the clock file lags the data: resuming at the newest recorded instant', { file: clock.now().toISOString(), newest: newest.toISOString() });
    await clock.resumeAtLeast(newest);
  }
  const ses = await startLocalSes(join(options.dataDir, 'emails.jsonl'));
  useClock(clock);
  clock.onBackgroundError = (error) => logger.error('a timer fired outside an advance failed', { error });
  const instant = new SharedInstant();
  clock.observe((ms) => instant.set(ms));
  const lambdas = new LambdaPool(instant, lambdaSandboxes(), undefined, functionTimeoutSeconds);

  const lifecycleArn = localStateMachineArn(LIFECYCLE_MACHINE);
  const lifecycleExecution = new RegExp(`^${lifecycleArn.replace(':stateMachine:', ':execution:')}:(.+)$`);
  const history = new WorkflowHistoryRecorder(() => dependenciesFromEnv(), (arn) => lifecycleExecution.exec(arn)?.[1]);
  let statesEntered = 0;
  const metrics = { dynamo: () => dynamo.stats(), statesEntered: () => statesEntered, workflowHistory: () => history.metrics() };
  const stepFunctions = new LocalStepFunctions({
    clock,
    onStateEvent: (event) => {
      // A billed state transition is a state entered (Parallel and its branches' states included).
      if (event.type === 'StateEntered') statesEntered++;
      history.observe(event);
      // A failed lifecycle waits for the next start-up to resume: say why, so a divergence it causes can be traced.
      if (event.type === 'ExecutionFailed') setImmediate(() => logFailedExecution(stepFunctions, event.executionArn));
    },
    invokeLambda: async (functionName, payload) => {
      const module = LAMBDAS[functionName];
      if (!module) throw Object.assign(new Error(`Function not found: ${functionName}`), { name: 'Lambda.ResourceNotFoundException' });
      return lambdas.invoke(module, payload);
    },
  });
  for (const [name, definition] of loadWorkflowDefinitions()) stepFunctions.registerStateMachine(localStateMachineArn(name), definition);
  const sfnServer = createServer(createSfnRequestHandler(stepFunctions));
  const sfnEndpoint = await listen(sfnServer);

  const defaults = options.mailDefaults ?? { from: 'qc-noreply@insurer.example', branchManagers: '{"*":"branch-manager@insurer.example"}', compliance: 'compliance@insurer.example' };
  Object.assign(process.env, {
    AUTH_MODE: 'local',
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    TABLE_NAME: LOCAL_TABLE_NAME,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SFN_ENDPOINT: sfnEndpoint,
    SES_ENDPOINT: ses.endpoint,
    LIFECYCLE_STATE_MACHINE_ARN: localStateMachineArn(LIFECYCLE_MACHINE),
    SETTLEMENT_STATE_MACHINE_ARN: localStateMachineArn(SETTLEMENT_MACHINE),
    MAIL_FROM: process.env.MAIL_FROM ?? defaults.from,
    BRANCH_MANAGER_EMAILS: process.env.BRANCH_MANAGER_EMAILS ?? defaults.branchManagers,
    COMPLIANCE_EMAILS: process.env.COMPLIANCE_EMAILS ?? defaults.compliance,
    // Loopback sends take milliseconds; a short lease lets a restart take over a dead process's claims at once.
    MAIL_LEASE_MS: process.env.MAIL_LEASE_MS ?? '2000',
    // No X-Ray daemon on this machine; logs and EMF metrics are printed as on Lambda.
    POWERTOOLS_TRACE_DISABLED: 'true',
    // The write-once archive (the Object Lock bucket's stand-in): a folder beside the table.
    ARCHIVE_DIR: join(options.dataDir, 'archive'),
  });
  resetDependenciesFromEnv();
  const invokeHttp: HttpInvoker = async (module, event, functionName) => (await lambdas.invoke(module, event, functionName)) as Awaited<ReturnType<HttpInvoker>>;

  // Settled = every execution parked or finished, and the steps it took recorded. A long
  // wait says what it waits for every 30 s; each Lambda call in it has its own deadline.
  const settle = async () => {
    await stepFunctions.settle((waiting) => logger.warn('still settling', { ...waiting, lambdas: lambdas.inFlight().slice(0, 5) }));
    await history.flushAll();
  };
  const diagnostics = (): LocalDiagnostics => ({
    clock: clock.status(),
    executionsBusy: { count: stepFunctions.busy(), first: stepFunctions.busyExecutions() },
    executionsStalled: stepFunctions.stalledExecutions(),
    lambdasInFlight: lambdas.inFlight().slice(0, 50),
    historyRecordsWaiting: history.recordsWaiting(),
  });
  // Moves whenever anything is done: what the clock endpoint watches to tell a stall from a long advance.
  const progress = () => statesEntered + lambdas.answered() + history.metrics().steps;
  const settlePolicy = async (policyId: string) => {
    const executionArn = executionArnOf(lifecycleArn, executionNameFor(policyId));
    await stepFunctions.settleExecution(executionArn);
    await history.flush(executionArn);
  };
  // A settlement started through the API is answered once it has run (local determinism).
  const settleAfter = async ({ handler, policyId }: { handler: string; policyId?: string }) => {
    if (handler === 'run-settlement') await settle();
    else if (policyId) await settlePolicy(policyId);
  };
  // The clock-driven jobs EventBridge runs on AWS; SCHEDULED_JOBS=off leaves them to on-demand calls.
  const scheduledJobs = process.env.SCHEDULED_JOBS !== 'off';
  if (scheduledJobs) scheduleQuarterlyReports(clock, (event) => lambdas.invoke('workflow/send-quarterly-reports.ts', event), { includeNow: true });
  const serveConsole = createConsoleHandler();
  if (scheduledJobs) scheduleDailyAnchors(clock, (event) => lambdas.invoke('workflow/anchor-chains.ts', event), { includeNow: true });
  const api: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handling = url.pathname.startsWith('/_local/')
      ? handleLocalRequest(req, res, url, { clock, stepFunctions, settle, ses, metrics, diagnostics, progress })
      : url.pathname.startsWith('/v1/')
        ? handleApiRequest(req, res, url, invokeHttp, settleAfter)
        // The web console's files (docs/console.md), else the API's 404/405.
        : serveConsole(req, res, url).then((served) => (served ? undefined : handleApiRequest(req, res, url, invokeHttp, settleAfter)));
    handling.catch((error: unknown) => {
      logger.error('local server error', { error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'internal error; it has been logged', details: [] } }));
    });
  });
  const url = await listen(api, options.port ?? 0);

  const resumed = await resumeOpenLifecycles(stepFunctions, lifecycleArn);
  await settle();
  // A settlement left RUNNING by a crash starts its next attempt; then the 20th's timer is armed.
  const resumedSettlement = await resumeSettlement(dependenciesFromEnv());
  await settle();
  if (scheduledJobs) armMonthlySettlement(clock, withSettlementTime(settlementRules(dependenciesFromEnv()), process.env.SETTLEMENT_LOCAL_TIME), (event) => lambdas.invoke('workflow/start-settlement.ts', event), { includeNow: true });
  if (scheduledJobs) armSpecialRequestSweep(clock, () => lambdas.invoke('workflow/sweep-special-requests.ts', {}), { now: true });
  // Waits that fell due at the instant a crashed advance stopped at fire at that instant, not at the next advance.
  await clock.catchUp(RESUMED_WAIT_GRACE_MS, settle);

  return {
    url,
    dynamoEndpoint: dynamo.endpoint,
    clock,
    stepFunctions,
    resumed,
    ...(resumedSettlement ? { resumedSettlement } : {}),
    metrics,
    async stop() {
      api.closeAllConnections();
      await new Promise((resolve) => api.close(resolve));
      stepFunctions.close();
      await settle();
      sfnServer.closeAllConnections();
      await new Promise((resolve) => sfnServer.close(resolve));
      await lambdas.close();
      await ses.close();
      await dynamo.close();
    },
  };
}

/**
 * Worker threads for the Lambda handlers: `LAMBDA_SANDBOXES`, else one per core. The handlers
 * do most of the system's work and the main thread (engine, HTTP) far less, so with one fewer
 * the sandboxes are the bottleneck: on 2 cores, 1 sandbox gave 46 lifecycles/s, 2 gave 49-52, 3 gave 49.
 */
function lambdaSandboxes(): number {
  const configured = Number(process.env.LAMBDA_SANDBOXES);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return availableParallelism();
}

/** The local engine keeps executions in memory: every lifecycle still open in the log starts again and resumes by stage. */
async function resumeOpenLifecycles(stepFunctions: LocalStepFunctions, lifecycleArn: string): Promise<number> {
  const { repository } = dependenciesFromEnv();
  let count = 0;
  for (const bucket of WORK_BUCKETS) {
    for (const { item } of await repository.listWork(bucket, undefined, Number.MAX_SAFE_INTEGER)) {
      stepFunctions.startExecution({ stateMachineArn: lifecycleArn, name: executionNameFor(item.policyId), input: JSON.stringify({ policyId: item.policyId }), resume: true });
      count++;
    }
  }
  return count;
}

function logFailedExecution(stepFunctions: LocalStepFunctions, executionArn: string): void {
  const { error, cause, stopDate } = stepFunctions.describeExecution(executionArn);
  logger.error('execution failed', { executionArn, error, cause, at: stopDate?.toISOString() });
}
