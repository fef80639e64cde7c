import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { ErrorNotice } from '../app/ErrorNotice';
import { shorten } from '../app/format';
import { Page } from '../app/Page';
import { useAttempt } from '../app/useAttempt';
import { keyStore, type StoredKey } from '../crypto/keystore';
import { importKeyDer } from '../keys/browserKeys';
import { ImportKeyFile } from '../keys/ImportKeyFile';
import { useAuth } from './AuthContext';
import { type DemoUser, fetchDemoUsers, groupByOrganisation } from './demo';

class DemoKeyMismatchError extends Error {
  constructor() {
    super('the demo key does not match the listed public key');
    this.name = 'DemoKeyMismatchError';
  }
}

function DemoLogin({ onSignIn }: { onSignIn: (publicKey: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const { busy, error, setError, attempt } = useAttempt();

  useEffect(() => {
    let live = true;
    fetchDemoUsers()
      .then((u) => live && setUsers(u))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, [setError]);

  const signIn = (u: DemoUser) =>
    attempt(u.user, async () => {
      const record = await importKeyDer(u.pkcs8, u.user, 'demo');
      if (u.key && u.key !== record.publicKey) throw new DemoKeyMismatchError();
      await onSignIn(record.publicKey);
    });

  return (
    <section className="card" data-testid="demo-login">
      <h2>
        {t('login.demo.title')} <span className="badge badge-demo">{t('login.demo.badge')}</span>
      </h2>
      <p className="notice notice-warning">{t('login.demo.publicKeys')}</p>
      <ErrorNotice error={error} />
      {!users && !error && <p>{t('common.loading')}</p>}
      {users && users.length === 0 && <p>{t('login.demo.none')}</p>}
      {users &&
        groupByOrganisation(users).map((g) => (
          <div key={g.org} className="demo-org">
            <h3>
              {g.name} <span className="muted">({g.org})</span>
            </h3>
            <ul className="demo-users">
              {g.users.map((u) => (
                <li key={u.user}>
                  <button
                    type="button"
                    data-testid={`demo-login-${u.user}`}
                    disabled={busy !== null}
                    onClick={() => void signIn(u)}
                  >
                    <span className="badge badge-demo">{t('login.demo.badge')}</span>{' '}
                    {t('login.demo.signInAs', { name: u.name })}
                  </button>
                  <span className="muted">
                    {u.user}
                    {u.roles.length > 0 && ` · ${u.roles.map((r) => t(`roles.${r.toUpperCase()}`, { defaultValue: r })).join(', ')}`}
                  </span>
                  {busy === u.user && <span className="muted"> {t('login.signingIn')}</span>}
                </li>
              ))}
            </ul>
          </div>
        ))}
    </section>
  );
}

function BrowserKeys({ onSignIn }: { onSignIn: (publicKey: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [keys, setKeys] = useState<StoredKey[] | null>(null);
  const { busy, error, setError, attempt } = useAttempt();

  const load = useCallback(() => {
    keyStore()
      .list()
      .then(setKeys)
      .catch((e: unknown) => {
        setKeys([]);
        setError(e);
      });
  }, [setError]);
  useEffect(load, [load]);

  const signIn = (publicKey: string) => attempt(publicKey, () => onSignIn(publicKey));

  return (
    <section className="card">
      <h2>{t('login.browser.title')}</h2>
      <p className="hint">{t('login.browser.explain')}</p>
      <ErrorNotice error={error} />
      {keys && keys.length === 0 && <p className="muted">{t('login.browser.none')}</p>}
      {keys && keys.length > 0 && (
        <ul className="key-list">
          {keys.map((k) => (
            <li key={k.publicKey}>
              <button
                type="button"
                data-testid={`browser-key-login-${k.userId ?? k.publicKey}`}
                disabled={busy !== null}
                onClick={() => void signIn(k.publicKey)}
              >
                {t('login.browser.signIn')}
              </button>{' '}
              <strong>{k.userId ?? t('login.browser.unknownUser')}</strong>{' '}
              <code title={k.publicKey}>{shorten(k.publicKey)}</code>
              {k.source === 'demo' && <span className="badge badge-demo">{t('login.demo.badge')}</span>}
              {busy === k.publicKey && <span className="muted"> {t('login.signingIn')}</span>}
              <button
                type="button"
                className="link danger"
                data-testid={`browser-key-remove-${k.userId ?? k.publicKey}`}
                disabled={busy !== null}
                onClick={() => {
                  // Removing is final unless a backup exists, so ask first.
                  if (!window.confirm(t('login.browser.confirmRemove', { key: shorten(k.publicKey) }))) return;
                  keyStore()
                    .delete(k.publicKey)
                    .then(load)
                    .catch((e: unknown) => setError(e));
                }}
              >
                {t('login.browser.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('login.import.title')}</h3>
      <ImportKeyFile
        userId={null}
        onImported={async (k) => {
          load();
          await signIn(k.publicKey);
        }}
      />
    </section>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const { ledger, ledgerError, signInWithKey } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;

  const onSignIn = useCallback(
    async (publicKey: string) => {
      await signInWithKey(publicKey);
      void navigate(from && from !== '/login' ? from : '/explorer', { replace: true });
    },
    [signInWithKey, navigate, from],
  );

  return (
    <Page title={t('login.title')} lead={t('login.lead')}>
      <ErrorNotice error={ledgerError} />
      {!ledger && !ledgerError && <p>{t('common.loading')}</p>}
      {ledger && (
        <>
          <p className="muted">{t('login.ledgerOrigin', { origin: ledger.origin })}</p>
          {ledger.demo && <DemoLogin onSignIn={onSignIn} />}
          <BrowserKeys onSignIn={onSignIn} />
          <p className="hint">{t('login.invited')}</p>
        </>
      )}
    </Page>
  );
}
