import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ReceiptFieldsFragment, ReceiptStatus } from '../gql/graphql';

export type ReceiptView = ReceiptFieldsFragment;

export interface QuantityValue {
  value: string;
  unit: string;
}

/** "25.000 t": the value as the ledger holds it, the unit in the reader's words. */
export function Quantity({ q, testId }: { q: QuantityValue; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className="quantity" data-testid={testId}>
      {q.value} {t(`units.${q.unit}`, { defaultValue: q.unit })}
    </span>
  );
}

export function StatusBadge({ status, testId }: { status: ReceiptStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-receipt-${status.toLowerCase()}`} data-testid={testId}>
      {t(`receiptStatus.${status}`)}
    </span>
  );
}

/** The status, then whatever else a holder or lender must know at a glance. */
export function ReceiptBadges({ receipt }: { receipt: ReceiptView }) {
  const { t } = useTranslation();
  const id = receipt.number;
  return (
    <span className="badges">
      <StatusBadge status={receipt.status} testId={`status-${id}`} />
      {receipt.encumbrance && (
        <span className="badge badge-encumbered" data-testid={`encumbered-${id}`}>
          {receipt.encumbrance.kind === 'PENDING' ? t('receipts.badge.encumbrancePending') : t('receipts.badge.encumbered')}
        </span>
      )}
      {receipt.flagged && (
        <span className="badge badge-flagged" data-testid={`flagged-${id}`}>
          {t('receipts.badge.flagged')}
        </span>
      )}
      {receipt.pendingTransfer && (
        <span className="badge badge-pending" data-testid={`transfer-pending-${id}`}>
          {t('receipts.badge.transferPending')}
        </span>
      )}
      {receipt.pendingRedemption && (
        <span className="badge badge-pending" data-testid={`redemption-pending-${id}`}>
          {t('receipts.badge.redemptionPending')}
        </span>
      )}
    </span>
  );
}

/** A receipt's number, linked to its page, over its commodity. */
export function ReceiptCell({ receipt }: { receipt: ReceiptView }) {
  return (
    <td>
      <Link to={`/receipts/${receipt.id}`}>{receipt.number}</Link>
      <div className="muted">{receipt.goods.commodity}</div>
    </td>
  );
}

/** Whether the holder may act on the receipt: live or expired, nothing pending. */
export function isActionable(r: ReceiptView): boolean {
  return (r.status === 'LIVE' || r.status === 'EXPIRED') && !r.pendingTransfer && !r.pendingRedemption;
}
