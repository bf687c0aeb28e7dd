import { powertoolsLogger } from './observability.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

function serialise(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

/**
 * JSON log lines through Powertools Logger (Lambda context, correlation id and trace id on
 * each line); every line is scrubbed of phone and ID-card numbers before it leaves
 * (docs/rules.md §7, ScrubbingLogFormatter).
 */
function write(level: Level, message: string, fields: Record<string, unknown>): void {
  const entries = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, serialise(v)]));
  powertoolsLogger[level](message, entries);
}

export const logger = {
  debug: (message: string, fields: Record<string, unknown> = {}) => write('debug', message, fields),
  info: (message: string, fields: Record<string, unknown> = {}) => write('info', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('warn', message, fields),
  error: (message: string, fields: Record<string, unknown> = {}) => write('error', message, fields),
};
