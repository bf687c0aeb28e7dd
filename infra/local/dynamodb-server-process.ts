import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:net';
import { createRequire } from 'node:module';
import { listen } from './loopback.js';

/**
 * dynalite opens its LevelDB with the defaults (a 4 MB write buffer), so a busy table spends
 * about a quarter of the database's CPU compacting small files. A 64 MB write buffer (at most
 * two in memory) compacts far less; measured: -23 % dynalite CPU for a 20,000-line settlement.
 * dynalite offers no option for it, so its LevelDB class gets the option before it loads.
 */
const LEVELDB_OPTIONS = { writeBufferSize: 64 * 1024 * 1024 };
const require = createRequire(import.meta.url);
const level = require('level') as { Level: new (location: string, options: object) => object };
const DefaultLevel = level.Level;
level.Level = class TunedLevel extends DefaultLevel {
  constructor(location: string, options: object) {
    super(location, { ...options, ...LEVELDB_OPTIONS });
  }
};
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
    process.send?.({ counts, cpuMicros: cpu.user + cpu.system });
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
