import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { watchLaunchChain } from './launch-chain.js';
import { startLocalSystem } from './local-system.js';

// Under sustained load V8 lets a heap grow to about four times what is live before it
// collects (the engine's thread allocates fast): 400 MB for 70 MB live after 10,000
// lifecycles. Growing by half at most keeps the process near what it uses, at no measured
// cost in throughput or CPU: peak RSS 927 → 565 MB at N = 10,000. Set before the sandboxes
// start, so their heaps grow the same way.
setFlagsFromString('--heap-growing-percent=50');

/** `npm start`: the whole system on loopback (docs/api.md, Local mode only). */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const dataDir = resolve(process.env.DATA_DIR ?? '.data');
  const clockStart = process.env.CLOCK_START ? new Date(process.env.CLOCK_START) : undefined;
  if (clockStart && Number.isNaN(clockStart.getTime())) throw new Error(`CLOCK_START must be an ISO-8601 date-time, got "${process.env.CLOCK_START}"`);

  const system = await startLocalSystem({ port, dataDir, clockStart });
  const printed = new Date(system.clock.now().getTime() - 60_000).toISOString();
  process.stdout.write(`Policy callback QC — local mode
  API:        ${system.url}   (Authorization: Bearer local:<role>[:<subject>])
  data:       ${dataDir}
  dynamodb:   ${system.dynamoEndpoint} (local stand-in)
  clock:      ${system.clock.now().toISOString()} (virtual; POST ${system.url}/_local/clock {"advanceBy":"P10D"})
  e-mails:    ${system.url}/_local/emails
  console:    ${system.url}/?as=callcentre:OP7   (web console; ?as=<role>:<subject> signs in)
  resumed:    ${system.resumed} open lifecycle(s)${system.resumedSettlement ? `, settlement ${system.resumedSettlement}` : ''}

Try:
  curl -s -X POST ${system.url}/v1/policies -H 'Authorization: Bearer local:upstream' -H 'content-type: application/json' \\
    -d '{"policyId":"P-1001","productCode":"LIFE20","branchId":"BR-SH","printedAt":"${printed}","effectiveAt":"${printed.slice(0, 10)}","agent":{"agentId":"A1001","name":"王芳","phone":"13900000001","email":"a1001@insurer.example"},"policyholder":{"name":"张三","phone":"13800000000"},"commission":{"amount":"1200.00"}}'
`);

  // Everything this process started stops with it: on a signal, and when whatever launched
  // it (npm, sh, tsx) is gone — killed, even with SIGKILL, they do not pass it on.
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${why}: stopping (open lifecycles resume on the next start)\n`);
    // A stop that hangs still ends; dynalite then closes its data itself when its parent disconnects.
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    await system.stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  watchLaunchChain((reason) => void stop(reason));
}

const STOP_TIMEOUT_MS = 15_000;

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
