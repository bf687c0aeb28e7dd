import { createHash } from 'node:crypto';
import type { Actor, EventData } from './events.js';

/** The hash the first event of every policy chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with sorted keys and no undefined, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface HashableEvent {
  readonly policyId: string;
  readonly seq: number;
  readonly at: string;
  readonly actor: Actor;
  readonly data: EventData;
}

export function hashEvent(prevHash: string, event: HashableEvent): string {
  const body = canonicalJson({ policyId: event.policyId, seq: event.seq, at: event.at, actor: event.actor, data: event.data });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** A stable fingerprint of a request body, for idempotent replays (same id, same body). */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex').slice(0, 32);
}
