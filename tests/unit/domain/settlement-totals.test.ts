import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LargestDeferrals, SettlementTally, type TalliedLine } from '../../../functions/domain/settlement-totals.js';
import { csvRows } from '../../../functions/reporting/csv-table.js';

const money = fc.bigInt({ min: 0n, max: 10n ** 9n }).map((fen) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);
const line = fc.record({
  policyId: fc.stringMatching(/^P[0-9]{1,6}$/),
  agentId: fc.constant('A1'),
  decision: fc.constantFrom('PAY' as const, 'DEFER' as const, 'FORFEIT' as const),
  gross: money,
  deductions: fc.array(fc.record({ amount: fc.constantFrom('20.00', '40.00') }), { maxLength: 2 }),
  net: money,
});

const fen = (amount: string) => BigInt(amount.replace('.', ''));

describe('settlement totals', () => {
  it('property: exact to the fen, whatever the number of lines', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 200 }), (lines: TalliedLine[]) => {
      const tally = new SettlementTally();
      lines.forEach((l) => tally.add(l));
      const totals = tally.totals();
      const paid = lines.filter((l) => l.decision === 'PAY').reduce((acc, l) => acc + fen(l.net), 0n);
      const forfeited = lines.filter((l) => l.decision === 'FORFEIT').reduce((acc, l) => acc + fen(l.gross), 0n);
      const deferred = lines.filter((l) => l.decision === 'DEFER').reduce((acc, l) => {
        const rest = fen(l.gross) - l.deductions.reduce((d, x) => d + fen(x.amount), 0n);
        return acc + (rest < 0n ? 0n : rest);
      }, 0n);
      expect([fen(totals.paid.amount), fen(totals.forfeited.amount), fen(totals.deferred.amount)]).toEqual([paid, forfeited, deferred]);
      expect(totals.lines).toBe(lines.length);
      expect(totals.paid.count + totals.deferred.count + totals.forfeited.count).toBe(lines.length);
    }));
  });

  it('0.1 + 0.2 stays 0.30 (no floating point)', () => {
    const tally = new SettlementTally();
    for (const net of ['0.10', '0.20']) tally.add({ policyId: net, agentId: 'A', decision: 'PAY', gross: net, deductions: [], net });
    expect(tally.totals().paid.amount).toBe('0.30');
  });

  it('keeps the largest deferrals, largest first, ties by policy id', () => {
    const largest = new LargestDeferrals(2);
    const deferral = (policyId: string, gross: string): TalliedLine => ({ policyId, agentId: 'A', decision: 'DEFER', reason: 'HELD', gross, deductions: [{ amount: '40.00' }], net: '0.00' });
    for (const l of [deferral('P3', '500.00'), deferral('P1', '900.00'), deferral('P2', '900.00'), deferral('P4', '10.00')]) largest.add(l);
    largest.add({ ...deferral('P9', '99999.00'), decision: 'PAY' });
    expect(largest.list()).toEqual([
      { policyId: 'P1', agentId: 'A', amount: '860.00', reason: 'HELD' },
      { policyId: 'P2', agentId: 'A', amount: '860.00', reason: 'HELD' },
    ]);
  });
});

describe('CSV rows (RFC 4180, formulas defused)', () => {
  it('quotes commas, quotes and line breaks, doubling quotes; leaves plain values alone; CRLF after every row', () => {
    expect(csvRows([['1200.00', 'A,B', 'say "hi"', 'two\nlines', 3]])).toBe('1200.00,"A,B","say ""hi""","two\nlines",3\r\n');
    expect(csvRows([['a'], ['b']])).toBe('a\r\nb\r\n');
    expect(csvRows([])).toBe('');
  });

  it('prefixes a quote to a cell a spreadsheet would read as a formula', () => {
    const cells = ['=HYPERLINK("http://evil.example","x")', '+1', '-x', '@SUM(A1)', '\tTAB', '\rCR', 'plain-x', 'A=B'];
    expect(csvRows([cells])).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")",'+1,'-x,'@SUM(A1),'\tTAB,"'\rCR",plain-x,A=B\r\n`);
  });
});
