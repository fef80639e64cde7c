import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CancelButton, InlineField, InlineForm } from '../app/forms';

/** Revoking asks for a reason, which goes on the ledger with the revocation. */
export function RevokeKeyButton({
  publicKey,
  busy,
  onRevoke,
}: {
  publicKey: string;
  busy: boolean;
  onRevoke: (reason: string) => Promise<boolean>;
}) {
  const { t } = useTranslation();
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
        void onRevoke(reason.trim()).then((ok) => {
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
