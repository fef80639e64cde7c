import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { revokeKey } from '../api/transactions';
import type { SignedAction } from '../api/useSignedAction';
import { CancelButton, InlineField, InlineForm } from '../app/forms';
import { useAuth } from '../auth/AuthContext';

/** Revoking asks for a reason, which goes on the ledger with the revocation. */
export function RevokeKeyButton({ publicKey, action, onDone }: { publicKey: string; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const busy = action.busy !== null;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');

  if (!open) {
    return (
      <button type="button" className="danger" data-testid={`revoke-key-${publicKey}`} disabled={busy} onClick={() => setOpen(true)}>
        {t('keys.revoke.button')}
      </button>
    );
  }
  return (
    <InlineForm
      ok
      onSubmit={() =>
        void action.run(publicKey, async () => revokeKey(await txContext(), { key: publicKey, reason: reason.trim() }), onDone).then((ok) => {
          if (ok) {
            setOpen(false);
            setReason('');
          }
        })
      }
    >
      <InlineField label={t('keys.revoke.reason')} value={reason} onChange={setReason} testId={`revoke-reason-${publicKey}`} required />
      <button type="submit" className="danger" disabled={busy || reason.trim() === ''}>
        {t('keys.revoke.confirm')}
      </button>
      <CancelButton onCancel={() => setOpen(false)} />
    </InlineForm>
  );
}
