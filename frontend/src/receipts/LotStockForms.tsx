import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignedAction } from '../api/useSignedAction';
import { InlineField, InlineForm, SubmitButton } from '../app/forms';
import { useAuth } from '../auth/AuthContext';
import type { LotFieldsFragment } from '../gql/graphql';
import { validQuantity } from './rules';
import { adjustStock, countStock } from './transactions';

/** A physical count of the lot; a count below the book quantity flags the lot's receipts. */
export function CountStockForm({ lot, action, onDone }: { lot: LotFieldsFragment; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [counted, setCounted] = useState('');
  const ok = validQuantity(counted, lot.unit, true);
  return (
    <InlineForm testId={`count-form-${lot.id}`} ok={ok} onSubmit={() => void action.run(`count-${lot.id}`, async () => countStock(await txContext(), { lot: lot.id, counted }), onDone)}>
      <InlineField
        label={t('warehouse.count.counted', { unit: t(`units.${lot.unit}`, { defaultValue: lot.unit }) })}
        value={counted}
        onChange={setCounted}
        testId={`count-input-${lot.id}`}
        invalid={counted !== '' && !ok}
      />
      <SubmitButton label={t('warehouse.count.submit')} testId={`count-submit-${lot.id}`} disabled={!ok || action.busy !== null} />
    </InlineForm>
  );
}

/** Sets the book quantity on hand, with the reason on the ledger. */
export function AdjustStockForm({ lot, action, onDone }: { lot: LotFieldsFragment; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const ok = validQuantity(quantity, lot.unit, true) && reason.trim() !== '';
  return (
    <InlineForm
      testId={`adjust-form-${lot.id}`}
      ok={ok}
      onSubmit={() => void action.run(`adjust-${lot.id}`, async () => adjustStock(await txContext(), { lot: lot.id, quantity, reason: reason.trim() }), onDone)}
    >
      <InlineField label={t('warehouse.adjust.quantity')} value={quantity} onChange={setQuantity} testId={`adjust-quantity-${lot.id}`} />
      <InlineField label={t('warehouse.adjust.reason')} value={reason} onChange={setReason} testId={`adjust-reason-${lot.id}`} />
      <SubmitButton label={t('warehouse.adjust.submit')} testId={`adjust-submit-${lot.id}`} disabled={!ok || action.busy !== null} />
    </InlineForm>
  );
}
