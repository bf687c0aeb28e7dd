import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { maskName, maskPhone, maskPhonesInText } from '../../../functions/domain/masking.js';

const digitCount = (s: string) => s.replace(/\D/g, '').length;

describe('maskPhone', () => {
  it.each([
    ['13800000000', '138****0000'],
    ['+86 139-1234-5678', '139****5678'],
    ['010-12345678', '010****5678'],
    ['0755-12345678', '075*****5678'],
    ['12345678', '******78'],
    ['1234567', '*****67'],
    ['1234', '****'],
    ['', ''],
  ])('%s → %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it('property: never reveals more than 7 digits, and hides at least 3 of 10+', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[\d ()-]{0,25}$/), (p) => {
        const masked = maskPhone(p);
        expect(digitCount(masked)).toBeLessThanOrEqual(7);
        expect(masked).toMatch(/^[\d*]*$/);
        if (masked.length >= 10) expect(masked.length - digitCount(masked)).toBeGreaterThanOrEqual(3);
      }),
    );
  });
});

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['Li Lei', 'L*****'],
    ['王', '*'],
    ['', ''],
    ['𠀋二', '𠀋*'],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});

describe('maskPhonesInText', () => {
  it('masks phones in any common format', () => {
    expect(maskPhonesInText('customer 13800000000 unreachable')).toBe('customer 138****0000 unreachable');
    expect(maskPhonesInText('phone=+86 138-0000-0000;')).toBe('phone=138****0000;');
    expect(maskPhonesInText('{"phone":"(010) 1234-5678"}')).toBe('{"phone":"010****5678"}');
    expect(maskPhonesInText('a 13800000000, b 13900000001')).toBe('a 138****0000, b 139****0001');
    expect(maskPhonesInText('local 1234567')).toBe('local *****67');
  });

  it('leaves dates, times, short numbers and amounts alone', () => {
    const text = 'at 2026-05-01T09:00:00.000Z round 2 amount 1200.00 code 123456';
    expect(maskPhonesInText(text)).toBe(text);
    expect(maskPhonesInText('2026-05-01 13800000000')).toBe('2026-05-01 138****0000');
  });

  it('property: no run of 7+ digits survives, and masking is idempotent', () => {
    const phone = fc.stringMatching(/^(\+86 )?1\d{2}[ -]?\d{4}[ -]?\d{4}$/);
    const filler = fc.stringMatching(/^[a-z =:,]{0,8}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(filler, phone), { maxLength: 4 }), filler, (parts, tail) => {
        const text = parts.map(([f, p]) => `${f} ${p} `).join('') + tail;
        const masked = maskPhonesInText(text);
        expect(masked).not.toMatch(/\d{7}/);
        expect(masked.replace(/[ -]/g, '')).not.toMatch(/\d{8}/);
        expect(maskPhonesInText(masked)).toBe(masked);
      }),
    );
  });
});
