import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { useSignedAction } from '../api/useSignedAction';
import { ErrorNotice } from '../app/ErrorNotice';
import { ReceiptNotice } from '../app/ReceiptNotice';
import { useAuth } from '../auth/AuthContext';
import { useLoad } from '../receipts/useLoad';
import { LoanBadges, type LoanView, Money, troubleClass } from './display';
import { LoanList } from './LoanList';
import { ReceiptLinks } from './LoanSections';
import { LoansQuery, PricesQuery } from './operations';
import { PortfolioSection } from './PortfolioSection';
import { PriceTable, PublishPriceForm } from './PublishPriceForm';
import { QUEUE_STATUSES } from './rules';
import { MAX_PAGE } from '../api/limits';

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
    <section className="card" data-testid="lending-queue">
      <h2>{t('lending.queue.title')}</h2>
      {loans.length === 0 && <p className="muted">{t('lending.queue.none')}</p>}
      {loans.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('loan.id')}</th>
              <th>{t('loan.borrower')}</th>
              <th>{t('loan.amount')}</th>
              <th>{t('loan.collateral.title')}</th>
              <th>{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {loans.map((l) => (
              <tr key={l.id} className={troubleClass(l)} data-testid={`queue-row-${l.id}`}>
                <td>
                  <Link to={`/loans/${l.id}`} data-testid={`queue-open-${l.id}`}>
                    <code>{l.id}</code>
                  </Link>
                  <div className="muted">{l.purpose}</div>
                </td>
                <td>{l.borrower.name}</td>
                <td>
                  <Money m={l.amount} />
                  <div className="muted">{t('loan.tenorDays', { n: l.tenorDays })}</div>
                </td>
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
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * The bank's lending desk: the application queue, the book, every loan, and
 * prices. The regulator sees every bank's book here, and acts on none.
 */
export function LendingPage() {
  const { t } = useTranslation();
  const { session, me } = useAuth();
  const org = session?.org ?? '';
  const oversight = me?.organisation.kind === 'REGULATOR';
  const bank = oversight ? null : org;
  const loans = useLoad(async (token) => (await execute(LoansQuery, { bank, first: MAX_PAGE }, token)).loans.nodes, [bank]);
  const prices = useLoad(async (token) => (await execute(PricesQuery, {}, token)).prices, []);
  const action = useSignedAction();
  if (!session) return null;
  const roles = me?.user.roles ?? [];
  const canAct = !oversight && roles.some((r) => r === 'ADMIN' || r === 'OFFICER' || r === 'APPROVER');
  const all = loans.data ?? [];
  const queue = all.filter((l) => QUEUE_STATUSES.includes(l.status));
  return (
    <div className="page lending">
      <h1>{t('lending.title')}</h1>
      <p className="lead">{t(oversight ? 'lending.oversightLead' : 'lending.lead')}</p>
      <ErrorNotice error={loans.error ?? prices.error} />
      {loans.loading && !loans.data && <p>{t('common.loading')}</p>}
      <Queue loans={queue} />
      <PortfolioSection bank={bank} loans={all} />
      <section className="card">
        <h2>{t('lending.loans.title')}</h2>
        <LoanList loans={all} counterparty="borrower" testId="bank-loans" />
      </section>
      <section className="card" data-testid="price-section">
        <h2>{t('prices.title')}</h2>
        <ErrorNotice error={action.error} />
        <ReceiptNotice receipt={action.receipt} />
        <PriceTable prices={prices.data ?? []} />
      </section>
      {canAct && <PublishPriceForm action={action} onDone={() => Promise.all([prices.reload(), loans.reload()])} />}
    </div>
  );
}
