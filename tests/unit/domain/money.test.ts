import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Money, MONEY_PATTERN } from '../../../functions/domain/money.js';

describe('Money.parse / toString', () => {
  it.each([
    ['1200.00', 120000n, '1200.00'],
    ['1200', 120000n, '1200.00'],
    ['0.5', 50n, '0.50'],
    ['-20.00', -2000n, '-20.00'],
    ['0.05', 5n, '0.05'],
    ['-0.05', -5n, '-0.05'],
    ['-0', 0n, '0.00'],
    ['007.10', 710n, '7.10'],
  ])('parses %s', (text, fen, formatted) => {
    const m = Money.parse(text);
    expect(m.fen).toBe(fen);
    expect(m.toString()).toBe(formatted);
  });

  it.each(['1.234', '-', '1e3', '', ' 1', '1 ', '+1', '.5', '5.', '1,000.00', 'NaN', '--1', '1.2.3', '０1'])(
    'rejects %j with a RangeError naming the input',
    (text) => {
      expect(() => Money.parse(text)).toThrow(RangeError);
      expect(() => Money.parse(text)).toThrow(/Invalid money amount/);
    },
  );

  it('formats fen with a sign and two decimals', () => {
    expect(Money.fromFen(-1n).toString()).toBe('-0.01');
    expect(Money.fromFen(116000n).toString()).toBe('1160.00');
    expect(JSON.stringify({ a: Money.parse('3.1') })).toBe('{"a":"3.10"}');
  });
});

describe('Money arithmetic', () => {
  it('is exact where floating point is not', () => {
    expect(Money.parse('0.10').add(Money.parse('0.20')).toString()).toBe('0.30');
    expect(Money.parse('0.10').add(Money.parse('0.20')).equals(Money.parse('0.3'))).toBe(true);
    expect(Money.parse('1200.00').subtract(Money.parse('40.00')).toString()).toBe('1160.00');
  });

  it('handles amounts beyond Number precision', () => {
    const big = Money.parse('90071992547409.93');
    expect(big.add(Money.parse('0.01')).toString()).toBe('90071992547409.94');
  });

  it('sum, negatives, compare', () => {
    expect(Money.sum([]).equals(Money.ZERO)).toBe(true);
    expect(Money.sum([Money.parse('40'), Money.parse('20')]).toString()).toBe('60.00');
    expect(Money.parse('20').subtract(Money.parse('20.01')).isNegative()).toBe(true);
    expect(Money.ZERO.isNegative()).toBe(false);
    expect(Money.parse('1').compare(Money.parse('2'))).toBe(-1);
    expect(Money.max(Money.ZERO, Money.parse('-1')).equals(Money.ZERO)).toBe(true);
  });
});

describe('MONEY_PATTERN (API input)', () => {
  it.each(['0', '1200', '1200.00', '0.5', '999999999999.99'])('accepts %s', (s) => expect(MONEY_PATTERN.test(s)).toBe(true));
  it.each(['-20.00', '1.234', '1e3', '', '.5', '1234567890123'])('rejects %s', (s) => expect(MONEY_PATTERN.test(s)).toBe(false));
  it('everything it accepts parses to a non-negative amount', () => {
    fc.assert(
      fc.property(fc.stringMatching(MONEY_PATTERN), (s) => {
        expect(Money.parse(s).isNegative()).toBe(false);
      }),
    );
  });
});

describe('Money properties', () => {
  const fen = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
  const money = fen.map((f) => Money.fromFen(f));

  it('parse(toString(m)) round-trips', () => {
    fc.assert(
      fc.property(money, (m) => {
        expect(Money.parse(m.toString()).equals(m)).toBe(true);
      }),
    );
  });

  it('sum is associative and order-independent', () => {
    fc.assert(
      fc.property(money, money, money, (a, b, c) => {
        expect(a.add(b).add(c).equals(a.add(b.add(c)))).toBe(true);
        expect(Money.sum([a, b, c]).equals(Money.sum([c, a, b]))).toBe(true);
      }),
    );
  });

  it('subtract undoes add', () => {
    fc.assert(
      fc.property(money, money, (a, b) => {
        expect(a.add(b).subtract(b).equals(a)).toBe(true);
      }),
    );
  });
});
