import type { ConsoleConfig, Role } from './session.js';

/** One field the API named in a 400 (`error.details[]`, docs/api.md Errors). */
export interface FieldError {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

export interface ApiResult<T> {
  readonly status: number;
  readonly ok: boolean;
  readonly body: T;
  /** The error message the API gave (`error.message`), for a failed call. */
  readonly message?: string;
  readonly details?: readonly FieldError[];
}

/** Who calls: the acting role and the credential of the person signed in (auth.ts). */
export interface ApiCaller {
  readonly role: Role;
  credential(): Promise<string | undefined>;
  /** A fresh credential after a 401 (true: send the call once more). */
  renew(): Promise<boolean>;
  /** A 401 that renewing did not cure: keep the forms, sign in again. */
  unauthorized(): void;
}

/** Every API call carries the signed-in credential and the acting role; the API does the masking and the scope. */
export class Api {
  constructor(private readonly config: ConsoleConfig, private readonly caller: ApiCaller) {}

  async call<T>(method: string, path: string, body?: unknown, accept = 'application/json', retried = false): Promise<ApiResult<T>> {
    const credential = await this.caller.credential();
    // Always named: a person in several groups must say which one acts (the API checks it is theirs).
    const headers: Record<string, string> = { accept, 'x-acting-role': this.caller.role, ...(credential ? { authorization: credential } : {}) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.config.apiBase}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (response.status === 401) {
      if (!retried && await this.caller.renew()) return this.call<T>(method, path, body, accept, true);
      this.caller.unauthorized();
    }
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try { parsed = JSON.parse(text); } catch { /* keep text */ }
    }
    const error = (parsed as { error?: { code?: string; message?: string; details?: FieldError[] } } | null)?.error;
    return {
      status: response.status, ok: response.ok, body: parsed as T,
      ...(response.ok ? {} : { message: error ? `${error.code ?? response.status}: ${error.message ?? ''}` : `HTTP ${response.status}` }),
      ...(Array.isArray(error?.details) ? { details: error.details } : {}),
    };
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
