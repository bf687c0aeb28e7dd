/**
 * Exact decimal CNY. Amounts are held as integer fen (1/100 yuan) in a bigint so that
 * sums and deductions never pick up floating-point error (docs/rules.md §5).
 */

/** Accepted string form for API input: non-negative, at most 2 decimals. */
export const MONEY_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

// Internal form is wider than the API form: negatives occur in intermediate results.
const PARSE_PATTERN = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;

export class Money {
  static readonly ZERO: Money = new Money(0n);

  private constructor(readonly fen: bigint) {}

  static fromFen(fen: bigint): Money {
    return fen === 0n ? Money.ZERO : new Money(fen);
  }

  /** Parses "1200.00", "1200", "0.5", "-20.00". Rejects exponents, signs other than a leading "-", more than 2 decimals. */
  static parse(text: string): Money {
    const m = PARSE_PATTERN.exec(text);
    if (!m) {
      throw new RangeError(
        `Invalid money amount ${JSON.stringify(text)}: expected digits with at most 2 decimals, e.g. "1200.00" or "-20.5"`,
      );
    }
    const [, sign, whole = '0', frac = ''] = m;
    const fen = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'));
    return Money.fromFen(sign ? -fen : fen);
  }

  static sum(items: readonly Money[]): Money {
    return Money.fromFen(items.reduce((acc, m) => acc + m.fen, 0n));
  }

  static max(a: Money, b: Money): Money {
    return a.fen >= b.fen ? a : b;
  }

  add(o: Money): Money {
    return Money.fromFen(this.fen + o.fen);
  }

  subtract(o: Money): Money {
    return Money.fromFen(this.fen - o.fen);
  }

  isNegative(): boolean {
    return this.fen < 0n;
  }

  isZero(): boolean {
    return this.fen === 0n;
  }

  equals(o: Money): boolean {
    return this.fen === o.fen;
  }

  compare(o: Money): -1 | 0 | 1 {
    return this.fen < o.fen ? -1 : this.fen > o.fen ? 1 : 0;
  }

  /** Always two decimals: "1160.00", "-20.00". */
  toString(): string {
    const negative = this.fen < 0n;
    const abs = negative ? -this.fen : this.fen;
    const yuan = abs / 100n;
    const fen = (abs % 100n).toString().padStart(2, '0');
    return `${negative ? '-' : ''}${yuan}.${fen}`;
  }

  /** Serialises as the decimal string, never as a number, so JSON stays exact. */
  toJSON(): string {
    return this.toString();
  }
}
