import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  customerDataAccess, EMAIL_READER, LOG_READER, scrubText, shownCustomer, type PolicyRelation, type Reader,
} from '../../../functions/domain/customer-privacy.js';
import { maskIdNumbersInText } from '../../../functions/domain/masking.js';

const own: PolicyRelation = { ownerAgentId: 'A1', branchId: 'BR-SH' };
const visiting: PolicyRelation = { ...own, awaitingManualVisit: true };
const grants = (reader: Reader, relation: PolicyRelation) => {
  const access = customerDataAccess(reader, relation);
  return [access.name, access.phone, access.address].map((b) => (b ? 'Y' : '-')).join('');
};

describe('customerDataAccess: the role × relation matrix of docs/privacy.md (name, phone, address)', () => {
  it.each([
    // reader, relation, name/phone/address
    [{ role: 'agent', subject: 'A1' }, own, 'YYY'],
    [{ role: 'agent', subject: 'A1' }, visiting, 'YYY'],
    [{ role: 'agent', subject: 'A2' }, own, '---'],
    [{ role: 'agent' }, own, '---'],
    [{ role: 'callcentre', subject: 'OP7' }, own, 'YY-'],
    [{ role: 'branch', subject: 'S1' }, own, '---'],
    [{ role: 'branch', subject: 'S1' }, visiting, 'YYY'],
    [{ role: 'branch', subject: 'S1', branchId: 'BR-SH' }, visiting, 'YYY'],
    [{ role: 'branch', subject: 'S2', branchId: 'BR-BJ' }, visiting, '---'],
    [{ role: 'compliance' }, visiting, '---'],
    [{ role: 'manager' }, visiting, '---'],
    [{ role: 'auditor' }, visiting, '---'],
    [{ role: 'upstream' }, visiting, '---'],
    [EMAIL_READER, visiting, '---'],
    [LOG_READER, visiting, '---'],
    [{ role: 'someone-new' }, visiting, '---'],
  ] as const)('%o on %o → %s', (reader, relation, expected) => {
    expect(grants(reader, relation)).toBe(expected);
  });

  it('fails closed: an unknown relation grants the branch nothing, and an agent with no owner on record nothing', () => {
    expect(grants({ role: 'branch' }, {})).toBe('---');
    expect(grants({ role: 'agent', subject: 'A1' }, {})).toBe('---');
  });

  it("shows the agent's own phone to that agent only", () => {
    expect(customerDataAccess({ role: 'agent', subject: 'A1' }, own).agentPhone).toBe(true);
    for (const role of ['callcentre', 'branch', 'compliance', 'manager', 'auditor', 'upstream']) {
      expect(customerDataAccess({ role }, visiting).agentPhone).toBe(false);
    }
  });
});

describe('shownCustomer', () => {
  const customer = { name: '张三丰', phone: '13812345678', address: '上海市浦东新区世纪大道1号' };
  it('masks each field the reader may not see', () => {
    expect(shownCustomer(customer, customerDataAccess({ role: 'auditor' }, own))).toEqual({ name: '张**', phone: '138****5678', address: '***' });
    expect(shownCustomer(customer, customerDataAccess({ role: 'callcentre' }, own))).toEqual({ name: '张三丰', phone: '13812345678', address: '***' });
    expect(shownCustomer(customer, customerDataAccess({ role: 'branch' }, visiting))).toEqual(customer);
  });

  it('adds no address where none is on record', () => {
    expect(shownCustomer({ name: '李四', phone: '13700001234' }, customerDataAccess({ role: 'manager' }, own))).toEqual({ name: '李*', phone: '137****1234' });
  });
});

describe('scrubText', () => {
  const known = { names: ['张三丰'], addresses: ['上海市浦东新区世纪大道1号'] };
  const text = '张三丰 (tel 13812345678, ID 11010519491231002X) moved from 上海市浦东新区世纪大道1号';

  it('masks phones, the known name and address for a reader who may see none of them', () => {
    expect(scrubText(text, customerDataAccess({ role: 'manager' }, own), known)).toBe('张** (tel 138****5678, ID **************002X) moved from ***');
  });

  it('keeps what the reader may see, but never an ID-card number', () => {
    expect(scrubText(text, customerDataAccess({ role: 'agent', subject: 'A1' }, own), known)).toBe(text.replace('11010519491231002X', '**************002X'));
    expect(scrubText(text, customerDataAccess({ role: 'callcentre' }, own), known)).toBe('张三丰 (tel 13812345678, ID **************002X) moved from ***');
  });

  it('leaves one-character names alone and text without customer data untouched', () => {
    const access = customerDataAccess({ role: 'auditor' }, own);
    expect(scrubText('王 asked for an early callback on 2026-05-01', access, { names: ['王'], addresses: [''] })).toBe('王 asked for an early callback on 2026-05-01');
  });

  it('property: for a reader with no access, no 7-digit run, known name or address survives, and scrubbing is idempotent', () => {
    const access = customerDataAccess(LOG_READER, {});
    const name = fc.stringMatching(/^[\u4e00-\u4e2f]{2,4}$/);
    const phone = fc.stringMatching(/^1\d{2}[ -]?\d{4}[ -]?\d{4}$/);
    const filler = fc.stringMatching(/^[a-z ,:]{0,6}$/);
    fc.assert(
      fc.property(name, phone, filler, filler, (n, p, a, b) => {
        const input = `${a}${n}${b} ${p} ${a}`;
        const scrubbed = scrubText(input, access, { names: [n], addresses: [] });
        expect(scrubbed).not.toContain(n);
        expect(scrubbed.replace(/[ -]/g, '')).not.toMatch(/\d{7}/);
        expect(scrubText(scrubbed, access, { names: [n], addresses: [] })).toBe(scrubbed);
      }),
    );
  });
});

describe('maskIdNumbersInText', () => {
  it('masks 18- and 15-character ID numbers down to their last 4', () => {
    expect(maskIdNumbersInText('id 110105194912310021 ok')).toBe('id **************0021 ok');
    expect(maskIdNumbersInText('old 110105491231002')).toBe('old ***********1002');
  });

  it('leaves phones with a country code, order numbers inside words and short numbers alone', () => {
    expect(maskIdNumbersInText('008613812345678 DOC110105194912310021 12345')).toBe('008613812345678 DOC110105194912310021 12345');
  });
});
