import { DateTime } from 'luxon';

const ZONE = 'Asia/Shanghai';

/** A step answered with another status than the story expects: the demo stops there. */
export class UnexpectedAnswer extends Error {
  override readonly name = 'UnexpectedAnswer';
}

export interface Answer {
  readonly status: number;
  /** Parsed JSON, or the text for CSV. */
  readonly body: unknown;
}

type Json = Record<string, unknown>;

/** The demo's HTTP client: each call states the status it expects, and a surprise stops the story. */
export class DemoClient {
  constructor(private readonly api: string, private readonly write: (line: string) => void) {}

  /** `role` is `<role>[:<subject>]` (local credentials); none for the local-only endpoints. */
  async call(role: string | undefined, method: 'GET' | 'POST' | 'PUT', path: string, expected: number, body?: unknown, accept?: string): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (role) headers.authorization = `Bearer local:${role}`;
    if (accept) headers.accept = accept;
    const response = await fetch(`${this.api}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // CSV stays text
    }
    if (response.status !== expected) {
      throw new UnexpectedAnswer(`${method} ${path}${role ? ` (as ${role})` : ''} answered ${response.status}, expected ${expected}: ${text.slice(0, 500)}`);
    }
    return { status: response.status, body: parsed };
  }

  async json(role: string | undefined, method: 'GET' | 'POST' | 'PUT', path: string, expected: number, body?: unknown): Promise<Json> {
    const answer = await this.call(role, method, path, expected, body);
    if (typeof answer.body !== 'object' || answer.body === null) throw new UnexpectedAnswer(`${method} ${path} answered no JSON object`);
    return answer.body as Json;
  }

  /** Moves the virtual clock; the call returns once every timer that fell due has fired and settled. */
  async clockTo(localTime: string): Promise<void> {
    const target = DateTime.fromISO(localTime, { zone: ZONE });
    await this.json(undefined, 'POST', '/_local/clock', 200, { to: target.toUTC().toISO() });
    this.write('');
    this.write(`── ${target.toFormat('yyyy-MM-dd HH:mm')} (Asia/Shanghai) ──`);
  }

  /** One line of the story: what happened → what the system answered. */
  say(what: string, result?: string): void {
    this.write(`  ${what}${result === undefined ? '' : `  →  ${result}`}`);
  }
}

/** Reads a nested field for printing and checking, e.g. `pick(view, 'commission', 'net')`. */
export function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[key];
  }
  return current;
}

/** Checks a value the story depends on; a different one stops the demo with both values named. */
export function expectValue(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new UnexpectedAnswer(`${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}
