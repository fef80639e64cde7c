import { execute } from '../api/graphql';
import { useLoad } from '../api/useLoad';
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
  // Signed out there is no token, and useLoad loads nothing.
  const org = session?.org ?? '';
  const { data, error, loading, reload } = useLoad(async (token) => (await execute(OrganisationQuery, { id: org }, token)).organisation, [org]);
  return { organisation: data, error, loading, reload };
}
