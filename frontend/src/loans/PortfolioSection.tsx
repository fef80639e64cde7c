import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { Fact } from '../app/Fact';
import type { PortfolioQuery as PortfolioResult } from '../gql/graphql';
import { Select } from '../receipts/Field';
import { ExposureChart, LtvChart } from './charts';
import { type LoanView, Money } from './display';
import { LoanLtvQuery, PortfolioQuery } from './operations';

type Book = PortfolioResult['portfolio'][number];

/** One currency's book: totals, exposure by commodity, and the loans in trouble. */
function BookCard({ book, loans }: { book: Book; loans: readonly LoanView[] }) {
  const { t } = useTranslation();
  const byId = new Map(loans.map((l) => [l.id, l]));
  const list = (ids: readonly { id: string }[], kind: 'margin-call' | 'overdue') =>
    ids.length === 0 ? (
      <span className="muted">{t('lending.portfolio.noneInTrouble')}</span>
    ) : (
      <ul className="plain-list">
        {ids.map(({ id }) => (
          <li key={id} className={kind === 'margin-call' ? 'loan-margin-call' : 'loan-overdue'} data-testid={`portfolio-${kind}-${id}`}>
            <Link to={`/loans/${id}`}>
              <code>{id}</code>
            </Link>{' '}
            {byId.get(id)?.borrower.name ?? ''}
          </li>
        ))}
      </ul>
    );
  return (
    <div className="book" data-testid={`portfolio-${book.currency}`}>
      <dl className="facts">
        <Fact label={t('lending.portfolio.running')} testId={`portfolio-running-${book.currency}`}>
          {book.running}
        </Fact>
        <Fact label={t('lending.portfolio.principal')}>
          <Money m={book.principal} testId={`portfolio-principal-${book.currency}`} />
        </Fact>
        <Fact label={t('loan.valuation.market')}>
          <Money m={book.market} />
        </Fact>
        <Fact label={t('loan.valuation.value')}>
          <Money m={book.value} />
        </Fact>
        <Fact label={t('lending.portfolio.queue')}>{book.queue}</Fact>
        <Fact label={t('loans.badge.marginCall')}>{list(book.inMarginCall, 'margin-call')}</Fact>
        <Fact label={t('loans.badge.overdue')}>{list(book.overdue, 'overdue')}</Fact>
      </dl>
      <h3>{t('lending.portfolio.exposureTitle')}</h3>
      <ExposureChart rows={book.exposure} />
    </div>
  );
}

/** The LTV of one running loan against its collateral's price, chosen from a list. */
function LtvPicker({ loans }: { loans: readonly LoanView[] }) {
  const { t } = useTranslation();
  // Loans still running first: their chart is the one a bank watches.
  const live = (l: LoanView) => (l.status === 'ACTIVE' || l.status === 'DEFAULTED' ? 0 : 1);
  const running = loans.filter((l) => l.disbursement !== null).sort((a, b) => live(a) - live(b));
  const [chosen, setChosen] = useState('');
  const id = chosen || running[0]?.id || '';
  const series = useLoad(async (token) => (id ? (await execute(LoanLtvQuery, { id }, token)).loan : null), [id]);
  if (running.length === 0) return null;
  return (
    <div data-testid="portfolio-ltv">
      <h3>{t('loan.ltvChart.title')}</h3>
      <Select label={t('lending.portfolio.pickLoan')} value={id} onChange={setChosen} testId="portfolio-ltv-loan" options={running.map((l) => ({ value: l.id, label: `${l.id} · ${l.borrower.name}` }))} />
      <ErrorNotice error={series.error} />
      {series.data && <LtvChart points={series.data.ltvSeries} levels={series.data.terms} />}
    </div>
  );
}

export function PortfolioSection({ bank, loans }: { bank: string | null; loans: readonly LoanView[] }) {
  const { t } = useTranslation();
  const books = useLoad(async (token) => (await execute(PortfolioQuery, { bank }, token)).portfolio, [bank]);
  return (
    <Card testId="portfolio" title={t('lending.portfolio.title')}>
      <ErrorNotice error={books.error} />
      {books.loading && !books.data && <p>{t('common.loading')}</p>}
      {books.data && books.data.length === 0 && <p className="muted">{t('lending.portfolio.empty')}</p>}
      {(books.data ?? []).map((b) => (
        <BookCard key={b.currency} book={b} loans={loans} />
      ))}
      <LtvPicker loans={loans} />
    </Card>
  );
}
