import { useCallback, useEffect, useRef, useState } from 'react';
import { execute, subscribe, subscriptionClient } from '../api/graphql';
import { useAuth } from '../auth/AuthContext';
import { type LedgerEntry, mergeEntries } from './feed';
import { EntriesQuery, EntriesSubscription } from './operations';

const PAGE = 25;

/** Relay pages backwards from the newest entry, and the `entries` subscription on top. */
export function useEntries(onLive?: (entry: LedgerEntry) => void) {
  const { session } = useAuth();
  const [entries, setEntries] = useState<LedgerEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [liveError, setLiveError] = useState<unknown>(null);
  const tokenRef = useRef(session?.token ?? null);
  tokenRef.current = session?.token ?? null;
  const onLiveRef = useRef(onLive);
  onLiveRef.current = onLive;
  const user = session?.user;

  const loadPage = useCallback(async (before: string | null) => {
    setLoading(true);
    try {
      const r = await execute(EntriesQuery, { last: PAGE, before }, tokenRef.current);
      const page = r.entries.edges.map((edge) => edge.node);
      setEntries((prev) => mergeEntries(before === null ? [] : prev, page));
      setCursor(r.entries.pageInfo.startCursor ?? null);
      setHasOlder(r.entries.pageInfo.hasPreviousPage);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!user) return;
    void loadPage(null);
    const client = subscriptionClient(() => tokenRef.current);
    const stop = subscribe(
      client,
      EntriesSubscription,
      {},
      (data) => {
        setLiveError(null);
        setEntries((prev) => mergeEntries(prev, [data.entries]));
        onLiveRef.current?.(data.entries);
      },
      setLiveError,
    );
    return () => {
      stop();
      void client.dispose();
    };
  }, [user, loadPage]);

  return {
    entries,
    hasOlder,
    loading,
    error,
    liveError,
    loadOlder: () => (cursor ? loadPage(cursor) : Promise.resolve()),
    reload: () => loadPage(null),
  };
}
