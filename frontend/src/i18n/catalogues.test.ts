import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../api/errors';
import { GOVERNANCE_TX_TYPES } from '../governance/transactions';
import { PROOF_STEPS, REASON_CODES } from '../ledger/reasons';
import { PROGRESS_STEPS, QUEUE_STATUSES } from '../loans/rules';
import { LOAN_TX_TYPES } from '../loans/transactions';
import { RECEIPT_TX_TYPES } from '../receipts/transactions';
import { UNIT_CODES } from '../receipts/rules';
import en from './en.json';
import zhCN from './zh-CN.json';
import { pickLanguage } from '.';

type Catalogue = { [key: string]: string | Catalogue };

function flatten(c: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(c)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const catalogues = { en: flatten(en as Catalogue), 'zh-CN': flatten(zhCN as Catalogue) };
const placeholders = (s: string): string[] => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] as string).sort();

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'gql' ? [] : sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

describe('the catalogues', () => {
  it('have exactly the same keys', () => {
    const enKeys = [...catalogues.en.keys()].sort();
    const zhKeys = [...catalogues['zh-CN'].keys()].sort();
    expect(zhKeys).toEqual(enKeys);
  });

  it('have no empty values', () => {
    for (const [lng, c] of Object.entries(catalogues)) {
      for (const [key, value] of c) expect(value.trim(), `${lng}: ${key}`).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, value] of catalogues.en) {
      expect(placeholders(catalogues['zh-CN'].get(key) ?? ''), key).toEqual(placeholders(value));
    }
  });

  it('hold every key the code asks for by name', () => {
    const used = new Set<string>();
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1] as string);
      for (const m of text.matchAll(/'(errors\.[a-zA-Z0-9_]+)'/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(100);
    for (const key of used) expect(catalogues.en.has(key), key).toBe(true);
  });

  it('translate every error code, proof step and failure reason', () => {
    const families: [string, readonly string[]][] = [
      ['errors', ERROR_CODES],
      ['proof.step', PROOF_STEPS],
      ['proof.reason', REASON_CODES],
      ['roles', ['ADMIN', 'OFFICER', 'APPROVER', 'VIEWER']],
      ['keyStatus', ['PENDING', 'ACTIVE', 'REVOKED']],
      ['userStatus', ['INVITED', 'ACTIVE']],
      ['orgKind', ['BANK', 'WAREHOUSE', 'SME', 'INSPECTOR', 'REGULATOR', 'OPERATOR']],
      ['orgStatus', ['ACTIVE', 'SUSPENDED']],
      ['languages', ['en', 'zh-CN']],
      ['receiptStatus', ['DRAFT', 'DISCARDED', 'LIVE', 'EXPIRED', 'CANCELLED', 'REDEEMED']],
      ['units', UNIT_CODES],
      ['txType', Object.values(RECEIPT_TX_TYPES)],
      ['txType', Object.values(LOAN_TX_TYPES)],
      ['txType', Object.values(GOVERNANCE_TX_TYPES)],
      ['governance.standing', ['OPEN', 'EXPIRED', 'ADOPTED', 'REJECTED']],
      ['governance.what', ['ADMIT', 'SUSPEND', 'REINSTATE']],
      [
        'loanStatus',
        ['APPLIED', 'DECLINED', 'CONFIRMED', 'PROPOSED', 'REJECTED', 'APPROVED', 'ACTIVE', 'DEFAULTED', 'REPAID', 'ENFORCED', 'CLOSED', 'WRITTEN_OFF'],
      ],
      ['loans.step', PROGRESS_STEPS],
      ['lending.queue.next', QUEUE_STATUSES],
      ['dayCount', ['ACT_360', 'ACT_365']],
      ['defaultGrounds', ['margin_call_expired', 'liquidation', 'overdue']],
      ['loan.schedule.kind', ['paid', 'due', 'overdue']],
      ['loan.release', ['explainRepaid', 'explainActive']],
      ['pledges.confirmations', ['application', 'topUp']],
      ['check.reason', ['NO_PROVENANCE', 'NOT_ISSUED_BY_WAREHOUSE', 'NOT_THIS_RECEIPT', 'VKEY_MISMATCH']],
      ['warehouse.transfers', ['title', 'none']],
      ['warehouse.redemptions', ['title', 'none']],
    ];
    for (const [family, codes] of families) {
      for (const code of codes) expect(catalogues.en.has(`${family}.${code}`), `${family}.${code}`).toBe(true);
    }
  });

  it('the Chinese catalogue is Chinese, not a copy of the English one', () => {
    let differing = 0;
    for (const [key, value] of catalogues.en) if (catalogues['zh-CN'].get(key) !== value) differing++;
    expect(differing / catalogues.en.size).toBeGreaterThan(0.9);
  });
});

describe('the default language', () => {
  it('follows the browser: Chinese of any region to zh-CN, else English', () => {
    expect(pickLanguage(['zh-CN'])).toBe('zh-CN');
    expect(pickLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLanguage(['en-GB'])).toBe('en');
    expect(pickLanguage(['fr-FR', 'zh'])).toBe('zh-CN');
    expect(pickLanguage(['fr-FR'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });
});
