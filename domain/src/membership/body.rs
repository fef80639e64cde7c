//! The bodies of membership transactions, exactly as signed. Each parses
//! with unknown members refused, so a body that exists is well formed.

use serde::{Deserialize, Serialize};

use crate::MemberKey;
use crate::ids::{OrgId, OrgKind, Role, UserId};
use crate::text::{Name, Text};

/// An organisation's first admin, whose key is active at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSpec {
    /// The admin's user id.
    pub user: UserId,
    /// The admin's name.
    pub name: Name,
    /// The admin's first key.
    pub key: MemberKey,
}

/// An organisation joining the consortium (`org.admit`, and each founder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgSpec {
    /// Its id.
    pub org: OrgId,
    /// Its name.
    pub name: Name,
    /// What it is.
    pub kind: OrgKind,
    /// Its first admin.
    pub admin: AdminSpec,
}

/// The operator organisation, named in the genesis entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperatorSpec {
    /// Its id.
    pub org: OrgId,
    /// Its name.
    pub name: Name,
    /// The node's own operator key, which signs the genesis entry.
    pub node_key: MemberKey,
    /// Its first human admin.
    pub admin: AdminSpec,
}

/// `consortium.genesis`: the operator and the founding organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    /// The operator organisation.
    pub operator: OperatorSpec,
    /// The other founding organisations.
    pub founders: Vec<OrgSpec>,
    /// How many organisations must approve a proposal; absent, a majority
    /// of those not suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quorum: Option<super::governance::Quorum>,
    /// The key that signs the ledger's checkpoints from its founding, so
    /// the members can later hand it over to another (`log.rotate`).
    /// Ledgers founded before keys could be handed over lack it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_key: Option<super::log_key::LogKey>,
}

/// `user.invite`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteUser {
    /// The organisation the user joins.
    pub org: OrgId,
    /// The new user's id.
    pub user: UserId,
    /// The new user's name.
    pub name: Name,
    /// The roles the user starts with.
    pub roles: Vec<Role>,
}

/// `key.enrol`: signed by the key being enrolled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolKey {
    /// Whose key it is.
    pub user: UserId,
    /// The key, which must also be the signer.
    pub key: MemberKey,
    /// Which device holds it, for the user's own records.
    pub device: Text,
}

/// `key.approve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveKey {
    /// Whose key it is.
    pub user: UserId,
    /// The pending key.
    pub key: MemberKey,
}

/// `role.grant` and `role.revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    /// The user.
    pub user: UserId,
    /// The role.
    pub role: Role,
}

/// `key.rotate`: signed by the key being replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotateKey {
    /// The key being replaced.
    pub key: MemberKey,
    /// Its replacement, active at once.
    pub new_key: MemberKey,
}

/// `key.revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeKey {
    /// The key.
    pub key: MemberKey,
    /// Why, for the record.
    pub reason: Text,
}
