import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyEventChain, verifyStepChains } from '../../../functions/audit/chain-verification.js';
import { GENESIS_HASH, hashEvent } from '../../../functions/lifecycle/event-hash.js';
import type { EventData, StoredEvent } from '../../../functions/lifecycle/events.js';
import { chainSteps, type StepInput } from '../../../functions/audit/workflow-step-record.js';

const DATA: EventData[] = [
  { type: 'CallbackRoundOpened', round: 1, notBefore: '2026-03-12T01:00:00.000Z', deadline: '2026-03-22T01:00:00.000Z' },
  { type: 'CallbackRoundTimedOut', round: 1 },
  { type: 'ContactWindowOpened', closesAt: '2026-04-01T01:00:00.000Z' },
  { type: 'ContactWindowClosedUnanswered' },
  { type: 'ReceiptNeverReturned' },
];

function chain(length: number): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq++) {
    const base = { policyId: 'P-1', seq, at: new Date(Date.UTC(2026, 2, seq)).toISOString(), actor: { role: 'workflow' }, data: DATA[(seq - 1) % DATA.length]! };
    const hash = hashEvent(prevHash, base);
    events.push({ ...base, prevHash, hash });
    prevHash = hash;
  }
  return events;
}

describe('verifyEventChain', () => {
  it('accepts an intact chain, whatever order the items were read in', () => {
    const events = chain(6);
    expect(verifyEventChain([...events].reverse(), { version: 6, lastHash: events[5]!.hash })).toEqual({ valid: true, events: 6 });
  });

  it('names exactly the event whose content was altered', () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(), (length, pick) => {
      const events = chain(length);
      const k = pick % length;
      events[k] = { ...events[k]!, at: '1999-01-01T00:00:00.000Z' };
      expect(verifyEventChain(events)).toMatchObject({ valid: false, firstBrokenAt: k + 1 });
    }));
  });

  it('reports an event recorded earlier than its predecessor as broken there, though its hashes chain', () => {
    const events = chain(4);
    // Hash-consistent, as a resumed process behind its log would have written it: time went back at event 3.
    const base = { policyId: 'P-1', seq: 3, at: '2026-03-01T12:00:00.000Z', actor: { role: 'workflow' }, data: DATA[2]! };
    events[2] = { ...base, prevHash: events[1]!.hash, hash: hashEvent(events[1]!.hash, base) };
    const next = { ...events[3]!, prevHash: events[2].hash };
    events[3] = { ...next, hash: hashEvent(next.prevHash, next) };
    const check = verifyEventChain(events);
    expect(check).toMatchObject({ valid: false, firstBrokenAt: 3 });
    expect(check.reason).toContain('earlier than event 2');
  });

  it('names the next event when an altered event was re-hashed to hide it', () => {
    const events = chain(5);
    const forged = { ...events[1]!, actor: { role: 'manager' } };
    events[1] = { ...forged, hash: hashEvent(forged.prevHash, forged) };
    expect(verifyEventChain(events)).toMatchObject({ valid: false, firstBrokenAt: 3 });
  });

  it('names a deleted event in the middle, and one deleted at the end (the view has seen it)', () => {
    const events = chain(5);
    expect(verifyEventChain(events.filter((e) => e.seq !== 3))).toMatchObject({ valid: false, firstBrokenAt: 3, reason: 'event 3 is missing' });
    expect(verifyEventChain(events.slice(0, 4), { version: 5, lastHash: events[4]!.hash })).toMatchObject({ valid: false, firstBrokenAt: 5 });
  });

  it('names the last event when the tail was rewritten consistently but differs from the view', () => {
    const events = chain(3);
    expect(verifyEventChain(events, { version: 3, lastHash: 'f'.repeat(64) })).toMatchObject({ valid: false, firstBrokenAt: 3 });
  });

  it('accepts a view lagging behind the log (a crash between append and projection)', () => {
    const events = chain(4);
    expect(verifyEventChain(events, { version: 3, lastHash: events[2]!.hash })).toEqual({ valid: true, events: 4 });
  });

  it('treats unhashable tampered content as a mismatch, not a crash', () => {
    const events = chain(2);
    const cyclic: Record<string, unknown> = { type: 'X' };
    cyclic.self = cyclic;
    events[1] = { ...events[1]!, data: cyclic as unknown as EventData };
    expect(verifyEventChain(events)).toMatchObject({ valid: false, firstBrokenAt: 2 });
  });
});

const steps = (count: number, from = 1): StepInput[] =>
  Array.from({ length: count }, (_v, i) => ({ n: from + i, type: i % 2 ? 'StateExited' : 'StateEntered', stateName: `S${from + i}`, at: '2026-03-02T01:00:00.000Z' }));
const run = (execution: string) => ({ policyId: 'P-1', execution, executionArn: `arn:aws:states:us-east-1:000000000000:execution:policy-lifecycle:P-1` });

describe('workflow step chains', () => {
  it('chain batch after batch as if written at once, and ignore redelivered steps', () => {
    const whole = chainSteps(run('e1'), undefined, steps(10));
    const first = chainSteps(run('e1'), undefined, steps(4));
    const second = chainSteps(run('e1'), { n: 4, hash: first[3]!.hash }, [...steps(3, 2), ...steps(6, 5)]);
    expect([...first, ...second]).toEqual(whole);
    expect(whole[0]!.prevHash).toBe(GENESIS_HASH);
  });

  it('verify per execution, naming the first broken step', () => {
    const a = chainSteps(run('e1'), undefined, steps(6));
    const b = chainSteps(run('e2'), undefined, steps(3));
    expect(verifyStepChains([...b, ...a])).toEqual({ valid: true, records: 9, executions: 2 });
    expect(verifyStepChains([...a.filter((s) => s.n !== 4), ...b])).toMatchObject({ valid: false, firstBrokenAt: { execution: 'e1', n: 5 } });
    expect(verifyStepChains([...a.map((s) => (s.n === 2 ? { ...s, stateName: 'other' } : s)), ...b])).toMatchObject({ valid: false, firstBrokenAt: { execution: 'e1', n: 2 } });
  });

  it('accept a run whose unflushed tail was lost in a crash', () => {
    expect(verifyStepChains(chainSteps(run('e1'), undefined, steps(8)).slice(0, 5))).toMatchObject({ valid: true, records: 5 });
  });
});
