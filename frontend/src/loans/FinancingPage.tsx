import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { Page } from '../app/Page';
import { useAuth } from '../auth/AuthContext';
import { isActionable } from '../receipts/display';
import { ReceiptsQuery } from '../receipts/operations';
import { useOrganisations } from '../receipts/useOrganisations';
import { ApplyForm } from './ApplyForm';
import { LoanList } from './LoanList';
import { LoansQuery } from './operations';
import { MAX_PAGE } from '../api/limits';
import { useLoad } from '../api/useLoad';

/** The SME's financing: apply against free receipts, and follow its loans. */
export function FinancingPage() {
  const { t } = useTranslation();
  const { session, canAct } = useAuth();
  const org = session?.org ?? '';
  const orgs = useOrganisations();
  const held = useLoad(async (token) => (await execute(ReceiptsQuery, { holder: org, status: 'LIVE', first: MAX_PAGE }, token)).receipts.nodes, [org]);
  const loans = useLoad(async (token) => (await execute(LoansQuery, { borrower: org, first: MAX_PAGE }, token)).loans.nodes, [org]);
  const action = useSignedAction();
  const [applied, setApplied] = useState<string | null>(null);

  if (!session) return null;
  const free = (held.data ?? []).filter((r) => r.status === 'LIVE' && isActionable(r) && !r.encumbrance);
  const banks = orgs.orgs.filter((o) => o.kind === 'BANK' && o.status === 'ACTIVE');

  return (
    <Page title={t('financing.title')} lead={t('financing.lead')} className="financing">
      <ErrorNotice error={held.error ?? loans.error ?? orgs.error} />
      <ActionOutcome action={action} />
      {applied && action.receipt && (
        <p data-testid="applied">
          <Link to={`/loans/${applied}`} data-testid="applied-link">
            {t('financing.apply.open', { id: applied })}
          </Link>
        </p>
      )}
      {canAct && <ApplyForm receipts={free} banks={banks} action={action} onDone={(loan) => (setApplied(loan), Promise.all([held.reload(), loans.reload()]))} />}
      <Card title={t('financing.loans.title')}>
        {loans.loading && !loans.data && <p>{t('common.loading')}</p>}
        {loans.data && <LoanList loans={loans.data} counterparty="bank" testId="my-loans" />}
      </Card>
    </Page>
  );
}
