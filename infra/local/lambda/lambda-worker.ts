import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { useClock } from '../../../functions/ports/clock.js';
import { lambdaContext } from './lambda-context.js';
import { SharedInstant } from './shared-clock.js';
import type { Invocation, InvocationResult, LambdaWorkerData } from './lambda-protocol.js';

/**
 * One Lambda sandbox: a worker thread that loads handler modules once (like a warm container)
 * and runs invocations sent by the pool. Business time is the main thread's virtual clock.
 */
const data = workerData as LambdaWorkerData;
useClock(new SharedInstant(data.clockBuffer));

type Handler = (event: unknown, context?: unknown) => Promise<unknown>;
const modules = new Map<string, Promise<Handler>>();

function handlerOf(modulePath: string): Promise<Handler> {
  let loading = modules.get(modulePath);
  if (!loading) {
    loading = import(pathToFileURL(join(data.handlersDir, modulePath)).href).then((m: { handler: Handler }) => m.handler);
    modules.set(modulePath, loading);
  }
  return loading;
}

parentPort?.on('message', (message: Invocation) => {
  void (async (): Promise<InvocationResult> => {
    try {
      const handler = await handlerOf(message.module);
      return { id: message.id, ok: true, value: await handler(message.event, message.functionName === undefined ? undefined : lambdaContext(message.functionName)) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return { id: message.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } };
    }
  })().then((result) => parentPort?.postMessage(result));
});
