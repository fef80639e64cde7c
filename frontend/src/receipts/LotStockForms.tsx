import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { useSignedAction } from '../api/useSignedAction';
import { useAuth } from '../auth/AuthContext';
import type { LotFieldsFragment } from '../gql/graphql';
import { validQuantity } from './rules';
import { adjustStock, countStock } from './transactions';

type Action = ReturnType<typeof useSignedAction>;

/** A physical count of the lot; a count below the book quantity flags the lot's receipts. */
export function CountStockForm({ lot, action, onDone }: { lot: LotFieldsFragment; action: Action; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [counted, setCounted] = useState('');
  const ok = validQuantity(counted, lot.unit, true);
  return (
    <form
      className="inline-form"
      data-testid={`count-form-${lot.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!ok) return;
        void action.run(`count-${lot.id}`, async () => countStock(await txContext(), { lot: lot.id, counted }), onDone);
      }}
    >
      <input
        value={counted}
        onChange={(e) => setCounted(e.target.value)}
        placeholder={t('warehouse.count.counted', { unit: t(`units.${lot.unit}`, { defaultValue: lot.unit }) })}
        aria-label={t('warehouse.count.counted', { unit: t(`units.${lot.unit}`, { defaultValue: lot.unit }) })}
        aria-invalid={counted !== '' && !ok}
        data-testid={`count-input-${lot.id}`}
      />
      <button type="submit" disabled={!ok || action.busy !== null} data-testid={`count-submit-${lot.id}`}>
        {t('warehouse.count.submit')}
      </button>
    </form>
  );
}

/** Sets the book quantity on hand, with the reason on the ledger. */
export function AdjustStockForm({ lot, action, onDone }: { lot: LotFieldsFragment; action: Action; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const ok = validQuantity(quantity, lot.unit, true) && reason.trim() !== '';
  return (
    <form
      className="inline-form"
      data-testid={`adjust-form-${lot.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!ok) return;
        void action.run(`adjust-${lot.id}`, async () => adjustStock(await txContext(), { lot: lot.id, quantity, reason: reason.trim() }), onDone);
      }}
    >
      <input
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        placeholder={t('warehouse.adjust.quantity')}
        aria-label={t('warehouse.adjust.quantity')}
        data-testid={`adjust-quantity-${lot.id}`}
      />
      <input
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        placeholder={t('warehouse.adjust.reason')}
        aria-label={t('warehouse.adjust.reason')}
        data-testid={`adjust-reason-${lot.id}`}
      />
      <button type="submit" disabled={!ok || action.busy !== null} data-testid={`adjust-submit-${lot.id}`}>
        {t('warehouse.adjust.submit')}
      </button>
    </form>
  );
}
