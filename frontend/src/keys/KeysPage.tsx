import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enrolKey } from '../api/transactions';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { shorten } from '../app/format';
import { Page } from '../app/Page';
import { ListTable } from '../app/Table';
import { useAttempt } from '../app/useAttempt';
import { useAuth } from '../auth/AuthContext';
import { keyStore } from '../crypto/keystore';
import { useOrganisation } from '../org/useOrganisation';
import { BackupDownload } from './BackupDownload';
import { type MadeKey, makeBrowserKey } from './browserKeys';
import { describeDevice } from './device';
import { ImportKeyFile } from './ImportKeyFile';
import { KeyCell } from './KeyCell';
import { KeyStatusBadge } from './KeyStatusBadge';
import { PendingApprovals } from './PendingApprovals';
import { RevokeKeyButton } from './RevokeKeyButton';

function useBrowserKeySet(userId: string | undefined) {
  const [keys, setKeys] = useState<Set<string>>(new Set());
  const reload = useCallback(async () => {
    if (!userId) return;
    const all = await keyStore().list();
    // A key imported before any sign-in has no user yet; it may still be this user's.
    setKeys(new Set(all.filter((k) => k.userId === userId || k.userId === null).map((k) => k.publicKey)));
  }, [userId]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { keys, reload };
}

export function KeysPage() {
  const { t } = useTranslation();
  const { session, me, meError, isAdmin, ledger, reloadMe, signInWithKey } = useAuth();
  const org = useOrganisation();
  const browser = useBrowserKeySet(session?.user);
  const [made, setMade] = useState<MadeKey | null>(null);
  const enrol = useSignedAction();
  const keyAction = useSignedAction();
  const { busy: switching, error: switchError, attempt: attemptSwitch } = useAttempt();

  if (!session) return null;

  const reloadAll = async () => {
    await Promise.all([reloadMe(), browser.reload(), isAdmin ? org.reload() : Promise.resolve()]);
  };

  const makeKey = async () => {
    setMade(null);
    await enrol.run('new-key', async () => {
      if (!ledger) throw new Error('the ledger is not loaded yet');
      const key = await makeBrowserKey(session.user);
      setMade(key);
      // The new key signs its own enrolment; the session's token authorises it.
      return enrolKey(
        { origin: ledger.origin, token: session.token, signer: { privateKey: key.record.privateKey, publicKey: key.record.publicKey } },
        { user: session.user, key: key.record.publicKey, device: describeDevice(navigator.userAgent) },
      );
    }, reloadAll);
  };

  const switchToKey = (publicKey: string) => attemptSwitch(publicKey, () => signInWithKey(publicKey));

  const keys = me?.user.keys ?? [];
  // Once an admin approves the new key, "pending" would be wrong; the table above shows it active.
  const madeStatus = made ? keys.find((k) => k.key === made.record.publicKey)?.status : undefined;
  const madePending = madeStatus === undefined || madeStatus === 'PENDING';

  return (
    <Page title={t('keys.title')} lead={t('keys.lead')}>
      <ErrorNotice error={meError} />

      <Card title={t('keys.mine.title')}>
        <ErrorNotice error={switchError} />
        <ActionOutcome action={keyAction} />
        <ListTable
          rows={me ? keys : null}
          loading={!meError}
          none={t('keys.mine.none')}
          testId="my-keys"
          columns={[t('common.key'), t('common.status'), t('common.device'), t('keys.enrolledAt'), t('keys.whereHeld'), '']}
          row={(k) => {
            const current = k.key === session.key;
            const here = browser.keys.has(k.key);
            return (
              <tr key={k.key} data-testid={`my-key-${k.key}`}>
                <KeyCell publicKey={k.key} />
                <td>
                  <KeyStatusBadge status={k.status} />
                </td>
                <td>{k.device ?? ''}</td>
                <td>{t('common.atEntry', { index: k.enrolledAt })}</td>
                <td>
                  {current ? (
                    <span className="badge badge-current" data-testid="current-key">
                      {t('keys.current')}
                    </span>
                  ) : here ? (
                    t('keys.inThisBrowser')
                  ) : (
                    <span className="muted">{t('keys.elsewhere')}</span>
                  )}
                </td>
                <td className="actions">
                  {!current && here && k.status === 'ACTIVE' && (
                    <button type="button" data-testid={`use-key-${k.key}`} disabled={switching !== null} onClick={() => void switchToKey(k.key)}>
                      {switching === k.key ? t('login.signingIn') : t('keys.useThisKey')}
                    </button>
                  )}
                  {!current && k.status !== 'REVOKED' && (
                    <RevokeKeyButton publicKey={k.key} action={keyAction} onDone={reloadAll} />
                  )}
                </td>
              </tr>
            );
          }}
        />
      </Card>

      <Card title={t('keys.new.title')}>
        <p>{t('keys.new.explain')}</p>
        <button type="button" data-testid="new-key" disabled={enrol.busy !== null || !ledger} onClick={() => void makeKey()}>
          {enrol.busy ? t('common.signing') : t('keys.new.button')}
        </button>
        {made && <BackupDownload pem={made.backupPem} userId={session.user} publicKey={made.record.publicKey} />}
        <ErrorNotice error={enrol.error} />
        {enrol.receipt && made && madePending && (
          <div className="notice notice-ok" role="status" data-testid="new-key-pending">
            {t('keys.new.pending', { key: shorten(made.record.publicKey), index: enrol.receipt.index })}
          </div>
        )}
      </Card>

      {isAdmin && org.organisation && <PendingApprovals organisation={org.organisation} onChanged={reloadAll} />}
      {isAdmin && <ErrorNotice error={org.error} />}

      <Card title={t('keys.import.title')}>
        <ImportKeyFile userId={session.user} onImported={() => reloadAll()} />
      </Card>
    </Page>
  );
}
