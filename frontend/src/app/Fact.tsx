import type { ReactNode } from 'react';

/** One term and its value in a `<dl className="facts">`. */
export function Fact({ label, children, testId, className }: { label: ReactNode; children: ReactNode; testId?: string; className?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId} className={className}>
        {children}
      </dd>
    </>
  );
}
