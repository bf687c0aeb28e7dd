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
 * loopback, refuses bad requests for a while, then serves valid traffic at each rate, and
 * prints the RSS of the system's process and of its dynalite process after each phase. After a
 * forced collection of every heap the total must be within `max-ratio` of the start; it exits 1
 * otherwise. The start is taken warm (every kind of request answered once, then collected):
 * loading the handlers into the Lambda sandboxes is a one-time cost, not growth.
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

const MB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(0)}`.padStart(5);
const total = (memory: readonly ProcessMemory[]) => memory.reduce((sum, p) => sum + p.rssBytes, 0);

interface Metrics { cpuMicros: { system: number; dynamodb: number } }

function printPhase(phase: string, memory: readonly ProcessMemory[], run?: RunStats, cpu?: { system: number; dynamodb: number }): void {
  const processes = memory.map((p) => {
    const heaps = p.heaps.map((h) => `${h.kind} ${mb(h.usedBytes).trim()}/${mb(h.totalBytes).trim()}`).join(', ');
    return `${p.label} ${mb(p.rssBytes)} (heap MB used/total: ${heaps})`;
  }).join(' | ');
  const traffic = run ? `  ${run.sent} requests in ${run.seconds.toFixed(1)} s = ${(run.sent / run.seconds).toFixed(0)}/s ${JSON.stringify(run.statuses)}` : '';
  const cpuText = run && cpu ? `, CPU ${(cpu.system / 1000 / run.sent).toFixed(2)} ms system + ${(cpu.dynamodb / 1000 / run.sent).toFixed(2)} ms dynalite per request` : '';
  console.log(`${phase.padEnd(22)} RSS total ${mb(total(memory))} MB: ${processes}`);
  if (traffic) console.log(`${''.padEnd(22)}${traffic}${cpuText}`);
}

async function run(): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'policy-qc-memory-'));
  const inspect = `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim();
  const system = await startChildSystem(dataDir, CLOCK_START, { NODE_OPTIONS: inspect });
  let processes: InspectedProcess[] = [];
  try {
    const api = new LocalApi(system.url);
    processes = await inspectProcesses(system.output(), (pid) => (pid === system.process.pid ? 'system' : 'dynalite'));
    if (!processes.some((p) => p.label === 'system') || !processes.some((p) => p.label === 'dynalite')) {
      throw new Error(`expected inspectors of the system and of dynalite, found ${processes.map((p) => p.label).join(', ') || 'none'}`);
    }
    const metrics = async () => (await api.get<Metrics>('manager', '/_local/metrics')).body.cpuMicros;
    const printedAt = new Date((await api.now()).getTime() - 60_000);
    const mix = new ValidMix(api, printedAt);

    printPhase('cold start', await measure(processes));
    await abuse(api, 60, 4, 64);
    for (let i = 0; i < 20; i++) await mix.next();
    await collectAll(processes);
    const start = await measure(processes);
    printPhase('start (warm, GC)', start);

    const abused = await abuse(api, abuseSeconds, concurrency, MAX_ABUSE_REQUESTS);
    printPhase(`after ${abuseSeconds} s of abuse`, await measure(processes), abused);

    for (const rate of rates) {
      const before = await metrics();
      const load = await steadyLoad(() => mix.next(), rate, seconds, MAX_IN_FLIGHT);
      const after = await metrics();
      printPhase(`after ${rate} req/s`, await measure(processes), load, { system: after.system - before.system, dynamodb: after.dynamodb - before.dynamodb });
    }
    await collectAll(processes);
    const end = await measure(processes);
    printPhase('after GC', end);
    const ratio = total(end) / total(start);
    console.log(`ratio end/start:       ${ratio.toFixed(2)} (at most ${maxRatio}), ${mix.registeredCount()} lifecycles open`);
    return ratio <= maxRatio ? 0 : 1;
  } finally {
    // A process with a session attached waits for its debugger at exit: detach first.
    for (const p of processes) p.inspector.close();
    await system.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
