import { parseArgs } from 'node:util';
import { details, runTorture } from './torture/torture.js';

/**
 * `npm run torture [-- --policies 300 --kills 20 --seed 1 --concurrency 16 --details 5 --main-only --keep-data]`
 * The crash-torture harness: the workload uninterrupted, then with K SIGKILLs of the whole
 * local system, compared policy by policy. `--kills 0` runs it twice uninterrupted: both runs
 * must agree exactly (the harness's determinism check). Exits non-zero on any divergence.
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
  },
});

const number = (name: string, text: string, min: number) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${text}"`);
  return n;
};

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const result = await runTorture({
  policies: number('policies', values.policies, 1),
  kills: number('kills', values.kills, 0),
  seed: number('seed', values.seed, 0),
  concurrency: number('concurrency', values.concurrency, 1),
  killDatabase: !values['main-only'],
  keepData: values['keep-data'],
  progress: (line) => process.stderr.write(`[${elapsed()}] ${line}\n`),
});
for (const line of details(result, number('details', values.details, 0))) process.stdout.write(`${line}\n`);
if (values['keep-data']) process.stdout.write(`data folders kept: ${result.dataDirs.join(' ')}\n`);
process.stdout.write(`run time ${result.seconds.toFixed(0)} s\n${result.summary}\n`);
process.exitCode = result.ok ? 0 : 1;
