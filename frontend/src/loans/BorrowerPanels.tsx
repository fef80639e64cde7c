import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { execute } from '../api/graphql';
import { Card } from '../app/Card';
import { Fact } from '../app/Fact';
import type { SignedAction } from '../api/useSignedAction';
import { useAuth } from '../auth/AuthContext';
import { Quantity, isActionable } from '../receipts/display';
import { ReceiptsQuery } from '../receipts/operations';
import { Money } from './display';
import { ReceiptChecklist, SignedForm } from './forms';
import type { LoanDetail } from './ProposeTermsForm';
import { percent } from './rules';
import { Field } from '../receipts/Field';
import { instructRepayment, topUpCollateral } from './transactions';
import { validPositiveAmount } from './rules';
import { MAX_PAGE } from '../api/limits';
import { useLoad } from '../api/useLoad';

/** An open margin call: the LTV that raised it, the deadline, and what repayment would cure it. */
export function MarginCallPanel({ loan }: { loan: LoanDetail }) {
  const { t } = useTranslation();
  const call = loan.openMarginCall;
  if (!call) return null;
  return (
    <Card testId="margin-call" className="card-alert" title={t('loan.marginCall.title')}>
      <p>{t('loan.marginCall.detail', { ltv: percent(call.ltv), raised: call.raisedOn, deadline: call.deadline })}</p>
      {loan.cureAmount && (
        <p>
          {t('loan.marginCall.cure')}{' '}
          <strong>
            <Money m={loan.cureAmount} testId="cure-amount" />
          </strong>
        </p>
      )}
      <p className="hint">{t('loan.marginCall.explain')}</p>
    </Card>
  );
}

/**
 * What to pay and what to quote; and, once paid, the borrower's signed word
 * that it sent a transfer, for the bank to look out for. Only the bank's
 * record of funds received moves money on the loan.
 */
export function RepaymentInstructions({ loan, action, onDone, canAct }: { loan: LoanDetail; action: SignedAction; onDone: () => unknown; canAct: boolean }) {
  const { t } = useTranslation();
  return (
    <Card testId="repayment-instructions" title={t('loan.instructions.title')}>
      <dl className="facts">
        <Fact label={t('loan.instructions.payTo')} testId="instructions-bank">
          {loan.bank.name}
        </Fact>
        <Fact label={t('loan.instructions.owedOn', { date: loan.owed.on })}>
          <strong>
            <Money m={loan.owed.total} testId="instructions-amount" />
          </strong>
        </Fact>
        <Fact label={t('loan.instructions.reference')}>
          <code data-testid="instructions-reference">{loan.id}</code>
        </Fact>
      </dl>
      <p className="hint">{t('loan.instructions.explain')}</p>
      {loan.instructions.length > 0 && (
        <>
          <h3>{t('loan.instructions.sentList')}</h3>
          <ul className="plain-list" data-testid="instructions-sent">
            {loan.instructions.map((i) => (
              <li key={i.at}>{t('loan.instructions.sentLine', { date: i.on, amount: `${i.amount.currency} ${i.amount.value}`, reference: i.reference })}</li>
            ))}
          </ul>
        </>
      )}
      {canAct && <SentForm loan={loan} action={action} onDone={onDone} />}
    </Card>
  );
}

/** The borrower says it has sent a transfer: `loan.instruct`. */
function SentForm({ loan, action, onDone }: { loan: LoanDetail; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext } = useAuth();
  const currency = loan.amount.currency;
  const [amount, setAmount] = useState(loan.owed.total.value);
  const [reference, setReference] = useState('');
  const ok = validPositiveAmount(amount, currency) && reference.trim() !== '';
  return (
    <SignedForm
      id="instruct"
      title={t('loan.instructions.sentTitle')}
      explain={t('loan.instructions.sentExplain')}
      ok={ok}
      action={action}
      submit={async () => instructRepayment(await txContext(), { loan: loan.id, amount: { currency, value: amount }, reference: reference.trim() })}
      onDone={() => (setReference(''), onDone())}
      submitLabel={t('loan.instructions.sentSubmit')}
    >
      <Field label={t('loan.instructions.sentAmount', { currency })} value={amount} onChange={setAmount} testId="instruct-amount" invalid={!validPositiveAmount(amount, currency)} hint={t('loans.rules.amount')} />
      <Field label={t('loan.instructions.sentReference')} value={reference} onChange={setReference} testId="instruct-reference" />
    </SignedForm>
  );
}

/** The borrower pledges more free receipts; their warehouse confirms before they count. */
export function TopUpForm({ loan, action, onDone }: { loan: LoanDetail; action: SignedAction; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { txContext, session } = useAuth();
  const org = session?.org ?? '';
  const held = useLoad(async (token) => (await execute(ReceiptsQuery, { holder: org, status: 'LIVE', first: MAX_PAGE }, token)).receipts.nodes, [org]);
  const [picked, setPicked] = useState<string[]>([]);
  const free = (held.data ?? []).filter((r) => isActionable(r) && !r.encumbrance);
  return (
    <SignedForm
      id="top-up"
      title={t('loan.topUp.title')}
      explain={t('loan.topUp.explain')}
      ok={picked.length > 0}
      action={action}
      submit={async () => topUpCollateral(await txContext(), { loan: loan.id, receipts: picked })}
      onDone={() => (setPicked([]), held.reload(), onDone())}
      submitLabel={t('loan.topUp.submit')}
    >
      <ReceiptChecklist
        ids={free.map((r) => ({
          id: r.id,
          label: (
            <>
              {r.number} · {r.goods.commodity} · <Quantity q={r.quantity} /> · {r.warehouse.name}
            </>
          ),
        }))}
        picked={picked}
        onChange={setPicked}
        testId="top-up-pick"
      />
    </SignedForm>
  );
}
