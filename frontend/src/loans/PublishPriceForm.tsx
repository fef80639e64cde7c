import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedAction } from '../api/useSignedAction';
import { formatTime } from '../app/format';
import { ListTable } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import type { PricesQuery } from '../gql/graphql';
import { Field, Select } from '../receipts/Field';
import { CURRENCIES, HS_CODE, UNIT_CODES, type Unit } from '../receipts/rules';
import { Money } from './display';
import { SignedForm } from './forms';
import { validPositiveAmount } from './rules';
import { publishPrice } from './transactions';

export type PriceView = PricesQuery['prices'][number];

/** The latest price per commodity and grade, as published. */
export function PriceTable({ prices }: { prices: readonly PriceView[] }) {
  const { t, i18n } = useTranslation();
  return (
    <ListTable
      rows={prices}
      none={t('prices.none')}
      testId="prices"
      columns={[t('goods.hsCode'), t('goods.grade'), t('prices.price'), t('prices.by'), t('explorer.entry.time')]}
      row={(p) => (
        <tr key={`${p.hsCode}/${p.grade}/${p.price.currency}`} data-testid={`price-${p.hsCode}-${p.grade || 'any'}-${p.price.currency}`}>
          <td>{p.hsCode}</td>
          <td>{p.grade || t('prices.anyGrade')}</td>
          <td>
            <Money m={p.price} /> / {t(`units.${p.unit}`, { defaultValue: p.unit })}
          </td>
          <td>{p.by}</td>
          <td>
            {formatTime(p.time, i18n.language)} <span className="muted">{t('common.atEntry', { index: p.at })}</span>
          </td>
        </tr>
      )}
    />
  );
}

/** A bank (or a designated source) publishes a price per unit; with no grade it holds for any grade without its own. */
export function PublishPriceForm({ action, onDone }: { action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [hsCode, setHsCode] = useState('');
  const [grade, setGrade] = useState('');
  const [unit, setUnit] = useState<Unit>('TNE');
  const [currency, setCurrency] = useState<string>('CNY');
  const [value, setValue] = useState('');
  const ok = HS_CODE.test(hsCode) && validPositiveAmount(value, currency) && grade === grade.trim();
  return (
    <SignedForm
      id="publish-price"
      title={t('prices.publishTitle')}
      explain={t('prices.publishExplain')}
      ok={ok}
      action={action}
      submitLabel={t('prices.publish')}
      onDone={() => (setValue(''), onDone())}
      submit={async () =>
        publishPrice(await txContext(), {
          hsCode,
          ...(grade === '' ? {} : { grade }),
          unit,
          price: { currency, value },
        })
      }
    >
      <div className="form-grid">
        <Field label={t('goods.hsCode')} value={hsCode} onChange={setHsCode} testId="price-hs-code" invalid={!HS_CODE.test(hsCode)} hint={t('rules.hsCode')} />
        <Field label={t('prices.grade')} value={grade} onChange={setGrade} testId="price-grade" required={false} />
        <Select<Unit> label={t('goods.unit')} value={unit} onChange={setUnit} testId="price-unit" options={UNIT_CODES.map((u) => ({ value: u, label: `${u} (${t(`units.${u}`)})` }))} />
        <Select label={t('financing.apply.currency')} value={currency} onChange={setCurrency} testId="price-currency" options={CURRENCIES.map((c) => ({ value: c, label: c }))} />
        <Field label={t('prices.price')} value={value} onChange={setValue} testId="price-value" invalid={!validPositiveAmount(value, currency)} hint={t('loans.rules.amount')} />
      </div>
    </SignedForm>
  );
}
