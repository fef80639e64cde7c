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
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const why = reason.trim();
        if (why === '') return;
        onSubmit(why);
      }}
    >
      <input value={reason} onChange={(e) => onReason(e.target.value)} placeholder={reasonLabel} aria-label={reasonLabel} data-testid={testIds.reason} />
      <button type="submit" className="danger" disabled={busy || reason.trim() === ''} data-testid={testIds.submit}>
        {label}
      </button>
    </form>
  );
}
