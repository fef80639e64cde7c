import type { SignedAction } from '../api/useSignedAction';
import { ErrorNotice } from './ErrorNotice';
import { ReceiptNotice } from './ReceiptNotice';

/** What became of the last signed change: why it was refused, or where it landed on the ledger. */
export function ActionOutcome({ action }: { action: Pick<SignedAction, 'error' | 'receipt'> }) {
  return (
    <>
      <ErrorNotice error={action.error} />
      <ReceiptNotice receipt={action.receipt} />
    </>
  );
}
