import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSystem, type LocalSystem } from '../../infra/local/local-system.js';
import { assertConformsToContract } from './contract-check.js';

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly text: string;
}

// Keep-alive sockets: the benchmark makes thousands of calls, and fetch costs the driver more CPU than the system it measures.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

function send(url: string, method: string, headers: Record<string, string>, body: string | undefined): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // An idle kept-alive socket the server closed just as it was reused: nothing was processed, send again.
      if (req.reusedSocket && error.code === 'ECONNRESET') send(url, method, headers, body).then(resolve, reject);
      else reject(error);
    });
    req.end(body);
  });
}

export interface LocalApiOptions {
  /**
   * Check every answer against the OpenAPI document of the route table (status, media type,
   * body schema, Vary); a violation fails the call.
   * @default true
   */
  readonly checkContract?: boolean;
}

/** A thin HTTP client for tests and the benchmark: every call goes through the real local server. */
export class LocalApi {
  private readonly checkContract: boolean;

  constructor(readonly baseUrl: string, options: LocalApiOptions = {}) {
    this.checkContract = options.checkContract ?? true;
  }

  async call<T = Record<string, unknown>>(credential: string | undefined, method: string, path: string, body?: unknown, rawBody?: string): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credential) headers.authorization = `Bearer local:${credential}`;
    const response = await send(`${this.baseUrl}${path}`, method, headers, rawBody ?? (body === undefined ? undefined : JSON.stringify(body)));
    if (this.checkContract) assertConformsToContract({ method, path, ...response });
    const { status, text } = response;
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // non-JSON bodies (CSV) stay text
    }
    return { status, body: parsed as T, text };
  }

  get<T = Record<string, unknown>>(credential: string, path: string) {
    return this.call<T>(credential, 'GET', path);
  }

  post<T = Record<string, unknown>>(credential: string, path: string, body: unknown) {
    return this.call<T>(credential, 'POST', path, body);
  }

  put<T = Record<string, unknown>>(credential: string, path: string, body: unknown) {
    return this.call<T>(credential, 'PUT', path, body);
  }

  async now(): Promise<Date> {
    const { body } = await this.call<{ now: string }>(undefined, 'GET', '/_local/clock');
    return new Date(body.now);
  }

  async advance(advanceBy: string): Promise<Date> {
    const { status, body } = await this.call<{ now: string }>(undefined, 'POST', '/_local/clock', { advanceBy });
    if (status !== 200) throw new Error(`clock advance failed: ${status} ${JSON.stringify(body)}`);
    return new Date(body.now);
  }

  async advanceTo(to: Date): Promise<Date> {
    const { status, body } = await this.call<{ now: string }>(undefined, 'POST', '/_local/clock', { to: to.toISOString() });
    if (status !== 200) throw new Error(`clock advance failed: ${status} ${JSON.stringify(body)}`);
    return new Date(body.now);
  }

  async emails(): Promise<{ to: string[]; subject: string; text: string; sentAt: string }[]> {
    return (await this.call<{ to: string[]; subject: string; text: string; sentAt: string }[]>(undefined, 'GET', '/_local/emails')).body;
  }
}

export interface TestSystem {
  readonly api: LocalApi;
  readonly system: LocalSystem;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** Starts the whole local system in this process on a fresh data folder. */
export async function startTestSystem(clockStart: Date): Promise<TestSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'policy-qc-test-'));
  const system = await startLocalSystem({ port: 0, dataDir, clockStart });
  return {
    api: new LocalApi(system.url),
    system,
    dataDir,
    async stop() {
      await system.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
