import WebSocket from 'ws';

/**
 * A Chrome DevTools Protocol session with a process started with `--inspect=127.0.0.1:0`, and
 * through it with the process's worker threads (NodeWorker domain): the memory benchmark
 * forces garbage collections and reads heap sizes this way, without any endpoint or signal
 * handler in the product.
 */
type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
interface Reply { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message: string } }

/** Sends commands and matches replies by id; the main session and each worker session have one. */
class CommandChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (text: string) => void, readonly kind: IsolateKind) {}

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post(JSON.stringify({ id, method, params }));
    });
  }

  /** Returns false when the message is an event, not a reply. */
  receive(message: Reply): boolean {
    if (message.id === undefined) return false;
    const waiting = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.error) waiting?.reject(new Error(message.error.message));
    else waiting?.resolve(message.result);
    return true;
  }

  failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

export interface HeapUsage {
  readonly kind: IsolateKind;
  readonly usedBytes: number;
  readonly totalBytes: number;
}

/** The main thread, a Lambda sandbox, or an ESM loader thread (tsx's hooks run on one per thread that registers them). */
export type IsolateKind = 'main' | 'sandbox' | 'loader' | 'worker';

/** One isolate: the process's main thread or one of its workers. */
export interface IsolateSession {
  readonly kind: IsolateKind;
  send<T>(method: string, params?: object): Promise<T>;
}

export class InspectorClient {
  private readonly main: CommandChannel;
  private readonly workers = new Map<string, CommandChannel>();

  private constructor(private readonly socket: WebSocket) {
    this.main = new CommandChannel((text) => socket.send(text), 'main');
    socket.on('message', (data: Buffer) => this.dispatch(JSON.parse(data.toString('utf8')) as Reply));
    socket.on('close', () => {
      const closed = new Error('inspector connection closed');
      this.main.failAll(closed);
      for (const worker of this.workers.values()) worker.failAll(closed);
    });
  }

  /** Connects to the `ws://…` address a process prints as "Debugger listening on …". */
  static async connect(url: string): Promise<InspectorClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = new InspectorClient(socket);
    // Attach to the worker threads already running (and to later ones), without pausing them.
    await client.main.send('NodeWorker.enable', { waitForDebuggerOnStart: false });
    return client;
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    return this.main.send<T>(method, params);
  }

  /** A JSON-able expression evaluated in the process's main thread. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = await this.main.send<{ result: { value: T }; exceptionDetails?: { text: string } }>('Runtime.evaluate', { expression, returnByValue: true });
    if (reply.exceptionDetails) throw new Error(`evaluation failed: ${reply.exceptionDetails.text}`);
    return reply.result.value;
  }

  /** The main thread first, then each worker thread attached so far. */
  isolates(): IsolateSession[] {
    return [this.main, ...this.workers.values()];
  }

  workerCount(): number {
    return this.workers.size;
  }

  close(): void {
    this.socket.close();
  }

  private dispatch(message: Reply): void {
    if (this.main.receive(message)) return;
    const params = message.params ?? {};
    const sessionId = String(params.sessionId ?? '');
    if (message.method === 'NodeWorker.attachedToWorker') {
      const url = String((params.workerInfo as { url?: string } | undefined)?.url ?? '');
      const kind = url.startsWith('node:internal/modules/esm') ? 'loader' : url.endsWith('lambda-worker-entry.mjs') ? 'sandbox' : 'worker';
      this.workers.set(sessionId, new CommandChannel((text) => {
        void this.main.send('NodeWorker.sendMessageToWorker', { sessionId, message: text }).catch(() => undefined);
      }, kind));
    } else if (message.method === 'NodeWorker.detachedFromWorker') {
      this.workers.get(sessionId)?.failAll(new Error('worker detached'));
      this.workers.delete(sessionId);
    } else if (message.method === 'NodeWorker.receivedMessageFromWorker') {
      this.workers.get(sessionId)?.receive(JSON.parse(String(params.message)) as Reply);
    }
  }
}

/** Heap used and reserved by one isolate (V8's view, without the allocator's). */
export async function heapUsage(isolate: IsolateSession): Promise<HeapUsage> {
  const usage = await isolate.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage');
  return { kind: isolate.kind, usedBytes: usage.usedSize, totalBytes: usage.totalSize };
}

/** A full, compacting collection of one isolate. */
export async function collectGarbage(isolate: IsolateSession): Promise<void> {
  await isolate.send('HeapProfiler.collectGarbage');
}
