/**
 * The receipts contract's grammar, checked in the browser before anything is
 * signed: identifiers, units and their decimals, HS codes, currencies, dates.
 * The node checks the same rules and answers with a code if they fail.
 */

import { randomBytes } from '../crypto/bytes';

/** Lot and receipt ids: chosen by the browser. */
export const OBJECT_ID = /^[a-z0-9][a-z0-9-]{7,63}$/;
export const RECEIPT_NUMBER = /^[A-Z0-9][A-Z0-9/-]{0,63}$/;
export const HS_CODE = /^(?:[0-9]{6}|[0-9]{8}|[0-9]{10})$/;
export const DATE = /^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$/;
/** An organisation id (docs/API.md). */
export const ORG_ID = /^[a-z][a-z0-9-]{1,39}$/;
/** A SHA-256 in lower-case hex, as the document store names files. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** UN/CEFACT unit codes and how many decimals each allows. */
export const UNITS = { TNE: 3, KGM: 3, MTQ: 3, LTR: 3, MTK: 3, BLL: 3, H87: 0, BG: 0 } as const;
export type Unit = keyof typeof UNITS;
export const UNIT_CODES = Object.keys(UNITS) as Unit[];

export const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'SGD', 'GBP', 'JPY'] as const;
export type Currency = (typeof CURRENCIES)[number];

export function isUnit(u: string): u is Unit {
  return Object.prototype.hasOwnProperty.call(UNITS, u);
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `lot-` or `wr-` then 20 random characters of [a-z2-7]. */
export function newId(prefix: 'lot' | 'wr'): string {
  const bytes = randomBytes(20);
  let s = '';
  for (const b of bytes) s += BASE32[b & 31];
  return `${prefix}-${s}`;
}

/** A positive quantity with at most the unit's decimals, as typed. */
export function validQuantity(value: string, unit: string, allowZero = false): boolean {
  if (!isUnit(unit)) return false;
  const decimals = UNITS[unit];
  const re = decimals === 0 ? /^(?:0|[1-9][0-9]{0,17})$/ : new RegExp(`^(?:0|[1-9][0-9]{0,17})(?:\\.[0-9]{1,${decimals}})?$`);
  if (!re.test(value)) return false;
  return allowZero || parseScaled(value, decimals) !== 0n;
}

/** A positive money amount with at most two decimals (none for JPY). */
export function validAmount(value: string, currency: string): boolean {
  const decimals = currency === 'JPY' ? 0 : 2;
  const re = decimals === 0 ? /^(?:0|[1-9][0-9]{0,17})$/ : /^(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,2})?$/;
  return re.test(value);
}

/** A fraction between 0 and 1, such as a loss allowance of "0.005". */
export function validRate(value: string): boolean {
  return /^(?:0(?:\.[0-9]{1,6})?|1(?:\.0{1,6})?)$/.test(value);
}

export function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A decimal string as an integer count of 10^-scale; null when it has more decimals than that. */
export function parseScaled(value: string, scale: number): bigint | null {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(value);
  if (!m) return null;
  const frac = m[2] ?? '';
  if (frac.length > scale) return null;
  return BigInt((m[1] as string) + frac.padEnd(scale, '0'));
}

export function formatScaled(value: bigint, scale: number): string {
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(scale + 1, '0');
  const whole = scale === 0 ? digits : digits.slice(0, -scale);
  const frac = scale === 0 ? '' : `.${digits.slice(-scale)}`;
  return `${neg ? '-' : ''}${whole}${frac}`;
}

export function unitScale(unit: string): number {
  return isUnit(unit) ? UNITS[unit] : 3;
}

/** What the parts leave of the whole: zero when they sum exactly, null when a part is unreadable. */
export function remainder(whole: string, parts: readonly string[], unit: string): bigint | null {
  const scale = unitScale(unit);
  const total = parseScaled(whole, scale);
  if (total === null) return null;
  let rest = total;
  for (const p of parts) {
    const v = parseScaled(p, scale);
    if (v === null) return null;
    rest -= v;
  }
  return rest;
}

/** The date in China Standard Time (UTC+8), as the contract reads dates. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
