/** A quiet button that opens (or, pressed again, closes) a form for a row. */
export function FormOpener({ label, testId, onOpen }: { label: string; testId: string; onOpen: () => void }) {
  return (
    <button type="button" className="secondary" data-testid={testId} onClick={onOpen}>
      {label}
    </button>
  );
}
