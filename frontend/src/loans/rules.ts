/**
 * The financing contract's grammar and the bank's usual terms, checked and
 * filled in the browser before anything is signed. The node checks the same
 * rules and answers with a code if they fail.
 */

import { randomBytes, toHex } from '../crypto/bytes';
import type { DayCount, LoanStatus } from '../gql/graphql';
import { formatScaled, parseScaled, todayInChina, validAmount } from '../receipts/rules';
import { MAX_CURE_DAYS, MAX_GRACE_DAYS, MAX_TENOR_DAYS } from '../api/limits';

export { MAX_CURE_DAYS, MAX_GRACE_DAYS, MAX_TENOR_DAYS };

/** `ln-` then 20 random lower-case hex digits: a record id no one can guess by counting. */
export function newLoanId(): string {
  return `ln-${toHex(randomBytes(10))}`;
}

/** A money amount above zero, with the currency's decimals at most. */
export function validPositiveAmount(value: string, currency: string): boolean {
  if (!validAmount(value, currency)) return false;
  const scaled = parseScaled(value, currency === 'JPY' ? 0 : 2);
  return scaled !== null && scaled > 0n;
}

/** Compares two plain non-negative decimal strings exactly: -1, 0 or 1. */
export function compareDecimals(a: string, b: string): number {
  const places = Math.max((a.split('.')[1] ?? '').length, (b.split('.')[1] ?? '').length);
  const x = parseScaled(a, places);
  const y = parseScaled(b, places);
  if (x === null || y === null) return Number.NaN;
  return x === y ? 0 : x > y ? 1 : -1;
}

/** A whole number of days from `min` to `max`, or null. */
export function parseDays(value: string, min: number, max: number): number | null {
  if (!/^(?:0|[1-9][0-9]{0,4})$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** The date `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Base metals and articles of them: HS chapters 72 to 81. */
export function isMetal(hsCode: string): boolean {
  const chapter = Number(hsCode.slice(0, 2));
  return chapter >= 72 && chapter <= 81;
}

/** The haircut a bank starts from: metals trade deep and liquid, other goods less so. */
export function defaultHaircut(hsCode: string): string {
  return isMetal(hsCode) ? '0.30' : '0.40';
}

export interface TermsDraft {
  principal: string;
  annualRate: string;
  dayCount: DayCount;
  maturity: string;
  graceDays: string;
  penaltyRate: string;
  haircuts: { hsCode: string; haircut: string }[];
  maxLtv: string;
  marginCallLtv: string;
  liquidationLtv: string;
  cureDays: string;
}

/**
 * The terms an officer starts from: the amount applied for, PBoC's
 * Actual/360 at 4.35%, three days' grace, 6.50% penalty, a haircut per
 * commodity pledged, LTV levels of 70, 80 and 90%, five days to cure and
 * maturity after the tenor applied for.
 */
export function defaultTerms(amount: string, tenorDays: number, hsCodes: readonly string[], today: string = todayInChina()): TermsDraft {
  return {
    principal: amount,
    annualRate: '0.0435',
    dayCount: 'ACT_360',
    maturity: addDays(today, tenorDays),
    graceDays: '3',
    penaltyRate: '0.0650',
    haircuts: [...new Set(hsCodes)].map((hsCode) => ({ hsCode, haircut: defaultHaircut(hsCode) })),
    maxLtv: '0.70',
    marginCallLtv: '0.80',
    liquidationLtv: '0.90',
    cureDays: '5',
  };
}

/** A plain decimal string as digits and a scale, exactly: "12.50" → 1250n at 2. */
function exact(value: string): { digits: bigint; scale: number } | null {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(value);
  if (!m) return null;
  const frac = m[2] ?? '';
  return { digits: BigInt((m[1] as string) + frac), scale: frac.length };
}

/**
 * Cuts an exact amount toward zero to the currency's minor unit: the
 * contract's `round_limit`, so that what it allows never exceeds the rule.
 */
export function roundLimit(digits: bigint, scale: number, currency: string): string {
  const places = currency === 'JPY' ? 0 : 2;
  const cut = scale > places ? digits / 10n ** BigInt(scale - places) : digits * 10n ** BigInt(places - scale);
  return formatScaled(cut, places);
}

/**
 * The most that may be lent against valued receipts at the given haircuts
 * and maximum LTV, as the contract works it out (`Valuation::max_loan`):
 * Σ effective quantity × price × (1 − haircut) × max LTV, exactly, cut
 * toward zero to the currency's minor unit. Both are tested against the
 * cases in `domain/figures/max_loan.json`. Null when a line has no price or
 * no haircut, or a figure is unreadable.
 */
export function maxPrincipal(
  lines: readonly { hsCode: string; effective: { value: string }; price?: { value: string } | null }[],
  haircuts: readonly { hsCode: string; haircut: string }[],
  maxLtv: string,
  currency: string,
): string | null {
  const ltv = exact(maxLtv);
  if (ltv === null) return null;
  // Every term is brought to one scale: quantity + price + haircut places.
  const terms: { digits: bigint; scale: number }[] = [];
  for (const l of lines) {
    const quantity = exact(l.effective.value);
    const price = l.price ? exact(l.price.value) : null;
    const cut = haircuts.find((h) => h.hsCode === l.hsCode);
    const haircut = cut ? exact(cut.haircut) : null;
    if (quantity === null || price === null || haircut === null) return null;
    const one = 10n ** BigInt(haircut.scale);
    if (haircut.digits > one) return null;
    terms.push({ digits: quantity.digits * price.digits * (one - haircut.digits), scale: quantity.scale + price.scale + haircut.scale });
  }
  const scale = Math.max(0, ...terms.map((t) => t.scale));
  const value = terms.reduce((sum, t) => sum + t.digits * 10n ** BigInt(scale - t.scale), 0n);
  return roundLimit(value * ltv.digits, scale + ltv.scale, currency);
}

/** The statuses in which a loan waits for its bank. */
export const QUEUE_STATUSES: LoanStatus[] = ['APPLIED', 'CONFIRMED', 'PROPOSED', 'APPROVED'];

/** The way a loan normally goes, one step after another. */
export const PROGRESS_STEPS = ['APPLIED', 'CONFIRMED', 'PROPOSED', 'APPROVED', 'REGISTERED', 'ACTIVE', 'REPAID', 'CLOSED'] as const;
export type ProgressStep = (typeof PROGRESS_STEPS)[number];

export interface ProgressFacts {
  status: LoanStatus;
  proposed: boolean;
  approved: boolean;
  registered: boolean;
  disbursed: boolean;
  realised: boolean;
}

/**
 * How far along its normal way a loan came (an index into PROGRESS_STEPS),
 * and the status that took it off that way, if any.
 */
export function progress(f: ProgressFacts): { reached: number; ended: LoanStatus | null } {
  const at = (s: ProgressStep) => PROGRESS_STEPS.indexOf(s);
  switch (f.status) {
    case 'APPLIED':
    case 'CONFIRMED':
    case 'PROPOSED':
    case 'ACTIVE':
    case 'REPAID':
      return { reached: at(f.status), ended: null };
    case 'APPROVED':
      return { reached: at(f.registered ? 'REGISTERED' : 'APPROVED'), ended: null };
    case 'CLOSED':
      // Closed after a realisation paid everything: it never went by repayment.
      return f.realised ? { reached: at('ACTIVE'), ended: 'CLOSED' } : { reached: at('CLOSED'), ended: null };
    default: {
      const reached = f.disbursed
        ? at('ACTIVE')
        : f.registered
          ? at('REGISTERED')
          : f.approved
            ? at('APPROVED')
            : f.proposed
              ? at('PROPOSED')
              : at('APPLIED');
      return { reached, ended: f.status };
    }
  }
}

/** "1234567.5" → "1,234,567.5": the digits as given, grouped for reading; no rounding. */
export function groupDigits(value: string): string {
  const [whole = '', frac] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

/** A fraction such as "0.6543" as a percentage for reading: "65.43%". */
export function percent(fraction: string | null | undefined): string {
  if (fraction === null || fraction === undefined || fraction === '') return '—';
  const n = Number(fraction);
  if (!Number.isFinite(n)) return fraction;
  return `${(n * 100).toFixed(2)}%`;
}
