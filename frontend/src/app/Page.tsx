import type { ReactNode } from 'react';

/** A page under its title, with the lead line that says what it is for. */
export function Page({
  title,
  lead,
  className,
  testId,
  children,
}: {
  title: ReactNode;
  lead?: ReactNode;
  /** The page's own class beside `page`, which its styles hang on. */
  className?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <div className={className ? `page ${className}` : 'page'} data-testid={testId}>
      <h1>{title}</h1>
      {lead && <p className="lead">{lead}</p>}
      {children}
    </div>
  );
}
