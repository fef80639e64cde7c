import { graphql } from '../gql';

export const LotFields = graphql(`
  fragment LotFields on Lot {
    id
    depositor {
      id
      name
    }
    commodity
    hsCode
    grade
    unit
    onHand {
      value
      unit
    }
    receipted {
      value
      unit
    }
    free {
      value
      unit
    }
    packaging
    pieces
    receiptedPieces
    marks
    location
    documents
    receivedAt
    certifications {
      inspector
      grade
      quantity {
        value
        unit
      }
      certificate
      at
    }
    lastCount {
      value
      unit
    }
    lastCountAt
    shortfall {
      counted {
        value
        unit
      }
      book {
        value
        unit
      }
      at
    }
  }
`);

// One shape for a receipt in a list or a queue.
export const ReceiptFields = graphql(`
  fragment ReceiptFields on Receipt {
    id
    number
    lot
    warehouse {
      id
      name
    }
    depositor {
      id
      name
    }
    holder {
      id
      name
    }
    quantity {
      value
      unit
    }
    pieces
    status
    provenance
    goods {
      commodity
      hsCode
      grade
      packaging
      marks
      location
    }
    terms {
      lossAllowance
      storageFrom
      storageUntil
      storageFee {
        currency
        value
      }
      feeBasis
      insurance {
        insurer
        amount {
          currency
          value
        }
        from
        until
      }
      issuePlace
    }
    draftedBy
    draftedAt
    issuedBy
    issuedAt
    issuedTime
    pendingTransfer {
      to
      at
    }
    pendingRedemption {
      quantity {
        value
        unit
      }
      pieces
      at
    }
    encumbrance {
      holder
      reference
      kind
      since
    }
    flagged
    redeemed {
      value
      unit
    }
    closedAt
  }
`);

export const LotsQuery = graphql(`
  query Lots($warehouse: String, $first: Int) {
    lots(warehouse: $warehouse, first: $first) {
      nodes {
        ...LotFields
      }
    }
  }
`);

export const ReceiptsQuery = graphql(`
  query Receipts($warehouse: String, $holder: String, $status: ReceiptStatus, $first: Int) {
    receipts(warehouse: $warehouse, holder: $holder, status: $status, first: $first) {
      nodes {
        ...ReceiptFields
      }
    }
  }
`);

export const ReceiptDetailQuery = graphql(`
  query ReceiptDetail($id: String!) {
    receipt(id: $id) {
      ...ReceiptFields
      parents
      children
      endorsements {
        from
        to
        endorsedAt
        countersignedAt
      }
      history {
        index
        type
        time
        signer
        signerUser
        signerOrg
        receipt
        proof {
          ...ProofFields
        }
      }
    }
  }
`);

export const ReceiptCheckQuery = graphql(`
  query ReceiptCheck($id: String!) {
    receiptCheck(id: $id) {
      id
      number
      warehouse
      warehouseName
      commodity
      quantity {
        value
        unit
      }
      status
      encumbered
      flagged
      storageUntil
      provenance {
        index
        type
        entry
        leafHash
        hashes
        treeSize
        signerOrg
        signerOrgName
      }
      checkpoint
      logVkey
    }
  }
`);

export const OrganisationsQuery = graphql(`
  query Organisations {
    organisations {
      id
      name
      kind
      status
    }
  }
`);
