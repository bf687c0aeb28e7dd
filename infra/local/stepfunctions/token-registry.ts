import { randomBytes } from 'node:crypto';
import type { VirtualClock } from '../clock/virtual-clock.js';
import { detachedError, statesTimeoutError, taskError } from './engine-errors.js';
import { SfnServiceError } from './errors.js';
import type { JsonValue } from './local-asl.js';

// Task tokens for the local engine, which has none: a callback task's handler mints a token
// and returns its pending promise; SendTaskSuccess/Failure settle it, and the virtual clock
// fails it with States.Timeout at its deadline, as AWS does with the task's TimeoutSeconds.

const TOKEN_PREFIX = 'LocalTaskToken.';
const TOKEN_PATTERN = /^LocalTaskToken\.[A-Za-z0-9_-]{43}$/;

export interface OpenTokenInfo {
  token: string;
  stateName: string;
  deadline?: Date;
}

interface OpenToken extends OpenTokenInfo {
  executionId: string;
  timerId?: number;
  resolve: (output: JsonValue) => void;
  reject: (error: Error) => void;
}

export class TokenRegistry {
  private readonly clock: VirtualClock;
  private readonly maxClosed: number;
  private readonly open = new Map<string, OpenToken>();
  private readonly byExecution = new Map<string, Set<string>>();
  /** Recently completed tokens, so a late or repeated callback gets TaskTimedOut like on AWS
   * rather than TaskDoesNotExist. Bounded (insertion order = age) to keep memory flat. */
  private readonly closed = new Set<string>();

  constructor(opts: { clock: VirtualClock; maxClosedTokens?: number }) {
    this.clock = opts.clock;
    this.maxClosed = opts.maxClosedTokens ?? 100_000;
  }

  mint(executionId: string, stateName: string, deadline?: Date): { token: string; promise: Promise<JsonValue> } {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    let resolve!: OpenToken['resolve'];
    let reject!: OpenToken['reject'];
    const promise = new Promise<JsonValue>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // The engine races this promise; the no-op handler only keeps a rejection that nobody
    // awaits any more (aborted branch) from surfacing as an unhandled rejection.
    promise.catch(() => undefined);
    const entry: OpenToken = { token, executionId, stateName, resolve, reject };
    if (deadline) {
      entry.deadline = deadline;
      entry.timerId = this.clock.schedule(deadline, () => this.expire(token));
    }
    this.open.set(token, entry);
    let set = this.byExecution.get(executionId);
    if (!set) this.byExecution.set(executionId, (set = new Set()));
    set.add(token);
    return { token, promise };
  }

  /** SendTaskSuccess: the task's result is the (parsed) output. */
  succeed(token: string, output: JsonValue): void {
    this.take(token).resolve(output);
  }

  /** SendTaskFailure: Catch/Retry match `error`; the Catch output's Cause is `cause`. */
  fail(token: string, error?: string, cause?: string): void {
    this.take(token).reject(taskError(error ?? '', cause ?? ''));
  }

  /** SendTaskHeartbeat: heartbeats are not modelled; the token must still be open. */
  heartbeat(token: string): void {
    this.lookup(token);
  }

  /** The execution an open token belongs to (undefined once it completed). */
  executionOf(token: string): string | undefined {
    return this.open.get(token)?.executionId;
  }

  openTokens(executionId: string): OpenTokenInfo[] {
    const tokens = [...(this.byExecution.get(executionId) ?? [])];
    return tokens.flatMap((t) => {
      const e = this.open.get(t);
      if (!e) return [];
      const info: OpenTokenInfo = { token: e.token, stateName: e.stateName };
      if (e.deadline) info.deadline = e.deadline;
      return [info];
    });
  }

  openCount(): number {
    return this.open.size;
  }

  /** The execution ended or was stopped: its tokens die (later callbacks get TaskTimedOut),
   * their deadlines are cancelled and their promises end without any Retry/Catch. */
  dropExecution(executionId: string): void {
    for (const token of [...(this.byExecution.get(executionId) ?? [])]) {
      this.take(token).reject(detachedError(`execution ${executionId} is no longer running`));
    }
    this.byExecution.delete(executionId);
  }

  private async expire(token: string): Promise<void> {
    if (!this.open.has(token)) return;
    const error = await statesTimeoutError();
    if (!this.open.has(token)) return; // completed while the error was being made
    this.take(token).reject(error);
  }

  private lookup(token: string): OpenToken {
    if (!TOKEN_PATTERN.test(token)) throw new SfnServiceError('InvalidToken', 'Invalid Token');
    const entry = this.open.get(token);
    if (entry) return entry;
    if (this.closed.has(token)) {
      throw new SfnServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    throw new SfnServiceError('TaskDoesNotExist', 'Task does not exist (unknown token, or minted before a restart)');
  }

  /** Validates, then closes the token: cancels its deadline and forgets it. */
  private take(token: string): OpenToken {
    const entry = this.lookup(token);
    this.open.delete(token);
    if (entry.timerId !== undefined) this.clock.cancel(entry.timerId);
    const set = this.byExecution.get(entry.executionId);
    set?.delete(token);
    if (set && set.size === 0) this.byExecution.delete(entry.executionId);
    this.closed.add(token);
    if (this.closed.size > this.maxClosed) {
      const oldest = this.closed.values().next();
      if (!oldest.done) this.closed.delete(oldest.value);
    }
    return entry;
  }
}
