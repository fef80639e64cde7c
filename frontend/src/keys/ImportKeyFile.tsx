import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../app/ErrorNotice';
import type { StoredKey } from '../crypto/keystore';
import { importBackupFile } from './browserKeys';

/** Reads a PKCS#8 PEM backup into this browser as a non-extractable key. */
export function ImportKeyFile({ userId, onImported }: { userId: string | null; onImported: (key: StoredKey) => void | Promise<void> }) {
  const { t } = useTranslation();
  const id = useId();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="import-key">
      <label htmlFor={id}>{t('keys.import.label')}</label>
      <input
        id={id}
        type="file"
        accept=".pem,application/x-pem-file,text/plain"
        data-testid="import-key-file"
        disabled={busy}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          setBusy(true);
          setError(null);
          importBackupFile(file, userId)
            .then(onImported)
            .catch(setError)
            .finally(() => setBusy(false));
        }}
      />
      <p className="hint">{t('keys.import.hint')}</p>
      <ErrorNotice error={error} />
    </div>
  );
}
