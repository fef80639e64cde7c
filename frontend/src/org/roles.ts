import type { Role } from '../gql/graphql';

export const ROLES: readonly Role[] = ['ADMIN', 'OFFICER', 'APPROVER', 'VIEWER'];

/** docs/API.md: a user id is unique in the consortium. */
export const USER_ID = /^[a-z][a-z0-9._-]{1,63}$/;
