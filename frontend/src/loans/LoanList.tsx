import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LoanBadges, type LoanView, Ltv, Money, troubleClass } from './display';

/** Loans as rows: the counterparty, the amount, where each stands; trouble highlighted. */
export function LoanList({ loans, counterparty, testId }: { loans: readonly LoanView[]; counterparty: 'bank' | 'borrower'; testId: string }) {
  const { t } = useTranslation();
  if (loans.length === 0) return <p className="muted" data-testid={`${testId}-none`}>{t('loans.none')}</p>;
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          <th>{t('loan.id')}</th>
          <th>{counterparty === 'bank' ? t('loan.bank') : t('loan.borrower')}</th>
          <th>{t('loan.amount')}</th>
          <th>{t('loan.ltv')}</th>
          <th>{t('common.status')}</th>
        </tr>
      </thead>
      <tbody>
        {loans.map((l) => (
          <tr key={l.id} className={troubleClass(l)} data-testid={`loan-row-${l.id}`}>
            <td>
              <Link to={`/loans/${l.id}`} data-testid={`loan-link-${l.id}`}>
                <code>{l.id}</code>
              </Link>
              <div className="muted">{l.purpose}</div>
            </td>
            <td>{counterparty === 'bank' ? l.bank.name : l.borrower.name}</td>
            <td>
              <Money m={l.terms?.principal ?? l.amount} />
              <div className="muted">{t('loan.tenorDays', { n: l.tenorDays })}</div>
            </td>
            <td>
              <Ltv value={l.ltv} testId={`loan-ltv-${l.id}`} />
            </td>
            <td>
              <LoanBadges loan={l} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
