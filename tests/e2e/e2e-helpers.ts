import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ApiResponse, LocalApi } from '../support/local-api.js';

/** Asia/Shanghai has no daylight saving time: local = UTC+8 all year. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** "HH:mm" of an instant in Asia/Shanghai. */
export function shanghaiTime(at: Date | string): string {
  return new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
}

/** Local calendar date "YYYY-MM-DD" of an instant in Asia/Shanghai. */
export function shanghaiDate(at: Date | string): string {
  return new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Moves the virtual clock forward to the next time the Shanghai wall clock shows `hhmm`
 * (today when still ahead, else tomorrow; `now` itself when it shows it already).
 */
export async function advanceToShanghai(api: LocalApi, hhmm: string): Promise<Date> {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const now = await api.now();
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  let target = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), h, m) - SHANGHAI_OFFSET_MS;
  if (target < now.getTime()) target += DAY_MS;
  if (target === now.getTime()) return now;
  const reached = await api.advanceTo(new Date(target));
  expect(reached.getTime()).toBe(target);
  return reached;
}

export function attemptBody(round: number, calledAt: Date, outcome: Record<string, unknown>, attemptId = `AT-${randomUUID().slice(0, 16)}`) {
  return { attemptId, round, calledAt: calledAt.toISOString(), operatorId: 'OP7', ...outcome };
}

export interface ErrorBody {
  error: { code: string; message: string; details: { field?: string; rule?: string; message?: string; [key: string]: unknown }[] };
}

/** docs/api.md, Errors: every error is `{error: {code, message, details}}`. */
export function expectErrorShape(response: ApiResponse<unknown>): ErrorBody {
  const body = response.body as ErrorBody;
  expect(body, response.text).toEqual({
    error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
  });
  expect(body.error.code.length).toBeGreaterThan(0);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

export function expectError(response: ApiResponse<unknown>, status: number, code?: string): ErrorBody {
  expect(response.status, response.text).toBe(status);
  const body = expectErrorShape(response);
  if (code) expect(body.error.code, response.text).toBe(code);
  return body;
}

export type DueItem = { policyId: string; round: number; attemptsSoFar: number; phone: string; name: string; notBefore: string };

export async function dueEntry(api: LocalApi, policyId: string): Promise<DueItem | undefined> {
  const response = await api.get<DueItem[]>('callcentre', '/v1/callbacks/due?limit=1000');
  expect(response.status, response.text).toBe(200);
  return response.body.find((item) => item.policyId === policyId);
}

export type RoundView = {
  round: number;
  status: string;
  endReason?: string;
  nextAttemptNotBefore?: string;
  notBefore: string;
  attempts: { attemptId: string; calledAt: string; reached: boolean; reason?: string }[];
};

export type PolicyViewBody = {
  policyId: string;
  stage: string;
  version: number;
  policyholder: { name: string; phone: string };
  callback: { status: string; rounds: RoundView[] };
  receipt: { status: string; returnedAt?: string };
  [key: string]: unknown;
};
