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

// Without a parent (kill -9 included) there is no one to serve: exit and release the data folder.
process.on('disconnect', () => server.close(() => process.exit(0)));
process.on('message', (message: unknown) => {
  if (message === 'stats') {
    const cpu = process.cpuUsage();
    process.send?.({ counts, cpuMicros: cpu.user + cpu.system, openIterators: openIteratorCount() });
  }
  if (message === 'close') server.close(() => process.exit(0));
});

listen(server).then(
  (endpoint) => process.send?.({ endpoint }),
  (error: unknown) => {
    process.send?.({ error: String(error) });
    process.exit(1);
  },
);
