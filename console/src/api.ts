import type { ConsoleConfig, Identity } from './session.js';

export interface ApiResult<T> {
  readonly status: number;
  readonly ok: boolean;
  readonly body: T;
  /** The error message the API gave (`error.message`), for a failed call. */
  readonly message?: string;
}

/** Every API call carries the signed-in credential; the API does the masking and the scope. */
export class Api {
  constructor(private readonly config: ConsoleConfig, private readonly identity: Identity) {}

  async call<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { authorization: this.identity.authorization, accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.config.apiBase}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try { parsed = JSON.parse(text); } catch { /* keep text */ }
    }
    const error = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    return { status: response.status, ok: response.ok, body: parsed as T, ...(response.ok ? {} : { message: error ? `${error.code ?? response.status}: ${error.message ?? ''}` : `HTTP ${response.status}` }) };
  }

  get<T>(path: string, accept?: string) { return this.call<T>('GET', path, undefined, accept); }
  post<T>(path: string, body: unknown) { return this.call<T>('POST', path, body); }
  put<T>(path: string, body: unknown) { return this.call<T>('PUT', path, body); }

  /** The service's "now": locally the virtual clock (a fact dated later than it is refused), else this machine's. */
  async now(): Promise<Date> {
    if (this.config.mode !== 'local') return new Date();
    const response = await fetch('/_local/clock');
    if (!response.ok) return new Date();
    return new Date(((await response.json()) as { now: string }).now);
  }
}

export function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 18)}`;
}
