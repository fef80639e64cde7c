import { useCallback, useState } from 'react';

/**
 * State for something that may fail and is done one at a time, such as
 * signing in with a key: which one is under way, and why the last one failed.
 */
export function useAttempt() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const attempt = useCallback(async (id: string, work: () => Promise<unknown>) => {
    setBusy(id);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }, []);

  return { busy, error, setError, attempt };
}
