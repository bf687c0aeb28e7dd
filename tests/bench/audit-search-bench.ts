import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { startLocalDynamoDb } from '../../infra/local/dynamodb-local.js';
import { LOCAL_CREDENTIALS } from '../../infra/local/loopback.js';
import { percentile } from './bench-client.js';
import { seedEvents, TARGET_AGENT } from './audit-seed.js';

/**
 * `npm run bench:audit [-- --events 1000000 --runs 30 --data-dir DIR]`
 * Seeds N events straight into the local DynamoDB (on disk, as `npm start` keeps it) with
 * BatchWriteItem, then times the search Lambda handler (`GET /v1/audit/events`, invoked with
 * an API Gateway event as the local server does) for one agent and one month. A --data-dir
 * that was seeded before is reused (seeding a million events takes minutes).
 */
const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '8' },
    'data-dir': { type: 'string' },
  },
});
const events = Number(values.events);
const runs = Number(values.runs);

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

function apiEvent(query: Record<string, string>): APIGatewayProxyEvent {
  return {
    resource: '/v1/audit/events', path: '/v1/audit/events', httpMethod: 'GET', headers: { authorization: 'Bearer local:auditor:BENCH' },
    multiValueHeaders: {}, queryStringParameters: query, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null,
    body: null, isBase64Encoded: false, requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}

async function main(): Promise<void> {
  const dataDir = values['data-dir'] ?? (await mkdtemp(join(tmpdir(), 'policy-qc-audit-bench-')));
  await mkdir(dataDir, { recursive: true });
  const marker = join(dataDir, `seeded-${events}`);
  const dynamo = await startLocalDynamoDb(join(dataDir, 'dynamodb'));
  try {
    if (!existsSync(marker)) {
      const started = performance.now();
      await seedEvents(dynamo.endpoint, events, Number(values.concurrency), (done) => process.stderr.write(`\r  seeding: ${done}/${events} events`));
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write('\n');
      console.log(`seeded:                ${events} events in ${seconds.toFixed(0)} s (${(events / seconds).toFixed(0)} events/s, BatchWriteItem of 25)`);
      await writeFile(marker, new Date().toISOString());
    } else {
      console.log(`seeded:                reusing ${events} events in ${dataDir}`);
    }
    Object.assign(process.env, {
      AUTH_MODE: 'local', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      TABLE_NAME: 'policy-qc', DYNAMODB_ENDPOINT: dynamo.endpoint, LIFECYCLE_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:policy-lifecycle',
      MAIL_FROM: 'bench@insurer.example', LOG_LEVEL: 'warn',
    });
    const { handler } = (await import('../../functions/handlers/http/search-audit-events.js')) as { handler: Handler };
    const june = { from: '2026-06-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z' };
    const time = async (label: string, query: Record<string, string>) => {
      const ms: number[] = [];
      let body: { events: unknown[]; nextCursor?: string } = { events: [] };
      for (let i = 0; i < runs + 3; i++) {
        const started = performance.now();
        const result = await handler(apiEvent(query), {} as Context);
        const elapsed = performance.now() - started;
        if (result.statusCode !== 200) throw new Error(`${label}: ${result.statusCode} ${result.body}`);
        body = JSON.parse(result.body) as typeof body;
        if (i >= 3) ms.push(elapsed); // the first calls warm the SDK and the handler
      }
      console.log(`${label.padEnd(38)} ${String(body.events.length).padStart(3)} events: p50 ${percentile(ms, 50).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms`);
      return body;
    };
    console.log(`search (first page of 100, ${runs} runs, access record written each time):`);
    const first = await time(`agent ${TARGET_AGENT}, June (target <= 50 ms)`, { ...june, agentId: TARGET_AGENT });
    if (first.nextCursor) await time('  its second page (cursor)', { ...june, agentId: TARGET_AGENT, cursor: first.nextCursor });
    await time('agent AG7, June', { ...june, agentId: 'AG7' });
    await time('agent + type (filtered), June', { ...june, agentId: TARGET_AGENT, type: 'ReceiptReturned' });
    await time('branch BR3, June', { ...june, branchId: 'BR3' });
    await time('type CallbackRoundOpened, June', { ...june, type: 'CallbackRoundOpened' });
    await time('no filter (month partition), June', june);
  } finally {
    await dynamo.close();
    if (!values['data-dir']) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
