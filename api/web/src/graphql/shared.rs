//! What the contracts' resolvers share: the directory of organisations,
//! paging, proofs and signed entries, money and quantities, and the parsing
//! of identifiers, text, dates and amounts into domain types.

use std::collections::BTreeMap;

use async_graphql::connection::{Connection, Edge, query};
use async_graphql::{Context, InputObject, OutputType, SimpleObject};
use godown_domain::membership::Org;
use godown_domain::{Currency, Date, Money as DomainMoney, OrgId, RecordId, Text, Unit};
use godown_ledger::Hash;
use rust_decimal::Decimal;

use crate::error::ApiError;
use crate::graphql::types::{Organisation, Proof};
use crate::graphql::{gql_int, node};
use godown_node::reads::{self, EntryProof, MAX_PAGE};
use godown_node::store::projection;

/// A quantity as a decimal string, with its UN/CEFACT unit code (TNE, KGM,
/// MTQ, LTR, MTK, BLL, H87, BG).
#[derive(Debug, Clone, SimpleObject)]
pub struct Quantity {
    /// The decimal string.
    pub value: String,
    /// The unit code.
    pub unit: String,
}

impl Quantity {
    pub(super) fn of(value: Decimal, unit: Unit) -> Self {
        Self {
            value: value.to_string(),
            unit: unit.as_str().to_owned(),
        }
    }
}

/// An amount as a decimal string with its ISO 4217 currency.
#[derive(Debug, Clone, SimpleObject)]
pub struct Money {
    /// The currency.
    pub currency: String,
    /// The decimal string.
    pub value: String,
}

impl From<&DomainMoney> for Money {
    fn from(m: &DomainMoney) -> Self {
        Self {
            currency: m.currency().as_str().to_owned(),
            value: m.value().to_string(),
        }
    }
}

pub(crate) type Directory = BTreeMap<OrgId, Org>;

pub(crate) async fn directory(ctx: &Context<'_>) -> Result<Directory, ApiError> {
    Ok(projection::all_orgs(node(ctx).db().conn())
        .await?
        .into_iter()
        .map(|o| (o.id.clone(), o))
        .collect())
}

pub(crate) fn organisation(dir: &Directory, id: &OrgId) -> Result<Organisation, ApiError> {
    let org = dir
        .get(id)
        .ok_or_else(|| ApiError::internal(&format!("organisation {id} is not in the directory")))?;
    Organisation::from_domain(org)
}

pub(crate) fn index(value: u64) -> Result<i32, ApiError> {
    gql_int(value)
}

pub(crate) fn count(value: u64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

pub(crate) fn proof_object(p: &EntryProof) -> Result<Proof, ApiError> {
    Ok(Proof {
        index: gql_int(p.entry.index)?,
        tree_size: gql_int(p.checkpoint.size)?,
        leaf_hash: p.entry.leaf_hash.to_base64(),
        hashes: p.hashes.iter().map(Hash::to_base64).collect(),
        checkpoint: p.checkpoint.note.clone(),
        entry: String::from_utf8_lossy(&p.entry.leaf).into_owned(),
        tlog_proof: p.tlog_proof(),
    })
}

/// The user and organisation behind a signing key.
pub(crate) async fn signer_of(
    ctx: &Context<'_>,
    key: &[u8; 32],
) -> Result<Option<(String, OrgId)>, ApiError> {
    let db = node(ctx).db().conn();
    let Some(record) = projection::key(db, key).await? else {
        return Ok(None);
    };
    Ok(projection::user(db, record.user.as_str())
        .await?
        .map(|u| (u.id.to_string(), u.org)))
}

/// One entry of a record's signed history (a loan's, a lot's), with its
/// signer and its inclusion proof (see [`signed_entries`] for which
/// checkpoint).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "HistoryEvent")]
pub struct SignedEntry {
    /// The entry's index.
    pub index: i32,
    /// The transaction type.
    #[graphql(name = "type")]
    pub tx_type: String,
    /// The sequencing time.
    pub time: String,
    /// Standard base64 of the signing key.
    pub signer: String,
    /// The signing key's user.
    pub signer_user: Option<String>,
    /// The signing user's organisation.
    pub signer_org: Option<String>,
    /// Its inclusion proof against the checkpoint the history is proved against.
    pub proof: Proof,
}

/// The entries at `indexes`, each proven against one checkpoint: the
/// newest the witnesses' quorum cosigned when it covers them all.
pub(crate) async fn signed_entries(
    ctx: &Context<'_>,
    indexes: &[u64],
) -> Result<Vec<SignedEntry>, ApiError> {
    let node = node(ctx);
    let checkpoint = reads::covering(node, indexes.iter().copied().max().unwrap_or(0)).await?;
    let mut out = Vec::with_capacity(indexes.len());
    for &entry in indexes {
        let proof = reads::proof_at(node, entry, &checkpoint).await?;
        let signer = signer_of(ctx, &proof.entry.signer).await?;
        out.push(SignedEntry {
            index: gql_int(entry)?,
            tx_type: proof.entry.tx_type.clone(),
            time: proof.entry.time.clone(),
            signer: reads::signer_text(&proof.entry),
            signer_user: signer.as_ref().map(|(u, _)| u.clone()),
            signer_org: signer.map(|(_, o)| o.to_string()),
            proof: proof_object(&proof)?,
        });
    }
    Ok(out)
}

/// Bounds of a page of `total` items, Relay style, by offset.
/// The rows `start..end` of `total` that a Relay request asks for, by
/// position: after and before are positions, `first` and `last` at most
/// `MAX_PAGE`, and 50 rows when neither is given.
fn page(
    total: u64,
    after: Option<u64>,
    before: Option<u64>,
    first: Option<usize>,
    last: Option<usize>,
) -> (u64, u64) {
    let wanted = |n: usize| u64::try_from(n).unwrap_or(MAX_PAGE).min(MAX_PAGE);
    let mut start = after.map_or(0, |a| a.saturating_add(1)).min(total);
    let mut end = before.unwrap_or(total).min(total).max(start);
    if let Some(n) = first {
        end = end.min(start.saturating_add(wanted(n)));
    }
    if let Some(n) = last {
        start = start.max(end.saturating_sub(wanted(n)));
    }
    if first.is_none() && last.is_none() {
        end = end.min(start.saturating_add(50));
    }
    (start, end)
}

/// A Relay connection over `total` rows in a fixed order, whose cursor is
/// a row's position: `load(start, end)` reads the nodes of rows
/// `start..end`, in order. Every list of the schema pages this one way.
pub(crate) async fn paged<T, F, Fut>(
    total: u64,
    after: Option<String>,
    before: Option<String>,
    first: Option<i32>,
    last: Option<i32>,
    load: F,
) -> async_graphql::Result<Connection<u64, T>>
where
    T: OutputType,
    F: FnOnce(u64, u64) -> Fut,
    Fut: Future<Output = async_graphql::Result<Vec<T>>>,
{
    query(
        after,
        before,
        first,
        last,
        |after, before, first, last| async move {
            let (start, end) = page(total, after, before, first, last);
            let nodes = load(start, end).await?;
            let mut connection = Connection::new(start > 0, end < total);
            connection
                .edges
                .extend((start..).zip(nodes).map(|(i, n)| Edge::new(i, n)));
            Ok::<_, async_graphql::Error>(connection)
        },
    )
    .await
}

pub(crate) fn p<T>(r: Result<T, godown_domain::ContractError>) -> Result<T, ApiError> {
    r.map_err(ApiError::from)
}

pub(crate) fn rid(text: &str) -> Result<RecordId, ApiError> {
    p(RecordId::parse(text))
}

pub(crate) fn org(text: &str) -> Result<OrgId, ApiError> {
    p(OrgId::parse(text))
}

pub(crate) fn txt(text: &str) -> Result<Text, ApiError> {
    p(Text::parse(text))
}

pub(crate) fn date(text: &str) -> Result<Date, ApiError> {
    p(Date::parse(text))
}

pub(crate) fn money(m: &MoneyInput) -> Result<DomainMoney, ApiError> {
    p(DomainMoney::parse(
        p(Currency::parse(&m.currency))?,
        &m.value,
    ))
}

/// An amount with its ISO 4217 currency.
#[derive(Debug, Clone, InputObject)]
pub struct MoneyInput {
    /// The currency.
    pub currency: String,
    /// The decimal string.
    pub value: String,
}
