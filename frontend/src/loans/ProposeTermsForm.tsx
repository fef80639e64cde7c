import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedAction } from '../api/useSignedAction';
import { useAuth } from '../auth/AuthContext';
import type { DayCount, LoanDetailQuery } from '../gql/graphql';
import { Field, Select } from '../receipts/Field';
import { HS_CODE, validDate, validRate } from '../receipts/rules';
import { Money } from './display';
import { SignedForm } from './forms';
import { MAX_CURE_DAYS, MAX_GRACE_DAYS, type TermsDraft, compareDecimals, defaultHaircut, defaultTerms, maxPrincipal, parseDays, validPositiveAmount } from './rules';
import { proposeLoanTerms } from './transactions';

export type LoanDetail = NonNullable<LoanDetailQuery['loan']>;

/** The terms already proposed, or the bank's usual ones for this application. */
function startingTerms(loan: LoanDetail): TermsDraft {
  const t = loan.terms;
  if (t) {
    return {
      principal: t.principal.value,
      annualRate: t.annualRate,
      dayCount: t.dayCount,
      maturity: t.maturity,
      graceDays: String(t.graceDays),
      penaltyRate: t.penaltyRate,
      haircuts: t.haircuts.map((h) => ({ hsCode: h.hsCode, haircut: h.haircut })),
      maxLtv: t.maxLtv,
      marginCallLtv: t.marginCallLtv,
      liquidationLtv: t.liquidationLtv,
      cureDays: String(t.cureDays),
    };
  }
  const lines = loan.valuation?.lines ?? [];
  const terms = defaultTerms(loan.amount.value, loan.tenorDays, lines.map((l) => l.hsCode));
  // Lend what was asked, unless the collateral supports less at these terms.
  const most = lines.length > 0 && loan.valuation?.unpriced.length === 0 ? maxPrincipal(lines, terms.haircuts, terms.maxLtv, loan.amount.currency) : null;
  return most !== null && compareDecimals(most, terms.principal) < 0 ? { ...terms, principal: most } : terms;
}

/** What is wrong with the draft, by field; empty when it may be signed. */
export function termsProblems(d: TermsDraft, currency: string, applied: string): Set<string> {
  const bad = new Set<string>();
  if (!validPositiveAmount(d.principal, currency)) bad.add('principal');
  else if (compareDecimals(d.principal, applied) > 0) bad.add('principalOver');
  if (!validRate(d.annualRate)) bad.add('annualRate');
  if (!validRate(d.penaltyRate)) bad.add('penaltyRate');
  else if (validRate(d.annualRate) && compareDecimals(d.penaltyRate, d.annualRate) < 0) bad.add('penaltyBelowRate');
  if (!validDate(d.maturity)) bad.add('maturity');
  if (parseDays(d.graceDays, 0, MAX_GRACE_DAYS) === null) bad.add('graceDays');
  if (parseDays(d.cureDays, 1, MAX_CURE_DAYS) === null) bad.add('cureDays');
  for (const k of ['maxLtv', 'marginCallLtv', 'liquidationLtv'] as const) if (!validRate(d[k])) bad.add(k);
  if (
    !bad.has('maxLtv') &&
    !bad.has('marginCallLtv') &&
    !bad.has('liquidationLtv') &&
    !(compareDecimals(d.maxLtv, '0') > 0 && compareDecimals(d.maxLtv, d.marginCallLtv) < 0 && compareDecimals(d.marginCallLtv, d.liquidationLtv) < 0)
  ) {
    bad.add('ltvOrder');
  }
  if (d.haircuts.length === 0) bad.add('haircuts');
  const codes = new Set<string>();
  for (const h of d.haircuts) {
    if (!HS_CODE.test(h.hsCode) || codes.has(h.hsCode) || !validRate(h.haircut) || compareDecimals(h.haircut, '1') >= 0) bad.add('haircuts');
    codes.add(h.hsCode);
  }
  return bad;
}

function HaircutRows({ draft, set }: { draft: TermsDraft; set: (patch: Partial<TermsDraft>) => void }) {
  const { t } = useTranslation();
  const edit = (i: number, patch: Partial<TermsDraft['haircuts'][number]>) => set({ haircuts: draft.haircuts.map((h, j) => (j === i ? { ...h, ...patch } : h)) });
  return (
    <fieldset data-testid="propose-haircuts">
      <legend>{t('loan.propose.haircuts')}</legend>
      {draft.haircuts.map((h, i) => (
        <div key={i} className="inline-form">
          <input value={h.hsCode} onChange={(e) => edit(i, { hsCode: e.target.value, haircut: h.haircut || defaultHaircut(e.target.value) })} aria-label={t('goods.hsCode')} placeholder={t('goods.hsCode')} data-testid={`propose-haircut-hs-${i}`} />
          <input value={h.haircut} onChange={(e) => edit(i, { haircut: e.target.value })} aria-label={t('loan.propose.haircut')} data-testid={`propose-haircut-${i}`} />
          <button type="button" className="link danger" onClick={() => set({ haircuts: draft.haircuts.filter((_, j) => j !== i) })}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="secondary" data-testid="propose-haircut-add" onClick={() => set({ haircuts: [...draft.haircuts, { hsCode: '', haircut: '' }] })}>
        {t('loan.propose.addHaircut')}
      </button>
    </fieldset>
  );
}

/** A bank officer (the maker) proposes terms; an approver other than them decides. */
export function ProposeTermsForm({ loan, action, onDone }: { loan: LoanDetail; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [draft, setDraft] = useState<TermsDraft>(() => startingTerms(loan));
  const set = (patch: Partial<TermsDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const currency = loan.amount.currency;
  const bad = termsProblems(draft, currency, loan.amount.value);
  const lines = loan.valuation?.lines ?? [];
  const most = lines.length > 0 && !bad.has('maxLtv') && !bad.has('haircuts') ? maxPrincipal(lines, draft.haircuts, draft.maxLtv, currency) : null;
  const overMost = most !== null && validPositiveAmount(draft.principal, currency) && compareDecimals(draft.principal, most) > 0;
  const field = (key: keyof TermsDraft, label: string, hint: string, type: 'text' | 'date' = 'text') => (
    <Field label={label} value={String(draft[key])} onChange={(v) => set({ [key]: v })} testId={`propose-${key}`} invalid={bad.has(key)} hint={hint} type={type} />
  );

  return (
    <SignedForm
      id="propose"
      title={t('loan.propose.title')}
      explain={t('loan.propose.explain')}
      ok={bad.size === 0}
      action={action}
      submitLabel={t('loan.propose.submit')}
      onDone={onDone}
      submit={async () =>
        proposeLoanTerms(await txContext(), {
          loan: loan.id,
          principal: { currency, value: draft.principal },
          annualRate: draft.annualRate,
          dayCount: draft.dayCount,
          maturity: draft.maturity,
          graceDays: Number(draft.graceDays),
          penaltyRate: draft.penaltyRate,
          haircuts: draft.haircuts,
          maxLtv: draft.maxLtv,
          marginCallLtv: draft.marginCallLtv,
          liquidationLtv: draft.liquidationLtv,
          cureDays: Number(draft.cureDays),
        })
      }
    >
      <p className="hint">
        {t('loan.propose.applied')} <Money m={loan.amount} /> · {t('loan.tenorDays', { n: loan.tenorDays })}
        {loan.valuation && (
          <>
            {' · '}
            {t('loan.propose.indicativeMax')} <Money m={loan.valuation.maxLoan} testId="propose-indicative-max" />
          </>
        )}
      </p>
      <div className="form-grid">
        {field('principal', t('loan.propose.principal', { currency }), bad.has('principalOver') ? t('loan.propose.rules.principalOver') : t('loans.rules.amount'))}
        {bad.has('principalOver') && <p className="hint bad">{t('loan.propose.rules.principalOver')}</p>}
        {field('annualRate', t('loan.propose.annualRate'), t('rules.rate'))}
        <Select<DayCount>
          label={t('loan.propose.dayCount')}
          value={draft.dayCount}
          onChange={(v) => set({ dayCount: v })}
          testId="propose-dayCount"
          options={[
            { value: 'ACT_360', label: t('dayCount.ACT_360') },
            { value: 'ACT_365', label: t('dayCount.ACT_365') },
          ]}
        />
        {field('maturity', t('loan.propose.maturity'), t('loans.rules.date'), 'date')}
        {field('graceDays', t('loan.propose.graceDays'), t('loans.rules.days', { min: 0, max: MAX_GRACE_DAYS }))}
        {field('penaltyRate', t('loan.propose.penaltyRate'), t('rules.rate'))}
        {field('maxLtv', t('loan.propose.maxLtv'), t('rules.rate'))}
        {field('marginCallLtv', t('loan.propose.marginCallLtv'), t('rules.rate'))}
        {field('liquidationLtv', t('loan.propose.liquidationLtv'), t('rules.rate'))}
        {field('cureDays', t('loan.propose.cureDays'), t('loans.rules.days', { min: 1, max: MAX_CURE_DAYS }))}
      </div>
      {most !== null && (
        <p className={overMost ? 'notice notice-warning' : 'hint'} data-testid="propose-most">
          {t('loan.propose.most')} <Money m={{ currency, value: most }} testId="propose-most-value" />
          {overMost && ` — ${t('loan.propose.rules.overMost')}`}
        </p>
      )}
      {bad.has('penaltyBelowRate') && <p className="hint bad">{t('loan.propose.rules.penaltyBelowRate')}</p>}
      {bad.has('ltvOrder') && <p className="hint bad" data-testid="propose-ltv-order">{t('loan.propose.rules.ltvOrder')}</p>}
      <HaircutRows draft={draft} set={set} />
      {bad.has('haircuts') && <p className="hint bad">{t('loan.propose.rules.haircuts')}</p>}
    </SignedForm>
  );
}
