import { useMemo } from 'react';
import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
import type { OrganisationsQuery as OrganisationsResult } from '../gql/graphql';
import { OrganisationsQuery } from './operations';

export type OrgSummary = OrganisationsResult['organisations'][number];

/** Every member organisation, and a name for an id; reloaded on demand, as after an admission or a suspension. */
export function useOrganisations() {
  const { data, error, reload } = useLoad(async (token) => (await execute(OrganisationsQuery, {}, token)).organisations, []);
  const orgs = useMemo(() => data ?? [], [data]);
  const byId = useMemo(() => new Map(orgs.map((o) => [o.id, o])), [orgs]);
  const name = (id: string | null | undefined) => (id ? (byId.get(id)?.name ?? id) : '');
  return { orgs, error, name, reload };
}
