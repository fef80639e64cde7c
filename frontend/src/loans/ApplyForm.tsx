import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SignedAction } from '../api/useSignedAction';
import { ErrorNotice } from '../app/ErrorNotice';
import { Fact } from '../app/Fact';
import { FormCard, SubmitButton } from '../app/forms';
import { useAuth } from '../auth/AuthContext';
import { type ReceiptView, Quantity } from '../receipts/display';
import { Field, Select } from '../receipts/Field';
import { CURRENCIES } from '../receipts/rules';
import type { OrgSummary } from '../receipts/useOrganisations';
import { Money } from './display';
import { MAX_TENOR_DAYS, compareDecimals, newLoanId, parseDays, percent, validPositiveAmount } from './rules';
import { applyForLoan } from './transactions';
import { useIndicativeValuation } from './useIndicativeValuation';

/** The receipts the SME may offer: live, free, nothing pending. Ticking one revalues the pick. */
function ReceiptPicker({ receipts, picked, onToggle }: { receipts: readonly ReceiptView[]; picked: readonly string[]; onToggle: (id: string, on: boolean) => void }) {
  const { t } = useTranslation();
  if (receipts.length === 0) return <p className="muted" data-testid="apply-no-receipts">{t('financing.apply.noReceipts')}</p>;
  return (
    <table data-testid="apply-receipts">
      <tbody>
        {receipts.map((r) => (
          <tr key={r.id} data-testid={`apply-receipt-${r.id}`}>
            <td>
              <input
                type="checkbox"
                checked={picked.includes(r.id)}
                onChange={(e) => onToggle(r.id, e.target.checked)}
                aria-label={t('financing.apply.pick', { number: r.number })}
                data-testid={`apply-pick-${r.id}`}
              />
            </td>
            <td>
              <Link to={`/receipts/${r.id}`}>{r.number}</Link>
              <div className="muted">
                <code>{r.id}</code>
              </div>
            </td>
            <td>
              {r.goods.commodity}
              <div className="muted">
                HS {r.goods.hsCode} · {t('goods.grade')} {r.goods.grade}
              </div>
            </td>
            <td>
              <Quantity q={r.quantity} />
            </td>
            <td>{r.warehouse.name}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The indicative maximum loan for the pick, at the latest prices, before any bank looks. */
function IndicativePanel({ picked, state }: { picked: number; state: ReturnType<typeof useIndicativeValuation> }) {
  const { t } = useTranslation();
  const { valuation, error, loading } = state;
  return (
    <div className="indicative" data-testid="indicative">
      <ErrorNotice error={error} />
      {picked === 0 && <p className="hint">{t('financing.apply.pickFirst')}</p>}
      {picked > 0 && loading && !valuation && <p className="hint">{t('common.loading')}</p>}
      {picked > 0 && valuation && (
        <dl className="facts">
          <Fact label={t('loan.valuation.market')}>
            <Money m={valuation.market} testId="indicative-market" />
          </Fact>
          <Fact label={t('loan.valuation.value')}>
            <Money m={valuation.value} testId="indicative-value" />
          </Fact>
          <Fact label={t('financing.apply.indicativeMax')} className="indicative-max">
            <strong>
              <Money m={valuation.maxLoan} testId="indicative-max" />
            </strong>{' '}
            <span className="muted">{t('financing.apply.atLtv', { ltv: percent(valuation.maxLtv) })}</span>
          </Fact>
          {valuation.unpriced.length > 0 && (
            <Fact label={t('financing.apply.unpriced')} testId="indicative-unpriced" className="bad">
              {valuation.unpriced.join(', ')}
            </Fact>
          )}
        </dl>
      )}
      <p className="hint">{t('financing.apply.indicativeExplain')}</p>
    </div>
  );
}

/** An SME applies to a bank, offering free receipts; each gets a pending pledge at once. */
export function ApplyForm({ receipts, banks, action, onDone }: { receipts: readonly ReceiptView[]; banks: readonly OrgSummary[]; action: SignedAction; onDone: (loan: string) => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [picked, setPicked] = useState<string[]>([]);
  const [bank, setBank] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<string>('CNY');
  const [tenor, setTenor] = useState('180');
  const [purpose, setPurpose] = useState('');
  const chosenBank = bank || banks[0]?.id || '';
  const tenorDays = parseDays(tenor, 1, MAX_TENOR_DAYS);
  const amountOk = validPositiveAmount(amount, currency);
  const ok = picked.length > 0 && chosenBank !== '' && amountOk && tenorDays !== null && purpose.trim() !== '';
  const indicative = useIndicativeValuation(picked, currency);
  const maxLoan = indicative.valuation?.maxLoan.value ?? null;
  const overMax = amountOk && maxLoan !== null && compareDecimals(amount, maxLoan) > 0;
  const toggle = (id: string, on: boolean) => setPicked((prev) => (on ? [...prev, id] : prev.filter((x) => x !== id)));

  return (
    <FormCard
      testId="apply-form"
      title={t('financing.apply.title')}
      explain={t('financing.apply.explain')}
      ok={ok}
      onSubmit={() => {
        if (tenorDays === null) return;
        const loan = newLoanId();
        void action.run(
          `apply-${loan}`,
          async () =>
            applyForLoan(await txContext(), {
              loan,
              bank: chosenBank,
              amount: { currency, value: amount },
              tenorDays,
              purpose: purpose.trim(),
              receipts: picked,
            }),
          () => {
            setPicked([]);
            setAmount('');
            setPurpose('');
            return onDone(loan);
          },
        );
      }}
    >
      <ReceiptPicker receipts={receipts} picked={picked} onToggle={toggle} />
      <IndicativePanel picked={picked.length} state={indicative} />
      <div className="form-grid">
        <Select
          label={t('financing.apply.bank')}
          value={chosenBank}
          onChange={setBank}
          testId="apply-bank"
          options={banks.map((o) => ({ value: o.id, label: o.name }))}
        />
        <Select label={t('financing.apply.currency')} value={currency} onChange={setCurrency} testId="apply-currency" options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        <Field label={t('financing.apply.amount')} value={amount} onChange={setAmount} testId="apply-amount" invalid={!amountOk} hint={t('loans.rules.amount')} />
        <Field label={t('financing.apply.tenor')} value={tenor} onChange={setTenor} testId="apply-tenor" invalid={tenorDays === null} hint={t('loans.rules.tenor', { max: MAX_TENOR_DAYS })} />
        <Field label={t('financing.apply.purpose')} value={purpose} onChange={setPurpose} testId="apply-purpose" />
      </div>
      {overMax && (
        <p className="notice notice-warning" data-testid="apply-over-max">
          {t('financing.apply.overMax')}
        </p>
      )}
      <p>
        <SubmitButton label={t('financing.apply.submit')} testId="apply-submit" disabled={!ok || action.busy !== null} signing={action.busy?.startsWith('apply-') ?? false} />
      </p>
    </FormCard>
  );
}
