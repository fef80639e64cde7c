import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
import { type SignedAction, useSignedAction } from '../api/useSignedAction';
import { ActionOutcome } from '../app/ActionOutcome';
import { Card } from '../app/Card';
import { ErrorNotice } from '../app/ErrorNotice';
import { useAuth } from '../auth/AuthContext';
import { type OrgSummary, useOrganisations } from '../receipts/useOrganisations';
import { ApproveForm, DefaultForm, DisburseForm, EnforceForm, RegisterForm, RejectForm, ReleaseForm, RepaymentForm, WriteOffForm } from './BankForms';
import { MarginCallPanel, RepaymentInstructions, TopUpForm } from './BorrowerPanels';
import { LoanProgress, LoanStatusBadge } from './display';
import { LoanHistory } from './LoanHistory';
import { CollateralSection, LoanFacts, LtvSection, RepaymentSection } from './LoanSections';
import { LoanDetailQuery } from './operations';
import { PledgeDecision } from './PledgeDecision';
import { type LoanDetail, ProposeTermsForm } from './ProposeTermsForm';

interface Party {
  bank: boolean;
  borrower: boolean;
  warehouse: boolean;
  canAct: boolean;
  officer: boolean;
  approver: boolean;
}

/** What the bank may sign now, by the loan's status and the user's roles. */
function BankActions({ loan, party, action, onDone, buyers }: { loan: LoanDetail; party: Party; action: SignedAction; onDone: () => unknown; buyers: readonly OrgSummary[] }) {
  const s = loan.status;
  const props = { loan, action, onDone };
  return (
    <div data-testid="bank-actions">
      {party.officer && (s === 'CONFIRMED' || s === 'PROPOSED') && <ProposeTermsForm key={loan.terms?.proposedAt ?? 'new'} {...props} />}
      {party.approver && s === 'PROPOSED' && <ApproveForm {...props} />}
      {party.approver && (s === 'APPLIED' || s === 'CONFIRMED' || s === 'PROPOSED' || s === 'APPROVED') && <RejectForm {...props} />}
      {party.canAct && s === 'APPROVED' && !loan.registration && <RegisterForm {...props} />}
      {party.canAct && s === 'APPROVED' && <DisburseForm {...props} />}
      {party.canAct && (s === 'ACTIVE' || s === 'DEFAULTED' || s === 'ENFORCED') && <RepaymentForm key={loan.owed.total.value} {...props} />}
      {party.canAct && (s === 'ACTIVE' || s === 'REPAID') && loan.collateral.length > 0 && <ReleaseForm {...props} />}
      {party.approver && s === 'ACTIVE' && <DefaultForm {...props} />}
      {party.approver && s === 'DEFAULTED' && <EnforceForm {...props} buyers={buyers} />}
      {party.approver && s === 'ENFORCED' && <WriteOffForm {...props} />}
    </div>
  );
}

/** One loan, for every party to it: where it stands, its collateral and money, what each may sign, its proven history. */
export function LoanDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { session, me, canAct } = useAuth();
  const orgs = useOrganisations();
  const { data: loan, error, loading, reload } = useLoad(async (token) => (await execute(LoanDetailQuery, { id }, token)).loan, [id]);
  const action = useSignedAction();

  if (loading && !loan) return <p>{t('common.loading')}</p>;
  if (!loan) {
    return (
      <div className="page">
        <ErrorNotice error={error} />
        {!error && (
          <p className="muted" data-testid="loan-not-found">
            {t('loan.notFound', { id })}
          </p>
        )}
      </div>
    );
  }
  const org = session?.org ?? '';
  const roles = me?.user.roles ?? [];
  const party: Party = {
    bank: loan.bank.id === org,
    borrower: loan.borrower.id === org,
    warehouse: [...loan.collateral, ...loan.topUps].some((p) => p.warehouse.id === org),
    canAct,
    officer: roles.includes('OFFICER'),
    approver: roles.includes('APPROVER'),
  };
  const buyers = orgs.orgs.filter((o) => (o.kind === 'SME' || o.kind === 'BANK') && o.status === 'ACTIVE' && o.id !== loan.borrower.id);
  const owing = loan.status === 'ACTIVE' || loan.status === 'DEFAULTED' || loan.status === 'ENFORCED';
  const pending = [...loan.collateral, ...loan.topUps].filter((p) => p.warehouse.id === org && p.confirmedAt === null);

  return (
    <div className="page loan-detail">
      <div className="card-title">
        <h1>{t('loan.title', { id: loan.id })}</h1>
        <LoanStatusBadge status={loan.status} testId="loan-status" />
      </div>
      <LoanProgress loan={loan} />
      <ErrorNotice error={error} />
      <ActionOutcome action={action} />
      <MarginCallPanel loan={loan} />
      {party.borrower && owing && <RepaymentInstructions loan={loan} action={action} onDone={reload} canAct={party.canAct} />}
      <LoanFacts loan={loan} orgName={orgs.name} />
      <CollateralSection loan={loan} />
      {party.warehouse && party.canAct && pending.length > 0 && (
        <Card testId="loan-pledge-decisions" title={t('pledges.confirmations.title')}>
          {pending.map((p) => (
            <PledgeDecision key={p.receipt} loan={loan.id} receipt={p.receipt} action={action} onDone={reload} />
          ))}
        </Card>
      )}
      {(loan.disbursement || owing) && <RepaymentSection loan={loan} />}
      <LtvSection loan={loan} />
      {party.borrower && party.canAct && loan.status === 'ACTIVE' && <TopUpForm loan={loan} action={action} onDone={reload} />}
      {party.bank && <BankActions loan={loan} party={party} action={action} onDone={reload} buyers={buyers} />}
      <LoanHistory events={loan.history} orgName={(o) => orgs.name(o)} />
    </div>
  );
}
