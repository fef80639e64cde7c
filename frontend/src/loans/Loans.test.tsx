// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../app/App';
import i18n from '../i18n';
import en from '../i18n/en.json';
import { todayInChina } from '../receipts/rules';
import { type PageNode, onlyEntry, pageNode } from '../testing/node';
import { addDays } from './rules';

// The live feed is not what these pages show, and jsdom's WebSocket cannot carry it under vitest
// (see src/app/App.test.tsx): the explorer a sign-in lands on gets a subscription that stays quiet.
vi.mock('graphql-ws', () => ({
  createClient: () => ({ subscribe: () => () => undefined, dispose: async () => undefined }),
}));

const ready = pageNode();

/**
 * Free receipts of Tongyuan's at Qinggang, seeded by `godown demo`;
 * each test that pledges one takes its own, as they share one ledger.
 */
const FREE = {
  /** QDWR-2026-F0101, 100 t. */
  apply: 'wr-qd-cu-0101',
  /** QDWR-2026-F0102, 100 t. */
  decline: 'wr-qd-cu-0102',
  /** QDWR-2026-0003, 50 t. */
  propose: 'wr-qd-cu-0003',
  /** QDWR-2026-F0115, 100 t. */
  ownTerms: 'wr-qd-cu-0115',
  /** QDWR-2026-0101, 120 t of aluminium. */
  approve: 'wr-qd-al-0001',
  /** QDWR-2026-F0114, 100 t, and QDWR-2026-0045, 50 t: picked and unpicked, never pledged. */
  picks: ['wr-qd-cu-0114', 'wr-qd-cu-0045'],
} as const;

/** The demo's loans, seeded in the state their names say. */
const SEEDED = {
  /** Applied to Jade River against wr-qd-cu-0103, waiting for Qinggang. */
  applied: 'ln-demo-0001',
  /** Confirmed, Jade River to propose; CNY 4,000,000 asked against 100 t of copper. */
  confirmed: 'ln-demo-0003',
  /** Terms proposed by Jade River's officer before copper fell, which its collateral no longer supports. */
  proposed: 'ln-demo-0004',
  /** Running, Jade River's, partly repaid. */
  running: 'ln-demo-0007',
  /** Running, East Shore's, in margin call since copper fell. */
  marginCall: 'ln-demo-0008',
} as const;

beforeEach(async () => {
  sessionStorage.clear();
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
});

async function signInAs(userId: string, path?: string) {
  window.history.pushState({}, '', '/login');
  render(<App />);
  fireEvent.click(await screen.findByTestId(`demo-login-${userId}`));
  const { name } = ready().user(userId);
  await waitFor(() => expect(screen.getByTestId('signed-in-user').textContent).toContain(name));
  if (path) {
    cleanup();
    window.history.pushState({}, '', path);
    render(<App />);
  }
}

const change = (testId: string, value: string) => fireEvent.change(screen.getByTestId(testId), { target: { value } });
const shown = (testId: string) => screen.getByTestId(testId).textContent;

interface MoneyValue {
  currency: string;
  value: string;
}

/** Money as a reader sees it: "CNY 2,959,600.00". */
function money({ currency, value }: MoneyValue): string {
  const [whole = '', frac] = value.split('.');
  return `${currency} ${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac === undefined ? '' : `.${frac}`}`;
}

/** A decimal as digits and a scale, exactly. */
function exact(value: string): { digits: bigint; scale: number } {
  const [whole = '0', frac = ''] = value.split('.');
  return { digits: BigInt(whole + frac), scale: frac.length };
}

/** A product of decimals, cut toward zero to cents: the most a loan may be is never rounded up. */
function centsOf(...factors: string[]): string {
  const product = factors.map(exact).reduce((a, b) => ({ digits: a.digits * b.digits, scale: a.scale + b.scale }), { digits: 1n, scale: 0 });
  const cents = product.scale >= 2 ? product.digits / 10n ** BigInt(product.scale - 2) : product.digits * 10n ** BigInt(2 - product.scale);
  return `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
}

/** The latest copper price (HS 740311, any grade) the node holds, as the SME sees it. */
async function copperPrice(node: PageNode): Promise<string> {
  const { prices } = await node.query<{ prices: { hsCode: string; grade: string; price: MoneyValue }[] }>('sme-tongyuan.officer', '{ prices { hsCode grade price { currency value } } }');
  const copper = prices.find((p) => p.hsCode === '740311' && p.grade === '' && p.price.currency === 'CNY');
  if (!copper) throw new Error('the demo publishes a copper price');
  return copper.price.value;
}

/** A receipt's quantity as its holder sees it. */
async function tonnes(node: PageNode, receipt: string): Promise<string> {
  const { receipt: r } = await node.query<{ receipt: { quantity: { value: string } } | null }>('sme-tongyuan.officer', `{ receipt(id: "${receipt}") { quantity { value } } }`);
  if (!r) throw new Error(`Tongyuan holds no ${receipt}`);
  return r.quantity.value;
}

/** Money, as a money input and in the ledger's spelling alike. */
const cny = (value: string) => ({ currency: 'CNY', value });

/** Tongyuan applies for real, signed by its officer, and Qinggang confirms the pledge unless told not to. */
async function loanAppliedForReal(node: PageNode, loan: string, bank: string, receipt: string, amount: string, { confirm = true } = {}) {
  await node.submit('sme-tongyuan.officer', {
    type: 'loan.apply',
    input: { loan, bank, amount: cny(amount), tenorDays: 90, purpose: 'working capital', receipts: [receipt] },
    body: { loan, bank, amount: cny(amount), tenor_days: 90, purpose: 'working capital', receipts: [receipt] },
  });
  if (confirm) await node.submit('wh-qingdao.officer', { type: 'pledge.confirm', input: { loan, receipt }, body: { loan, receipt } });
}

/** The bank's usual terms for CNY 300,000 over 90 days, proposed for real by `officer`: the GraphQL input and the ledger's body. */
async function termsProposedForReal(node: PageNode, officer: string, loan: string, hsCode: string) {
  const maturity = addDays(todayInChina(), 90);
  await node.submit(officer, {
    type: 'loan.propose',
    input: {
      loan,
      principal: cny('300000.00'),
      annualRate: '0.0435',
      dayCount: 'ACT_360',
      maturity,
      graceDays: 3,
      penaltyRate: '0.0650',
      haircuts: [{ hsCode, haircut: '0.30' }],
      maxLtv: '0.70',
      marginCallLtv: '0.80',
      liquidationLtv: '0.90',
      cureDays: 5,
    },
    body: {
      loan,
      terms: {
        principal: cny('300000.00'),
        annual_rate: '0.0435',
        day_count: 'act360',
        maturity,
        grace_days: 3,
        penalty_rate: '0.0650',
        haircuts: [{ hs_code: hsCode, haircut: '0.30' }],
        max_ltv: '0.70',
        margin_call_ltv: '0.80',
        liquidation_ltv: '0.90',
        cure_days: 5,
      },
    },
  });
}

describe('the SME financing page', () => {
  it('updates the indicative maximum loan as receipts are picked and unpicked', async () => {
    const node = ready();
    const price = await copperPrice(node);
    const [big = '', small = ''] = FREE.picks;
    const [bigT, smallT] = [await tonnes(node, big), await tonnes(node, small)];
    // Before a bank's terms, the node values copper with a 30% haircut and lends up to 70% of that.
    const most = (...quantities: string[]) => quantities.map((q) => exact(centsOf(q, price, '0.70', '0.70')).digits).reduce((a, b) => a + b, 0n);
    const asMoney = (cents: bigint) => money(cny(`${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`));

    await signInAs('sme-tongyuan.officer');
    fireEvent.click(await screen.findByTestId('nav-financing'));
    await screen.findByTestId(`apply-receipt-${big}`);
    expect(screen.getByTestId('indicative').textContent).toContain(en.financing.apply.pickFirst);
    const before = await node.size();

    fireEvent.click(screen.getByTestId(`apply-pick-${big}`));
    await waitFor(() => expect(shown('indicative-max')).toBe(asMoney(most(bigT))));
    expect(shown('indicative-market')).toBe(money(cny(centsOf(bigT, price))));

    fireEvent.click(screen.getByTestId(`apply-pick-${small}`));
    await waitFor(() => expect(shown('indicative-max')).toBe(asMoney(most(bigT, smallT))));

    fireEvent.click(screen.getByTestId(`apply-pick-${big}`));
    await waitFor(() => expect(shown('indicative-max')).toBe(asMoney(most(smallT))));
    // Asking what receipts would support signs nothing.
    expect(await node.size()).toBe(before);
  });

  it('applies to a bank with the receipts picked, signing loan.apply with what was typed', async () => {
    const node = ready();
    const receipt = FREE.apply;
    await signInAs('sme-tongyuan.officer');
    fireEvent.click(await screen.findByTestId('nav-financing'));
    fireEvent.click(await screen.findByTestId(`apply-pick-${receipt}`));
    const bank = screen.getByTestId('apply-bank') as HTMLSelectElement;
    await waitFor(() => expect([...bank.options].map((o) => o.value)).toContain('bank-jade'));
    change('apply-bank', 'bank-jade');
    // 100 t of copper supports less than CNY 3,000,000 before terms.
    change('apply-amount', '3000000.00');
    await screen.findByTestId('apply-over-max');
    change('apply-amount', '300000.00');
    await waitFor(() => expect(screen.queryByTestId('apply-over-max')).toBeNull());
    change('apply-tenor', '90');
    change('apply-purpose', 'copper purchase');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('apply-submit'));
    await screen.findByTestId('receipt');

    const applied = onlyEntry(await node.since(before), 'loan.apply');
    expect(applied.key).toBe(node.key('sme-tongyuan.officer'));
    const id = String(applied.tx.body.loan);
    expect(id).toMatch(/^ln-[0-9a-f]{20}$/);
    expect(applied.tx.body).toEqual({
      loan: id,
      bank: 'bank-jade',
      amount: cny('300000.00'),
      tenor_days: 90,
      purpose: 'copper purchase',
      receipts: [receipt],
    });
    const row = await screen.findByTestId(`loan-row-${id}`);
    expect(within(row).getByTestId(`loan-status-${id}`).textContent).toBe(en.loanStatus.APPLIED);
    // The receipt offered is no longer free to offer again.
    await waitFor(() => expect(screen.queryByTestId(`apply-receipt-${receipt}`)).toBeNull());
  });

  it('shows the borrower an open margin call with the amount that cures it, and what to pay today', async () => {
    const node = ready();
    const id = SEEDED.marginCall;
    const { loan } = await node.query<{ loan: { status: string; cureAmount: MoneyValue | null; owed: { total: MoneyValue } } }>(
      'sme-tongyuan.officer',
      `{ loan(id: "${id}") { status cureAmount { currency value } owed { total { currency value } } } }`,
    );
    if (!loan.cureAmount) throw new Error(`${id} should be in margin call on a fresh demo`);
    await signInAs('sme-tongyuan.officer', `/loans/${id}`);
    await screen.findByTestId('margin-call');
    expect(shown('cure-amount')).toBe(money(loan.cureAmount));
    expect(shown('loan-status')).toBe(en.loanStatus.ACTIVE);
    expect(screen.getByTestId('step-ACTIVE').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('step-APPROVED').getAttribute('data-state')).toBe('done');
    expect(shown('instructions-amount')).toBe(money(loan.owed.total));
    expect(shown('instructions-reference')).toBe(id);
    expect(screen.getByTestId('top-up-form')).toBeTruthy();
    expect(screen.queryByTestId('bank-actions')).toBeNull();
  });

  it('lets the borrower tell the bank what it sent, signing loan.instruct, and the bank records from it', async () => {
    const node = ready();
    const id = SEEDED.running;
    await signInAs('sme-tongyuan.officer', `/loans/${id}`);
    await screen.findByTestId('instruct-form');
    change('instruct-amount', '1000.00');
    change('instruct-reference', 'TT-0042');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('instruct-submit'));
    await screen.findByTestId('receipt');
    const instruct = onlyEntry(await node.since(before), 'loan.instruct');
    expect(instruct.key).toBe(node.key('sme-tongyuan.officer'));
    expect(instruct.tx.body).toEqual({ loan: id, amount: cny('1000.00'), reference: 'TT-0042' });
    await waitFor(() => expect(shown('instructions-sent')).toContain('TT-0042'));
    cleanup();
    await signInAs('bank-jade.officer', `/loans/${id}`);
    await screen.findByTestId('repay-instructed');
    expect((screen.getByTestId('repay-amount') as HTMLInputElement).value).toBe('1000.00');
    expect((screen.getByTestId('repay-reference') as HTMLInputElement).value).toBe('TT-0042');
  });
});

describe('the warehouse pledges page', () => {
  it('confirms an offered receipt, signing pledge.confirm, and lists goods held for each bank', async () => {
    const node = ready();
    const loan = SEEDED.applied;
    const receipt = 'wr-qd-cu-0103';
    await signInAs('wh-qingdao.officer');
    fireEvent.click(await screen.findByTestId('nav-pledges'));
    const confirm = await screen.findByTestId(`confirm-pledge-${loan}-${receipt}`);
    const before = await node.size();
    fireEvent.click(confirm);
    await screen.findByTestId('receipt');
    const confirmed = onlyEntry(await node.since(before), 'pledge.confirm');
    expect(confirmed.key).toBe(node.key('wh-qingdao.officer'));
    expect(confirmed.tx.body).toEqual({ loan, receipt });
    await waitFor(() => expect(screen.queryByTestId(`confirmation-${loan}`)).toBeNull());

    // What Qinggang holds for Jade River under active pledges, summed here from the node's receipts.
    const { receipts } = await node.query<{ receipts: { nodes: { quantity: { value: string }; encumbrance: { holder: string; kind: string } | null }[] } }>(
      'wh-qingdao.officer',
      '{ receipts(warehouse: "wh-qingdao", first: 500) { nodes { quantity { value } encumbrance { holder kind } } } }',
    );
    const milli = receipts.nodes
      .filter((r) => r.encumbrance?.holder === 'bank-jade' && r.encumbrance.kind === 'ACTIVE')
      .reduce((sum, r) => sum + exact(r.quantity.value).digits * 10n ** BigInt(3 - exact(r.quantity.value).scale), 0n);
    expect(milli).toBeGreaterThan(0n);
    await waitFor(() => expect(shown('held-total-bank-jade')).toBe(`${milli / 1000n}.${String(milli % 1000n).padStart(3, '0')} t`));
    // The receipt Tongyuan pledged to Jade River directly, under its reference.
    expect(screen.getByTestId('held-bank-jade-QDWR-2026-0001').textContent).toContain('JR-LN-2026-0117');
  });

  it('declines with a reason, signing pledge.decline', async () => {
    const node = ready();
    const loan = 'ln-page-test-decline';
    const receipt = FREE.decline;
    await loanAppliedForReal(node, loan, 'bank-jade', receipt, '300000.00', { confirm: false });
    await signInAs('wh-qingdao.officer');
    fireEvent.click(await screen.findByTestId('nav-pledges'));
    fireEvent.click(await screen.findByTestId(`decline-pledge-${loan}-${receipt}`));
    change(`decline-reason-${loan}-${receipt}`, 'goods not found in bay 3');
    const before = await node.size();
    fireEvent.click(screen.getByTestId(`decline-submit-${loan}-${receipt}`));
    await screen.findByTestId('receipt');
    const declined = onlyEntry(await node.since(before), 'pledge.decline');
    expect(declined.key).toBe(node.key('wh-qingdao.officer'));
    expect(declined.tx.body).toEqual({ loan, receipt, reason: 'goods not found in bay 3' });
  });
});

describe('the bank lending pages', () => {
  it('lets an officer propose the bank usual terms from the queue, signing loan.propose', async () => {
    const node = ready();
    const loan = 'ln-page-test-propose';
    const receipt = FREE.propose;
    // CNY 300,000 asked against 50 t of copper, which supports more: the terms start at what was asked.
    await loanAppliedForReal(node, loan, 'bank-jade', receipt, '300000.00');
    await signInAs('bank-jade.officer');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    const row = await screen.findByTestId(`queue-row-${loan}`);
    expect(within(row).getByTestId(`check-${receipt}`).getAttribute('href')).toBe(`/r/${receipt}`);
    fireEvent.click(within(row).getByTestId(`queue-open-${loan}`));
    await screen.findByTestId('propose-form');
    // An officer proposes; only an approver decides.
    expect(screen.queryByTestId('approve-form')).toBeNull();
    const before = await node.size();
    fireEvent.click(screen.getByTestId('propose-submit'));
    await screen.findByTestId('receipt');
    const proposed = onlyEntry(await node.since(before), 'loan.propose');
    expect(proposed.key).toBe(node.key('bank-jade.officer'));
    expect(proposed.tx.body).toEqual({
      loan,
      terms: {
        principal: cny('300000.00'),
        annual_rate: '0.0435',
        day_count: 'act360',
        maturity: addDays(todayInChina(), 90),
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
    const node = ready();
    const id = SEEDED.confirmed;
    const price = await copperPrice(node);
    const { loan } = await node.query<{ loan: { amount: MoneyValue; valuation: { lines: { quantity: { value: string } }[] } } }>(
      'bank-jade.officer',
      `{ loan(id: "${id}") { amount { currency value } valuation { lines { quantity { value } } } } }`,
    );
    const quantity = loan.valuation.lines[0]?.quantity.value ?? '';
    // With the usual 30% haircut and 70% LTV the collateral supports less than the CNY 4,000,000 asked.
    const supported = centsOf(quantity, price, '0.70', '0.70');
    expect(exact(supported).digits).toBeLessThan(exact(loan.amount.value).digits);
    await signInAs('bank-jade.officer', `/loans/${id}`);
    await screen.findByTestId('propose-form');
    expect((screen.getByTestId('propose-principal') as HTMLInputElement).value).toBe(supported);
    expect(shown('propose-most-value')).toBe(money(cny(supported)));
    change('propose-haircut-0', '0.50');
    expect(shown('propose-most-value')).toBe(money(cny(centsOf(quantity, price, '0.50', '0.70'))));
    expect(shown('propose-most')).toContain(en.loan.propose.rules.overMost);
  });

  it('refuses terms whose LTV levels do not rise before signing anything', async () => {
    const node = ready();
    await signInAs('bank-jade.officer', `/loans/${SEEDED.confirmed}`);
    await screen.findByTestId('propose-form');
    const before = await node.size();
    change('propose-marginCallLtv', '0.95');
    expect(shown('propose-ltv-order')).toBe(en.loan.propose.rules.ltvOrder);
    expect((screen.getByTestId('propose-submit') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(screen.getByTestId('propose-form'));
    expect(await node.size()).toBe(before);
  });

  it('shows the refused approval and its code when the maker approves their own terms', async () => {
    const node = ready();
    const loan = 'ln-page-test-own-terms';
    const receipt = FREE.ownTerms;
    // Sun Hao, East Shore's officer, is made an approver too, and proposes terms himself.
    await node.submit('bank-east.admin', { type: 'role.grant', input: { user: 'bank-east.officer', role: 'APPROVER' }, body: { user: 'bank-east.officer', role: 'approver' } });
    await loanAppliedForReal(node, loan, 'bank-east', receipt, '300000.00');
    await termsProposedForReal(node, 'bank-east.officer', loan, '740311');
    await signInAs('bank-east.officer', `/loans/${loan}`);
    await screen.findByTestId('approve-form');
    expect(shown('approve-own')).toBe(en.loan.decide.own);
    const before = await node.size();
    fireEvent.click(screen.getByTestId('approve-submit'));
    const error = await screen.findByTestId('error');
    expect(within(error).getByTestId('error-code').textContent).toBe('SAME_USER');
    expect(error.textContent).toContain(en.errors.SAME_USER);
    // The node's own reason, naming the maker.
    expect(error.textContent).toContain('bank-east.officer proposed these terms and cannot also approve them');
    expect(await node.size()).toBe(before);
    expect(shown('loan-status')).toBe(en.loanStatus.PROPOSED);
  });

  it('lets another approver approve, signing loan.approve, and the borrower then sees it approved', async () => {
    const node = ready();
    const id = 'ln-page-test-approve';
    // Aluminium, whose price held: Li Na's terms are within what it supports.
    await loanAppliedForReal(node, id, 'bank-jade', FREE.approve, '300000.00');
    await termsProposedForReal(node, 'bank-jade.officer', id, '760110');
    await signInAs('bank-jade.approver', `/loans/${id}`);
    expect(await screen.findByTestId('terms-proposed-by')).toBeTruthy();
    expect(screen.queryByTestId('approve-own')).toBeNull();
    const before = await node.size();
    fireEvent.click(screen.getByTestId('approve-submit'));
    await screen.findByTestId('receipt');
    const approved = onlyEntry(await node.since(before), 'loan.approve');
    expect(approved.key).toBe(node.key('bank-jade.approver'));
    expect(approved.tx.body).toEqual({ loan: id });
    await waitFor(() => expect(shown('loan-status')).toBe(en.loanStatus.APPROVED));
    // Approved, not yet registered: registration and disbursement are next.
    expect(screen.getByTestId('register-form')).toBeTruthy();
    expect(screen.getByTestId('disburse-unregistered')).toBeTruthy();

    cleanup();
    sessionStorage.clear();
    await signInAs('sme-tongyuan.officer', `/loans/${id}`);
    await waitFor(() => expect(shown('loan-status')).toBe(en.loanStatus.APPROVED));
    expect(screen.getByTestId('step-APPROVED').getAttribute('data-state')).toBe('current');
    expect(screen.getByTestId('step-REGISTERED').getAttribute('data-state')).toBe('todo');
  });

  it('shows the refused approval when the collateral no longer supports the terms proposed', async () => {
    const node = ready();
    // Terms of CNY 3,800,000 proposed while copper was dear; it has fallen since.
    const id = SEEDED.proposed;
    await signInAs('bank-jade.approver', `/loans/${id}`);
    await screen.findByTestId('approve-form');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('approve-submit'));
    const error = await screen.findByTestId('error');
    expect(within(error).getByTestId('error-code').textContent).toBe('INSUFFICIENT_COLLATERAL');
    expect(error.textContent).toContain(en.errors.INSUFFICIENT_COLLATERAL);
    expect(await node.size()).toBe(before);
    expect(shown('loan-status')).toBe(en.loanStatus.PROPOSED);
  });

  it('highlights loans in margin call and draws exposure by commodity', async () => {
    const node = ready();
    const id = SEEDED.marginCall;
    const { portfolio } = await node.query<{ portfolio: { currency: string; running: number; inMarginCall: { id: string }[]; overdue: { id: string }[] }[] }>(
      'bank-east.officer',
      '{ portfolio { currency running inMarginCall { id } overdue { id } } }',
    );
    const book = portfolio.find((p) => p.currency === 'CNY');
    expect(book?.inMarginCall.map((l) => l.id)).toContain(id);
    await signInAs('bank-east.officer');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    const call = await screen.findByTestId(`loan-row-${id}`);
    expect(call.className).toContain('loan-margin-call');
    expect(within(call).getByTestId(`margin-call-${id}`).textContent).toBe(en.loans.badge.marginCall);
    await screen.findByTestId(`portfolio-margin-call-${id}`);
    await waitFor(() => expect(shown('portfolio-running-CNY')).toBe(String(book?.running)));
    // No loan of a fresh ledger is overdue (that takes days to pass), and the page marks none.
    expect(book?.overdue).toEqual([]);
    expect(document.querySelector('.loan-overdue')).toBeNull();
    expect(screen.getByTestId('exposure-chart').querySelector('[data-testid="exposure-bar-740311"] rect')).toBeTruthy();
  });

  it('shows the regulator every bank book without the forms a bank signs with', async () => {
    const node = ready();
    const { portfolio } = await node.query<{ portfolio: { currency: string; running: number }[] }>('reg-local.admin', '{ portfolio { currency running } }');
    const running = portfolio.find((p) => p.currency === 'CNY')?.running;
    await signInAs('reg-local.admin');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    // Both banks' loans, in one view.
    await screen.findByTestId(`loan-row-${SEEDED.running}`);
    expect(screen.getByTestId(`loan-row-${SEEDED.marginCall}`)).toBeTruthy();
    expect(screen.getByText(en.lending.oversightLead)).toBeTruthy();
    await waitFor(() => expect(shown('portfolio-running-CNY')).toBe(String(running)));
    expect(screen.queryByTestId('publish-price-form')).toBeNull();
  });

  it('publishes a price without a grade, signing a null grade', async () => {
    const node = ready();
    await signInAs('bank-jade.officer');
    fireEvent.click(await screen.findByTestId('nav-lending'));
    await screen.findByTestId('publish-price-form');
    // Copper ore: a commodity the demo has no price for yet.
    change('price-hs-code', '260300');
    change('price-value', '19000.00');
    const before = await node.size();
    fireEvent.click(screen.getByTestId('publish-price-submit'));
    await screen.findByTestId('receipt');
    const published = onlyEntry(await node.since(before), 'price.publish');
    expect(published.key).toBe(node.key('bank-jade.officer'));
    expect(published.tx.body).toEqual({ hs_code: '260300', grade: null, unit: 'TNE', price: cny('19000.00') });
    await screen.findByTestId('price-260300-any-CNY');
  });
});
