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
  // Each organisation kind sees the pages of its part; everyone sees the ledger, the consortium's proposals, their organisation and their keys.
  const links = [
    { name: 'warehouse', label: t('nav.warehouse'), shown: kind === 'WAREHOUSE' },
    { name: 'receipts', label: t('nav.receipts'), shown: kind === 'SME' || kind === 'BANK' },
    { name: 'pledges', label: t('nav.pledges'), shown: kind === 'WAREHOUSE' },
    { name: 'financing', label: t('nav.financing'), shown: kind === 'SME' },
    { name: 'lending', label: t('nav.lending'), shown: kind === 'BANK' || kind === 'REGULATOR' },
    { name: 'inspection', label: t('nav.inspection'), shown: kind === 'INSPECTOR' },
    { name: 'explorer', label: t('nav.explorer'), shown: true },
    { name: 'governance', label: t('nav.governance'), shown: true },
    { name: 'org', label: t('nav.org'), shown: true },
    { name: 'keys', label: t('nav.keys'), shown: true },
  ];

  return (
    <div className="app">
      <header className="header">
        <div className="brand">{t('app.name')}</div>
        {full && (
          <nav className="nav">
            {links
              .filter((l) => l.shown)
              .map((l) => (
                <NavLink key={l.name} to={`/${l.name}`} data-testid={`nav-${l.name}`}>
                  {l.label}
                </NavLink>
              ))}
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
      {/* Why the ledger can be trusted is for anyone to read, signed in or not. */}
      <footer className="footer no-print">
        <NavLink to="/trust" data-testid="footer-trust">
          {t('trust.link')}
        </NavLink>
      </footer>
    </div>
  );
}
