import { useTranslation } from 'react-i18next';
import { execute } from '../api/graphql';
import { useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { Page } from '../app/Page';
import { ListTable } from '../app/Table';
import { useAuth } from '../auth/AuthContext';
import { AmountCell, LoanBadges, LoanCell, type LoanView, troubleClass } from './display';
import { LoanList } from './LoanList';
import { ReceiptLinks } from './LoanSections';
import { LoansQuery, PricesQuery } from './operations';
import { PortfolioSection } from './PortfolioSection';
import { PriceTable, PublishPriceForm } from './PublishPriceForm';
import { QUEUE_STATUSES } from './rules';
import { MAX_PAGE } from '../api/limits';
import { useLoad } from '../api/useLoad';

/** What the bank does next with an application, by its status. */
const NEXT_STEP: Record<string, string> = {
  APPLIED: 'lending.queue.next.APPLIED',
  CONFIRMED: 'lending.queue.next.CONFIRMED',
  PROPOSED: 'lending.queue.next.PROPOSED',
  APPROVED: 'lending.queue.next.APPROVED',
};

/** Applications waiting for the bank, each receipt with its public check one click away. */
function Queue({ loans }: { loans: readonly LoanView[] }) {
  const { t } = useTranslation();
  return (
    <Card testId="lending-queue" title={t('lending.queue.title')}>
      <ListTable
        rows={loans}
        none={t('lending.queue.none')}
        columns={[t('loan.id'), t('loan.borrower'), t('loan.amount'), t('loan.collateral.title'), t('common.status')]}
        row={(l) => (
          <tr key={l.id} className={troubleClass(l)} data-testid={`queue-row-${l.id}`}>
            <LoanCell loan={l} testId={`queue-open-${l.id}`} />
            <td>{l.borrower.name}</td>
            <AmountCell amount={l.amount} tenorDays={l.tenorDays} />
            <td>
              <ul className="plain-list">
                {l.collateral.map((p) => (
                  <li key={p.receipt}>
                    <ReceiptLinks id={p.receipt} />{' '}
                    <span className={p.confirmedAt !== null ? 'ok' : 'muted'}>
                      {p.confirmedAt !== null ? `✓ ${p.warehouse.name}` : t('loan.collateral.awaitingAt', { warehouse: p.warehouse.name })}
                    </span>
                  </li>
                ))}
              </ul>
            </td>
            <td>
              <LoanBadges loan={l} />
              <div className="hint">{t(NEXT_STEP[l.status] ?? 'lending.queue.next.APPROVED')}</div>
            </td>
          </tr>
        )}
      />
    </Card>
  );
}

/**
 * The bank's lending desk: the application queue, the book, every loan, and
 * prices. The regulator sees every bank's book here, and acts on none.
 */
export function LendingPage() {
  const { t } = useTranslation();
  const { session, me, canAct: hasSigningRole } = useAuth();
  const org = session?.org ?? '';
  const oversight = me?.organisation.kind === 'REGULATOR';
  const bank = oversight ? null : org;
  const loans = useLoad(async (token) => (await execute(LoansQuery, { bank, first: MAX_PAGE }, token)).loans.nodes, [bank]);
  const prices = useLoad(async (token) => (await execute(PricesQuery, {}, token)).prices, []);
  const action = useSignedAction();
  if (!session) return null;
  const canAct = !oversight && hasSigningRole;
  const all = loans.data ?? [];
  const queue = all.filter((l) => QUEUE_STATUSES.includes(l.status));
  return (
    <Page title={t('lending.title')} lead={t(oversight ? 'lending.oversightLead' : 'lending.lead')} className="lending">
      <ErrorNotice error={loans.error ?? prices.error} />
      {loans.loading && !loans.data && <p>{t('common.loading')}</p>}
      <Queue loans={queue} />
      <PortfolioSection bank={bank} loans={all} />
      <Card title={t('lending.loans.title')}>
        <LoanList loans={all} counterparty="borrower" testId="bank-loans" />
      </Card>
      <Card testId="price-section" title={t('prices.title')}>
        <ActionOutcome action={action} />
        <PriceTable prices={prices.data ?? []} />
      </Card>
      {canAct && <PublishPriceForm action={action} onDone={() => Promise.all([prices.reload(), loans.reload()])} />}
    </Page>
  );
}
