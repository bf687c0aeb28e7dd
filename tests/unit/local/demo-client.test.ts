import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoClient, UnexpectedAnswer, expectValue } from '../../../infra/local/demo/demo-client.js';

/** The demo stops at the first surprise, naming the call and what came back. */
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/conflict' ? 409 : 200, { 'content-type': 'application/json' });
    res.end(req.url === '/conflict' ? '{"error":{"code":"NO_OPEN_ROUND"}}' : `{"auth":${JSON.stringify(req.headers.authorization ?? null)}}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the demo client', () => {
  it('sends the local credential and returns the parsed answer when the status is the expected one', async () => {
    const demo = new DemoClient(url, () => undefined);
    expect(await demo.json('agent:A1001', 'GET', '/ok', 200)).toEqual({ auth: 'Bearer local:agent:A1001' });
  });

  it('throws UnexpectedAnswer naming the call, the status and the body when another status comes back', async () => {
    const demo = new DemoClient(url, () => undefined);
    const call = demo.call('callcentre', 'POST', '/conflict', 200, { round: 1 });
    await expect(call).rejects.toBeInstanceOf(UnexpectedAnswer);
    await expect(call).rejects.toThrow(/POST \/conflict \(as callcentre\) answered 409, expected 200: .*NO_OPEN_ROUND/);
  });

  it('names both values when a checked value differs', () => {
    expect(() => expectValue('P-1 net', '1200.00', '1160.00')).toThrow('P-1 net is "1200.00", expected "1160.00"');
  });
});
