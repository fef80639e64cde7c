import type { ReactNode } from 'react';

/** A labelled input with its rule shown once the value breaks it. */
export function Field({
  label,
  value,
  onChange,
  testId,
  invalid = false,
  hint,
  type = 'text',
  placeholder,
  required = true,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  invalid?: boolean;
  hint?: ReactNode;
  type?: 'text' | 'date' | 'number';
  placeholder?: string;
  required?: boolean;
}) {
  const broken = invalid && value !== '';
  return (
    <label>
      {label}
      <input
        type={type}
        value={value}
        required={required}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        data-testid={testId}
        aria-invalid={broken}
      />
      {broken && hint && <span className="hint bad">{hint}</span>}
    </label>
  );
}

export function Select<T extends string>({
  label,
  value,
  onChange,
  testId,
  options,
}: {
  label: string;
  value: T;
  onChange: (value: T) => void;
  testId: string;
  options: readonly { value: T; label: string }[];
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A whole number of pieces, or null. */
export function parsePieces(value: string): number | null {
  if (!/^(?:0|[1-9][0-9]{0,8})$/.test(value)) return null;
  return Number(value);
}
