import { parseArgs } from 'node:util';
import { RunAbandoned } from './torture/driver.js';
import { installCleanup } from './torture/system-process.js';
import { details, runTorture } from './torture/torture.js';

/**
 * `npm run torture [-- --policies 300 --kills 20 --seed 1 --concurrency 16 --details 5 --main-only --keep-data
 *   --call-timeout-seconds 300 --stall-seconds 120 --max-minutes 60 --heartbeat-seconds 30
 *   --system-log FILE --log-level info]`
 * The crash-torture harness: the workload uninterrupted, then with K SIGKILLs of the whole
 * local system, compared policy by policy. `--kills 0` runs it twice uninterrupted: both runs
 * must agree exactly (the harness's determinism check). Exits 1 on any divergence, 2 when a
 * run stalled or overran (STALLED / TIMED OUT at step n/N, after a dump of the system's state).
 */
const { values } = parseArgs({
  options: {
    policies: { type: 'string', default: '300' },
    kills: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '16' },
    details: { type: 'string', default: '5' },
    'main-only': { type: 'boolean', default: false },
    'keep-data': { type: 'boolean', default: false },
    'call-timeout-seconds': { type: 'string', default: '300' },
    'stall-seconds': { type: 'string', default: '120' },
    'max-minutes': { type: 'string', default: '60' },
    'heartbeat-seconds': { type: 'string', default: '30' },
    'system-log': { type: 'string' },
    'log-level': { type: 'string' },
  },
});

const number = (name: string, text: string, min: number) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return n;
};

installCleanup();
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const run = runTorture({
  policies: number('policies', values.policies, 1),
  kills: number('kills', values.kills, 0),
  seed: number('seed', values.seed, 0),
  concurrency: number('concurrency', values.concurrency, 1),
  killDatabase: !values['main-only'],
  keepData: values['keep-data'],
  ...(values['system-log'] ? { systemLog: values['system-log'] } : {}),
  ...(values['log-level'] ? { logLevel: values['log-level'] } : {}),
  progress: (line) => process.stderr.write(`[${elapsed()}] ${line}\n`),
  watch: {
    callTimeoutMs: number('call-timeout-seconds', values['call-timeout-seconds'], 1) * 1000,
    stallMs: number('stall-seconds', values['stall-seconds'], 1) * 1000,
    maxMs: number('max-minutes', values['max-minutes'], 1) * 60_000,
    heartbeatMs: number('heartbeat-seconds', values['heartbeat-seconds'], 1) * 1000,
  },
});
const result = await run.catch((error: unknown) => {
  if (!(error instanceof RunAbandoned)) throw error;
  for (const line of error.dump) process.stderr.write(`${line}\n`);
  process.stdout.write(`${error.message}\n`);
  // Everything the run started is already killed and checked gone; nothing else may hold the bench.
  process.exit(2);
});
for (const line of details(result, number('details', values.details, 0))) process.stdout.write(`${line}\n`);
if (values['keep-data']) process.stdout.write(`data folders kept: ${result.dataDirs.join(' ')}\n`);
process.stdout.write(`run time ${result.seconds.toFixed(0)} s\n${result.summary}\n`);
process.exitCode = result.ok ? 0 : 1;
