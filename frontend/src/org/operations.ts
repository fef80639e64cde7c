import { graphql } from '../gql';

// One shape for a member wherever one is shown: the signed-in user's own page
// and an organisation's member list render the same fields.
export const MemberFields = graphql(`
  fragment MemberFields on User {
    id
    name
    organisation
    status
    roles
    keys {
      key
      user
      status
      device
      enrolledAt
      activatedAt
      revokedAt
    }
  }
`);

export const OrganisationQuery = graphql(`
  query Organisation($id: String!) {
    organisation(id: $id) {
      id
      name
      kind
      status
      admittedAt
      members {
        ...MemberFields
      }
    }
  }
`);
