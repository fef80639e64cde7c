//! The membership contract's projection rows: organisations, users and keys
//! as of the latest entry, written in the append's transaction and mapped to
//! and from the domain's types here.

use std::collections::BTreeSet;

use godown_domain::membership::governance::{Proposal, ProposalStatus};
use godown_domain::membership::{
    KeyRecord, KeyStatus, Membership, Org, OrgStatus, User, UserStatus,
};
use godown_domain::{Name, OrgId, OrgKind, Role, State, Text, Touched, UserId};
use godown_ledger::PublicKey;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait as _, ConnectionTrait, EntityTrait as _, QueryFilter as _,
    QueryOrder as _,
};

use super::StoreError;
use super::entity::{member_keys, orgs, proposals, users};
use super::ledger::{to_i64, to_u64};

fn org_status(s: OrgStatus) -> &'static str {
    match s {
        OrgStatus::Active => "active",
        OrgStatus::Suspended => "suspended",
    }
}

fn user_status(s: UserStatus) -> &'static str {
    match s {
        UserStatus::Invited => "invited",
        UserStatus::Active => "active",
    }
}

fn key_status(s: KeyStatus) -> &'static str {
    match s {
        KeyStatus::Pending => "pending",
        KeyStatus::Active => "active",
        KeyStatus::Revoked => "revoked",
    }
}

/// Rewrites the rows of the records a transaction touched, from the state
/// after it.
///
/// `since` is the first entry of the group, so that prices published in it
/// are added to the history.
pub async fn write_touched<C: ConnectionTrait>(
    conn: &C,
    all: &State,
    touched: &[Touched],
    since: u64,
) -> Result<(), StoreError> {
    let state = &all.membership;
    for t in touched {
        match t {
            Touched::Lot(id) => {
                if let Some(lot) = all.receipts.lots.get(id) {
                    super::receipts::write_lot(conn, lot).await?;
                }
            }
            Touched::Receipt(id) => {
                if let Some(r) = all.receipts.receipts.get(id) {
                    super::receipts::write_receipt(conn, &all.receipts, r).await?;
                }
            }
            Touched::Org(id) => {
                if let Some(org) = state.orgs.get(id) {
                    upsert_org(conn, org).await?;
                }
            }
            Touched::PriceSource(id) => {
                super::loans::write_source(conn, &all.financing, id).await?;
            }
            Touched::Loan(id) => {
                if let Some(loan) = all.financing.loans.get(id) {
                    super::loans::write_loan(conn, loan).await?;
                }
            }
            Touched::Price(hs) => {
                super::loans::write_prices(conn, &all.financing, hs, since).await?;
            }
            Touched::User(id) => {
                if let Some(user) = state.users.get(id) {
                    upsert_user(conn, user).await?;
                }
            }
            Touched::Key(bytes) => {
                if let Some(key) = state.keys.get(bytes) {
                    upsert_key(conn, key).await?;
                }
            }
            // The adopted policy lives in the log and the replayed state;
            // the node puts it in force after the commit.
            Touched::WitnessPolicy | Touched::LogKey => {}
            Touched::Proposal(id) => {
                if let Some(p) = state.proposals.get(id) {
                    upsert_proposal(conn, p).await?;
                }
            }
        }
    }
    Ok(())
}

async fn upsert_org<C: ConnectionTrait>(conn: &C, org: &Org) -> Result<(), StoreError> {
    orgs::Entity::insert(orgs::ActiveModel {
        id: Set(org.id.to_string()),
        name: Set(org.name.to_string()),
        kind: Set(org.kind.as_str().to_owned()),
        status: Set(org_status(org.status).to_owned()),
        admitted_at: Set(to_i64(org.admitted_at, "orgs")?),
    })
    .on_conflict(
        OnConflict::column(orgs::Column::Id)
            .update_columns([
                orgs::Column::Name,
                orgs::Column::Kind,
                orgs::Column::Status,
                orgs::Column::AdmittedAt,
            ])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

async fn upsert_proposal<C: ConnectionTrait>(conn: &C, p: &Proposal) -> Result<(), StoreError> {
    let doc = serde_json::to_string(p).map_err(|e| StoreError::corrupt("proposals", e))?;
    proposals::Entity::insert(proposals::ActiveModel {
        id: Set(p.id.to_string()),
        status: Set(match p.status {
            ProposalStatus::Open => "open",
            ProposalStatus::Adopted => "adopted",
            ProposalStatus::Rejected => "rejected",
        }
        .to_owned()),
        opened_at: Set(to_i64(p.opened_at, "proposals")?),
        doc: Set(doc),
    })
    .on_conflict(
        OnConflict::column(proposals::Column::Id)
            .update_columns([proposals::Column::Status, proposals::Column::Doc])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

fn proposal_row(row: &proposals::Model) -> Result<Proposal, StoreError> {
    serde_json::from_str(&row.doc).map_err(|e| StoreError::corrupt("proposals", e))
}

/// The organisations, and the quorum the genesis entry set: what counting
/// a proposal's votes needs (`Membership::needed`, `Proposal::tally`).
pub async fn electorate<C: ConnectionTrait>(conn: &C) -> Result<Membership, StoreError> {
    let mut m = Membership::default();
    for org in all_orgs(conn).await? {
        m.orgs.insert(org.id.clone(), org);
    }
    if let Some(row) = super::ledger::entry(conn, 0).await? {
        let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("entries", e);
        let tx = godown_ledger::Entry::parse(&row.leaf)
            .and_then(|e| e.transaction())
            .map_err(|e| corrupt(&e))?;
        let body = tx.body().cloned().unwrap_or_default();
        if let Some(godown_domain::MembershipTx::Genesis(g)) =
            godown_domain::MembershipTx::parse(tx.tx_type(), &body).map_err(|e| corrupt(&e))?
        {
            m.quorum = g.quorum;
        }
    }
    Ok(m)
}

/// Every proposal, newest first.
pub async fn all_proposals<C: ConnectionTrait>(conn: &C) -> Result<Vec<Proposal>, StoreError> {
    proposals::Entity::find()
        .order_by_desc(proposals::Column::OpenedAt)
        .all(conn)
        .await?
        .iter()
        .map(proposal_row)
        .collect()
}

/// One proposal.
pub async fn proposal<C: ConnectionTrait>(
    conn: &C,
    id: &str,
) -> Result<Option<Proposal>, StoreError> {
    proposals::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .as_ref()
        .map(proposal_row)
        .transpose()
}

fn roles_text(roles: &BTreeSet<Role>) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

async fn upsert_user<C: ConnectionTrait>(conn: &C, user: &User) -> Result<(), StoreError> {
    users::Entity::insert(users::ActiveModel {
        id: Set(user.id.to_string()),
        org: Set(user.org.to_string()),
        name: Set(user.name.to_string()),
        status: Set(user_status(user.status).to_owned()),
        roles: Set(roles_text(&user.roles)),
        created_at: Set(to_i64(user.created_at, "users")?),
    })
    .on_conflict(
        OnConflict::column(users::Column::Id)
            .update_columns([
                users::Column::Org,
                users::Column::Name,
                users::Column::Status,
                users::Column::Roles,
                users::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

async fn upsert_key<C: ConnectionTrait>(conn: &C, key: &KeyRecord) -> Result<(), StoreError> {
    let opt = |v: Option<u64>| v.map(|v| to_i64(v, "member_keys")).transpose();
    member_keys::Entity::insert(member_keys::ActiveModel {
        key: Set(key.key.to_bytes().to_vec()),
        user_id: Set(key.user.to_string()),
        status: Set(key_status(key.status).to_owned()),
        device: Set(key.device.as_ref().map(ToString::to_string)),
        enrolled_at: Set(to_i64(key.enrolled_at, "member_keys")?),
        activated_at: Set(opt(key.activated_at)?),
        revoked_at: Set(opt(key.revoked_at)?),
    })
    .on_conflict(
        OnConflict::column(member_keys::Column::Key)
            .update_columns([
                member_keys::Column::UserId,
                member_keys::Column::Status,
                member_keys::Column::Device,
                member_keys::Column::EnrolledAt,
                member_keys::Column::ActivatedAt,
                member_keys::Column::RevokedAt,
            ])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

fn bad(table: &'static str) -> impl Fn(godown_domain::ContractError) -> StoreError {
    move |e| StoreError::corrupt(table, e)
}

fn org_row(row: &orgs::Model) -> Result<Org, StoreError> {
    Ok(Org {
        id: OrgId::parse(&row.id).map_err(bad("orgs"))?,
        name: Name::parse(&row.name).map_err(bad("orgs"))?,
        kind: OrgKind::parse(&row.kind).map_err(bad("orgs"))?,
        status: match row.status.as_str() {
            "active" => OrgStatus::Active,
            "suspended" => OrgStatus::Suspended,
            other => return Err(StoreError::corrupt("orgs", format!("status {other:?}"))),
        },
        admitted_at: to_u64(row.admitted_at, "orgs")?,
    })
}

fn user_row(row: &users::Model) -> Result<User, StoreError> {
    let roles = if row.roles.is_empty() {
        BTreeSet::new()
    } else {
        row.roles
            .split(',')
            .map(Role::parse)
            .collect::<Result<_, _>>()
            .map_err(bad("users"))?
    };
    Ok(User {
        id: UserId::parse(&row.id).map_err(bad("users"))?,
        org: OrgId::parse(&row.org).map_err(bad("users"))?,
        name: Name::parse(&row.name).map_err(bad("users"))?,
        status: match row.status.as_str() {
            "invited" => UserStatus::Invited,
            "active" => UserStatus::Active,
            other => return Err(StoreError::corrupt("users", format!("status {other:?}"))),
        },
        roles,
        created_at: to_u64(row.created_at, "users")?,
    })
}

fn key_row(row: &member_keys::Model) -> Result<KeyRecord, StoreError> {
    let opt = |v: Option<i64>| v.map(|v| to_u64(v, "member_keys")).transpose();
    Ok(KeyRecord {
        key: PublicKey::from_bytes(&row.key).map_err(|e| StoreError::corrupt("member_keys", e))?,
        user: UserId::parse(&row.user_id).map_err(bad("member_keys"))?,
        status: match row.status.as_str() {
            "pending" => KeyStatus::Pending,
            "active" => KeyStatus::Active,
            "revoked" => KeyStatus::Revoked,
            other => {
                return Err(StoreError::corrupt(
                    "member_keys",
                    format!("status {other:?}"),
                ));
            }
        },
        device: row
            .device
            .as_deref()
            .map(Text::parse)
            .transpose()
            .map_err(bad("member_keys"))?,
        enrolled_at: to_u64(row.enrolled_at, "member_keys")?,
        activated_at: opt(row.activated_at)?,
        revoked_at: opt(row.revoked_at)?,
    })
}

/// Every organisation, by id.
pub async fn all_orgs<C: ConnectionTrait>(conn: &C) -> Result<Vec<Org>, StoreError> {
    orgs::Entity::find()
        .order_by_asc(orgs::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| org_row(&row))
        .collect()
}

/// One organisation.
pub async fn org<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<Org>, StoreError> {
    orgs::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .map(|row| org_row(&row))
        .transpose()
}

/// The users of an organisation, by id.
pub async fn users_of<C: ConnectionTrait>(conn: &C, org: &str) -> Result<Vec<User>, StoreError> {
    users::Entity::find()
        .filter(users::Column::Org.eq(org))
        .order_by_asc(users::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| user_row(&row))
        .collect()
}

/// One user.
pub async fn user<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<User>, StoreError> {
    users::Entity::find_by_id(id.to_owned())
        .one(conn)
        .await?
        .map(|row| user_row(&row))
        .transpose()
}

/// The keys of a user, oldest first.
pub async fn keys_of<C: ConnectionTrait>(
    conn: &C,
    user: &str,
) -> Result<Vec<KeyRecord>, StoreError> {
    member_keys::Entity::find()
        .filter(member_keys::Column::UserId.eq(user))
        .order_by_asc(member_keys::Column::EnrolledAt)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| key_row(&row))
        .collect()
}

/// One key.
pub async fn key<C: ConnectionTrait>(
    conn: &C,
    key: &[u8; 32],
) -> Result<Option<KeyRecord>, StoreError> {
    member_keys::Entity::find_by_id(key.to_vec())
        .one(conn)
        .await?
        .map(|row| key_row(&row))
        .transpose()
}

/// The whole projection, as rows say it is.
pub async fn load<C: ConnectionTrait>(conn: &C) -> Result<Membership, StoreError> {
    let mut m = Membership::default();
    for org in all_orgs(conn).await? {
        if org.kind == OrgKind::Operator {
            m.operator = Some(org.id.clone());
        }
        m.orgs.insert(org.id.clone(), org);
    }
    for row in users::Entity::find().all(conn).await? {
        let user = user_row(&row)?;
        m.users.insert(user.id.clone(), user);
    }
    for row in member_keys::Entity::find().all(conn).await? {
        let key = key_row(&row)?;
        m.keys.insert(key.key.to_bytes(), key);
    }
    for p in all_proposals(conn).await? {
        m.proposals.insert(p.id.clone(), p);
    }
    Ok(m)
}

/// The first difference between the rows and a replayed state, named so an
/// operator can find the row: `None` when they agree.
pub fn first_difference(rows: &Membership, replayed: &Membership) -> Option<String> {
    use super::first_row_difference as compare;
    compare("orgs", &rows.orgs, &replayed.orgs, ToString::to_string)
        .or_else(|| compare("users", &rows.users, &replayed.users, ToString::to_string))
        .or_else(|| {
            compare("member_keys", &rows.keys, &replayed.keys, |bytes| {
                PublicKey::from_bytes(bytes)
                    .map_or_else(|_| "(not a key)".to_owned(), |k| k.to_base64())
            })
        })
        .or_else(|| {
            compare(
                "proposals",
                &rows.proposals,
                &replayed.proposals,
                ToString::to_string,
            )
        })
}
