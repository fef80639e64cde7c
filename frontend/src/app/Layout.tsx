import { type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext';
import { LANGUAGES, type Language, setLanguage } from '../i18n';

function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t('header.language')}</span>
      <select
        data-testid="language"
        value={i18n.resolvedLanguage ?? i18n.language}
        onChange={(e) => setLanguage(e.target.value as Language)}
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng}>
            {t(`languages.${lng}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { session, me, signOut } = useAuth();
  const navigate = useNavigate();
  const full = session && session.scope !== 'enrol';
  const kind = me?.organisation.kind;

  return (
    <div className="app">
      <header className="header">
        <div className="brand">{t('app.name')}</div>
        {full && (
          <nav className="nav">
            {kind === 'WAREHOUSE' && (
              <NavLink to="/warehouse" data-testid="nav-warehouse">
                {t('nav.warehouse')}
              </NavLink>
            )}
            {(kind === 'SME' || kind === 'BANK') && (
              <NavLink to="/receipts" data-testid="nav-receipts">
                {t('nav.receipts')}
              </NavLink>
            )}
            {kind === 'WAREHOUSE' && (
              <NavLink to="/pledges" data-testid="nav-pledges">
                {t('nav.pledges')}
              </NavLink>
            )}
            {kind === 'SME' && (
              <NavLink to="/financing" data-testid="nav-financing">
                {t('nav.financing')}
              </NavLink>
            )}
            {(kind === 'BANK' || kind === 'REGULATOR') && (
              <NavLink to="/lending" data-testid="nav-lending">
                {t('nav.lending')}
              </NavLink>
            )}
            {kind === 'INSPECTOR' && (
              <NavLink to="/inspection" data-testid="nav-inspection">
                {t('nav.inspection')}
              </NavLink>
            )}
            <NavLink to="/explorer" data-testid="nav-explorer">
              {t('nav.explorer')}
            </NavLink>
            <NavLink to="/org" data-testid="nav-org">
              {t('nav.org')}
            </NavLink>
            <NavLink to="/keys" data-testid="nav-keys">
              {t('nav.keys')}
            </NavLink>
          </nav>
        )}
        <div className="header-right">
          {session ? (
            <span className="who" data-testid="signed-in-user">
              {t('header.signedInAs', {
                user: me?.user.name ?? session.user,
                org: me?.organisation.name ?? session.org,
              })}
            </span>
          ) : (
            <NavLink to="/login">{t('nav.login')}</NavLink>
          )}
          <LanguageSwitcher />
          {session && (
            <button
              type="button"
              className="secondary"
              data-testid="sign-out"
              onClick={() => {
                signOut();
                void navigate('/login');
              }}
            >
              {t('header.signOut')}
            </button>
          )}
        </div>
      </header>
      <main className="main">{children}</main>
    </div>
  );
}
