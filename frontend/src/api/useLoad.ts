import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';
import { useAuth } from '../auth/AuthContext';

/**
 * Loads something with the session's token, reloaded on demand after a
 * change. The token is read through a ref: a refresh is no reason to reload.
 */
export function useLoad<T>(load: (token: string) => Promise<T>, deps: DependencyList) {
  const { session } = useAuth();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const tokenRef = useRef(session?.token);
  tokenRef.current = session?.token;
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const token = tokenRef.current;
    if (!token) return;
    setLoading(true);
    try {
      setData(await loadRef.current(token));
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, deps);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload };
}
