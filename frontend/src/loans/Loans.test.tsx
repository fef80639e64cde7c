// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import { toBase64 } from '../crypto/base64';
import { importPkcs8 } from '../crypto/ed25519';
import { pemToDer } from '../crypto/pem';
import { vectorText } from '../crypto/testing/vectors';
import i18n from '../i18n';
import en from '../i18n/en.json';
import { todayInChina } from '../receipts/rules';
import type { MockLoan } from '../testing/mockLoans';
import { type MockReceipt, MockNode, type MockUser } from '../testing/mockNode';
import { addDays } from './rules';

vi.mock('graphql-ws', () => ({
  createClient: () => ({ subscribe: () => () => undefined, dispose: async () => undefined }),
}));

const der = (name: string) => pemToDer(vectorText(`godown/keys/${name}.pem`));
const keys: Record<string, { pkcs8: string; key: string }> = {};

beforeAll(async () => {
  for (const name of ['sme', 'bank', 'warehouse', 'witness-bank', 'log']) {
    keys[name] = { pkcs8: toBase64(der(name)), key: (await importPkcs8(der(name))).publicKey };
  }
  // One more user than the vectors have keys for: the regulator's, made here.
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  keys.regulator = { pkcs8: toBase64(pkcs8), key: (await importPkcs8(pkcs8)).publicKey };
});

function user(id: string, name: string, roles: string[], keyName: string, enrolledAt: number): MockUser {
  const k = keys[keyName] as { pkcs8: string; key: string };
  return { id, name, org: id.split('.')[0] as string, roles, keys: [{ key: k.key, status: 'ACTIVE', device: null, enrolledAt }], pkcs8: k.pkcs8 };
}

const NAMES: Record<string, string> = {
  'sme-a.wang': 'Wang Fang',
  'bank-a.li': 'Li Wei',
  'bank-a.zhao': 'Zhao Lei',
  'bank-a.ma': 'Ma Li',
  'wh-a.chen': 'Chen Jie',
  'reg.xu': 'Xu Ming',
};

const LOT = {
  id: 'lot-aaaaaaaaaaaaaaaaaaaa',
  warehouse: 'wh-a',
  depositor: 'sme-a',
  commodity: 'copper cathode',
  hsCode: '740311',
  grade: 'A',
  unit: 'TNE',
  onHand: '100.000',
  pieces: 40,
  packaging: 'bundles',
  marks: 'CU',
  location: 'Bay 3',
  documents: [],
};

function liveReceipt(id: string, number: string, quantity: string): MockReceipt {
  return {
    id,
    number,
    lot: LOT.id,
    holder: 'sme-a',
    quantity,
    pieces: 4,
    status: 'LIVE',
    terms: {
      lossAllowance: '0.005',
      storageFrom: '2026-05-22',
      storageUntil: '2026-11-22',
      storageFee: { currency: 'CNY', value: '1.20' },
      feeBasis: 'per tonne per day',
      insurance: null,
      issuePlace: 'Qingdao',
    },
    draftedBy: 'wh-a.chen',
    issuedBy: 'wh-a.chen',
    pendingTransfer: null,
    encumbrance: null,
    parents: [],
    children: [],
  };
}

const R1 = 'wr-aaaaaaaaaaaaaaaaaaaa';
const R2 = 'wr-bbbbbbbbbbbbbbbbbbbb';
const LOAN_ID = 'ln-00000000000000000001';

const TERMS = {
  principal: { currency: 'CNY', value: '300000.00' },
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
};

function loan(patch: Partial<MockLoan> = {}): MockLoan {
  return {
    id: LOAN_ID,
    borrower: 'sme-a',
    bank: 'bank-a',
    amount: { currency: 'CNY', value: '300000.00' },
    tenorDays: 180,
    purpose: 'working capital',
    status: 'APPLIED',
    appliedAt: 6,
    collateral: [{ receipt: R1, confirmedAt: null }],
    topUps: [],
    terms: null,
    approvedBy: null,
    registration: null,
    disbursement: null,
    marginCall: null,
    cureAmount: null,
    overdue: false,
    reason: null,
    ...patch,
  };
}

let node: MockNode;

beforeEach(async () => {
  node = new MockNode([
    user('sme-a.wang', NAMES['sme-a.wang'] as string, ['officer'], 'sme', 1),
    user('bank-a.li', NAMES['bank-a.li'] as string, ['officer'], 'bank', 2),
    user('bank-a.zhao', NAMES['bank-a.zhao'] as string, ['approver'], 'log', 3),
    user('bank-a.ma', NAMES['bank-a.ma'] as string, ['officer', 'approver'], 'witness-bank', 4),
    user('wh-a.chen', NAMES['wh-a.chen'] as string, ['officer'], 'warehouse', 5),
    user('reg.xu', NAMES['reg.xu'] as string, ['admin'], 'regulator', 6),
  ]);
  node.orgKinds.reg = 'REGULATOR';
  node.lots.push({ ...LOT });
  node.receipts.push(liveReceipt(R1, 'QD-0001', '10.000'), liveReceipt(R2, 'QD-0002', '20.000'));
  node.prices.push({ hsCode: '740311', grade: '', unit: 'TNE', price: { currency: 'CNY', value: '68000.00' }, by: 'bank-a', at: 5 });
  vi.stubGlobal('fetch', node.fetch);
  sessionStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

async function signInAs(userId: string, path?: string) {
  window.history.pushState({}, '', '/login');
  render(<App />);
  fireEvent.click(await screen.findByTestId(`demo-login-${userId}`, {}, { timeout: 3000 }));
  await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain(NAMES[userId]), { timeout: 3000 });
  if (path) {
    cleanup();
    window.history.pushState({}, '', path);
    render(<App />);
  }
}

const change = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const shown = (testId: string) => screen.getByTestId(testId).textContent;

describe('the SME financing page', () => {
  it('updates the indicative maximum loan as receipts are picked and unpicked', async () => {
    await signInAs('sme-a.wang');
    fireEvent.click(await screen.findByTestId('nav-financing'));
    await screen.findByTestId(`apply-receipt-${R1}`, {}, { timeout: 3000 });
    expect(screen.getByTestId('indicative').textContent).toContain(en.financing.apply.pickFirst);

    fireEvent.click(screen.getByTestId(`apply-pick-${R1}`));
    // 10 t at CNY 68,000 is 680,000; 30% off is 476,000; 70% of that may be lent.
    await waitFor(() => expect(shown('indicative-max')).toBe('CNY 333,200.00'));
    expect(shown('indicative-market')).toBe('CNY 680,000.00');

    fireEvent.click(screen.getByTestId(`apply-pick-${R2}`));
    await waitFor(() => expect(shown('indicative-max')).toBe('CNY 999,600.00'));

    fireEvent.click(screen.getByTestId(`apply-pick-${R1}`));
    await waitFor(() => expect(shown('indicative-max')).toBe('CNY 666,400.00'));
    const asked = node.recorded.length;
    expect(asked).toBe(0);
  });

  it('applies to a bank with the receipts picked, signing loan.apply with what was typed', async () => {
    await signInAs('sme-a.wang');
    fireEvent.click(await screen.findByTestId('nav-financing'));
    fireEvent.click(await screen.findByTestId(`apply-pick-${R1}`, {}, { timeout: 3000 }));
    await waitFor(() => expect((screen.getByTestId('apply-bank') as HTMLSelectElement).value).toBe('bank-a'));
    change('apply-amount', '400000.00');
    await screen.findByTestId('apply-over-max', {}, { timeout: 3000 });
    change('apply-amount', '300000.00');
    await waitFor(() => expect(screen.queryByTestId('apply-over-max')).toBeNull());
    change('apply-tenor', '90');
    change('apply-purpose', 'copper purchase');
    fireEvent.click(screen.getByTestId('apply-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });

    const applied = node.recorded.find((r) => r.operation === 'ApplyForLoan');
    expect(applied?.type).toBe('loan.apply');
    expect(applied?.key).toBe(keys.sme?.key);
    const id = String(applied?.body.loan);
    expect(id).toMatch(/^ln-[0-9a-f]{20}$/);
    expect(applied?.body).toEqual({
      loan: id,
      bank: 'bank-a',
      amount: { currency: 'CNY', value: '300000.00' },
      tenor_days: 90,
      purpose: 'copper purchase',
      receipts: [R1],
    });
    const row = await screen.findByTestId(`loan-row-${id}`, {}, { timeout: 3000 });
    expect(within(row).getByTestId(`loan-status-${id}`).textContent).toBe(en.loanStatus.APPLIED);
    // The receipt offered is no longer free to offer again.
    await waitFor(() => expect(screen.queryByTestId(`apply-receipt-${R1}`)).toBeNull());
  });

  it('shows the borrower an open margin call with the amount that cures it, and what to pay today', async () => {
    node.loans.push(
      loan({
        status: 'ACTIVE',
        collateral: [{ receipt: R1, confirmedAt: 7 }],
        terms: { ...TERMS, proposedBy: 'bank-a.li', proposedAt: 8 },
        approvedBy: 'bank-a.zhao',
        registration: { reference: 'REG-1', date: '2026-05-22', at: 10 },
        disbursement: { reference: 'PAY-1', at: 11, on: '2026-05-22' },
        marginCall: { raisedAt: 12, raisedOn: '2026-05-22', deadline: '2026-05-27', ltv: '0.8120' },
        cureAmount: '12345.67',
      }),
    );
    await signInAs('sme-a.wang', `/loans/${LOAN_ID}`);
    await screen.findByTestId('margin-call', {}, { timeout: 3000 });
    expect(shown('cure-amount')).toBe('CNY 12,345.67');
    expect(shown('loan-status')).toBe(en.loanStatus.ACTIVE);
    expect(screen.getByTestId('step-ACTIVE').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('step-APPROVED').getAttribute('data-state')).toBe('done');
    expect(shown('instructions-amount')).toBe('CNY 300,000.00');
    expect(shown('instructions-reference')).toBe(LOAN_ID);
    expect(screen.getByTestId('top-up-form')).toBeTruthy();
    expect(screen.queryByTestId('bank-actions')).toBeNull();
  });

  it('lets the borrower tell the bank what it sent, signing loan.instruct, and the bank records from it', async () => {
    const running = {
      status: 'ACTIVE',
      collateral: [{ receipt: R1, confirmedAt: 7 }],
      terms: { ...TERMS, proposedBy: 'bank-a.li', proposedAt: 8 },
      approvedBy: 'bank-a.zhao',
      registration: { reference: 'REG-1', date: '2026-05-22', at: 10 },
      disbursement: { reference: 'PAY-1', at: 11, on: '2026-05-22' },
    };
    node.loans.push(loan(running));
    await signInAs('sme-a.wang', `/loans/${LOAN_ID}`);
    await screen.findByTestId('instruct-form', {}, { timeout: 3000 });
    change('instruct-amount', '1000.00');
    change('instruct-reference', 'TT-0042');
    fireEvent.click(screen.getByTestId('instruct-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    expect(node.recorded.find((r) => r.operation === 'InstructRepayment')).toMatchObject({
      type: 'loan.instruct',
      key: keys.sme?.key,
      body: { loan: LOAN_ID, amount: { currency: 'CNY', value: '1000.00' }, reference: 'TT-0042' },
    });
    await waitFor(() => expect(shown('instructions-sent')).toContain('TT-0042'));
    cleanup();
    await signInAs('bank-a.li', `/loans/${LOAN_ID}`);
    await screen.findByTestId('repay-instructed', {}, { timeout: 3000 });
    expect((screen.getByTestId('repay-amount') as HTMLInputElement).value).toBe('1000.00');
    expect((screen.getByTestId('repay-reference') as HTMLInputElement).value).toBe('TT-0042');
  });
});

describe('the warehouse pledges page', () => {
  it('confirms an offered receipt, signing pledge.confirm, and lists goods held for each bank', async () => {
    node.loans.push(loan());
    node.receipts.push({ ...liveReceipt('wr-cccccccccccccccccccc', 'QD-0003', '5.000'), encumbrance: { holder: 'bank-a', reference: 'JR-1', kind: 'ACTIVE', since: 4 } });
    await signInAs('wh-a.chen');
    fireEvent.click(await screen.findByTestId('nav-pledges'));
    fireEvent.click(await screen.findByTestId(`confirm-pledge-${LOAN_ID}-${R1}`, {}, { timeout: 3000 }));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    expect(node.recorded.find((r) => r.operation === 'ConfirmPledge')).toMatchObject({
      type: 'pledge.confirm',
      key: keys.warehouse?.key,
      body: { loan: LOAN_ID, receipt: R1 },
    });
    await waitFor(() => expect(screen.queryByTestId(`confirmation-${LOAN_ID}`)).toBeNull());
    expect(shown('held-total-bank-a')).toBe('5.000 t');
    expect(screen.getByTestId('held-bank-a-QD-0003').textContent).toContain('JR-1');
  });

  it('declines with a reason, signing pledge.decline', async () => {
    node.loans.push(loan());
    await signInAs('wh-a.chen');
    fireEvent.click(await screen.findByTestId('nav-pledges'));
    fireEvent.click(await screen.findByTestId(`decline-pledge-${LOAN_ID}-${R1}`, {}, { timeout: 3000 }));
    change(`decline-reason-${LOAN_ID}-${R1}`, 'goods not found in bay 3');
    fireEvent.click(screen.getByTestId(`decline-submit-${LOAN_ID}-${R1}`));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    expect(node.recorded.find((r) => r.operation === 'DeclinePledge')?.body).toEqual({ loan: LOAN_ID, receipt: R1, reason: 'goods not found in bay 3' });
  });
});

describe('the bank lending pages', () => {
  it('lets an officer propose the bank usual terms from the queue, signing loan.propose', async () => {
    node.loans.push(loan({ status: 'CONFIRMED', collateral: [{ receipt: R1, confirmedAt: 7 }] }));
    await signInAs('bank-a.li');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    const row = await screen.findByTestId(`queue-row-${LOAN_ID}`, {}, { timeout: 3000 });
    expect(within(row).getByTestId(`check-${R1}`).getAttribute('href')).toBe(`/r/${R1}`);
    fireEvent.click(within(row).getByTestId(`queue-open-${LOAN_ID}`));
    await screen.findByTestId('propose-form', {}, { timeout: 3000 });
    // An officer proposes; only an approver decides.
    expect(screen.queryByTestId('approve-form')).toBeNull();
    fireEvent.click(screen.getByTestId('propose-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    const proposed = node.recorded.find((r) => r.operation === 'ProposeLoanTerms');
    expect(proposed).toMatchObject({ type: 'loan.propose', key: keys.bank?.key });
    expect(proposed?.body).toEqual({
      loan: LOAN_ID,
      terms: {
        principal: { currency: 'CNY', value: '300000.00' },
        annual_rate: '0.0435',
        day_count: 'act360',
        maturity: addDays(todayInChina(), 180),
        grace_days: 3,
        penalty_rate: '0.0650',
        haircuts: [{ hs_code: '740311', haircut: '0.30' }],
        max_ltv: '0.70',
        margin_call_ltv: '0.80',
        liquidation_ltv: '0.90',
        cure_days: 5,
      },
    });
    await waitFor(() => expect(shown('loan-status')).toBe(en.loanStatus.PROPOSED));
  });

  it('starts the principal at what the collateral supports when that is less than asked', async () => {
    node.loans.push(loan({ status: 'CONFIRMED', amount: { currency: 'CNY', value: '400000.00' }, collateral: [{ receipt: R1, confirmedAt: 7 }] }));
    await signInAs('bank-a.li', `/loans/${LOAN_ID}`);
    await screen.findByTestId('propose-form', {}, { timeout: 3000 });
    expect((screen.getByTestId('propose-principal') as HTMLInputElement).value).toBe('333200.00');
    expect(shown('propose-most-value')).toBe('CNY 333,200.00');
    change('propose-haircut-0', '0.50');
    expect(shown('propose-most-value')).toBe('CNY 238,000.00');
    expect(shown('propose-most')).toContain(en.loan.propose.rules.overMost);
  });

  it('refuses terms whose LTV levels do not rise before signing anything', async () => {
    node.loans.push(loan({ status: 'CONFIRMED', collateral: [{ receipt: R1, confirmedAt: 7 }] }));
    await signInAs('bank-a.li', `/loans/${LOAN_ID}`);
    await screen.findByTestId('propose-form', {}, { timeout: 3000 });
    change('propose-marginCallLtv', '0.95');
    expect(shown('propose-ltv-order')).toBe(en.loan.propose.rules.ltvOrder);
    expect((screen.getByTestId('propose-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows the refused approval and its code when the maker approves their own terms', async () => {
    node.loans.push(loan({ status: 'PROPOSED', collateral: [{ receipt: R1, confirmedAt: 7 }], terms: { ...TERMS, proposedBy: 'bank-a.ma', proposedAt: 8 } }));
    await signInAs('bank-a.ma', `/loans/${LOAN_ID}`);
    await screen.findByTestId('approve-form', {}, { timeout: 3000 });
    expect(shown('approve-own')).toBe(en.loan.decide.own);
    fireEvent.click(screen.getByTestId('approve-submit'));
    const error = await screen.findByTestId('error', {}, { timeout: 3000 });
    expect(within(error).getByTestId('error-code').textContent).toBe('SAME_USER');
    expect(error.textContent).toContain(en.errors.SAME_USER);
    expect(error.textContent).toContain('bank-a.ma proposed these terms and cannot also approve them');
    expect(node.recorded.some((r) => r.operation === 'ApproveLoan')).toBe(false);
    expect(shown('loan-status')).toBe(en.loanStatus.PROPOSED);
  });

  it('lets another approver approve, signing loan.approve, and the borrower then sees it approved', async () => {
    node.loans.push(loan({ status: 'PROPOSED', collateral: [{ receipt: R1, confirmedAt: 7 }], terms: { ...TERMS, proposedBy: 'bank-a.li', proposedAt: 8 } }));
    await signInAs('bank-a.zhao', `/loans/${LOAN_ID}`);
    expect(await screen.findByTestId('terms-proposed-by', {}, { timeout: 3000 })).toBeTruthy();
    expect(screen.queryByTestId('approve-own')).toBeNull();
    fireEvent.click(screen.getByTestId('approve-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    expect(node.recorded.find((r) => r.operation === 'ApproveLoan')).toMatchObject({ type: 'loan.approve', key: keys.log?.key, body: { loan: LOAN_ID } });
    await waitFor(() => expect(shown('loan-status')).toBe(en.loanStatus.APPROVED));
    // Approved, not yet registered: registration and disbursement are next.
    expect(screen.getByTestId('register-form')).toBeTruthy();
    expect(screen.getByTestId('disburse-unregistered')).toBeTruthy();

    cleanup();
    sessionStorage.clear();
    await signInAs('sme-a.wang', `/loans/${LOAN_ID}`);
    await waitFor(() => expect(shown('loan-status')).toBe(en.loanStatus.APPROVED), { timeout: 3000 });
    expect(screen.getByTestId('step-APPROVED').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('step-REGISTERED').getAttribute('data-state')).toBe('todo');
  });

  it('highlights loans in margin call and overdue, and draws exposure by commodity', async () => {
    const running = {
      status: 'ACTIVE',
      terms: { ...TERMS, proposedBy: 'bank-a.li', proposedAt: 8 },
      approvedBy: 'bank-a.zhao',
      registration: { reference: 'REG-1', date: '2026-05-22', at: 10 },
      disbursement: { reference: 'PAY-1', at: 11, on: '2026-05-22' },
    };
    node.loans.push(
      loan({ ...running, id: 'ln-00000000000000000002', collateral: [{ receipt: R1, confirmedAt: 7 }], marginCall: { raisedAt: 12, raisedOn: '2026-05-22', deadline: '2026-05-27', ltv: '0.8120' } }),
      loan({ ...running, id: 'ln-00000000000000000003', collateral: [{ receipt: R2, confirmedAt: 7 }], overdue: true }),
    );
    await signInAs('bank-a.li');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    const call = await screen.findByTestId('loan-row-ln-00000000000000000002', {}, { timeout: 3000 });
    expect(call.className).toContain('loan-margin-call');
    expect(within(call).getByTestId('margin-call-ln-00000000000000000002').textContent).toBe(en.loans.badge.marginCall);
    const late = screen.getByTestId('loan-row-ln-00000000000000000003');
    expect(late.className).toContain('loan-overdue');
    expect(within(late).getByTestId('overdue-ln-00000000000000000003')).toBeTruthy();
    await screen.findByTestId('portfolio-margin-call-ln-00000000000000000002', {}, { timeout: 3000 });
    expect(screen.getByTestId('portfolio-overdue-ln-00000000000000000003')).toBeTruthy();
    expect(shown('portfolio-running-CNY')).toBe('2');
    expect(screen.getByTestId('exposure-chart').querySelector('[data-testid="exposure-bar-740311"] rect')).toBeTruthy();
  });

  it('shows the regulator every bank book without the forms a bank signs with', async () => {
    node.loans.push(
      loan({
        status: 'ACTIVE',
        terms: { ...TERMS, proposedBy: 'bank-a.li', proposedAt: 8 },
        approvedBy: 'bank-a.zhao',
        registration: { reference: 'REG-1', date: '2026-05-22', at: 10 },
        disbursement: { reference: 'PAY-1', at: 11, on: '2026-05-22' },
        collateral: [{ receipt: R1, confirmedAt: 7 }],
      }),
    );
    await signInAs('reg.xu');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    await screen.findByTestId(`loan-row-${LOAN_ID}`, {}, { timeout: 3000 });
    expect(screen.getByText(en.lending.oversightLead)).toBeTruthy();
    await waitFor(() => expect(shown('portfolio-running-CNY')).toBe('1'), { timeout: 3000 });
    expect(screen.queryByTestId('publish-price-form')).toBeNull();
  });

  it('publishes a price without a grade, signing a null grade', async () => {
    await signInAs('bank-a.li');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    await screen.findByTestId('publish-price-form', {}, { timeout: 3000 });
    change('price-hs-code', '760110');
    change('price-value', '19000.00');
    fireEvent.click(screen.getByTestId('publish-price-submit'));
    await screen.findByTestId('receipt', {}, { timeout: 3000 });
    expect(node.recorded.find((r) => r.operation === 'PublishPrice')?.body).toEqual({
      hs_code: '760110',
      grade: null,
      unit: 'TNE',
      price: { currency: 'CNY', value: '19000.00' },
    });
    await screen.findByTestId('price-760110-any-CNY', {}, { timeout: 3000 });
  });
});
