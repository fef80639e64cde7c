import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Submits in the page, not by navigating, and only when what was typed holds. */
function submitWhen(ok: boolean, onSubmit: () => void) {
  return (e: FormEvent) => {
    e.preventDefault();
    if (ok) onSubmit();
  };
}

/** A form as a card under its heading; it submits only when what was typed holds. */
export function FormCard({
  testId,
  title,
  explain,
  ok,
  onSubmit,
  children,
}: {
  testId: string;
  title: ReactNode;
  explain?: ReactNode;
  ok: boolean;
  onSubmit: () => void;
  children?: ReactNode;
}) {
  return (
    <form className="card form" data-testid={testId} onSubmit={submitWhen(ok, onSubmit)}>
      <h2>{title}</h2>
      {explain && <p className="hint">{explain}</p>}
      {children}
    </form>
  );
}

/** A one-line form inside a row or a card; it submits only when what was typed holds. */
export function InlineForm({ testId, ok, onSubmit, children }: { testId?: string; ok: boolean; onSubmit: () => void; children?: ReactNode }) {
  return (
    <form className="inline-form" data-testid={testId} onSubmit={submitWhen(ok, onSubmit)}>
      {children}
    </form>
  );
}

/** An input of a one-line form, which has no room for a label: its label is its placeholder. */
export function InlineField({
  label,
  value,
  onChange,
  testId,
  invalid,
  required,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  /** Marks the input as invalid for assistive technology; left unsaid when not given. */
  invalid?: boolean;
  required?: boolean;
}) {
  return (
    <input
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={label}
      aria-label={label}
      aria-invalid={invalid}
      required={required}
      data-testid={testId}
    />
  );
}

/** A form's submit button; it says "signing" while its change is being signed, if told. */
export function SubmitButton({
  label,
  testId,
  disabled,
  signing = false,
  className,
}: {
  label: string;
  testId: string;
  disabled: boolean;
  signing?: boolean;
  className?: string;
}) {
  const { t } = useTranslation();
  return (
    <button type="submit" className={className} disabled={disabled} data-testid={testId}>
      {signing ? t('common.signing') : label}
    </button>
  );
}

/** Closes a form without signing anything. */
export function CancelButton({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="secondary" onClick={onCancel}>
      {t('common.cancel')}
    </button>
  );
}
