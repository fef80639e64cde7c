import { graphql } from '../gql';

// One shape for a proposal wherever it is shown: what it would do, who opened
// it, how the count stands, and every vote with the entry that carries it.
export const ProposalFields = graphql(`
  fragment ProposalFields on Proposal {
    id
    action
    org
    policy
    logVkey
    admission {
      id
      name
      kind
      adminUser
      adminName
      adminKey
    }
    reason
    documents
    openedBy
    openedByUser
    openedAt
    opened
    closes
    standing
    needed
    approvals
    rejections
    votes {
      org
      user
      approve
      entry
    }
    decidedAt
  }
`);

export const ProposalsQuery = graphql(`
  query Proposals {
    proposals {
      ...ProposalFields
    }
  }
`);
