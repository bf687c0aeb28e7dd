import { Agent, request } from 'node:http';
import { assertConformsToContract } from '../../support/contract-check.js';
import type { ApiResponse } from '../../support/local-api.js';

/** No answer within the call's bound: the request is abandoned (its socket destroyed). */
export class CallTimedOut extends Error {
  constructor(readonly method: string, readonly path: string, readonly timeoutMs: number) {
    super(`${method} ${path}: no answer in ${(timeoutMs / 1000).toFixed(0)} s`);
  }
}

// Keep-alive sockets and node:http rather than fetch: the bench makes thousands of calls (as LocalApi does).
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

function send(url: string, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal, timedOut: () => Error): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(signal.aborted ? timedOut() : error);
    const req = request(url, { method, headers, agent, signal }, (res) => {
      const chunks: Buffer[] = [];
      let ended = false;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        ended = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
      // A body cut off (the system killed, the call timed out) may end with 'close' alone.
      res.on('close', () => { if (!ended) fail(new Error(`${method} ${url}: the answer was cut off`)); });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // An idle kept-alive socket the server closed just as it was reused: nothing was processed, send again.
      if (!signal.aborted && req.reusedSocket && error.code === 'ECONNRESET') send(url, method, headers, body, signal, timedOut).then(resolve, reject);
      else fail(error);
    });
    req.end(body);
  });
}

/**
 * The bench's HTTP client: LocalApi's calls, each bounded by a timeout. A system that hangs
 * must make the bench act (re-send, count, give up), never wait in silence.
 */
export class TimedApi {
  constructor(readonly baseUrl: string, private readonly timeoutMs: number) {}

  async call(credential: string | undefined, method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<ApiResponse<unknown>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credential) headers.authorization = `Bearer local:${credential}`;
    const response = await send(`${this.baseUrl}${path}`, method, headers, body === undefined ? undefined : JSON.stringify(body), AbortSignal.timeout(timeoutMs), () => new CallTimedOut(method, path, timeoutMs));
    assertConformsToContract({ method, path, ...response });
    let parsed: unknown = response.text;
    try {
      parsed = JSON.parse(response.text);
    } catch {
      // non-JSON bodies (CSV) stay text
    }
    return { status: response.status, body: parsed, text: response.text };
  }
}
