import { graphql } from '../gql';

export const EntryFields = graphql(`
  fragment EntryFields on Entry {
    index
    leafHash
    visible
    type
    time
    signer
    entry
  }
`);

export const CheckpointQuery = graphql(`
  query Checkpoint {
    checkpoint {
      origin
      size
      root
      note
      finalSize
    }
  }
`);

export const EntriesQuery = graphql(`
  query Entries($last: Int!, $before: String) {
    entries(last: $last, before: $before) {
      pageInfo {
        hasPreviousPage
        startCursor
      }
      edges {
        cursor
        node {
          ...EntryFields
        }
      }
    }
  }
`);

export const EntriesSubscription = graphql(`
  subscription EntriesLive {
    entries {
      ...EntryFields
    }
  }
`);

// An entry's inclusion proof, as the browser checks it, wherever one is fetched;
// and the same proof as the node writes it to a file, for checking offline.
export const ProofFields = graphql(`
  fragment ProofFields on Proof {
    index
    treeSize
    leafHash
    hashes
    checkpoint
    entry
    tlogProof
  }
`);

export const ProofQuery = graphql(`
  query Proof($index: Int!) {
    proof(index: $index) {
      ...ProofFields
    }
  }
`);

export const ConsistencyQuery = graphql(`
  query Consistency($old: Int!, $new: Int!) {
    consistency(old: $old, new: $new)
  }
`);
