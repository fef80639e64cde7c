import { graphql } from '../gql';

export const OrganisationQuery = graphql(`
  query Organisation($id: String!) {
    organisation(id: $id) {
      id
      name
      kind
      status
      admittedAt
      members {
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
    }
  }
`);
