import { useState } from 'react';
import { useTranslation } from 'react-i18next';

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
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onRevoke(reason.trim()).then((ok) => {
          if (ok) {
            setOpen(false);
            setReason('');
          }
        });
      }}
    >
      <input
        value={reason}
        required
        placeholder={t('keys.revoke.reason')}
        aria-label={t('keys.revoke.reason')}
        data-testid={`revoke-reason-${publicKey}`}
        onChange={(e) => setReason(e.target.value)}
      />
      <button type="submit" className="danger" disabled={busy || reason.trim() === ''}>
        {t('keys.revoke.confirm')}
      </button>
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
