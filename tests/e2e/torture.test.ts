import { describe, expect, it } from 'vitest';
import { details, runTorture } from '../bench/torture/torture.js';

/**
 * `npm run torture`'s small version: 30 policies through every path, uninterrupted and with
 * 5 SIGKILLs of the whole local system (in March's settlement run, in the clock advance that
 * runs June's, in the registration burst, in the advances that open the first rounds and close
 * the contact windows), restarted on the same
 * data folder with every unanswered request sent again. A crash changes nothing.
 */
describe('crash torture (small)', () => {
  it('ends with the same views, facts, statements and e-mails as an uninterrupted run, every chain valid, no 5xx', async () => {
    const result = await runTorture({ policies: 30, kills: 5, seed: 7 });
    const report = [...details(result, 5), result.summary].join('\n');
    // The uninterrupted run took every policy down its path: the workload is what it says.
    expect(result.workloadMismatches, report).toEqual([]);
    expect(result.counts, report).toEqual({
      policies: 30, kills: 5, divergedViews: 0, lostFacts: 0, extraFacts: 0, statementLinesDiffering: 0,
      mailsLost: 0, mailsDoubled: 0, invalidChains: 0, serverErrors: 0,
    });
  }, 400_000);
});
