import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { CancelButton, FormCard, SubmitButton } from '../app/forms';
import { useAuth } from '../auth/AuthContext';
import type { LotFieldsFragment } from '../gql/graphql';
import { Field, Select, parsePieces } from './Field';
import { CURRENCIES, type Currency, RECEIPT_NUMBER, newId, todayInChina, validAmount, validDate, validQuantity, validRate } from './rules';
import { draftReceipt } from './transactions';

export type Lot = LotFieldsFragment;

/**
 * The maker's half: an officer drafts a receipt against a lot with every
 * element PRC Civil Code art. 909 asks of a warehouse receipt; an approver
 * issues it.
 */
export function DraftReceiptForm({ lot, onDone, onCancel }: { lot: Lot; onDone: () => unknown; onCancel: () => void }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const action = useSignedAction();
  const today = todayInChina();
  const [number, setNumber] = useState('');
  const [quantity, setQuantity] = useState(lot.free.value);
  const [pieces, setPieces] = useState(String(Math.max(0, lot.pieces - lot.receiptedPieces)));
  const [lossAllowance, setLossAllowance] = useState('0.005');
  const [storageFrom, setStorageFrom] = useState(today);
  const [storageUntil, setStorageUntil] = useState('');
  const [feeCurrency, setFeeCurrency] = useState<Currency>('CNY');
  const [fee, setFee] = useState('');
  const [feeBasis, setFeeBasis] = useState('');
  const [insured, setInsured] = useState(false);
  const [insurer, setInsurer] = useState('');
  const [insCurrency, setInsCurrency] = useState<Currency>('CNY');
  const [insAmount, setInsAmount] = useState('');
  const [insFrom, setInsFrom] = useState(today);
  const [insUntil, setInsUntil] = useState('');
  const [issuePlace, setIssuePlace] = useState('');

  const piecesN = parsePieces(pieces);
  const periodOk = validDate(storageFrom) && validDate(storageUntil) && storageFrom <= storageUntil;
  const insuranceOk =
    !insured || (insurer.trim() !== '' && validAmount(insAmount, insCurrency) && validDate(insFrom) && validDate(insUntil) && insFrom <= insUntil);
  const valid =
    RECEIPT_NUMBER.test(number) &&
    validQuantity(quantity, lot.unit) &&
    piecesN !== null &&
    validRate(lossAllowance) &&
    periodOk &&
    validAmount(fee, feeCurrency) &&
    feeBasis.trim() !== '' &&
    insuranceOk &&
    issuePlace.trim() !== '';
  const currencies = CURRENCIES.map((c) => ({ value: c, label: c }));

  return (
    <FormCard
      testId="draft-form"
      title={t('warehouse.draft.title', { lot: lot.id })}
      explain={t('warehouse.draft.explain', { commodity: lot.commodity, free: lot.free.value, unit: t(`units.${lot.unit}`, { defaultValue: lot.unit }) })}
      ok={valid}
      onSubmit={() => {
        if (piecesN === null) return;
        void action.run(
          'draft',
          async () =>
            draftReceipt(await txContext(), {
              receipt: newId('wr'),
              lot: lot.id,
              number,
              quantity,
              pieces: piecesN,
              terms: {
                lossAllowance,
                storageFrom,
                storageUntil,
                storageFee: { currency: feeCurrency, value: fee },
                feeBasis: feeBasis.trim(),
                insurance: insured ? { insurer: insurer.trim(), amount: { currency: insCurrency, value: insAmount }, from: insFrom, until: insUntil } : null,
                issuePlace: issuePlace.trim(),
              },
            }),
          onDone,
        );
      }}
    >
      <div className="form-grid">
        <Field
          label={t('receipt.number')}
          value={number}
          onChange={setNumber}
          testId="draft-number"
          invalid={!RECEIPT_NUMBER.test(number)}
          hint={t('rules.receiptNumber')}
          placeholder="WH-2026-0001"
        />
        <Field
          label={t('receipt.quantity')}
          value={quantity}
          onChange={setQuantity}
          testId="draft-quantity"
          invalid={!validQuantity(quantity, lot.unit)}
          hint={t('rules.quantity', { decimals: lot.unit === 'H87' || lot.unit === 'BG' ? 0 : 3 })}
        />
        <Field label={t('goods.pieces')} value={pieces} onChange={setPieces} testId="draft-pieces" invalid={piecesN === null} hint={t('rules.pieces')} />
        <Field
          label={t('receipt.lossAllowance')}
          value={lossAllowance}
          onChange={setLossAllowance}
          testId="draft-loss"
          invalid={!validRate(lossAllowance)}
          hint={t('rules.rate')}
        />
        <Field label={t('receipt.storageFrom')} type="date" value={storageFrom} onChange={setStorageFrom} testId="draft-from" />
        <Field
          label={t('receipt.storageUntil')}
          type="date"
          value={storageUntil}
          onChange={setStorageUntil}
          testId="draft-until"
          invalid={!periodOk}
          hint={t('rules.period')}
        />
        <Select label={t('receipt.feeCurrency')} value={feeCurrency} onChange={setFeeCurrency} testId="draft-fee-currency" options={currencies} />
        <Field label={t('receipt.storageFee')} value={fee} onChange={setFee} testId="draft-fee" invalid={!validAmount(fee, feeCurrency)} hint={t('rules.amount')} />
        <Field label={t('receipt.feeBasis')} value={feeBasis} onChange={setFeeBasis} testId="draft-fee-basis" placeholder={t('warehouse.draft.feeBasisExample')} />
        <Field label={t('receipt.issuePlace')} value={issuePlace} onChange={setIssuePlace} testId="draft-place" />
      </div>
      <fieldset>
        <legend>
          <label className="checkbox">
            <input type="checkbox" checked={insured} onChange={(e) => setInsured(e.target.checked)} data-testid="draft-insured" />
            {t('receipt.insured')}
          </label>
        </legend>
        {insured && (
          <div className="form-grid">
            <Field label={t('receipt.insurer')} value={insurer} onChange={setInsurer} testId="draft-insurer" />
            <Select label={t('receipt.insuranceCurrency')} value={insCurrency} onChange={setInsCurrency} testId="draft-insurance-currency" options={currencies} />
            <Field
              label={t('receipt.insuranceAmount')}
              value={insAmount}
              onChange={setInsAmount}
              testId="draft-insurance-amount"
              invalid={!validAmount(insAmount, insCurrency)}
              hint={t('rules.amount')}
            />
            <Field label={t('receipt.insuranceFrom')} type="date" value={insFrom} onChange={setInsFrom} testId="draft-insurance-from" />
            <Field
              label={t('receipt.insuranceUntil')}
              type="date"
              value={insUntil}
              onChange={setInsUntil}
              testId="draft-insurance-until"
              invalid={!(validDate(insFrom) && validDate(insUntil) && insFrom <= insUntil)}
              hint={t('rules.period')}
            />
          </div>
        )}
      </fieldset>
      <p className="hint">{t('warehouse.draft.makerChecker')}</p>
      <SubmitButton label={t('warehouse.draft.submit')} testId="draft-submit" disabled={!valid || action.busy !== null} signing={action.busy !== null} />{' '}
      <CancelButton onCancel={onCancel} />
      <ActionOutcome action={action} />
    </FormCard>
  );
}
