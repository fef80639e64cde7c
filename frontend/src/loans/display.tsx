import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LoanFieldsFragment, LoanStatus } from '../gql/graphql';
import { PROGRESS_STEPS, groupDigits, percent, progress } from './rules';

export type LoanView = LoanFieldsFragment;

export interface MoneyValue {
  currency: string;
  value: string;
}

/** "CNY 1,200,000.00": the amount as the ledger holds it, grouped for reading. */
export function Money({ m, testId }: { m: MoneyValue | null | undefined; testId?: string }) {
  if (!m) return <span data-testid={testId}>—</span>;
  return (
    <span className="money" data-testid={testId}>
      {m.currency} {groupDigits(m.value)}
    </span>
  );
}

export function LoanStatusBadge({ status, testId }: { status: LoanStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-loan-${status.toLowerCase()}`} data-testid={testId}>
      {t(`loanStatus.${status}`)}
    </span>
  );
}

/** The status, then the warnings a lender must see at a glance. */
export function LoanBadges({ loan }: { loan: LoanView }) {
  const { t } = useTranslation();
  return (
    <span className="badges">
      <LoanStatusBadge status={loan.status} testId={`loan-status-${loan.id}`} />
      {loan.openMarginCall && (
        <span className="badge badge-margin-call" data-testid={`margin-call-${loan.id}`}>
          {t('loans.badge.marginCall')}
        </span>
      )}
      {loan.overdue && (
        <span className="badge badge-overdue" data-testid={`overdue-${loan.id}`}>
          {t('loans.badge.overdue')}
        </span>
      )}
    </span>
  );
}

/** A loan's id, linked to its page, over its purpose. */
export function LoanCell({ loan, testId }: { loan: Pick<LoanView, 'id' | 'purpose'>; testId: string }) {
  return (
    <td>
      <Link to={`/loans/${loan.id}`} data-testid={testId}>
        <code>{loan.id}</code>
      </Link>
      <div className="muted">{loan.purpose}</div>
    </td>
  );
}

/** An amount over the tenor it is for. */
export function AmountCell({ amount, tenorDays }: { amount: MoneyValue; tenorDays: number }) {
  const { t } = useTranslation();
  return (
    <td>
      <Money m={amount} />
      <div className="muted">{t('loan.tenorDays', { n: tenorDays })}</div>
    </td>
  );
}

/** The row class that highlights a loan in trouble. */
export function troubleClass(loan: Pick<LoanView, 'openMarginCall' | 'overdue'>): string {
  return [loan.openMarginCall ? 'loan-margin-call' : '', loan.overdue ? 'loan-overdue' : ''].filter(Boolean).join(' ');
}

export function Ltv({ value, testId }: { value: string | null | undefined; testId?: string }) {
  return <span data-testid={testId}>{percent(value)}</span>;
}

/** The loan's way from application to its end, each step done, current or to come. */
export function LoanProgress({ loan }: { loan: LoanView }) {
  const { t } = useTranslation();
  const { reached, ended } = progress({
    status: loan.status,
    proposed: loan.terms !== null,
    approved: loan.approvedBy !== null,
    registered: loan.registration !== null,
    disbursed: loan.disbursement !== null,
    realised: loan.realisation !== null,
  });
  return (
    <ol className="loan-progress" data-testid="loan-progress">
      {PROGRESS_STEPS.map((step, i) => {
        const state = i < reached || (i === reached && ended) ? 'done' : i === reached ? 'current' : 'todo';
        return (
          <li key={step} className={`step step-${state}`} data-testid={`step-${step}`} data-state={state}>
            {t(`loans.step.${step}`)}
          </li>
        );
      })}
      {ended && (
        <li className="step step-ended" data-testid="step-ended" data-state="ended">
          {t(`loanStatus.${ended}`)}
        </li>
      )}
    </ol>
  );
}
