import { describe, it, expect } from 'vitest';
import { isAgentOrBranchPhone, normalisePhone, PHONE_PATTERN } from '../../../functions/domain/contact-rule.js';

describe('normalisePhone', () => {
  it.each([
    ['13800000000', '13800000000'],
    ['138 0000 0000', '13800000000'],
    ['138-0000-0000', '13800000000'],
    ['+86 138 0000 0000', '13800000000'],
    ['+86-13800000000', '13800000000'],
    ['0086 13800000000', '13800000000'],
    ['8613800000000', '13800000000'],
    ['(010) 1234-5678', '01012345678'],
    ['+86 10 1234 5678', '01012345678'],
    ['+86 (0)10 1234 5678', '01012345678'],
    ['86123456', '86123456'],
  ])('%s → %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });
});

describe('isAgentOrBranchPhone', () => {
  it('matches the agent phone in any format', () => {
    expect(isAgentOrBranchPhone('+86 138-0000-0000', '13800000000')).toBe(true);
    expect(isAgentOrBranchPhone('13800000001', '13800000000')).toBe(false);
  });
  it('matches a branch phone', () => {
    expect(isAgentOrBranchPhone('010-12345678', '13800000000', ['021-88888888', '(010) 1234 5678'])).toBe(true);
    expect(isAgentOrBranchPhone('010-12345679', '13800000000', ['(010) 1234 5678'])).toBe(false);
  });
  it('never matches on empty numbers', () => {
    expect(isAgentOrBranchPhone('', '')).toBe(false);
    expect(isAgentOrBranchPhone(' - ', '', [''])).toBe(false);
  });
});

describe('PHONE_PATTERN', () => {
  it.each(['13800000000', '+86 138 0000 0000', '+8613800000000', '010-12345678', '(010) 1234 5678', '1234567'])('accepts %s', (p) => {
    expect(PHONE_PATTERN.test(p)).toBe(true);
  });
  it.each(['123456', '12-34-56', 'abc1234567', '138000000001234567890', '+', '138+00000000', '１３８00000000', '138.0000.0000'])('rejects %s', (p) => {
    expect(PHONE_PATTERN.test(p)).toBe(false);
  });
});
