import { useTranslation } from 'react-i18next';
import { ListTable } from '../app/Table';
import { AmountCell, LoanBadges, LoanCell, type LoanView, Ltv, troubleClass } from './display';

/** Loans as rows: the counterparty, the amount, where each stands; trouble highlighted. */
export function LoanList({ loans, counterparty, testId }: { loans: readonly LoanView[]; counterparty: 'bank' | 'borrower'; testId: string }) {
  const { t } = useTranslation();
  return (
    <ListTable
      rows={loans}
      none={t('loans.none')}
      testId={testId}
      noneTestId={`${testId}-none`}
      columns={[t('loan.id'), counterparty === 'bank' ? t('loan.bank') : t('loan.borrower'), t('loan.amount'), t('loan.ltv'), t('common.status')]}
      row={(l) => (
        <tr key={l.id} className={troubleClass(l)} data-testid={`loan-row-${l.id}`}>
          <LoanCell loan={l} testId={`loan-link-${l.id}`} />
          <td>{counterparty === 'bank' ? l.bank.name : l.borrower.name}</td>
          <AmountCell amount={l.terms?.principal ?? l.amount} tenorDays={l.tenorDays} />
          <td>
            <Ltv value={l.ltv} testId={`loan-ltv-${l.id}`} />
          </td>
          <td>
            <LoanBadges loan={l} />
          </td>
        </tr>
      )}
    />
  );
}
