import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startChildSystem } from '../support/child-system.js';
import { TimedApi } from './bench-client.js';
import { metricsOf } from './path-probes.js';
import { MIX, seedUnpaidCommissions } from './settlement-seed.js';

/**
 * `npm run bench:settlement [-- --policies 100000 --agents 2000 --branches 50 --page 1000]`
 * Seeds N unpaid commissions straight into the local DynamoDB of a system started as
 * `npm start` runs it (own process), then times one month's settlement end to end through
 * the API and the local state machine, and prints seconds, lines/s and the system's peak RSS.
 */
const { values } = parseArgs({
  options: {
    policies: { type: 'string', default: '100000' },
    agents: { type: 'string', default: '2000' },
    branches: { type: 'string', default: '50' },
    page: { type: 'string', default: '1000' },
  },
});
const policies = Number(values.policies);
const agents = Number(values.agents);
const branches = Number(values.branches);
const MONTH = '2026-07';
/** 2026-07-20 03:00 Shanghai: after July's cutoff, before the 09:00 run, so the POST starts it. */
const CLOCK_START = new Date('2026-07-19T19:00:00Z');

type Statement = { status: string; totals: { lines: number; paid: { count: number; amount: string }; deferred: { count: number }; forfeited: { count: number } } };

/**
 * A month's commissions accumulate over weeks; seeding writes them in one minute, and LevelDB
 * then compacts them for a while. The run is timed once dynalite is idle again (at most 60 s).
 */
async function storeAtRest(api: TimedApi): Promise<number> {
  const started = performance.now();
  let last = (await metricsOf(api)).cpuMicros.dynamodb;
  while (performance.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = (await metricsOf(api)).cpuMicros.dynamodb;
    if (now - last < 50_000) break; // under 5 % of a core for a second
    last = now;
  }
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'policy-qc-settlement-bench-'));
  const system = await startChildSystem(dataDir, CLOCK_START, { SETTLEMENT_PAGE_SIZE: values.page });
  const api = new TimedApi(system.url);
  try {
    const endpoint = /dynamodb:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(system.output())?.[1];
    if (!endpoint) throw new Error(`no DynamoDB endpoint in the banner:\n${system.output()}`);
    const seeding = performance.now();
    const counts = await seedUnpaidCommissions(endpoint, policies, agents, branches, (done) => process.stderr.write(`\r  seeded ${done}/${policies}`));
    process.stderr.write(`\n  seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`);
    process.stderr.write(`  store at rest after ${(await storeAtRest(api)).toFixed(1)} s more\n`);

    let peakRss = (await metricsOf(api)).rssBytes;
    const sampler = setInterval(() => void metricsOf(api).then((m) => { peakRss = Math.max(peakRss, m.rssBytes); }, () => undefined), 250);
    const { dynamoOperations: before, cpuMicros: cpuBefore } = await metricsOf(api);
    const started = performance.now();
    // Locally the POST answers once the run has finished (the state machine settled).
    const response = await api.post<{ status: string }>('manager', '/v1/settlements', { month: MONTH });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = await metricsOf(api);
    peakRss = Math.max(peakRss, after.rssBytes);
    const statement = (await api.get<Statement>('manager', `/v1/settlements/${MONTH}?agentId=A00000`)).body;
    const run = (await api.call<{ status: string; totals: Statement['totals'] }>('manager', 'POST', '/v1/settlements', { month: MONTH })).body;
    if (response.body.status !== 'RUNNING' || run.status !== 'COMPLETED') throw new Error(`run did not complete: ${JSON.stringify(run)}`);
    if (run.totals.lines !== policies) throw new Error(`expected ${policies} lines, got ${run.totals.lines}`);
    const ops = Object.fromEntries(Object.entries(after.dynamoOperations).map(([k, v]) => [k, v - (before[k] ?? 0)]));

    console.log(`mix:                   ${Object.entries(MIX).map(([k, share]) => `${k} ${Math.round(share * 100)}%`).join(', ')} (${JSON.stringify(counts)})`);
    console.log(`settlement:            ${policies} commissions, ${agents} agents, ${branches} branches, pages of ${values.page}`);
    console.log(`run:                   ${seconds.toFixed(1)} s = ${Math.round(policies / seconds)} lines/s (target <= 60 s)`);
    console.log(`decisions:             PAY ${run.totals.paid.count} (${run.totals.paid.amount} CNY), DEFER ${run.totals.deferred.count}, FORFEIT ${run.totals.forfeited.count}`);
    console.log(`DynamoDB requests:     ${Object.entries(ops).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    const cpuSeconds = (now: number, then: number) => ((now - then) / 1e6).toFixed(1);
    console.log(`CPU during the run:    ${cpuSeconds(after.cpuMicros.system, cpuBefore.system)} s in the system (engine, API, Lambda sandboxes), ${cpuSeconds(after.cpuMicros.dynamodb, cpuBefore.dynamodb)} s in dynalite`);
    console.log(`peak RSS:              ${Math.round(peakRss / 1024 / 1024)} MB (the local system's process; sampled every 250 ms)`);
    console.log(`one agent's statement: ${statement.totals.lines} lines`);
  } finally {
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
