import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:net';
import { listen } from './loopback.js';
import { openIteratorCount, tuneDynalite } from './dynalite-tuning.js';

// Before dynalite loads: it takes the tuned LevelDB class and parser as it starts.
tuneDynalite();
const { default: dynalite } = await import('dynalite');

/**
 * dynalite in its own process (forked by dynamodb-local.ts), so the database uses the second
 * core instead of competing with the engine and the handlers. It dies with its parent.
 */
const path = process.env.DYNALITE_PATH || undefined;
const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
const counts: Record<string, number> = {};
server.on('request', (req: IncomingMessage) => {
  const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() || 'unknown';
  counts[operation] = (counts[operation] ?? 0) + 1;
});

// Closing the server closes LevelDB cleanly (dynalite waits for the writes under way), then
// the process ends and releases the data folder.
let closing = false;
const close = () => {
  if (closing) return;
  closing = true;
  server.close(() => process.exit(0));
};
// Without a parent (kill -9 included) there is no one to serve.
process.on('disconnect', close);
process.on('message', (message: unknown) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage();
    process.send?.({ counts, cpuMicros: cpu.user + cpu.system, openIterators: openIteratorCount() });
  }
  if (message === 'close') close();
});
// Ctrl-C or a kill of the whole process group reaches this process too: its parent is still
// writing while it stops, and closes it (or disconnects) when done; closed here only if that
// does not come, or when there is no parent.
const PARENT_GRACE_MS = 20_000;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (!process.connected) close();
    else setTimeout(close, PARENT_GRACE_MS).unref();
  });
}

listen(server).then(
  (endpoint) => process.send?.({ endpoint }),
  (error: unknown) => {
    process.send?.({ error: String(error) });
    process.exit(1);
  },
);
