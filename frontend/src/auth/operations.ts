import { graphql } from '../gql';

export const LedgerInfoQuery = graphql(`
  query LedgerInfo {
    ledger {
      origin
      logVkey
      logVkeys
      logVkeyNext
      witnessVkeys
      size
      demo
    }
  }
`);

export const MeQuery = graphql(`
  query Me {
    me {
      key
      scope
      user {
        ...MemberFields
      }
      organisation {
        id
        name
        kind
        status
      }
    }
  }
`);
