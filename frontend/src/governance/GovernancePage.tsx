import { useTranslation } from 'react-i18next';
import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { Page } from '../app/Page';
import { useAuth } from '../auth/AuthContext';
import { useOrganisations } from '../receipts/useOrganisations';
import { ProposalsQuery } from './operations';
import { ProposalCard } from './ProposalCard';
import { ProposeForms } from './ProposeForms';

/**
 * Consortium governance: every member sees every proposal to admit, suspend
 * or reinstate an organisation, and each organisation's admins cast its one
 * vote. The vote that reaches the quorum carries the change.
 */
export function GovernancePage() {
  const { t } = useTranslation();
  const { session, me, isAdmin } = useAuth();
  const proposals = useLoad(async (token) => (await execute(ProposalsQuery, {}, token)).proposals, []);
  const orgs = useOrganisations();
  const action = useSignedAction();

  if (!session) return null;
  // An adopted proposal changes the members, so both lists are read again after a signing.
  const reload = () => Promise.all([proposals.reload(), orgs.reload()]);
  // Only an admin speaks for their organisation, and a suspended organisation's keys sign nothing.
  const voter = isAdmin && me?.organisation.status === 'ACTIVE' ? me.organisation.id : null;

  return (
    <Page title={t('governance.title')} lead={t('governance.lead')} className="governance" testId="governance">
      <ErrorNotice error={proposals.error ?? orgs.error} />
      <ActionOutcome action={action} />
      <Card title={t('governance.proposals.title')} explain={t('governance.proposals.explain')} testId="proposals">
        {proposals.loading && !proposals.data && <p>{t('common.loading')}</p>}
        {proposals.data?.length === 0 && (
          <p className="muted" data-testid="proposals-none">
            {t('governance.proposals.none')}
          </p>
        )}
        {proposals.data?.map((p) => <ProposalCard key={p.id} proposal={p} name={orgs.name} voter={voter} action={action} onVoted={reload} />)}
        {!isAdmin && <p className="hint">{t('governance.adminsVote')}</p>}
      </Card>
      {voter && <ProposeForms orgs={orgs.orgs} proposals={proposals.data ?? []} action={action} onDone={reload} />}
    </Page>
  );
}
