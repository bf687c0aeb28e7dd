import { customerDataAccess, LOG_READER, scrubText } from '../domain/customer-privacy.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const configured = (process.env.LOG_LEVEL ?? 'info').toLowerCase() as Level;
  return ORDER[configured] ?? ORDER.info;
}

// Log lines grant no customer data (domain/customer-privacy.ts): numbers are scrubbed from every line.
const LOG_ACCESS = customerDataAccess(LOG_READER, {});

function serialise(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

/** JSON log lines; every line is scrubbed of phone and ID-card numbers before it leaves (docs/rules.md §7). */
function write(level: Level, message: string, fields: Record<string, unknown>): void {
  if (ORDER[level] < threshold()) return;
  const entries = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, serialise(v)]));
  const line = scrubText(JSON.stringify({ level, time: new Date().toISOString(), message, ...entries }), LOG_ACCESS);
  (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
}

export const logger = {
  debug: (message: string, fields: Record<string, unknown> = {}) => write('debug', message, fields),
  info: (message: string, fields: Record<string, unknown> = {}) => write('info', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('warn', message, fields),
  error: (message: string, fields: Record<string, unknown> = {}) => write('error', message, fields),
};
