import type { ReactNode } from 'react';

/** A card of a page: a section under its heading, with a hint line saying what it is for. */
export function Card({
  title,
  explain,
  testId,
  className,
  children,
}: {
  title: ReactNode;
  explain?: ReactNode;
  testId?: string;
  /** Classes beside `card`, such as `no-print`. */
  className?: string;
  children?: ReactNode;
}) {
  return (
    <section className={className ? `card ${className}` : 'card'} data-testid={testId}>
      <h2>{title}</h2>
      {explain && <p className="hint">{explain}</p>}
      {children}
    </section>
  );
}
