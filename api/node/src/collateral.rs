//! Loading what a loan's figures are computed over: the [`Market`] of
//! receipts, lots and latest prices the loans need, and the price history
//! an LTV series replays. The figures themselves are pure, in
//! `godown_domain::financing::figures`.

use std::collections::BTreeSet;

use godown_domain::RecordId;
use godown_domain::financing::Loan;
use godown_domain::financing::figures::{LtvPoint, Market, series};
use sea_orm::ConnectionTrait;

use crate::store::{StoreError, loans, receipts};

/// Loads what `loans` need, plus the receipts named in `extra`.
pub async fn load_market<C: ConnectionTrait>(
    conn: &C,
    loans: &[&Loan],
    extra: &[RecordId],
) -> Result<Market, StoreError> {
    let ids: BTreeSet<&RecordId> = loans
        .iter()
        .flat_map(|l| l.receipts())
        .chain(extra)
        .collect();
    let mut market = Market::default();
    market.receipts.receipts = receipts::receipts_by_id(conn, ids).await?;
    market.receipts.lots =
        receipts::lots_by_id(conn, market.receipts.receipts.values().map(|r| &r.lot)).await?;
    for (key, price) in loans::latest_prices(conn).await? {
        market.financing.prices.insert(key, price);
    }
    Ok(market)
}

/// The loan's LTV at every price published for its collateral's
/// commodities since it was disbursed, against the principal then
/// outstanding and the receipts pledged then.
pub async fn ltv_series<C: ConnectionTrait>(
    conn: &C,
    loan: &Loan,
) -> Result<Vec<LtvPoint>, StoreError> {
    if loan.disbursement.is_none() {
        return Ok(vec![]);
    }
    let released: Vec<RecordId> = loan.released.iter().map(|(r, _)| r.clone()).collect();
    let market = load_market(conn, &[loan], &released).await?;
    let codes: BTreeSet<&godown_domain::HsCode> = market
        .receipts
        .receipts
        .values()
        .filter_map(|r| market.receipts.lots.get(&r.lot))
        .map(|lot| &lot.hs_code)
        .collect();
    let mut prices = Vec::new();
    for code in codes {
        prices.extend(loans::price_history(conn, code.as_str(), None, 500).await?);
    }
    prices.sort_by_key(|(_, p)| p.at);
    Ok(series(loan, &market, prices))
}
