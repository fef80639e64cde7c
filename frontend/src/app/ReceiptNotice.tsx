import { useTranslation } from 'react-i18next';
import type { Receipt } from '../api/transactions';
import { formatTime } from './format';

/** Where a signed change landed on the ledger. */
export function ReceiptNotice({ receipt }: { receipt: Receipt | null }) {
  const { t, i18n } = useTranslation();
  if (!receipt) return null;
  return (
    <div className="notice notice-ok" role="status" data-testid="receipt">
      {t('common.recorded', { index: receipt.index, type: receipt.type, time: formatTime(receipt.time, i18n.language) })}
    </div>
  );
}
