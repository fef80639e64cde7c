import { useCallback, useState } from 'react';
import type { Receipt } from './transactions';

/**
 * State for one signed change: busy while signing and sending, then the
 * receipt (where it landed on the ledger) or the error.
 */
export function useSignedAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  const run = useCallback(async (id: string, action: () => Promise<Receipt>, after?: () => unknown): Promise<boolean> => {
    setBusy(id);
    setError(null);
    setReceipt(null);
    try {
      setReceipt(await action());
      await after?.();
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(null);
    }
  }, []);

  return { busy, error, receipt, run, clear: () => (setError(null), setReceipt(null)) };
}

/** One signed change's state and its `run`, as pages hand it to their forms and buttons. */
export type SignedAction = ReturnType<typeof useSignedAction>;
