import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startChildSystem } from '../support/child-system.js';
import { LocalApi } from '../support/local-api.js';
import { CLOCK_START } from '../support/policies.js';
import { abuse, steadyLoad, ValidMix, type RunStats } from './memory-load.js';
import { collectAll, inspectProcesses, measure, type InspectedProcess, type ProcessMemory } from './process-memory.js';

/**
 * `npm run bench:memory [-- --abuse-seconds 10 --seconds 30 --rates 50,100,200 --max-ratio 1.2]`
 * Does the local system's memory stay bounded? It runs `npm start`'s entry point as a child on
 * loopback, sends requests the API must refuse, then valid traffic at each rate (registrations,
 * policy reads, work-queue reads), then ends the lifecycles those registrations opened. After
 * each phase it prints the RSS of the system's process and of its dynalite process, and the V8
 * heaps (used/reserved), before and after a forced collection of every heap.
 *
 * It exits 1 unless, at the end, the system's RSS after collection is within `max-ratio` of the
 * start, and the engine holds nothing for the ended lifecycles. The start is taken warm (each
 * kind of request answered once, then collected): loading the handlers into the Lambda
 * sandboxes is a one-time cost, not growth. dynalite's RSS is printed, not judged: LevelDB
 * keeps the data last written in memory, up to its write buffer, by design.
 */
const { values } = parseArgs({
  options: {
    'abuse-seconds': { type: 'string', default: '10' },
    seconds: { type: 'string', default: '30' },
    rates: { type: 'string', default: '50,100,200' },
    'max-ratio': { type: 'string', default: '1.2' },
    concurrency: { type: 'string', default: '64' },
  },
});
const abuseSeconds = Number(values['abuse-seconds']);
const seconds = Number(values.seconds);
const rates = (values.rates ?? '').split(',').map(Number);
const maxRatio = Number(values['max-ratio']);
const concurrency = Number(values.concurrency);
/** Upper bounds, so a fast machine cannot make a run unbounded. */
const MAX_ABUSE_REQUESTS = 200_000;
const MAX_IN_FLIGHT = 256;
/** Cancellations a second, which end the lifecycles the load opened. */
const CANCEL_RATE = 100;

interface Metrics {
  cpuMicros: { system: number; dynamodb: number };
  engine: { running: number; finished: number; openTokens: number; executionsMonitored: number; pendingTimers: number };
  workflowHistory: { executionsBuffered: number };
  dynamoOpenIterators: number;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => (bytes / MB).toFixed(0);
const rssOf = (memory: readonly ProcessMemory[], label: string) => memory.find((p) => p.label === label)?.rssBytes ?? 0;
const total = (memory: readonly ProcessMemory[]) => memory.reduce((sum, p) => sum + p.rssBytes, 0);
const rss = (memory: readonly ProcessMemory[]) => `${mb(total(memory)).padStart(4)} MB (${memory.map((p) => `${p.label} ${mb(p.rssBytes)}`).join(' + ')})`;
const heaps = (memory: readonly ProcessMemory[]) => memory.map((p) => {
  const isolates = p.heaps.filter((h) => h.kind !== 'loader').map((h) => `${h.kind} ${mb(h.usedBytes)}/${mb(h.totalBytes)}`);
  return `${p.label}: ${isolates.join(', ')}`;
}).join('; ');
const indent = ''.padEnd(27);

function printPhase(name: string, before: readonly ProcessMemory[], after: readonly ProcessMemory[], run?: RunStats, cpu?: Metrics['cpuMicros']): void {
  console.log(`${name.padEnd(27)}RSS ${rss(before)}, after GC ${rss(after)}`);
  console.log(`${indent}heaps MB used/reserved: ${heaps(before)}; after GC: ${heaps(after)}`);
  if (!run || !cpu) return;
  const perRequest = (micros: number) => (micros / 1000 / Math.max(1, run.sent)).toFixed(2);
  console.log(`${indent}${run.sent} requests in ${run.seconds.toFixed(1)} s = ${(run.sent / run.seconds).toFixed(0)}/s ${JSON.stringify(run.statuses)}, CPU per request ${perRequest(cpu.system)} ms system + ${perRequest(cpu.dynamodb)} ms dynalite`);
}

async function run(): Promise<boolean> {
  const dataDir = await mkdtemp(join(tmpdir(), 'policy-qc-memory-'));
  // Each process's inspector on a free loopback port: the dynalite child inherits NODE_OPTIONS.
  const system = await startChildSystem(dataDir, CLOCK_START, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim() });
  let processes: InspectedProcess[] = [];
  try {
    const api = new LocalApi(system.url);
    processes = await inspectProcesses(system.output(), (pid) => (pid === system.process.pid ? 'system' : 'dynalite'));
    if (processes.map((p) => p.label).sort().join() !== 'dynalite,system') throw new Error(`expected the inspectors of the system and of dynalite, found: ${processes.map((p) => p.label).join(', ')}`);
    const metrics = async () => (await api.get<Metrics>('manager', '/_local/metrics')).body;
    const mix = new ValidMix(api, new Date((await api.now()).getTime() - 60_000));
    /** Runs `work`, then measures before and after a forced collection of every heap. */
    const phase = async (name: string, work: () => Promise<RunStats | undefined>): Promise<ProcessMemory[]> => {
      const cpuBefore = (await metrics()).cpuMicros;
      const stats = await work();
      const cpuAfter = (await metrics()).cpuMicros;
      const before = await measure(processes);
      await collectAll(processes);
      const after = await measure(processes);
      printPhase(name, before, after, stats, { system: cpuAfter.system - cpuBefore.system, dynamodb: cpuAfter.dynamodb - cpuBefore.dynamodb });
      return after;
    };

    await phase('cold start', async () => undefined);
    const start = await phase('start (warm)', async () => {
      await abuse(api, 60, 4, 64);
      for (let i = 0; i < 20; i++) await mix.next();
      return undefined;
    });
    const timersAtStart = (await metrics()).engine.pendingTimers;
    await phase(`after ${abuseSeconds} s of abuse`, () => abuse(api, abuseSeconds, concurrency, MAX_ABUSE_REQUESTS));
    let loaded = start;
    for (const rate of rates) loaded = await phase(`after ${rate} req/s for ${seconds} s`, () => steadyLoad(() => mix.next(), rate, seconds, MAX_IN_FLIGHT));
    const opened = mix.registeredCount();
    // Each registration opened a lifecycle: the engine keeps it in memory until it ends (on AWS, Step Functions does).
    const end = await phase(`after ${opened} lifecycles end`, () => mix.cancelAll(CANCEL_RATE, MAX_IN_FLIGHT));

    const { engine, workflowHistory, dynamoOpenIterators } = await metrics();
    const leftovers = {
      running: engine.running,
      openTokens: engine.openTokens,
      executionsMonitored: engine.executionsMonitored,
      // The warm-up's own lifecycles ended too: fewer timers than at the start is fine.
      timersAboveStart: Math.max(0, engine.pendingTimers - timersAtStart),
      executionsBuffered: workflowHistory.executionsBuffered,
      dynamoOpenIterators,
    };
    const held = Object.entries(leftovers).filter(([, n]) => n !== 0);
    console.log(`held once all ended:       ${held.length === 0 ? 'nothing' : held.map(([k, n]) => `${k} ${n}`).join(', ')} (${engine.finished} finished executions described, a bounded store)`);
    const ratio = (memory: readonly ProcessMemory[], label: string) => (rssOf(memory, label) / rssOf(start, label)).toFixed(2);
    console.log(`RSS after GC / start:      system ${ratio(loaded, 'system')} with ${opened} lifecycles open, ${ratio(end, 'system')} once they ended (at most ${maxRatio}); dynalite ${ratio(end, 'dynalite')}, both ${(total(end) / total(start)).toFixed(2)}`);
    return held.length === 0 && rssOf(end, 'system') <= maxRatio * rssOf(start, 'system');
  } finally {
    // A process with a debugger session attached waits for it at exit: detach first.
    for (const p of processes) p.inspector.close();
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

run().then(
  (bounded) => process.exit(bounded ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
