import { useTranslation } from 'react-i18next';
import { Card } from '../app/Card';
import { Page } from '../app/Page';
import { useAuth } from '../auth/AuthContext';

/** What the ledger guarantees, each of which a member can check. */
const GUARANTEES = ['signed', 'log', 'witnesses', 'final', 'quorum', 'handover', 'verify'] as const;
/** What it does not, said as plainly: a reader who trusts more than this is misled. */
const LIMITS = ['truth', 'collusion', 'censorship', 'keys', 'demo'] as const;

/** A vkey is `name+hash+key`: the name is what a reader recognises. */
function witnessName(vkey: string): string {
  return vkey.split('+')[0] ?? vkey;
}

/** Why a member can trust the ledger, and where that trust ends; public, in plain words. */
export function TrustPage() {
  const { t } = useTranslation();
  const { ledger } = useAuth();
  const witnesses = ledger?.witnessVkeys.map(witnessName) ?? [];
  return (
    <Page title={t('trust.title')} lead={t('trust.lead')} className="trust" testId="trust">
      <Card title={t('trust.does.title')} testId="trust-does">
        <ul className="trust-list">
          {GUARANTEES.map((k) => (
            <li key={k} data-testid={`trust-does-${k}`}>
              {t(`trust.does.${k}`)}
            </li>
          ))}
        </ul>
        {witnesses.length > 0 && (
          <p className="hint" data-testid="trust-witnesses">
            {t('trust.witnessesListed', { names: witnesses.join(', ') })}
          </p>
        )}
      </Card>
      <Card title={t('trust.doesNot.title')} testId="trust-does-not">
        <ul className="trust-list">
          {LIMITS.map((k) => (
            <li key={k} data-testid={`trust-not-${k}`}>
              {t(`trust.doesNot.${k}`)}
            </li>
          ))}
        </ul>
      </Card>
    </Page>
  );
}
