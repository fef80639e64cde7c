//! The financing contract's queries: loans, an indicative valuation,
//! prices and their history, and a bank's portfolio.

use super::types::{Loan, LoanStatus, Portfolio, Price, Valuation, loan_objects};
use async_graphql::connection::Connection;
use async_graphql::{Context, Object};
use godown_domain::financing::{self as domain, INDICATIVE_HAIRCUT, INDICATIVE_MAX_LTV};
use godown_domain::{Currency, Date, HsCode, RecordId};
use rust_decimal::Decimal;

use crate::error::ApiError;
use crate::graphql::shared::{directory, p, paged, rid};
use crate::graphql::{node, viewer};
use godown_domain::financing::figures::books;
use godown_node::collateral::load_market;
use godown_node::store::loans::{self as store, LoanFilter};
use godown_node::visibility::{may_see_loan, portfolio_of, require_full, sees_everything};

/// The financing contract's queries.
#[derive(Default)]
pub struct FinancingQuery;

#[Object]
impl FinancingQuery {
    /// Loans the viewer may see, newest first, filtered by status, bank
    /// and borrower.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per filter, and the Relay four"
    )]
    async fn loans(
        &self,
        ctx: &Context<'_>,
        status: Option<Vec<LoanStatus>>,
        bank: Option<String>,
        borrower: Option<String>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Connection<u64, Loan>> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let filter = LoanFilter {
            statuses: status
                .unwrap_or_default()
                .into_iter()
                .map(LoanStatus::domain)
                .collect(),
            bank,
            borrower,
            visible_to: (!sees_everything(viewer)).then(|| viewer.org.to_string()),
        };
        let db = node(ctx).db().conn();
        let total = store::count_loans(db, &filter)
            .await
            .map_err(ApiError::from)?;
        paged(total, after, before, first, last, |start, end| async move {
            let loans = store::loans_page(db, &filter, start, end - start)
                .await
                .map_err(ApiError::from)?;
            Ok(loan_objects(ctx, &loans).await?)
        })
        .await
    }

    /// One loan, if the viewer may see it.
    async fn loan(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<Option<Loan>> {
        let viewer = viewer(ctx)?;
        let db = node(ctx).db().conn();
        let Some(l) = store::loan(db, &id).await.map_err(ApiError::from)? else {
            return Ok(None);
        };
        if !may_see_loan(viewer, &l) {
            return Err(ApiError::forbidden(format!(
                "loan {id} is visible to its borrower, its bank, the warehouses holding its collateral and the regulator"
            ))
            .into());
        }
        Ok(loan_objects(ctx, &[l]).await?.pop())
    }

    /// What receipts would support before a bank proposes terms: their
    /// value at the latest prices with the indicative haircut, and the
    /// indicative maximum loan (indicative maximum LTV × value).
    async fn indicative_valuation(
        &self,
        ctx: &Context<'_>,
        receipts: Vec<String>,
        currency: String,
    ) -> async_graphql::Result<Valuation> {
        let viewer = viewer(ctx)?;
        require_full(viewer)?;
        let c = p(Currency::parse(&currency))?;
        let ids: Vec<RecordId> = receipts.iter().map(|r| rid(r)).collect::<Result<_, _>>()?;
        let db = node(ctx).db().conn();
        let market = load_market(db, &[], &ids).await.map_err(ApiError::from)?;
        for id in &ids {
            let Some(r) = market.receipts.receipts.get(id) else {
                return Err(ApiError::not_found(format!("no receipt {id}")).into());
            };
            if !godown_node::visibility::may_see_receipt(viewer, r) {
                return Err(ApiError::forbidden(format!(
                    "receipt {id} is not visible to {}",
                    viewer.org
                ))
                .into());
            }
        }
        let haircut: Decimal = INDICATIVE_HAIRCUT.parse().unwrap_or(Decimal::ZERO);
        let refs: Vec<&RecordId> = ids.iter().collect();
        let v = p(market
            .financing
            .value(&market.receipts, &refs, c, |_| haircut))?;
        Ok(Valuation::of(
            &v,
            c,
            INDICATIVE_MAX_LTV.parse().unwrap_or(Decimal::ZERO),
        ))
    }

    /// The latest price per commodity and grade.
    async fn prices(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Price>> {
        require_full(viewer(ctx)?)?;
        let rows = store::latest_prices(node(ctx).db().conn())
            .await
            .map_err(ApiError::from)?;
        Ok(rows.iter().map(Price::of).collect::<Result<_, _>>()?)
    }

    /// The prices published for a commodity (every grade unless one is
    /// named), oldest first: at most the latest `last` (default 200).
    async fn price_history(
        &self,
        ctx: &Context<'_>,
        hs_code: String,
        grade: Option<String>,
        last: Option<i32>,
    ) -> async_graphql::Result<Vec<Price>> {
        require_full(viewer(ctx)?)?;
        let hs = p(HsCode::parse(&hs_code))?;
        let limit = u64::try_from(last.unwrap_or(200).clamp(1, 1000)).unwrap_or(200);
        let rows =
            store::price_history(node(ctx).db().conn(), hs.as_str(), grade.as_deref(), limit)
                .await
                .map_err(ApiError::from)?;
        Ok(rows.iter().map(Price::of).collect::<Result<_, _>>()?)
    }

    /// Organisations other than banks designated to publish prices.
    async fn price_sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        require_full(viewer(ctx)?)?;
        Ok(store::sources(node(ctx).db().conn())
            .await
            .map_err(ApiError::from)?
            .iter()
            .map(ToString::to_string)
            .collect())
    }

    /// A bank's book, one per currency: a bank sees its own; the regulator
    /// any bank's, or every bank's without `bank`.
    async fn portfolio(
        &self,
        ctx: &Context<'_>,
        bank: Option<String>,
    ) -> async_graphql::Result<Vec<Portfolio>> {
        let bank = portfolio_of(viewer(ctx)?, bank)?;
        let db = node(ctx).db().conn();
        let filter = LoanFilter {
            bank: bank.clone(),
            ..LoanFilter::default()
        };
        let loans = store::all_loans(db, &filter)
            .await
            .map_err(ApiError::from)?;
        let refs: Vec<&domain::Loan> = loans.iter().collect();
        let market = load_market(db, &refs, &[]).await.map_err(ApiError::from)?;
        let dir = directory(ctx).await?;
        let today = Date::of(node(ctx).now());
        Ok(books(&loans, &market, today)
            .into_iter()
            .map(|(c, b)| Portfolio::of(b, bank.clone(), c, &dir))
            .collect::<Result<_, _>>()?)
    }
}

// ---------------------------------------------------------------------------
// Inputs, parsed into the contract's body types.
