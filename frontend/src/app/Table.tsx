import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A table's header row, one cell per column; an empty label leaves the column of a row's buttons unnamed. */
export function TableHead({ columns }: { columns: readonly ReactNode[] }) {
  return (
    <thead>
      <tr>
        {columns.map((label, i) => (
          // A table's columns are fixed, so a column's place is its identity.
          <th key={i}>{label}</th>
        ))}
      </tr>
    </thead>
  );
}

/**
 * A list as a table, one row per item: a muted line instead when the list is
 * empty, and, while it has not arrived yet (null), a loading line if it is
 * on its way.
 */
export function ListTable<T>({
  rows,
  row,
  none,
  columns,
  testId,
  noneTestId,
  loading = false,
}: {
  rows: readonly T[] | null;
  /** One `<tr>` (with its key) for an item. */
  row: (item: T, index: number) => ReactNode;
  none: ReactNode;
  /** The header row's labels; a table of self-explaining rows has none. */
  columns?: readonly ReactNode[];
  testId?: string;
  noneTestId?: string;
  loading?: boolean;
}) {
  const { t } = useTranslation();
  if (rows === null) return loading ? <p>{t('common.loading')}</p> : null;
  if (rows.length === 0) {
    return (
      <p className="muted" data-testid={noneTestId}>
        {none}
      </p>
    );
  }
  return (
    <table data-testid={testId}>
      {columns && <TableHead columns={columns} />}
      <tbody>{rows.map(row)}</tbody>
    </table>
  );
}
