import { describe, expect, it } from 'vitest';
import { EventBeforePredecessorError, eventTimeAfter, planAppend } from '../../../functions/lifecycle/event-append.js';
import { verifyEventChain } from '../../../functions/audit/chain-verification.js';
import type { EventData, PolicyRecord } from '../../../functions/lifecycle/events.js';
import { projectionOf } from '../../../functions/lifecycle/projection.js';
import { registrationInput } from '../use-cases/use-case-fixtures.js';

const WORKFLOW = { role: 'workflow' } as const;
const input = registrationInput('L-1');
const policy: PolicyRecord = { ...input, printedAt: new Date(input.printedAt).toISOString(), ruleSet: { name: 'default', version: 1 }, timeZone: 'Asia/Shanghai' };
const registered = planAppend('L-1', undefined, { at: '2026-03-02T01:00:00.000Z', actor: { role: 'upstream' }, data: { type: 'PolicyRegistered', policy, requestHash: 'h' } });
const roundOpened: EventData = { type: 'CallbackRoundOpened', round: 1, notBefore: '2026-03-12T01:00:00.000Z', deadline: '2026-03-22T01:00:00.000Z' };

describe('planAppend, the one append path', () => {
  it('plans the event, the fold, the view and the workflow signal from the previous state alone', () => {
    const opened = planAppend('L-1', registered.state, { at: '2026-03-12T01:00:00.000Z', actor: WORKFLOW, data: roundOpened });
    expect(opened.event).toMatchObject({ seq: 2, prevHash: registered.event.hash, at: '2026-03-12T01:00:00.000Z' });
    expect(verifyEventChain([registered.event, opened.event])).toEqual({ valid: true, events: 2 });
    expect(opened.projection).toEqual(projectionOf(opened.state));
    expect(opened.projection).toMatchObject({ version: 2, lastHash: opened.event.hash, lastAt: opened.event.at, work: { bucket: 'DIAL' } });
    expect(opened.owner).toEqual({ agentId: 'A1001', branchId: 'BR-SH' });
    expect(opened.signal).toBeUndefined(); // the workflow's own fact ends no wait

    const passed = planAppend('L-1', opened.state, {
      at: '2026-03-12T02:00:00.000Z',
      actor: { role: 'callcentre' },
      data: { type: 'CallbackAttemptRecorded', attempt: { attemptId: 'a', round: 1, calledAt: '2026-03-12T02:00:00.000Z', reached: true, operatorId: 'OP' }, requestHash: 'r', roundStatus: 'PASSED' },
    });
    expect(passed.signal).toEqual({ kind: 'complete', waits: [{ step: 'round1', status: 'PASSED' }] });
    const cancelled = planAppend('L-1', passed.state, { at: '2026-03-13T00:00:00.000Z', actor: { role: 'upstream' }, data: { type: 'PolicyCancelled', cancelledAt: '2026-03-13T00:00:00.000Z', reason: 'surrender', requestHash: 'c' } });
    expect(cancelled.signal).toEqual({ kind: 'failAll', error: 'PolicyCancelled', cause: 'surrender' });
    expect(cancelled.projection.work).toBeUndefined();
  });

  it('refuses an event earlier than its predecessor: the log never goes back in time', () => {
    const later = planAppend('L-1', registered.state, { at: '2026-03-22T02:30:00.000Z', actor: WORKFLOW, data: roundOpened });
    expect(() => planAppend('L-1', later.state, { at: '2026-03-15T02:00:00.000Z', actor: WORKFLOW, data: { type: 'CallbackRoundTimedOut', round: 1 } }))
      .toThrow(EventBeforePredecessorError);
  });

  it('times a new event at the clock, or at its predecessor when a clock lags the log', () => {
    expect(eventTimeAfter(new Date('2026-03-15T02:00:00.000Z'), '2026-03-22T02:30:00.000Z')).toBe('2026-03-22T02:30:00.000Z');
    expect(eventTimeAfter(new Date('2026-03-23T00:00:00.000Z'), '2026-03-22T02:30:00.000Z')).toBe('2026-03-23T00:00:00.000Z');
    expect(eventTimeAfter(new Date('2026-03-23T00:00:00.000Z'), undefined)).toBe('2026-03-23T00:00:00.000Z');
  });
});
