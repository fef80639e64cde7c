import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Receipt, TxContext } from '../api/transactions';
import type { SignedAction } from '../api/useSignedAction';
import { useAuth } from '../auth/AuthContext';
import type { EnforcementMethod, LoanReasonInput } from '../gql/graphql';
import { Field, Select } from '../receipts/Field';
import { todayInChina, validDate } from '../receipts/rules';
import type { OrgSummary } from '../receipts/useOrganisations';
import { Money } from './display';
import { ReasonForm, ReceiptChecklist, SignedForm } from './forms';
import type { LoanDetail } from './ProposeTermsForm';
import { validPositiveAmount } from './rules';
import {
  approveLoan,
  declareDefault,
  disburseLoan,
  enforceLoan,
  recordRepayment,
  registerPledge,
  rejectLoan,
  releaseCollateral,
  writeOffLoan,
} from './transactions';

interface Props {
  loan: LoanDetail;
  action: SignedAction;
  onDone: () => unknown;
}

/** A decision on the loan that needs only a reason: reject, default, write off. */
function LoanReasonForm({
  loan,
  action,
  onDone,
  sign,
  ...form
}: Props & { id: string; title: string; explain: string; submitLabel: string; sign: (ctx: TxContext, input: LoanReasonInput) => Promise<Receipt> }) {
  const { txContext } = useAuth();
  return <ReasonForm {...form} action={action} submit={async (reason) => sign(await txContext(), { loan: loan.id, reason })} onDone={onDone} />;
}

/** The checker approves the maker's terms; the node refuses the maker with SAME_USER. */
export function ApproveForm({ loan, action, onDone }: Props) {
  const { t } = useTranslation();
  const { txContext, session } = useAuth();
  const own = loan.terms?.proposedBy === session?.user;
  return (
    <SignedForm
      id="approve"
      title={t('loan.decide.title')}
      explain={t('loan.decide.explain', { maker: loan.terms?.proposedBy ?? '' })}
      ok
      action={action}
      submit={async () => approveLoan(await txContext(), { loan: loan.id })}
      onDone={onDone}
      submitLabel={t('loan.decide.approve')}
    >
      {own && (
        <p className="notice notice-warning" data-testid="approve-own">
          {t('loan.decide.own')}
        </p>
      )}
    </SignedForm>
  );
}

export function RejectForm(props: Props) {
  const { t } = useTranslation();
  return <LoanReasonForm {...props} id="reject" title={t('loan.decide.rejectTitle')} explain={t('loan.decide.rejectExplain')} submitLabel={t('loan.decide.reject')} sign={rejectLoan} />;
}

/** The pledge's registration with the national movable-property registry, before any money moves. */
export function RegisterForm({ loan, action, onDone }: Props) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [reference, setReference] = useState('');
  const [date, setDate] = useState(todayInChina());
  const ok = reference.trim() !== '' && validDate(date) && date <= todayInChina();
  return (
    <SignedForm
      id="register"
      title={t('loan.register.title')}
      explain={t('loan.register.explain')}
      ok={ok}
      action={action}
      submit={async () => registerPledge(await txContext(), { loan: loan.id, reference: reference.trim(), date })}
      onDone={onDone}
      submitLabel={t('loan.register.submit')}
    >
      <Field label={t('loan.register.reference')} value={reference} onChange={setReference} testId="register-reference" />
      <Field label={t('loan.register.date')} value={date} onChange={setDate} testId="register-date" type="date" invalid={!validDate(date) || date > todayInChina()} hint={t('loan.register.dateRule')} />
    </SignedForm>
  );
}

export function DisburseForm({ loan, action, onDone }: Props) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [reference, setReference] = useState('');
  const registered = loan.registration !== null;
  return (
    <SignedForm
      id="disburse"
      title={t('loan.disburse.title')}
      explain={t('loan.disburse.explain')}
      ok={registered && reference.trim() !== ''}
      action={action}
      submit={async () => disburseLoan(await txContext(), { loan: loan.id, reference: reference.trim() })}
      onDone={onDone}
      submitLabel={t('loan.disburse.submit')}
    >
      {loan.terms && (
        <p>
          {t('loan.disburse.principal')} <Money m={loan.terms.principal} />
        </p>
      )}
      {!registered && (
        <p className="hint bad" data-testid="disburse-unregistered">
          {t('loan.disburse.registerFirst')}
        </p>
      )}
      <Field label={t('loan.disburse.reference')} value={reference} onChange={setReference} testId="disburse-reference" />
    </SignedForm>
  );
}

/** Funds received from the borrower, applied to penalty, then interest, then principal. */
export function RepaymentForm({ loan, action, onDone }: Props) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const currency = loan.amount.currency;
  // The borrower's word on what it sent, if any, is where the bank starts.
  const sent = loan.instructions.at(-1);
  const [amount, setAmount] = useState(sent?.amount.value ?? loan.owed.total.value);
  const [reference, setReference] = useState(sent?.reference ?? '');
  const ok = validPositiveAmount(amount, currency) && reference.trim() !== '';
  return (
    <SignedForm
      id="repay"
      title={t('loan.repay.title')}
      explain={t('loan.repay.explain')}
      ok={ok}
      action={action}
      submit={async () => recordRepayment(await txContext(), { loan: loan.id, amount: { currency, value: amount }, reference: reference.trim() })}
      onDone={onDone}
      submitLabel={t('loan.repay.submit')}
    >
      {sent && (
        <p className="hint" data-testid="repay-instructed">
          {t('loan.repay.instructed', { amount: `${sent.amount.currency} ${sent.amount.value}`, reference: sent.reference, date: sent.on })}
        </p>
      )}
      <Field label={t('loan.repay.amount', { currency })} value={amount} onChange={setAmount} testId="repay-amount" invalid={!validPositiveAmount(amount, currency)} hint={t('loans.rules.amount')} />
      <Field label={t('loan.repay.reference')} value={reference} onChange={setReference} testId="repay-reference" />
    </SignedForm>
  );
}

/** The pledgee lifts pledges: all once repaid, some while the rest keeps the loan within its maximum LTV. */
export function ReleaseForm({ loan, action, onDone }: Props) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const [picked, setPicked] = useState<string[]>([]);
  return (
    <SignedForm
      id="release"
      title={t('loan.release.title')}
      explain={t(loan.status === 'REPAID' ? 'loan.release.explainRepaid' : 'loan.release.explainActive')}
      ok={picked.length > 0}
      action={action}
      submit={async () => releaseCollateral(await txContext(), { loan: loan.id, receipts: picked })}
      onDone={() => (setPicked([]), onDone())}
      submitLabel={t('loan.release.submit')}
    >
      <ReceiptChecklist ids={loan.collateral.map((p) => ({ id: p.receipt, label: <code>{p.receipt}</code> }))} picked={picked} onChange={setPicked} testId="release-pick" />
    </SignedForm>
  );
}

export function DefaultForm(props: Props) {
  const { t } = useTranslation();
  return <LoanReasonForm {...props} id="default" title={t('loan.default.title')} explain={t('loan.default.explain')} submitLabel={t('loan.default.submit')} sign={declareDefault} />;
}

/** Realises a defaulted loan's collateral: the bank takes the receipts, or the goods are sold to a buyer. */
export function EnforceForm({ loan, action, onDone, buyers }: Props & { buyers: readonly OrgSummary[] }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const currency = loan.amount.currency;
  const [method, setMethod] = useState<EnforcementMethod>('TAKE');
  const [amount, setAmount] = useState('');
  const [buyer, setBuyer] = useState('');
  const chosenBuyer = buyer || buyers[0]?.id || '';
  const ok = validPositiveAmount(amount, currency) && (method === 'TAKE' || chosenBuyer !== '');
  return (
    <SignedForm
      id="enforce"
      title={t('loan.enforce.title')}
      explain={t('loan.enforce.explain')}
      ok={ok}
      action={action}
      submit={async () =>
        enforceLoan(
          await txContext(),
          method === 'SALE'
            ? { loan: loan.id, method, amount: { currency, value: amount }, buyer: chosenBuyer }
            : { loan: loan.id, method, amount: { currency, value: amount } },
        )
      }
      onDone={onDone}
      submitLabel={t('loan.enforce.submit')}
      danger
    >
      <Select<EnforcementMethod>
        label={t('loan.enforce.method')}
        value={method}
        onChange={setMethod}
        testId="enforce-method"
        options={[
          { value: 'TAKE', label: t('loan.enforce.take') },
          { value: 'SALE', label: t('loan.enforce.sale') },
        ]}
      />
      <Field
        label={method === 'TAKE' ? t('loan.enforce.value', { currency }) : t('loan.enforce.proceeds', { currency })}
        value={amount}
        onChange={setAmount}
        testId="enforce-amount"
        invalid={!validPositiveAmount(amount, currency)}
        hint={t('loans.rules.amount')}
      />
      {method === 'SALE' && (
        <Select label={t('loan.enforce.buyer')} value={chosenBuyer} onChange={setBuyer} testId="enforce-buyer" options={buyers.map((o) => ({ value: o.id, label: o.name }))} />
      )}
    </SignedForm>
  );
}

export function WriteOffForm(props: Props) {
  const { t } = useTranslation();
  return <LoanReasonForm {...props} id="write-off" title={t('loan.writeOff.title')} explain={t('loan.writeOff.explain')} submitLabel={t('loan.writeOff.submit')} sign={writeOffLoan} />;
}
