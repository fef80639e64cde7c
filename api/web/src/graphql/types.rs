//! GraphQL types. Each is built from a domain or ledger type; database rows
//! never reach this layer.

use async_graphql::{ComplexObject, Context, Enum, InputObject, SimpleObject};
use godown_domain::membership::{self, KeyRecord};
use godown_domain::{OrgKind as DomainKind, Role as DomainRole};

use super::{gql_int, node, viewer};
use crate::error::ApiError;
use godown_node::store::ledger::StoredEntry;
use godown_node::store::projection;
use godown_node::visibility::may_see_members;

/// What an organisation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum OrgKind {
    /// Lends against receipts.
    Bank,
    /// Holds goods and issues receipts.
    Warehouse,
    /// Deposits goods and borrows.
    Sme,
    /// Certifies goods.
    Inspector,
    /// Sees everything.
    Regulator,
    /// Runs the node.
    Operator,
}

impl From<DomainKind> for OrgKind {
    fn from(kind: DomainKind) -> Self {
        match kind {
            DomainKind::Bank => Self::Bank,
            DomainKind::Warehouse => Self::Warehouse,
            DomainKind::Sme => Self::Sme,
            DomainKind::Inspector => Self::Inspector,
            DomainKind::Regulator => Self::Regulator,
            DomainKind::Operator => Self::Operator,
        }
    }
}

impl From<OrgKind> for DomainKind {
    fn from(kind: OrgKind) -> Self {
        match kind {
            OrgKind::Bank => Self::Bank,
            OrgKind::Warehouse => Self::Warehouse,
            OrgKind::Sme => Self::Sme,
            OrgKind::Inspector => Self::Inspector,
            OrgKind::Regulator => Self::Regulator,
            OrgKind::Operator => Self::Operator,
        }
    }
}

/// What a user may do in their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Role {
    /// Manages users and keys.
    Admin,
    /// Prepares transactions.
    Officer,
    /// Approves what an officer prepared.
    Approver,
    /// Reads.
    Viewer,
}

impl From<DomainRole> for Role {
    fn from(role: DomainRole) -> Self {
        match role {
            DomainRole::Admin => Self::Admin,
            DomainRole::Officer => Self::Officer,
            DomainRole::Approver => Self::Approver,
            DomainRole::Viewer => Self::Viewer,
        }
    }
}

impl From<Role> for DomainRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => Self::Admin,
            Role::Officer => Self::Officer,
            Role::Approver => Self::Approver,
            Role::Viewer => Self::Viewer,
        }
    }
}

/// Whether an organisation may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum OrgStatus {
    /// Its keys sign.
    Active,
    /// None of its keys sign.
    Suspended,
}

/// Whether a user has finished joining.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum UserStatus {
    /// Invited, no key approved yet.
    Invited,
    /// Joined.
    Active,
}

/// Where a key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum KeyStatus {
    /// Waiting for an admin's approval.
    Pending,
    /// Signs.
    Active,
    /// Signs nothing any more.
    Revoked,
}

/// A member organisation.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Organisation {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: OrgKind,
    /// Whether it may act.
    pub status: OrgStatus,
    /// The index of the entry that admitted it.
    pub admitted_at: i32,
}

impl Organisation {
    pub(crate) fn from_domain(org: &membership::Org) -> Result<Self, ApiError> {
        Ok(Self {
            id: org.id.to_string(),
            name: org.name.to_string(),
            kind: org.kind.into(),
            status: match org.status {
                membership::OrgStatus::Active => OrgStatus::Active,
                membership::OrgStatus::Suspended => OrgStatus::Suspended,
            },
            admitted_at: gql_int(org.admitted_at)?,
        })
    }
}

#[ComplexObject]
impl Organisation {
    /// Its users: visible to its own members, the operator and the
    /// regulator; null, with a `FORBIDDEN` error, for anyone else.
    async fn members(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Vec<User>>> {
        let viewer = viewer(ctx)?;
        let org = godown_domain::OrgId::parse(&self.id).map_err(ApiError::from)?;
        if !may_see_members(viewer, &org) {
            return Err(ApiError::forbidden(format!("the members of {org} are visible to its own members, the operator and the regulator")).into());
        }
        let users = projection::users_of(node(ctx).db().conn(), &self.id)
            .await
            .map_err(ApiError::from)?;
        Ok(Some(users.iter().map(User::from_domain).collect()))
    }
}

/// A user.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct User {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their organisation's id.
    pub organisation: String,
    /// Whether they have finished joining.
    pub status: UserStatus,
    /// Their roles.
    pub roles: Vec<Role>,
}

impl User {
    pub(crate) fn from_domain(user: &membership::User) -> Self {
        Self {
            id: user.id.to_string(),
            name: user.name.to_string(),
            organisation: user.org.to_string(),
            status: match user.status {
                membership::UserStatus::Invited => UserStatus::Invited,
                membership::UserStatus::Active => UserStatus::Active,
            },
            roles: user.roles.iter().map(|r| Role::from(*r)).collect(),
        }
    }
}

#[ComplexObject]
impl User {
    /// Their keys, oldest first.
    async fn keys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Key>> {
        let keys = projection::keys_of(node(ctx).db().conn(), &self.id)
            .await
            .map_err(ApiError::from)?;
        Ok(keys
            .iter()
            .map(Key::from_domain)
            .collect::<Result<_, _>>()?)
    }
}

/// A user's key.
#[derive(Debug, Clone, SimpleObject)]
pub struct Key {
    /// Standard base64 of the public key.
    pub key: String,
    /// Whose it is.
    pub user: String,
    /// Where it stands.
    pub status: KeyStatus,
    /// Which device holds it.
    pub device: Option<String>,
    /// The index of the entry that enrolled it.
    pub enrolled_at: i32,
    /// The index of the entry that made it active.
    pub activated_at: Option<i32>,
    /// The index of the entry that revoked it.
    pub revoked_at: Option<i32>,
}

impl Key {
    pub(crate) fn from_domain(key: &KeyRecord) -> Result<Self, ApiError> {
        Ok(Self {
            key: key.key.to_base64(),
            user: key.user.to_string(),
            status: match key.status {
                membership::KeyStatus::Pending => KeyStatus::Pending,
                membership::KeyStatus::Active => KeyStatus::Active,
                membership::KeyStatus::Revoked => KeyStatus::Revoked,
            },
            device: key.device.as_ref().map(ToString::to_string),
            enrolled_at: gql_int(key.enrolled_at)?,
            activated_at: key.activated_at.map(gql_int).transpose()?,
            revoked_at: key.revoked_at.map(gql_int).transpose()?,
        })
    }
}

/// The ledger's identity.
#[derive(Debug, Clone, SimpleObject)]
pub struct LedgerInfo {
    /// The origin line of every checkpoint.
    pub origin: String,
    /// The log's verifier key in force: it signs the newest checkpoints.
    pub log_vkey: String,
    /// Every key of the log, the one in force first, then those it was
    /// handed over from, newest first; older checkpoints carry their
    /// signatures.
    pub log_vkeys: Vec<String>,
    /// The log key the members adopted, waiting for its hand-over.
    pub log_vkey_next: Option<String>,
    /// The witnesses' verifier keys.
    pub witness_vkeys: Vec<String>,
    /// Entries in the log.
    pub size: i32,
    /// Whether this is a demo node, with public demo keys.
    pub demo: bool,
}

/// The signed-in user.
#[derive(Debug, Clone, SimpleObject)]
pub struct Me {
    /// The user.
    pub user: User,
    /// Their organisation.
    pub organisation: Organisation,
    /// The key they signed in with.
    pub key: String,
    /// What the session allows: `full` or `enrol`.
    pub scope: String,
}

/// The latest signed checkpoint.
#[derive(Debug, Clone, SimpleObject)]
pub struct Checkpoint {
    /// The ledger's origin.
    pub origin: String,
    /// Tree size.
    pub size: i32,
    /// Standard base64 of the RFC 6962 root.
    pub root: String,
    /// The whole signed note, with any cosignatures.
    pub note: String,
    /// Entries below this index are final: covered by the newest checkpoint
    /// whose cosignatures meet the witness policy (0 while none does). Null
    /// when the node has no witness policy.
    pub final_size: Option<i32>,
}

/// A ledger entry. Index and leaf hash are visible to everyone signed in;
/// the rest only to the parties of the entry and the regulator.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Entry {
    /// Its position in the log.
    pub index: i32,
    /// Standard base64 of `SHA-256(0x00 || entry bytes)`.
    pub leaf_hash: String,
    /// Whether the payload below is shown to this viewer.
    pub visible: bool,
    /// The transaction type.
    #[graphql(name = "type")]
    pub tx_type: Option<String>,
    /// The sequencing time the node stamped.
    pub time: Option<String>,
    /// Standard base64 of the signing key.
    pub signer: Option<String>,
    /// The canonical entry bytes (the leaf), as text.
    pub entry: Option<String>,
}

#[async_graphql::ComplexObject]
impl Entry {
    /// The signing key's user, when the payload is shown and the key is a
    /// member's (the log's own entries are signed by the log key).
    async fn signer_user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.signer_of(ctx).await?.map(|(user, _)| user))
    }

    /// The signing user's organisation, likewise.
    async fn signer_org(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.signer_of(ctx).await?.map(|(_, org)| org.to_string()))
    }
}

impl Entry {
    async fn signer_of(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<(String, godown_domain::OrgId)>, ApiError> {
        let Some(key) = self
            .signer
            .as_deref()
            .and_then(|k| godown_ledger::PublicKey::from_base64(k).ok())
        else {
            return Ok(None);
        };
        super::shared::signer_of(ctx, &key.to_bytes()).await
    }
}

/// What only the parties of an entry see.
#[derive(Debug, Clone)]
pub struct EntryPayload {
    /// The transaction type.
    pub tx_type: String,
    /// The sequencing time.
    pub time: String,
    /// Standard base64 of the signing key.
    pub signer: String,
    /// The canonical entry bytes, as text.
    pub entry: String,
}

impl EntryPayload {
    /// The payload of a stored entry.
    pub fn of(entry: &StoredEntry) -> Self {
        Self {
            tx_type: entry.tx_type.clone(),
            time: entry.time.clone(),
            signer: godown_node::reads::signer_text(entry),
            entry: String::from_utf8_lossy(&entry.leaf).into_owned(),
        }
    }
}

impl Entry {
    /// An entry, with its payload when the viewer may see it.
    pub fn new(
        index: u64,
        leaf_hash: String,
        payload: Option<EntryPayload>,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            index: gql_int(index)?,
            leaf_hash,
            visible: payload.is_some(),
            tx_type: payload.as_ref().map(|p| p.tx_type.clone()),
            time: payload.as_ref().map(|p| p.time.clone()),
            signer: payload.as_ref().map(|p| p.signer.clone()),
            entry: payload.map(|p| p.entry),
        })
    }
}

/// An entry's inclusion proof against a checkpoint: the newest the
/// witnesses' quorum cosigned when it covers the entries shown, else the
/// newest signed one.
#[derive(Debug, Clone, SimpleObject)]
pub struct Proof {
    /// The entry's index.
    pub index: i32,
    /// The checkpoint's size.
    pub tree_size: i32,
    /// The entry's leaf hash.
    pub leaf_hash: String,
    /// Standard base64 hashes, from the leaf's sibling up.
    pub hashes: Vec<String>,
    /// The checkpoint note the proof leads to.
    pub checkpoint: String,
    /// The canonical entry bytes, as text.
    pub entry: String,
    /// The same proof as a c2sp.org/tlog-proof@v1 file.
    pub tlog_proof: String,
}

/// Where a transaction landed.
#[derive(Debug, Clone, SimpleObject)]
pub struct TxReceipt {
    /// Its entry's index.
    pub index: i32,
    /// Its leaf hash.
    pub leaf_hash: String,
    /// Its sequencing time.
    pub time: String,
    /// Its type.
    #[graphql(name = "type")]
    pub tx_type: String,
}

/// The detached signature over the transaction the server rebuilds.
#[derive(Debug, Clone, InputObject)]
pub struct SignatureInput {
    /// Standard base64 of the signing key.
    pub key: String,
    /// The transaction's nonce.
    pub nonce: String,
    /// Standard base64 of the Ed25519 signature over `godown-tx/v1\n || JCS(tx)`.
    pub signature: String,
    /// The ledger origin the transaction was signed for. When given and not
    /// this ledger's, the mutation is refused with `WRONG_ORIGIN` before the
    /// signature is checked; when absent, a signature for another ledger
    /// fails as `BAD_SIGNATURE`.
    pub origin: Option<String>,
}

/// An admin named when an organisation joins: active at once.
#[derive(Debug, Clone, InputObject)]
pub struct AdminInput {
    /// Their user id.
    pub user: String,
    /// Their name.
    pub name: String,
    /// Standard base64 of their Ed25519 public key.
    pub key: String,
}

/// An organisation to admit (`org.admit`, by proposal).
#[derive(Debug, Clone, InputObject)]
pub struct AdmitOrganisationInput {
    /// Its id.
    pub org: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub kind: OrgKind,
    /// Its first admin.
    pub admin: AdminInput,
}

/// `user.invite`.
#[derive(Debug, Clone, InputObject)]
pub struct InviteUserInput {
    /// The organisation.
    pub org: String,
    /// The new user's id.
    pub user: String,
    /// Their name.
    pub name: String,
    /// Their roles.
    pub roles: Vec<Role>,
}

/// `key.enrol`.
#[derive(Debug, Clone, InputObject)]
pub struct EnrolKeyInput {
    /// Whose key.
    pub user: String,
    /// The key, which signs its own enrolment.
    pub key: String,
    /// Which device holds it.
    pub device: String,
}

/// `key.approve`.
#[derive(Debug, Clone, InputObject)]
pub struct ApproveKeyInput {
    /// Whose key.
    pub user: String,
    /// The pending key.
    pub key: String,
}

/// `role.grant` and `role.revoke`.
#[derive(Debug, Clone, InputObject)]
pub struct RoleInput {
    /// The user.
    pub user: String,
    /// The role.
    pub role: Role,
}

/// `key.rotate`.
#[derive(Debug, Clone, InputObject)]
pub struct RotateKeyInput {
    /// The key being replaced, which signs.
    pub key: String,
    /// Its replacement.
    pub new_key: String,
}

/// `key.revoke`.
#[derive(Debug, Clone, InputObject)]
pub struct RevokeKeyInput {
    /// The key.
    pub key: String,
    /// Why.
    pub reason: String,
}
