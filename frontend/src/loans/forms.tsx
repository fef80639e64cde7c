import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Receipt } from '../api/transactions';
import type { SignedAction } from '../api/useSignedAction';
import { FormCard, SubmitButton } from '../app/forms';

/** A form that signs one transaction when submitted, if what was typed holds. */
export function SignedForm({
  id,
  title,
  explain,
  ok,
  action,
  submit,
  onDone,
  submitLabel,
  danger = false,
  children,
}: {
  id: string;
  title: string;
  explain?: string;
  ok: boolean;
  action: SignedAction;
  submit: () => Promise<Receipt>;
  onDone: () => unknown;
  submitLabel: string;
  danger?: boolean;
  children?: ReactNode;
}) {
  return (
    <FormCard testId={`${id}-form`} title={title} explain={explain} ok={ok} onSubmit={() => void action.run(id, submit, onDone)}>
      {children}
      <p>
        <SubmitButton
          label={submitLabel}
          testId={`${id}-submit`}
          disabled={!ok || action.busy !== null}
          signing={action.busy === id}
          className={danger ? 'danger' : undefined}
        />
      </p>
    </FormCard>
  );
}

/** A transaction that needs only a reason: decline, reject, default, write off. */
export function ReasonForm({
  id,
  title,
  explain,
  submitLabel,
  action,
  submit,
  onDone,
}: {
  id: string;
  title: string;
  explain?: string;
  submitLabel: string;
  action: SignedAction;
  submit: (reason: string) => Promise<Receipt>;
  onDone: () => unknown;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  return (
    <SignedForm
      id={id}
      title={title}
      explain={explain}
      ok={trimmed !== ''}
      action={action}
      submit={() => submit(trimmed)}
      onDone={() => (setReason(''), onDone())}
      submitLabel={submitLabel}
      danger
    >
      <label>
        {t('loans.reason')}
        <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`${id}-reason`} required />
      </label>
    </SignedForm>
  );
}

/** Ticks receipts of a loan, for a release or a top-up. */
export function ReceiptChecklist({
  ids,
  picked,
  onChange,
  testId,
}: {
  ids: readonly { id: string; label: ReactNode }[];
  picked: readonly string[];
  onChange: (next: string[]) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  if (ids.length === 0) return <p className="muted">{t('loans.noReceipts')}</p>;
  return (
    <ul className="plain-list checklist" data-testid={testId}>
      {ids.map(({ id, label }) => (
        <li key={id}>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={picked.includes(id)}
              onChange={(e) => onChange(e.target.checked ? [...picked, id] : picked.filter((x) => x !== id))}
              data-testid={`${testId}-${id}`}
            />{' '}
            {label}
          </label>
        </li>
      ))}
    </ul>
  );
}
