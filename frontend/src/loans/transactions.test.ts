import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalize } from '../crypto/jcs';
import { OBJECT_ID } from '../receipts/rules';
import { compareDecimals, defaultTerms, groupDigits, maxPrincipal, newLoanId, percent, progress } from './rules';
import { LOAN_TX_TYPES, loanBodies } from './transactions';

const json = (v: unknown) => canonicalize(v);
const LOAN = 'ln-0123456789abcdef0123';
const WR = 'wr-qd-cu-0101';

describe('financing transaction bodies', () => {
  it('build loan.apply with the amount as typed, the tenor as a number and the receipts offered', () => {
    const body = loanBodies.applyForLoan({
      loan: LOAN,
      bank: 'bank-jade',
      amount: { currency: 'CNY', value: '2000000.00' },
      tenorDays: 180,
      purpose: '采购电解铜 working capital',
      receipts: [WR, 'wr-qd-cu-0102'],
    });
    expect(json(body)).toBe(
      `{"amount":{"currency":"CNY","value":"2000000.00"},"bank":"bank-jade","loan":"${LOAN}","purpose":"采购电解铜 working capital","receipts":["${WR}","wr-qd-cu-0102"],"tenor_days":180}`,
    );
  });

  it('build the warehouse bodies: pledge.confirm and pledge.decline', () => {
    expect(json(loanBodies.confirmPledge({ loan: LOAN, receipt: WR }))).toBe(`{"loan":"${LOAN}","receipt":"${WR}"}`);
    expect(json(loanBodies.declinePledge({ loan: LOAN, receipt: WR, reason: 'goods not in bay 3' }))).toBe(
      `{"loan":"${LOAN}","reason":"goods not in bay 3","receipt":"${WR}"}`,
    );
  });

  it('build loan.propose with the terms nested, the day count in ledger spelling and the day counts as numbers', () => {
    const body = loanBodies.proposeLoanTerms({
      loan: LOAN,
      principal: { currency: 'CNY', value: '2000000.00' },
      annualRate: '0.0435',
      dayCount: 'ACT_360',
      maturity: '2026-11-18',
      graceDays: 3,
      penaltyRate: '0.0650',
      haircuts: [{ hsCode: '740311', haircut: '0.30' }],
      maxLtv: '0.70',
      marginCallLtv: '0.80',
      liquidationLtv: '0.90',
      cureDays: 5,
    });
    expect(json(body)).toBe(
      `{"loan":"${LOAN}","terms":{"annual_rate":"0.0435","cure_days":5,"day_count":"act360","grace_days":3,"haircuts":[{"haircut":"0.30","hs_code":"740311"}],"liquidation_ltv":"0.90","margin_call_ltv":"0.80","maturity":"2026-11-18","max_ltv":"0.70","penalty_rate":"0.0650","principal":{"currency":"CNY","value":"2000000.00"}}}`,
    );
    const act365 = loanBodies.proposeLoanTerms({
      loan: LOAN,
      principal: { currency: 'CNY', value: '1' },
      annualRate: '0.05',
      dayCount: 'ACT_365',
      maturity: '2026-11-18',
      graceDays: 0,
      penaltyRate: '0.06',
      haircuts: [],
      maxLtv: '0.5',
      marginCallLtv: '0.6',
      liquidationLtv: '0.7',
      cureDays: 1,
    });
    expect((act365.terms as Record<string, unknown>).day_count).toBe('act365');
  });

  it('build the bodies that name a loan, with a reason where one is asked', () => {
    expect(json(loanBodies.approveLoan({ loan: LOAN }))).toBe(`{"loan":"${LOAN}"}`);
    for (const op of ['rejectLoan', 'declareDefault', 'writeOffLoan'] as const) {
      expect(json(loanBodies[op]({ loan: LOAN, reason: 'why' }))).toBe(`{"loan":"${LOAN}","reason":"why"}`);
    }
  });

  it('build registration, disbursement and repayment bodies', () => {
    expect(json(loanBodies.registerPledge({ loan: LOAN, reference: '动产登记 0001', date: '2026-05-22' }))).toBe(
      `{"date":"2026-05-22","loan":"${LOAN}","reference":"动产登记 0001"}`,
    );
    expect(json(loanBodies.disburseLoan({ loan: LOAN, reference: 'PAY-1' }))).toBe(`{"loan":"${LOAN}","reference":"PAY-1"}`);
    expect(json(loanBodies.recordRepayment({ loan: LOAN, amount: { currency: 'CNY', value: '1500.5' }, reference: 'IN-7' }))).toBe(
      `{"amount":{"currency":"CNY","value":"1500.5"},"loan":"${LOAN}","reference":"IN-7"}`,
    );
  });

  it('build release and top-up bodies with the receipts named', () => {
    for (const op of ['releaseCollateral', 'topUpCollateral'] as const) {
      expect(json(loanBodies[op]({ loan: LOAN, receipts: [WR] }))).toBe(`{"loan":"${LOAN}","receipts":["${WR}"]}`);
    }
  });

  it('build loan.enforce as a take with its value or a sale with its buyer and proceeds', () => {
    expect(json(loanBodies.enforceLoan({ loan: LOAN, method: 'TAKE', amount: { currency: 'CNY', value: '900000.00' } }))).toBe(
      `{"enforcement":{"method":"take","value":{"currency":"CNY","value":"900000.00"}},"loan":"${LOAN}"}`,
    );
    expect(json(loanBodies.enforceLoan({ loan: LOAN, method: 'SALE', amount: { currency: 'CNY', value: '950000.00' }, buyer: 'sme-ganglian' }))).toBe(
      `{"enforcement":{"buyer":"sme-ganglian","method":"sale","proceeds":{"currency":"CNY","value":"950000.00"}},"loan":"${LOAN}"}`,
    );
  });

  it('build price.publish with the grade, or with a null grade as the node writes an absent one', () => {
    expect(json(loanBodies.publishPrice({ hsCode: '740311', grade: 'A', unit: 'TNE', price: { currency: 'CNY', value: '68500.00' } }))).toBe(
      '{"grade":"A","hs_code":"740311","price":{"currency":"CNY","value":"68500.00"},"unit":"TNE"}',
    );
    expect(json(loanBodies.publishPrice({ hsCode: '740311', unit: 'TNE', price: { currency: 'CNY', value: '68500.00' } }))).toBe(
      '{"grade":null,"hs_code":"740311","price":{"currency":"CNY","value":"68500.00"},"unit":"TNE"}',
    );
    expect(json(loanBodies.designatePriceSource({ org: 'sme-ganglian', source: true }))).toBe('{"org":"sme-ganglian","source":true}');
  });

  it('drop anything else the input might carry', () => {
    const input = { loan: LOAN, receipt: WR, extra: 'x' } as Parameters<typeof loanBodies.confirmPledge>[0];
    expect(Object.keys(loanBodies.confirmPledge(input)).sort()).toEqual(['loan', 'receipt']);
  });

  it('name the contract transaction types', () => {
    expect(LOAN_TX_TYPES).toEqual({
      applyForLoan: 'loan.apply',
      confirmPledge: 'pledge.confirm',
      declinePledge: 'pledge.decline',
      proposeLoanTerms: 'loan.propose',
      approveLoan: 'loan.approve',
      rejectLoan: 'loan.reject',
      registerPledge: 'loan.register',
      disburseLoan: 'loan.disburse',
      recordRepayment: 'loan.repay',
      instructRepayment: 'loan.instruct',
      releaseCollateral: 'loan.release',
      topUpCollateral: 'loan.top_up',
      declareDefault: 'loan.default',
      enforceLoan: 'loan.enforce',
      writeOffLoan: 'loan.write_off',
      publishPrice: 'price.publish',
      designatePriceSource: 'price.designate',
    });
  });
});

describe('the financing rules', () => {
  it('make loan ids of ln- and 20 random hex digits that fit the record id grammar', () => {
    const id = newLoanId();
    expect(id).toMatch(/^ln-[0-9a-f]{20}$/);
    expect(OBJECT_ID.test(id)).toBe(true);
    expect(newLoanId()).not.toBe(id);
  });

  it('start terms from the bank usual ones: Actual/360 at 4.35%, 30% on metals, maturity after the tenor', () => {
    const terms = defaultTerms('2000000.00', 180, ['740311', '740311', '100199'], '2026-05-22');
    expect(terms).toEqual({
      principal: '2000000.00',
      annualRate: '0.0435',
      dayCount: 'ACT_360',
      maturity: '2026-11-18',
      graceDays: '3',
      penaltyRate: '0.0650',
      haircuts: [
        { hsCode: '740311', haircut: '0.30' },
        { hsCode: '100199', haircut: '0.40' },
      ],
      maxLtv: '0.70',
      marginCallLtv: '0.80',
      liquidationLtv: '0.90',
      cureDays: '5',
    });
  });

  it('place a loan on its way, and say which status took it off', () => {
    const facts = { proposed: false, approved: false, registered: false, disbursed: false, realised: false };
    expect(progress({ ...facts, status: 'APPLIED' })).toEqual({ reached: 0, ended: null });
    expect(progress({ ...facts, status: 'APPROVED', proposed: true, approved: true })).toEqual({ reached: 3, ended: null });
    expect(progress({ ...facts, status: 'APPROVED', proposed: true, approved: true, registered: true })).toEqual({ reached: 4, ended: null });
    expect(progress({ ...facts, status: 'DECLINED' })).toEqual({ reached: 0, ended: 'DECLINED' });
    expect(progress({ ...facts, status: 'REJECTED', proposed: true })).toEqual({ reached: 2, ended: 'REJECTED' });
    expect(progress({ ...facts, status: 'DEFAULTED', proposed: true, approved: true, registered: true, disbursed: true })).toEqual({ reached: 5, ended: 'DEFAULTED' });
    expect(progress({ ...facts, status: 'CLOSED', disbursed: true })).toEqual({ reached: 7, ended: null });
    expect(progress({ ...facts, status: 'CLOSED', disbursed: true, realised: true })).toEqual({ reached: 5, ended: 'CLOSED' });
  });

  it('work out the most that may be lent as the contract does, in every shared case', () => {
    const file = JSON.parse(readFileSync(join(process.cwd(), '../domain/figures/max_loan.json'), 'utf8')) as {
      cases: {
        about: string;
        lines: { hs_code: string; effective: string; price: string }[];
        haircuts: { hs_code: string; haircut: string }[];
        max_ltv: string;
        currency: string;
        max_loan: string;
      }[];
    };
    expect(file.cases.length).toBeGreaterThan(0);
    for (const c of file.cases) {
      const lines = c.lines.map((l) => ({ hsCode: l.hs_code, effective: { value: l.effective }, price: { value: l.price } }));
      const haircuts = c.haircuts.map((h) => ({ hsCode: h.hs_code, haircut: h.haircut }));
      expect(maxPrincipal(lines, haircuts, c.max_ltv, c.currency), c.about).toBe(c.max_loan);
    }
  });

  it('give no maximum for a line without a haircut or a price', () => {
    const copper = [{ hsCode: '740311', effective: { value: '100.000' }, price: { value: '60400.00' } }];
    expect(maxPrincipal(copper, [{ hsCode: '760110', haircut: '0.30' }], '0.70', 'CNY')).toBeNull();
    expect(maxPrincipal([{ ...copper[0]!, price: null }], [{ hsCode: '740311', haircut: '0.30' }], '0.70', 'CNY')).toBeNull();
    expect(maxPrincipal(copper, [{ hsCode: '740311', haircut: '1.5' }], '0.70', 'CNY')).toBeNull();
  });

  it('compare amounts exactly and show them grouped without rounding', () => {
    expect(compareDecimals('2000000.00', '1999999.999')).toBe(1);
    expect(compareDecimals('0.30', '0.3')).toBe(0);
    expect(compareDecimals('0.0435', '0.065')).toBe(-1);
    expect(groupDigits('1234567.891')).toBe('1,234,567.891');
    expect(groupDigits('999')).toBe('999');
    expect(percent('0.6543')).toBe('65.43%');
    expect(percent(null)).toBe('—');
  });
});
