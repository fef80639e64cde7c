import { InlineField, InlineForm, SubmitButton } from './forms';

/**
 * A danger button that opens, in its place, a one-line form asking why; the
 * form signs only once a reason is typed. The caller holds whether it is open
 * and the reason, so that one prompt of a list is open at a time.
 */
export function ReasonPrompt({
  open,
  onOpen,
  reason,
  onReason,
  onSubmit,
  busy,
  label,
  reasonLabel,
  testIds,
}: {
  open: boolean;
  onOpen: () => void;
  reason: string;
  onReason: (reason: string) => void;
  /** Signs, with the reason trimmed. */
  onSubmit: (reason: string) => void;
  busy: boolean;
  label: string;
  reasonLabel: string;
  testIds: { open: string; reason: string; submit: string };
}) {
  if (!open) {
    return (
      <button type="button" className="danger" data-testid={testIds.open} disabled={busy} onClick={onOpen}>
        {label}
      </button>
    );
  }
  return (
    <InlineForm ok={reason.trim() !== ''} onSubmit={() => onSubmit(reason.trim())}>
      <InlineField label={reasonLabel} value={reason} onChange={onReason} testId={testIds.reason} />
      <SubmitButton label={label} testId={testIds.submit} disabled={busy || reason.trim() === ''} className="danger" />
    </InlineForm>
  );
}
