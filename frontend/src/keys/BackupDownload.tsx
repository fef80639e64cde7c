import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { backupFileName } from './browserKeys';

/**
 * The one chance to save a new key: the browser keeps only a non-extractable
 * copy, so without this file the key cannot move to another device.
 */
export function BackupDownload({ pem, userId, publicKey }: { pem: string; userId: string | null; publicKey: string }) {
  const { t } = useTranslation();
  const url = useMemo(() => URL.createObjectURL(new Blob([pem], { type: 'application/x-pem-file' })), [pem]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <div className="notice notice-warning">
      <p>{t('keys.backup.explain')}</p>
      <a className="button" href={url} download={backupFileName(userId, publicKey)} data-testid="backup-download">
        {t('keys.backup.download')}
      </a>
    </div>
  );
}
