import { useEffect, useState } from 'react';
import { execute } from '../api/graphql';
import { useAuth } from '../auth/AuthContext';
import type { ValuationFieldsFragment } from '../gql/graphql';
import { IndicativeValuationQuery } from './operations';

/**
 * What the receipts picked would support, asked again whenever the pick or
 * the currency changes; an answer to an older pick is dropped.
 */
export function useIndicativeValuation(receipts: readonly string[], currency: string) {
  const { session } = useAuth();
  const token = session?.token;
  const key = [...receipts].sort().join(',');
  const [valuation, setValuation] = useState<ValuationFieldsFragment | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setError(null);
    if (!token || key === '') {
      setValuation(null);
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    execute(IndicativeValuationQuery, { receipts: key.split(','), currency }, token)
      .then((r) => live && setValuation(r.indicativeValuation))
      .catch((e: unknown) => {
        if (!live) return;
        setValuation(null);
        setError(e);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key, currency, token]);

  return { valuation, error, loading };
}
