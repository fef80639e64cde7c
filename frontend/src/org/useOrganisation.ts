import { useCallback, useEffect, useRef, useState } from 'react';
import { execute } from '../api/graphql';
import { useAuth } from '../auth/AuthContext';
import type { OrganisationQuery as OrganisationResult } from '../gql/graphql';
import { OrganisationQuery } from './operations';

export type Organisation = NonNullable<OrganisationResult['organisation']>;
// Members are null only for outsiders; this hook loads the user's own organisation.
export type Member = NonNullable<Organisation['members']>[number];
export type MemberKey = Member['keys'][number];

/** The signed-in user's organisation, reloaded on demand after a change. */
export function useOrganisation() {
  const { session } = useAuth();
  const [organisation, setOrganisation] = useState<Organisation | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // Read the token through a ref: it changes on every refresh, which is no reason to reload.
  const tokenRef = useRef(session?.token);
  tokenRef.current = session?.token;
  const org = session?.org;

  const reload = useCallback(async () => {
    const token = tokenRef.current;
    if (!token || !org) return;
    setLoading(true);
    try {
      const r = await execute(OrganisationQuery, { id: org }, token);
      setOrganisation(r.organisation);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [org]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { organisation, error, loading, reload };
}
