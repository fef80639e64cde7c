import { graphql } from '../gql';

// One shape for a loan in a list, a queue or a portfolio.
export const LoanFields = graphql(`
  fragment LoanFields on Loan {
    id
    borrower {
      id
      name
    }
    bank {
      id
      name
    }
    amount {
      currency
      value
    }
    tenorDays
    purpose
    status
    appliedAt
    collateral {
      receipt
      warehouse {
        id
        name
      }
      offeredAt
      confirmedAt
    }
    topUps {
      receipt
      warehouse {
        id
        name
      }
      offeredAt
      confirmedAt
    }
    terms {
      principal {
        currency
        value
      }
      maturity
      proposedBy
    }
    approvedBy
    registration {
      reference
      date
      at
    }
    disbursement {
      reference
      at
      on
    }
    ltv
    overdue
    openMarginCall {
      raisedAt
      raisedOn
      deadline
      ltv
    }
    cureAmount {
      currency
      value
    }
    owed {
      on
      total {
        currency
        value
      }
    }
    realisation {
      at
    }
    reason
    closedAt
  }
`);

export const ValuationFields = graphql(`
  fragment ValuationFields on Valuation {
    lines {
      receipt
      hsCode
      grade
      quantity {
        value
        unit
      }
      effective {
        value
        unit
      }
      price {
        currency
        value
      }
      haircut
      market {
        currency
        value
      }
      value {
        currency
        value
      }
    }
    market {
      currency
      value
    }
    value {
      currency
      value
    }
    maxLoan {
      currency
      value
    }
    maxLtv
    unpriced
  }
`);

export const LtvPointFields = graphql(`
  fragment LtvPointFields on LtvPoint {
    at
    time
    hsCode
    price {
      currency
      value
    }
    principal {
      currency
      value
    }
    value {
      currency
      value
    }
    ltv
  }
`);

export const LoansQuery = graphql(`
  query Loans($status: [LoanStatus!], $bank: String, $borrower: String, $first: Int) {
    loans(status: $status, bank: $bank, borrower: $borrower, first: $first) {
      nodes {
        ...LoanFields
      }
    }
  }
`);

export const LoanDetailQuery = graphql(`
  query LoanDetail($id: String!) {
    loan(id: $id) {
      ...LoanFields
      terms {
        principal {
          currency
          value
        }
        annualRate
        dayCount
        maturity
        graceDays
        penaltyRate
        haircuts {
          hsCode
          haircut
        }
        maxLtv
        marginCallLtv
        liquidationLtv
        cureDays
        proposedBy
        proposedAt
      }
      released {
        receipt
        at
      }
      balances {
        disbursed {
          currency
          value
        }
        principal {
          currency
          value
        }
        received {
          currency
          value
        }
      }
      payments {
        at
        on
        amount {
          currency
          value
        }
        reference
      }
      instructions {
        at
        on
        amount {
          currency
          value
        }
        reference
      }
      marginCalls {
        raisedAt
        raisedOn
        deadline
        ltv
        curedAt
      }
      default {
        grounds
        reason
        at
      }
      realisation {
        method
        to
        proceeds {
          currency
          value
        }
        receipts
        shortfall {
          currency
          value
        }
        at
      }
      valuation {
        ...ValuationFields
      }
      owed {
        on
        penalty {
          currency
          value
        }
        interest {
          currency
          value
        }
        principal {
          currency
          value
        }
        total {
          currency
          value
        }
      }
      schedule {
        date
        kind
        principal {
          currency
          value
        }
        interest {
          currency
          value
        }
        penalty {
          currency
          value
        }
        total {
          currency
          value
        }
        reference
      }
      history {
        index
        type
        time
        signer
        signerUser
        signerOrg
        proof {
          ...ProofFields
        }
      }
      ltvSeries {
        ...LtvPointFields
      }
    }
  }
`);

export const LoanLtvQuery = graphql(`
  query LoanLtv($id: String!) {
    loan(id: $id) {
      id
      terms {
        maxLtv
        marginCallLtv
        liquidationLtv
      }
      ltvSeries {
        ...LtvPointFields
      }
    }
  }
`);

export const IndicativeValuationQuery = graphql(`
  query IndicativeValuation($receipts: [String!]!, $currency: String!) {
    indicativeValuation(receipts: $receipts, currency: $currency) {
      ...ValuationFields
    }
  }
`);

export const PricesQuery = graphql(`
  query Prices {
    prices {
      hsCode
      grade
      unit
      price {
        currency
        value
      }
      by
      at
      time
    }
  }
`);

export const PortfolioQuery = graphql(`
  query Portfolio($bank: String) {
    portfolio(bank: $bank) {
      bank
      currency
      running
      principal {
        currency
        value
      }
      market {
        currency
        value
      }
      value {
        currency
        value
      }
      exposure {
        hsCode
        commodity
        loans
        principal {
          currency
          value
        }
        market {
          currency
          value
        }
        value {
          currency
          value
        }
      }
      inMarginCall {
        id
      }
      overdue {
        id
      }
      queue
    }
  }
`);
