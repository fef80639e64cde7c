/**
 * The financing contract in the page tests' stand-in node: loans, prices,
 * valuations and the portfolio, and every financing mutation, each rebuilt
 * from its GraphQL input and its signature checked as the node does.
 * Figures are worked out with plain numbers: good enough for a stand-in.
 */

import type { TxBody } from '../crypto/tx';
import { type MockNode, type MockReceipt, type MockUser, gqlError, json } from './mockNode';

type Input = Record<string, unknown>;
const str = (v: unknown) => v as string;
const money = (m: unknown) => ({ currency: str((m as Input).currency), value: str((m as Input).value) });

/**
 * How the node rebuilds each financing transaction from its GraphQL input:
 * written apart from the browser's body builders, so that a mismatch between
 * the two fails the signature check.
 */
export const LOAN_REBUILD: Record<string, { type: string; body: (i: Input) => TxBody }> = {
  ApplyForLoan: {
    type: 'loan.apply',
    body: (i) => ({
      loan: str(i.loan),
      bank: str(i.bank),
      amount: money(i.amount),
      tenor_days: i.tenorDays as number,
      purpose: str(i.purpose),
      receipts: i.receipts as string[],
    }),
  },
  ConfirmPledge: { type: 'pledge.confirm', body: (i) => ({ loan: str(i.loan), receipt: str(i.receipt) }) },
  DeclinePledge: { type: 'pledge.decline', body: (i) => ({ loan: str(i.loan), receipt: str(i.receipt), reason: str(i.reason) }) },
  ProposeLoanTerms: {
    type: 'loan.propose',
    body: (i) => ({
      loan: str(i.loan),
      terms: {
        principal: money(i.principal),
        annual_rate: str(i.annualRate),
        day_count: i.dayCount === 'ACT_360' ? 'act360' : 'act365',
        maturity: str(i.maturity),
        grace_days: i.graceDays as number,
        penalty_rate: str(i.penaltyRate),
        haircuts: (i.haircuts as Input[]).map((h) => ({ hs_code: str(h.hsCode), haircut: str(h.haircut) })),
        max_ltv: str(i.maxLtv),
        margin_call_ltv: str(i.marginCallLtv),
        liquidation_ltv: str(i.liquidationLtv),
        cure_days: i.cureDays as number,
      },
    }),
  },
  ApproveLoan: { type: 'loan.approve', body: (i) => ({ loan: str(i.loan) }) },
  RejectLoan: { type: 'loan.reject', body: (i) => ({ loan: str(i.loan), reason: str(i.reason) }) },
  RegisterPledge: { type: 'loan.register', body: (i) => ({ loan: str(i.loan), reference: str(i.reference), date: str(i.date) }) },
  DisburseLoan: { type: 'loan.disburse', body: (i) => ({ loan: str(i.loan), reference: str(i.reference) }) },
  RecordRepayment: { type: 'loan.repay', body: (i) => ({ loan: str(i.loan), amount: money(i.amount), reference: str(i.reference) }) },
  InstructRepayment: { type: 'loan.instruct', body: (i) => ({ loan: str(i.loan), amount: money(i.amount), reference: str(i.reference) }) },
  ReleaseCollateral: { type: 'loan.release', body: (i) => ({ loan: str(i.loan), receipts: i.receipts as string[] }) },
  TopUpCollateral: { type: 'loan.top_up', body: (i) => ({ loan: str(i.loan), receipts: i.receipts as string[] }) },
  DeclareDefault: { type: 'loan.default', body: (i) => ({ loan: str(i.loan), reason: str(i.reason) }) },
  EnforceLoan: {
    type: 'loan.enforce',
    body: (i) => ({
      loan: str(i.loan),
      enforcement: (i.method === 'SALE'
        ? { method: 'sale', buyer: str(i.buyer), proceeds: money(i.amount) }
        : { method: 'take', value: money(i.amount) }) as TxBody,
    }),
  },
  WriteOffLoan: { type: 'loan.write_off', body: (i) => ({ loan: str(i.loan), reason: str(i.reason) }) },
  PublishPrice: {
    type: 'price.publish',
    body: (i) => ({ hs_code: str(i.hsCode), grade: i.grade === undefined ? null : (i.grade as string | null), unit: str(i.unit), price: money(i.price) }),
  },
  DesignatePriceSource: { type: 'price.designate', body: (i) => ({ org: str(i.org), source: i.source as boolean }) },
};

export interface MockPledge {
  receipt: string;
  confirmedAt: number | null;
}

/** A loan as the stand-in keeps it; the GraphQL shape is filled in on the way out. */
export interface MockLoan {
  id: string;
  borrower: string;
  bank: string;
  amount: { currency: string; value: string };
  tenorDays: number;
  purpose: string;
  status: string;
  appliedAt: number;
  collateral: MockPledge[];
  topUps: MockPledge[];
  terms: (Input & { proposedBy: string; proposedAt: number }) | null;
  approvedBy: string | null;
  registration: { reference: string; date: string; at: number } | null;
  disbursement: { reference: string; at: number; on: string } | null;
  marginCall: { raisedAt: number; raisedOn: string; deadline: string; ltv: string } | null;
  cureAmount: string | null;
  overdue: boolean;
  reason: string | null;
  instructions?: { at: number; on: string; amount: { currency: string; value: string }; reference: string }[];
}

export interface MockPrice {
  hsCode: string;
  grade: string;
  unit: string;
  price: { currency: string; value: string };
  by: string;
  at: number;
}

const INDICATIVE_HAIRCUT = 0.3;
const INDICATIVE_MAX_LTV = 0.7;
const fixed = (n: number) => n.toFixed(2);
const m = (currency: string, n: number) => ({ currency, value: fixed(n) });

function valuation(node: MockNode, ids: readonly string[], currency: string, haircutOf: (hs: string) => number, maxLtv: number) {
  const lines = [];
  const unpriced: string[] = [];
  let market = 0;
  let value = 0;
  for (const id of ids) {
    const r = node.receipts.find((x) => x.id === id);
    if (!r) continue;
    const lot = node.lotOfReceipt(r);
    const price = node.prices.find((p) => p.hsCode === lot.hsCode && p.price.currency === currency && (p.grade === lot.grade || p.grade === ''));
    const haircut = haircutOf(lot.hsCode);
    const lineMarket = price ? Number(r.quantity) * Number(price.price.value) : 0;
    const lineValue = lineMarket * (1 - haircut);
    if (!price) unpriced.push(id);
    market += lineMarket;
    value += lineValue;
    lines.push({
      receipt: id,
      hsCode: lot.hsCode,
      grade: lot.grade,
      quantity: { value: r.quantity, unit: lot.unit },
      effective: { value: r.quantity, unit: lot.unit },
      price: price ? price.price : null,
      haircut: haircut.toFixed(2),
      market: m(currency, lineMarket),
      value: m(currency, lineValue),
    });
  }
  return { lines, market: m(currency, market), value: m(currency, value), maxLoan: m(currency, value * maxLtv), maxLtv: maxLtv.toFixed(2), unpriced };
}

function loanNode(node: MockNode, l: MockLoan) {
  const c = l.amount.currency;
  const pledge = (p: MockPledge) => {
    const r = node.receipts.find((x) => x.id === p.receipt) as MockReceipt;
    return { receipt: p.receipt, warehouse: node.orgNode(node.lotOfReceipt(r).warehouse), offeredAt: l.appliedAt, confirmedAt: p.confirmedAt };
  };
  const haircuts = (l.terms?.haircuts as { hsCode: string; haircut: string }[] | undefined) ?? [];
  const haircutOf = (hs: string) => Number(haircuts.find((h) => h.hsCode === hs)?.haircut ?? INDICATIVE_HAIRCUT);
  const maxLtv = l.terms ? Number(l.terms.maxLtv) : INDICATIVE_MAX_LTV;
  const v = valuation(
    node,
    l.collateral.map((p) => p.receipt),
    c,
    haircutOf,
    maxLtv,
  );
  const principal = l.disbursement ? Number((l.terms?.principal as { value: string }).value) : Number(l.terms ? (l.terms.principal as { value: string }).value : l.amount.value);
  const ltv = Number(v.value.value) > 0 ? (principal / Number(v.value.value)).toFixed(4) : null;
  const zero = m(c, 0);
  const owedPrincipal = l.disbursement ? principal : 0;
  return {
    id: l.id,
    borrower: node.orgNode(l.borrower),
    bank: node.orgNode(l.bank),
    amount: l.amount,
    tenorDays: l.tenorDays,
    purpose: l.purpose,
    status: l.status,
    appliedAt: l.appliedAt,
    collateral: l.collateral.map(pledge),
    topUps: l.topUps.map(pledge),
    released: [],
    terms: l.terms ? { ...l.terms } : null,
    approvedBy: l.approvedBy,
    registration: l.registration,
    disbursement: l.disbursement,
    balances: { disbursed: m(c, owedPrincipal), principal: m(c, owedPrincipal), received: zero },
    payments: [],
    instructions: l.instructions ?? [],
    marginCalls: l.marginCall ? [{ ...l.marginCall, curedAt: null }] : [],
    openMarginCall: l.marginCall,
    default: null,
    realisation: null,
    reason: l.reason,
    closedAt: null,
    valuation: v,
    ltv,
    owed: { on: '2026-05-22', penalty: zero, interest: zero, principal: m(c, owedPrincipal), total: m(c, owedPrincipal) },
    overdue: l.overdue,
    cureAmount: l.cureAmount ? { currency: c, value: l.cureAmount } : null,
    schedule: l.disbursement ? [{ date: String(l.terms?.maturity), kind: 'due', principal: m(c, principal), interest: zero, penalty: zero, total: m(c, principal), reference: null }] : [],
    history: [],
    ltvSeries: [],
  };
}

/** Whether the signed-in organisation may see the loan: its borrower, its bank, the warehouses holding its collateral. */
function sees(node: MockNode, l: MockLoan, org: string): boolean {
  if (node.kindOf(org) === 'REGULATOR' || l.borrower === org || l.bank === org) return true;
  return [...l.collateral, ...l.topUps].some((p) => {
    const r = node.receipts.find((x) => x.id === p.receipt);
    return r !== undefined && node.lotOfReceipt(r).warehouse === org;
  });
}

function query(node: MockNode, operation: string, vars: Input, me: MockUser): Response | null {
  switch (operation) {
    case 'Loans': {
      const statuses = (vars.status as string[] | null | undefined) ?? [];
      const nodes = node.loans
        .filter((l) => sees(node, l, me.org))
        .filter((l) => statuses.length === 0 || statuses.includes(l.status))
        .filter((l) => !vars.bank || l.bank === vars.bank)
        .filter((l) => !vars.borrower || l.borrower === vars.borrower)
        .reverse()
        .map((l) => loanNode(node, l));
      return json({ data: { loans: { nodes } } });
    }
    case 'LoanDetail':
    case 'LoanLtv': {
      const l = node.loans.find((x) => x.id === vars.id);
      if (l && !sees(node, l, me.org)) return gqlError('FORBIDDEN', 'not a party to the loan');
      return json({ data: { loan: l ? loanNode(node, l) : null } });
    }
    case 'IndicativeValuation':
      return json({
        data: { indicativeValuation: valuation(node, vars.receipts as string[], str(vars.currency), () => INDICATIVE_HAIRCUT, INDICATIVE_MAX_LTV) },
      });
    case 'Prices':
      return json({ data: { prices: node.prices.map((p) => ({ ...p, time: '2026-05-22T08:00:00.000Z' })) } });
    case 'Portfolio': {
      // A bank sees its own book; the regulator a named bank's, or every bank's.
      const bank = node.kindOf(me.org) === 'REGULATOR' ? (vars.bank as string | null | undefined) : me.org;
      const mine = node.loans.filter((l) => !bank || l.bank === bank).map((l) => loanNode(node, l));
      const running = mine.filter((l) => l.status === 'ACTIVE' || l.status === 'DEFAULTED');
      const sum = (f: (l: (typeof mine)[number]) => string) => running.reduce((n, l) => n + Number(f(l)), 0);
      if (mine.length === 0) return json({ data: { portfolio: [] } });
      return json({
        data: {
          portfolio: [
            {
              bank: bank ?? null,
              currency: 'CNY',
              running: running.length,
              principal: m('CNY', sum((l) => l.balances.principal.value)),
              market: m('CNY', sum((l) => l.valuation.market.value)),
              value: m('CNY', sum((l) => l.valuation.value.value)),
              exposure: running.length
                ? [
                    {
                      hsCode: '740311',
                      commodity: 'copper cathode',
                      loans: running.length,
                      principal: m('CNY', sum((l) => l.balances.principal.value)),
                      market: m('CNY', sum((l) => l.valuation.market.value)),
                      value: m('CNY', sum((l) => l.valuation.value.value)),
                    },
                  ]
                : [],
              inMarginCall: mine.filter((l) => l.openMarginCall).map((l) => ({ id: l.id })),
              overdue: mine.filter((l) => l.overdue).map((l) => ({ id: l.id })),
              queue: mine.filter((l) => l.status === 'CONFIRMED' || l.status === 'PROPOSED').length,
            },
          ],
        },
      });
    }
  }
  return null;
}

/** Applies an accepted mutation to the stand-in's loans; an error answer when the contract would refuse it. */
function apply(node: MockNode, operation: string, i: Input, me: MockUser): Response | null {
  const has = (role: string) => me.roles.includes(role);
  const loan = node.loans.find((l) => l.id === i.loan);
  const at = node.nextIndex();
  if (operation === 'ApplyForLoan') {
    if (node.kindOf(me.org) !== 'SME') return gqlError('FORBIDDEN', 'only an SME applies');
    const receipts = i.receipts as string[];
    for (const id of receipts) {
      const r = node.receipts.find((x) => x.id === id);
      if (!r || r.holder !== me.org) return gqlError('FORBIDDEN', `not the holder of ${id}`);
      if (r.encumbrance) return gqlError('RECEIPT_ENCUMBERED', `${id} is pledged`);
      r.encumbrance = { holder: str(i.bank), reference: str(i.loan), kind: 'PENDING', since: at };
    }
    node.loans.push({
      id: str(i.loan),
      borrower: me.org,
      bank: str(i.bank),
      amount: money(i.amount),
      tenorDays: i.tenorDays as number,
      purpose: str(i.purpose),
      status: 'APPLIED',
      appliedAt: at,
      collateral: receipts.map((receipt) => ({ receipt, confirmedAt: null })),
      topUps: [],
      terms: null,
      approvedBy: null,
      registration: null,
      disbursement: null,
      marginCall: null,
      cureAmount: null,
      overdue: false,
      reason: null,
    });
    return null;
  }
  if (operation === 'PublishPrice') {
    if (node.kindOf(me.org) !== 'BANK') return gqlError('FORBIDDEN', 'not a price source');
    node.prices = node.prices.filter((p) => !(p.hsCode === i.hsCode && p.grade === (i.grade ?? '') && p.price.currency === money(i.price).currency));
    node.prices.push({ hsCode: str(i.hsCode), grade: (i.grade as string | undefined) ?? '', unit: str(i.unit), price: money(i.price), by: me.org, at });
    return null;
  }
  if (operation === 'DesignatePriceSource') return gqlError('FORBIDDEN', 'only the operator designates');
  if (!loan) return gqlError('NOT_FOUND', `no loan ${String(i.loan)}`);
  const bank = loan.bank === me.org;
  switch (operation) {
    case 'ConfirmPledge':
    case 'DeclinePledge': {
      const p = loan.collateral.find((x) => x.receipt === i.receipt);
      const r = node.receipts.find((x) => x.id === i.receipt);
      if (!p || !r || node.lotOfReceipt(r).warehouse !== me.org) return gqlError('FORBIDDEN', 'not the warehouse of the receipt');
      if (operation === 'ConfirmPledge') {
        p.confirmedAt = at;
        if (loan.collateral.every((x) => x.confirmedAt !== null)) loan.status = 'CONFIRMED';
      } else {
        loan.status = 'DECLINED';
        loan.reason = str(i.reason);
      }
      return null;
    }
    case 'ProposeLoanTerms': {
      const { loan: _, ...terms } = i;
      if (!bank || !has('officer')) return gqlError('FORBIDDEN', 'proposing terms needs the officer role');
      if (loan.status !== 'CONFIRMED' && loan.status !== 'PROPOSED') return gqlError('INVALID_STATE', `loan is ${loan.status}`);
      loan.terms = { ...terms, proposedBy: me.id, proposedAt: at };
      loan.status = 'PROPOSED';
      return null;
    }
    case 'ApproveLoan':
      if (!bank || !has('approver')) return gqlError('FORBIDDEN', 'approving needs the approver role');
      if (loan.status !== 'PROPOSED') return gqlError('INVALID_STATE', `loan is ${loan.status}`);
      if (loan.terms?.proposedBy === me.id) return gqlError('SAME_USER', `${me.id} proposed these terms and cannot also approve them`);
      loan.status = 'APPROVED';
      loan.approvedBy = me.id;
      return null;
    case 'RejectLoan':
      if (!bank || !has('approver')) return gqlError('FORBIDDEN', 'rejecting needs the approver role');
      loan.status = 'REJECTED';
      loan.reason = str(i.reason);
      return null;
    case 'RegisterPledge':
      loan.registration = { reference: str(i.reference), date: str(i.date), at };
      return null;
    case 'DisburseLoan':
      if (!loan.registration) return gqlError('REGISTRATION_MISSING', 'not registered');
      loan.disbursement = { reference: str(i.reference), at, on: '2026-05-22' };
      loan.status = 'ACTIVE';
      return null;
    case 'InstructRepayment':
      if (loan.borrower !== me.org) return gqlError('FORBIDDEN', 'only the borrower says what it sent');
      loan.instructions = [...(loan.instructions ?? []), { at, on: '2026-05-22', amount: money(i.amount), reference: str(i.reference) }];
      return null;
    case 'TopUpCollateral':
      if (loan.borrower !== me.org) return gqlError('FORBIDDEN', 'only the borrower tops up');
      loan.topUps.push(...(i.receipts as string[]).map((receipt) => ({ receipt, confirmedAt: null })));
      return null;
    default:
      return null;
  }
}

/** Answers a financing operation, or null when the operation is not one. */
export async function handleFinancing(node: MockNode, operation: string, vars: Input, caller: { user: string; key: string }, me: MockUser): Promise<Response | null> {
  const answered = query(node, operation, vars, me);
  if (answered) return answered;
  const rebuild = LOAN_REBUILD[operation];
  if (!rebuild) return null;
  const body = rebuild.body(vars.input as Input);
  const refused = await node.refuseSignature(rebuild.type, body, vars, caller);
  if (refused) return refused;
  const contract = apply(node, operation, vars.input as Input, me);
  if (contract) return contract;
  return node.accept(operation, rebuild.type, body, caller.key);
}
