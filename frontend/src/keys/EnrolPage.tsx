import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { enrolKey } from '../api/transactions';
import { ErrorNotice } from '../app/ErrorNotice';
import { shorten } from '../app/format';
import { Page } from '../app/Page';
import { useAuth } from '../auth/AuthContext';
import { acceptInvitation } from '../auth/login';
import { type Session, isExpired } from '../auth/session';
import { keyStore } from '../crypto/keystore';
import { BackupDownload } from './BackupDownload';
import { type MadeKey, makeBrowserKey } from './browserKeys';
import { describeDevice } from './device';

type Step = 'start' | 'working' | 'done';

/**
 * For an invited user with no key yet: make a key here, prove it holds the
 * invitation, and enrol the key. It stays pending until an admin approves it.
 */
export function EnrolPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const invitation = params.get('invitation') ?? '';
  const { ledger, ledgerError } = useAuth();
  const [step, setStep] = useState<Step>('start');
  const [made, setMade] = useState<MadeKey | null>(null);
  const [user, setUser] = useState<string | null>(null);
  const [enrolSession, setEnrolSession] = useState<Session | null>(null);
  const [error, setError] = useState<unknown>(null);

  const start = async () => {
    if (!ledger) return;
    setStep('working');
    setError(null);
    try {
      const key = made ?? (await makeBrowserKey(null));
      setMade(key);
      const signer = { privateKey: key.record.privateKey, publicKey: key.record.publicKey };
      // An invitation may be good for one use: keep the enrol token for a retry.
      const session =
        enrolSession && !isExpired(enrolSession) ? enrolSession : await acceptInvitation(ledger.origin, invitation, signer);
      setEnrolSession(session);
      await keyStore().assignUser(key.record.publicKey, session.user);
      setUser(session.user);
      // The enrol token allows only this; the member signs in once an admin approves the key.
      await enrolKey(
        { origin: ledger.origin, token: session.token, signer },
        { user: session.user, key: key.record.publicKey, device: describeDevice(navigator.userAgent) },
      );
      setStep('done');
    } catch (e) {
      setError(e);
      setStep('start');
    }
  };

  return (
    <Page title={t('enrol.title')}>
      <ErrorNotice error={ledgerError} />
      {!invitation ? (
        <p className="notice notice-error" data-testid="enrol-no-invitation">
          {t('enrol.noInvitation')}
        </p>
      ) : (
        <section className="card">
          <p className="lead">{t('enrol.lead')}</p>
          <ol className="steps">
            <li>{t('enrol.steps.make')}</li>
            <li>{t('enrol.steps.backup')}</li>
            <li>{t('enrol.steps.enrol')}</li>
            <li>{t('enrol.steps.approve')}</li>
          </ol>
          {step !== 'done' && (
            <button type="button" data-testid="enrol-start" disabled={!ledger || step === 'working'} onClick={() => void start()}>
              {step === 'working' ? t('common.signing') : made ? t('enrol.retry') : t('enrol.start')}
            </button>
          )}
          {made && <BackupDownload pem={made.backupPem} userId={user} publicKey={made.record.publicKey} />}
          <ErrorNotice error={error} />
          {step === 'done' && made && (
            <div className="notice notice-ok" role="status" data-testid="enrol-done">
              <p>{t('enrol.done', { user: user ?? '', key: shorten(made.record.publicKey) })}</p>
              <p>{t('enrol.waitForAdmin')}</p>
              <Link to="/login">{t('enrol.toLogin')}</Link>
            </div>
          )}
        </section>
      )}
    </Page>
  );
}
