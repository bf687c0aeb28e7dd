import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startChildSystem } from '../support/child-system.js';
import { CLOCK_START } from '../support/policies.js';
import { percentile, TimedApi } from './bench-client.js';
import { assignPaths, runWave } from './lifecycle-mix.js';
import { happyPath, metricsOf, worstPath } from './path-probes.js';

/**
 * `npm run bench [-- --policies 1000 --wave 1000 --concurrency 128] [--memory-check]`
 * N lifecycles through a realistic mix, on the local system with the virtual clock.
 */
const { values } = parseArgs({
  options: {
    policies: { type: 'string', default: '1000' },
    wave: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '128' },
    'memory-check': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const policies = Number(values.policies);
const wave = Number(values.wave);
const concurrency = Number(values.concurrency);

async function run() {
  const dataDir = await mkdtemp(join(tmpdir(), 'policy-qc-bench-'));
  // The system under test runs as `npm start` does, in its own process; this one only drives it.
  // Lifecycles only: the 20th's settlement and the quarter's reports, which the weeks of the
  // worst path and of the waves cross, have their own benchmarks.
  const system = await startChildSystem(dataDir, CLOCK_START, { SCHEDULED_JOBS: 'off' });
  const api = new TimedApi(system.url);
  let peakRss = 0;
  const sampler = setInterval(() => void metricsOf(api).then((m) => { peakRss = Math.max(peakRss, m.rssBytes); }, () => undefined), 500);
  try {
    const happy = await happyPath(api);
    const worst = await worstPath(api);
    const stepsBefore = (await metricsOf(api)).workflowHistory;
    api.latenciesMs.length = 0;
    const { cpuMicros: cpuBefore, dynamoOperations: opsBefore } = await metricsOf(api);
    const started = performance.now();
    for (let done = 0, w = 0; done < policies; done += wave, w++) {
      await runWave(api, assignPaths(Math.min(wave, policies - done), `B${w}`), concurrency);
      if (!values.json) process.stderr.write(`\r  ${Math.min(done + wave, policies)}/${policies} lifecycles`);
    }
    const seconds = (performance.now() - started) / 1000;
    const final = await metricsOf(api);
    peakRss = Math.max(peakRss, final.rssBytes);
    const running = final.runningExecutions;
    // CPU per lifecycle is steadier than throughput on a shared machine: compare these across runs.
    const cpuMs = (now: number, before: number) => Number(((now - before) / 1000 / policies).toFixed(2));
    if (running > 0) throw new Error(`${running} lifecycles did not finish`);
    return {
      policies,
      seconds: Number(seconds.toFixed(2)),
      lifecyclesPerSecond: Number((policies / seconds).toFixed(1)),
      happyPath: happy,
      worstPath: worst,
      // Under load the writer packs steps of many executions into each BatchWriteItem.
      stepHistory: { requests: final.workflowHistory.requests - stepsBefore.requests, steps: final.workflowHistory.steps - stepsBefore.steps },
      apiCalls: api.latenciesMs.length,
      apiP50Ms: Number(percentile(api.latenciesMs, 50).toFixed(1)),
      apiP99Ms: Number(percentile(api.latenciesMs, 99).toFixed(1)),
      peakRssMb: Math.round(peakRss / 1024 / 1024), // of the system under test
      dynamoRequestsPerLifecycle: Object.fromEntries(Object.entries(final.dynamoOperations)
        .map(([op, n]) => [op, Number(((n - (opsBefore[op] ?? 0)) / policies).toFixed(2))]).filter(([, n]) => Number(n) > 0)),
      cpuMsPerLifecycle: { system: cpuMs(final.cpuMicros.system, cpuBefore.system), dynamodb: cpuMs(final.cpuMicros.dynamodb, cpuBefore.dynamodb) },
    };
  } finally {
    clearInterval(sampler);
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function report(r: Awaited<ReturnType<typeof run>>): void {
  process.stderr.write('\n');
  console.log(`lifecycles:            ${r.policies} in ${r.seconds} s = ${r.lifecyclesPerSecond} lifecycles/s (target >= 50)`);
  console.log(`happy path:            ${r.happyPath.stateTransitions} state transitions (<= 15), ${r.happyPath.dynamoWrites} DynamoDB writes (<= 12), ${r.happyPath.dynamoReads} reads, ${r.happyPath.emails} e-mails`);
  console.log(`worst path:            ${r.worstPath.stateTransitions} state transitions, ${r.worstPath.dynamoWrites} DynamoDB writes, ${r.worstPath.dynamoReads} reads, ${r.worstPath.emails} e-mails`);
  console.log(`step history writes:   happy path ${r.happyPath.stepHistory.requests} BatchWriteItem requests (${r.happyPath.stepHistory.steps} steps), worst path ${r.worstPath.stepHistory.requests} (${r.worstPath.stepHistory.steps} steps); not in the counts above`);
  console.log(`step history, the run:  ${r.stepHistory.requests} BatchWriteItem requests for ${r.stepHistory.steps} steps (${(r.stepHistory.steps / Math.max(1, r.stepHistory.requests)).toFixed(1)} steps per request, ${(r.stepHistory.requests / r.policies).toFixed(2)} requests per lifecycle)`);
  console.log(`DynamoDB, the run:     ${Object.entries(r.dynamoRequestsPerLifecycle).map(([op, n]) => `${op} ${n}`).join(', ')} requests per lifecycle`);
  console.log(`API latency:           p50 ${r.apiP50Ms} ms, p99 ${r.apiP99Ms} ms over ${r.apiCalls} calls`);
  console.log(`peak RSS:              ${r.peakRssMb} MB (the local system's process)`);
  console.log(`CPU per lifecycle:     ${r.cpuMsPerLifecycle.system} ms in the system (engine, API, Lambda sandboxes), ${r.cpuMsPerLifecycle.dynamodb} ms in dynalite`);
}

async function main(): Promise<void> {
  if (values['memory-check']) {
    // Each size in its own process, so one run's heap does not inflate the other's peak.
    const measureAt = (n: number) => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'tests/bench/lifecycle-bench.ts', '--json', '--policies', String(n), '--wave', String(wave), '--concurrency', String(concurrency)], { encoding: 'utf8', maxBuffer: 1 << 24 })) as Awaited<ReturnType<typeof run>>;
    const small = measureAt(policies);
    const large = measureAt(policies * 10);
    report(small);
    report(large);
    const ratio = large.peakRssMb / small.peakRssMb;
    console.log(`memory:                ${small.peakRssMb} MB at N=${policies}, ${large.peakRssMb} MB at N=${policies * 10}: ratio ${ratio.toFixed(2)} (target < 1.5)`);
    return;
  }
  const result = await run();
  if (values.json) console.log(JSON.stringify(result));
  else report(result);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
