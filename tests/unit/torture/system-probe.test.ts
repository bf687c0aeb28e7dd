import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { diagnosticsDump, readProgress } from '../../bench/torture/system-probe.js';
import { TimedApi } from '../../bench/torture/timed-api.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A system's `/_local` endpoints, with or without `/_local/diagnostics` (being added to the system). */
async function system(diagnostics: boolean): Promise<TimedApi> {
  const server = createServer((req, res) => {
    const bodies: Record<string, unknown> = {
      '/_local/clock': { now: '2026-03-12T02:30:00.000Z', pendingTimers: 4 },
      '/_local/metrics': { statesEntered: 120, dynamoOperations: { PutItem: 30, Query: 12 } },
      ...(diagnostics ? { '/_local/diagnostics': { executionsBusy: { count: 1, first: ['T1-0001'] } } } : {}),
    };
    const body = bodies[req.url ?? ''];
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: { code: 'NOT_FOUND' } }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new TimedApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 1_000);
}

describe('the system probe', () => {
  it('reads the clock, states entered and DynamoDB operations into a heartbeat line', async () => {
    const sample = await readProgress(await system(false), 1_000, '7 answers received');
    expect(sample?.line).toBe('clock 2026-03-12T02:30:00.000Z, 4 timers pending, 120 states entered, 42 DynamoDB operations, 7 answers received');
  });

  it('dumps /_local/diagnostics where the system has it, and skips it on a 404', async () => {
    const withIt = await diagnosticsDump(await system(true), 1_000);
    expect(withIt).toHaveLength(3);
    expect(withIt[2]).toBe('GET /_local/diagnostics → 200 {"executionsBusy":{"count":1,"first":["T1-0001"]}}');
    const without = await diagnosticsDump(await system(false), 1_000);
    expect(without.map((l) => l.split(' →')[0])).toEqual(['GET /_local/clock', 'GET /_local/metrics']);
  });
});
