//! The membership contract: who belongs to the consortium, with which roles
//! and keys, and which keys may sign.

pub mod body;
pub mod governance;
pub mod log_key;

use std::collections::{BTreeMap, BTreeSet};

use godown_ledger::PublicKey;
use serde_json::{Map, Value};

use crate::error::ContractError;
use crate::ids::RecordId;
use crate::ids::{MemberKey, OrgId, OrgKind, Role, UserId};
use crate::text::{Name, Text};
use crate::{Context, Outcome, Touched};
use body::{
    AdminSpec, ApproveKey, EnrolKey, Genesis, InviteUser, RevokeKey, RoleChange, RotateKey,
};
use governance::{CastVote, OpenProposal, Proposal, Quorum};
use log_key::{LogHandover, LogKeys};

/// Whether an organisation may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgStatus {
    /// Its active keys sign.
    Active,
    /// None of its keys sign.
    Suspended,
}

/// Whether a user has finished joining.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    /// Invited; no key approved yet.
    Invited,
    /// Has had a key approved.
    Active,
}

/// Where a key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    /// Enrolled, waiting for an admin's approval; signs nothing else.
    Pending,
    /// Signs.
    Active,
    /// Signs nothing from its revocation on.
    Revoked,
}

/// A member organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    /// Its id.
    pub id: OrgId,
    /// Its name.
    pub name: Name,
    /// What it is.
    pub kind: OrgKind,
    /// Whether it may act.
    pub status: OrgStatus,
    /// The entry that admitted it.
    pub admitted_at: u64,
}

/// A user of a member organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Their id.
    pub id: UserId,
    /// Their organisation.
    pub org: OrgId,
    /// Their name.
    pub name: Name,
    /// Whether they have finished joining.
    pub status: UserStatus,
    /// What they may do.
    pub roles: BTreeSet<Role>,
    /// The entry that created them.
    pub created_at: u64,
}

/// A user's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// The key.
    pub key: PublicKey,
    /// Whose it is.
    pub user: UserId,
    /// Where it stands.
    pub status: KeyStatus,
    /// Which device holds it, when known.
    pub device: Option<Text>,
    /// The entry that enrolled it.
    pub enrolled_at: u64,
    /// The entry that made it active.
    pub activated_at: Option<u64>,
    /// The entry that revoked it.
    pub revoked_at: Option<u64>,
}

/// A membership transaction, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[expect(
    clippy::large_enum_variant,
    reason = "a transaction is parsed once and moved rarely; boxing the genesis would only add noise"
)]
pub enum MembershipTx {
    /// `consortium.genesis`
    Genesis(Genesis),
    /// `proposal.open`
    Open(OpenProposal),
    /// `proposal.vote`
    Vote(CastVote),
    /// `user.invite`
    Invite(InviteUser),
    /// `key.enrol`
    Enrol(EnrolKey),
    /// `key.approve`
    Approve(ApproveKey),
    /// `role.grant`
    Grant(RoleChange),
    /// `role.revoke`
    RevokeRole(RoleChange),
    /// `key.rotate`
    Rotate(RotateKey),
    /// `key.revoke`
    RevokeKey(RevokeKey),
    /// `log.handover`
    Handover(LogHandover),
}

impl MembershipTx {
    /// The transaction types this contract decides.
    pub const TYPES: &'static [&'static str] = &[
        "consortium.genesis",
        "proposal.open",
        "proposal.vote",
        "user.invite",
        "key.enrol",
        "key.approve",
        "role.grant",
        "role.revoke",
        "key.rotate",
        "key.revoke",
        "log.handover",
    ];

    /// Parses a body of a membership type; `None` for other types.
    pub fn parse(tx_type: &str, body: &Map<String, Value>) -> Result<Option<Self>, ContractError> {
        use crate::read_body as read;
        Ok(Some(match tx_type {
            "consortium.genesis" => Self::Genesis(read(tx_type, body)?),
            "org.admit" | "org.suspend" | "org.reinstate" => {
                return Err(ContractError::Forbidden(format!(
                    "{tx_type} is decided by the members: open a proposal (proposal.open) \
                     and it takes effect once a quorum of member organisations approves it"
                )));
            }
            "proposal.open" => Self::Open(read(tx_type, body)?),
            "proposal.vote" => Self::Vote(read(tx_type, body)?),
            "user.invite" => Self::Invite(read(tx_type, body)?),
            "key.enrol" => Self::Enrol(read(tx_type, body)?),
            "key.approve" => Self::Approve(read(tx_type, body)?),
            "role.grant" => Self::Grant(read(tx_type, body)?),
            "role.revoke" => Self::RevokeRole(read(tx_type, body)?),
            "key.rotate" => Self::Rotate(read(tx_type, body)?),
            "key.revoke" => Self::RevokeKey(read(tx_type, body)?),
            "log.handover" => Self::Handover(read(tx_type, body)?),
            _ => return Ok(None),
        }))
    }

    /// The transaction type.
    pub fn tx_type(&self) -> &'static str {
        match self {
            Self::Genesis(_) => "consortium.genesis",
            Self::Open(_) => "proposal.open",
            Self::Vote(_) => "proposal.vote",
            Self::Invite(_) => "user.invite",
            Self::Enrol(_) => "key.enrol",
            Self::Approve(_) => "key.approve",
            Self::Grant(_) => "role.grant",
            Self::RevokeRole(_) => "role.revoke",
            Self::Rotate(_) => "key.rotate",
            Self::RevokeKey(_) => "key.revoke",
            Self::Handover(_) => "log.handover",
        }
    }

    /// The body, as signed.
    pub fn body(&self) -> Map<String, Value> {
        use crate::write_body as write;
        match self {
            Self::Genesis(b) => write(b),
            Self::Open(b) => write(b),
            Self::Vote(b) => write(b),
            Self::Invite(b) => write(b),
            Self::Enrol(b) => write(b),
            Self::Approve(b) => write(b),
            Self::Grant(b) | Self::RevokeRole(b) => write(b),
            Self::Rotate(b) => write(b),
            Self::RevokeKey(b) => write(b),
            Self::Handover(b) => b.0.body(),
        }
    }
}

/// Everyone in the consortium, their roles and keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Membership {
    /// Organisations by id.
    pub orgs: BTreeMap<OrgId, Org>,
    /// Users by id.
    pub users: BTreeMap<UserId, User>,
    /// Keys by their 32 bytes.
    pub keys: BTreeMap<[u8; 32], KeyRecord>,
    /// The operator organisation, once the genesis entry is applied.
    pub operator: Option<OrgId>,
    /// The quorum the genesis entry set, if any.
    pub quorum: Option<Quorum>,
    /// Consortium decisions, by id.
    pub proposals: BTreeMap<RecordId, Proposal>,
    /// The witness policy the members adopted last, if any.
    pub witness_policy: Option<governance::PolicyText>,
    /// The log key in force, its adopted successor and the retired ones.
    pub log_keys: LogKeys,
}

/// A key that may sign, with its user and organisation.
#[derive(Debug, Clone, Copy)]
pub struct Signer<'a> {
    /// The key's record.
    pub key: &'a KeyRecord,
    /// Its user.
    pub user: &'a User,
    /// Its organisation.
    pub org: &'a Org,
}

impl Signer<'_> {
    /// Whether the signer holds `role` in `org`.
    pub fn holds(&self, role: Role, org: &OrgId) -> bool {
        self.user.org == *org && self.user.roles.contains(&role)
    }

    /// Requires the signer to hold `role` in `org`: the one role check every
    /// contract makes.
    pub(crate) fn require(
        &self,
        role: Role,
        org: &OrgId,
        action: &str,
    ) -> Result<(), ContractError> {
        if self.holds(role, org) {
            Ok(())
        } else {
            Err(ContractError::Forbidden(format!(
                "{action} needs the {role} role in {org}; {} does not hold it",
                self.user.id
            )))
        }
    }
}

impl Membership {
    /// The active signer behind `key`: an active key of an active user of an
    /// organisation that is not suspended.
    pub fn signer(&self, key: &PublicKey) -> Result<Signer<'_>, ContractError> {
        let record = self.keys.get(&key.to_bytes()).ok_or_else(|| {
            ContractError::KeyNotActive(format!("key {} is not enrolled", key.to_base64()))
        })?;
        match record.status {
            KeyStatus::Active => {}
            KeyStatus::Pending => {
                return Err(ContractError::KeyNotActive(format!(
                    "key {} is waiting for an admin's approval",
                    key.to_base64()
                )));
            }
            KeyStatus::Revoked => {
                return Err(ContractError::KeyNotActive(format!(
                    "key {} was revoked at entry {}",
                    key.to_base64(),
                    record.revoked_at.unwrap_or_default()
                )));
            }
        }
        let user = self.user(&record.user)?;
        let org = self.org(&user.org)?;
        if org.status == OrgStatus::Suspended {
            return Err(ContractError::OrgSuspended(org.id.to_string()));
        }
        Ok(Signer {
            key: record,
            user,
            org,
        })
    }

    /// The organisation with this id.
    pub fn org(&self, id: &OrgId) -> Result<&Org, ContractError> {
        self.orgs
            .get(id)
            .ok_or_else(|| ContractError::NotFound(format!("no organisation {id}")))
    }

    /// The user with this id.
    pub fn user(&self, id: &UserId) -> Result<&User, ContractError> {
        self.users
            .get(id)
            .ok_or_else(|| ContractError::NotFound(format!("no user {id}")))
    }

    /// The record of this key.
    pub fn key(&self, key: &MemberKey) -> Result<&KeyRecord, ContractError> {
        self.keys
            .get(&key.bytes())
            .ok_or_else(|| ContractError::NotFound(format!("no key {key}")))
    }

    /// Decides a membership transaction and applies it.
    pub fn apply(
        &mut self,
        ctx: &Context<'_>,
        tx: &MembershipTx,
    ) -> Result<Outcome, ContractError> {
        match tx {
            MembershipTx::Genesis(b) => self.genesis(ctx, b),
            MembershipTx::Open(b) => self.open_proposal(ctx, b),
            MembershipTx::Vote(b) => self.vote(ctx, b),
            MembershipTx::Invite(b) => self.invite(ctx, b),
            MembershipTx::Enrol(b) => self.enrol(ctx, b),
            MembershipTx::Approve(b) => self.approve(ctx, b),
            MembershipTx::Grant(b) => self.change_role(ctx, b, true),
            MembershipTx::RevokeRole(b) => self.change_role(ctx, b, false),
            MembershipTx::Rotate(b) => self.rotate(ctx, b),
            MembershipTx::RevokeKey(b) => self.revoke_key(ctx, b),
            MembershipTx::Handover(b) => self.hand_over(ctx, b),
        }
    }

    fn genesis(&mut self, ctx: &Context<'_>, g: &Genesis) -> Result<Outcome, ContractError> {
        if ctx.index != 0 || self.operator.is_some() {
            return Err(ContractError::InvalidState(
                "the genesis entry can only be the first entry".into(),
            ));
        }
        if *ctx.signer != g.operator.node_key.0 {
            return Err(ContractError::Forbidden(
                "the genesis entry must be signed by the operator's node key".into(),
            ));
        }
        if let Some(f) = g.founders.iter().find(|f| f.kind == OrgKind::Operator) {
            return Err(ContractError::BadRequest(format!(
                "{} cannot be a second operator",
                f.org
            )));
        }
        let mut next = self.clone();
        let mut outcome = Outcome::default();
        let op = &g.operator;
        next.create_org(ctx, &op.org, &op.name, OrgKind::Operator, &mut outcome)?;
        let node_user = UserId::parse(&format!("{}.node", op.org))?;
        let node_admin = AdminSpec {
            user: node_user,
            name: Name::parse("Godown node")?,
            key: op.node_key,
        };
        next.create_admin(ctx, &op.org, &node_admin, &mut outcome)?;
        next.create_admin(ctx, &op.org, &op.admin, &mut outcome)?;
        for founder in &g.founders {
            next.create_org(ctx, &founder.org, &founder.name, founder.kind, &mut outcome)?;
            next.create_admin(ctx, &founder.org, &founder.admin, &mut outcome)?;
        }
        next.operator = Some(op.org.clone());
        next.quorum = g.quorum;
        next.log_keys.current.clone_from(&g.log_key);
        *self = next;
        Ok(outcome)
    }

    fn invite(&mut self, ctx: &Context<'_>, b: &InviteUser) -> Result<Outcome, ContractError> {
        let signer = self.signer(ctx.signer)?;
        signer.require(Role::Admin, &b.org, "inviting a user")?;
        if self.users.contains_key(&b.user) {
            return Err(ContractError::AlreadyExists(format!(
                "user {} exists",
                b.user
            )));
        }
        let roles: BTreeSet<Role> = b.roles.iter().copied().collect();
        if roles.is_empty() || roles.len() != b.roles.len() {
            return Err(ContractError::BadRequest(
                "roles must name at least one role, each once".into(),
            ));
        }
        self.users.insert(
            b.user.clone(),
            User {
                id: b.user.clone(),
                org: b.org.clone(),
                name: b.name.clone(),
                status: UserStatus::Invited,
                roles,
                created_at: ctx.index,
            },
        );
        Ok(Outcome::touching(
            [b.org.clone()],
            [Touched::User(b.user.clone())],
        ))
    }

    fn enrol(&mut self, ctx: &Context<'_>, b: &EnrolKey) -> Result<Outcome, ContractError> {
        if *ctx.signer != b.key.0 {
            return Err(ContractError::Forbidden(
                "a key enrols itself: the enrolment must be signed by the key it names".into(),
            ));
        }
        if self.keys.contains_key(&b.key.bytes()) {
            return Err(ContractError::AlreadyExists(format!(
                "key {} is enrolled",
                b.key
            )));
        }
        let user = self.user(&b.user)?;
        let org = self.org(&user.org)?;
        if org.status == OrgStatus::Suspended {
            return Err(ContractError::OrgSuspended(org.id.to_string()));
        }
        let org = org.id.clone();
        self.keys.insert(
            b.key.bytes(),
            KeyRecord {
                key: b.key.0,
                user: b.user.clone(),
                status: KeyStatus::Pending,
                device: Some(b.device.clone()),
                enrolled_at: ctx.index,
                activated_at: None,
                revoked_at: None,
            },
        );
        Ok(Outcome::touching([org], [Touched::Key(b.key.bytes())]))
    }

    fn approve(&mut self, ctx: &Context<'_>, b: &ApproveKey) -> Result<Outcome, ContractError> {
        let user_org = self.user(&b.user)?.org.clone();
        self.signer(ctx.signer)?
            .require(Role::Admin, &user_org, "approving a key")?;
        let record = self.key(&b.key)?;
        if record.user != b.user {
            return Err(ContractError::BadRequest(format!(
                "key {} belongs to {}, not {}",
                b.key, record.user, b.user
            )));
        }
        if record.status != KeyStatus::Pending {
            return Err(ContractError::InvalidState(format!(
                "key {} is not waiting for approval",
                b.key
            )));
        }
        if let Some(record) = self.keys.get_mut(&b.key.bytes()) {
            record.status = KeyStatus::Active;
            record.activated_at = Some(ctx.index);
        }
        let mut touched = vec![Touched::Key(b.key.bytes())];
        if let Some(user) = self.users.get_mut(&b.user)
            && user.status == UserStatus::Invited
        {
            user.status = UserStatus::Active;
            touched.push(Touched::User(b.user.clone()));
        }
        Ok(Outcome::touching([user_org], touched))
    }

    fn change_role(
        &mut self,
        ctx: &Context<'_>,
        b: &RoleChange,
        grant: bool,
    ) -> Result<Outcome, ContractError> {
        let user_org = self.user(&b.user)?.org.clone();
        self.signer(ctx.signer)?
            .require(Role::Admin, &user_org, "changing roles")?;
        let holds = self.user(&b.user)?.roles.contains(&b.role);
        if grant && holds {
            return Err(ContractError::InvalidState(format!(
                "{} already holds {}",
                b.user, b.role
            )));
        }
        if !grant && !holds {
            return Err(ContractError::InvalidState(format!(
                "{} does not hold {}",
                b.user, b.role
            )));
        }
        if !grant && b.role == Role::Admin {
            let other_admin_keys = self
                .keys
                .values()
                .filter(|k| k.status == KeyStatus::Active && k.user != b.user)
                .filter(|k| {
                    self.users.get(&k.user).is_some_and(|u| {
                        u.org == user_org
                            && u.status == UserStatus::Active
                            && u.roles.contains(&Role::Admin)
                    })
                })
                .count();
            if other_admin_keys == 0 {
                return Err(ContractError::LastAdmin(format!(
                    "{} is the last admin of {user_org} with a key that can sign",
                    b.user
                )));
            }
        }
        if let Some(user) = self.users.get_mut(&b.user) {
            if grant {
                user.roles.insert(b.role);
            } else {
                user.roles.remove(&b.role);
            }
        }
        Ok(Outcome::touching(
            [user_org],
            [Touched::User(b.user.clone())],
        ))
    }

    fn rotate(&mut self, ctx: &Context<'_>, b: &RotateKey) -> Result<Outcome, ContractError> {
        if *ctx.signer != b.key.0 {
            return Err(ContractError::Forbidden(
                "a key is rotated by itself: sign with the key being replaced".into(),
            ));
        }
        let signer = self.signer(ctx.signer)?;
        let (user, org, device) = (
            signer.user.id.clone(),
            signer.org.id.clone(),
            signer.key.device.clone(),
        );
        if self.keys.contains_key(&b.new_key.bytes()) {
            return Err(ContractError::AlreadyExists(format!(
                "key {} is enrolled",
                b.new_key
            )));
        }
        if let Some(old) = self.keys.get_mut(&b.key.bytes()) {
            old.status = KeyStatus::Revoked;
            old.revoked_at = Some(ctx.index);
        }
        self.keys.insert(
            b.new_key.bytes(),
            KeyRecord {
                key: b.new_key.0,
                user,
                status: KeyStatus::Active,
                device,
                enrolled_at: ctx.index,
                activated_at: Some(ctx.index),
                revoked_at: None,
            },
        );
        Ok(Outcome::touching(
            [org],
            [Touched::Key(b.key.bytes()), Touched::Key(b.new_key.bytes())],
        ))
    }

    fn revoke_key(&mut self, ctx: &Context<'_>, b: &RevokeKey) -> Result<Outcome, ContractError> {
        let record = self.key(&b.key)?;
        if record.status == KeyStatus::Revoked {
            return Err(ContractError::InvalidState(format!(
                "key {} is already revoked",
                b.key
            )));
        }
        let owner = self.user(&record.user)?.clone();
        let signer = self.signer(ctx.signer)?;
        if signer.user.id != owner.id && !signer.holds(Role::Admin, &owner.org) {
            return Err(ContractError::Forbidden(format!(
                "only {} or an admin of {} may revoke this key",
                owner.id, owner.org
            )));
        }
        if owner.roles.contains(&Role::Admin) && self.admin_keys(&owner.org, &b.key) == 0 {
            return Err(ContractError::LastAdmin(format!(
                "revoking {} would leave {} without an admin key that can sign; enrol another first",
                b.key, owner.org
            )));
        }
        if let Some(record) = self.keys.get_mut(&b.key.bytes()) {
            record.status = KeyStatus::Revoked;
            record.revoked_at = Some(ctx.index);
        }
        Ok(Outcome::touching(
            [owner.org],
            [Touched::Key(b.key.bytes())],
        ))
    }

    /// Active keys of active admins of `org`, not counting `except`.
    fn admin_keys(&self, org: &OrgId, except: &MemberKey) -> usize {
        self.keys
            .values()
            .filter(|k| k.status == KeyStatus::Active && k.key != except.0)
            .filter(|k| {
                self.users.get(&k.user).is_some_and(|u| {
                    u.org == *org
                        && u.status == UserStatus::Active
                        && u.roles.contains(&Role::Admin)
                })
            })
            .count()
    }

    fn check_new_admin(&self, admin: &AdminSpec) -> Result<(), ContractError> {
        if self.users.contains_key(&admin.user) {
            return Err(ContractError::AlreadyExists(format!(
                "user {} exists",
                admin.user
            )));
        }
        if self.keys.contains_key(&admin.key.bytes()) {
            return Err(ContractError::AlreadyExists(format!(
                "key {} is enrolled",
                admin.key
            )));
        }
        Ok(())
    }

    fn create_org(
        &mut self,
        ctx: &Context<'_>,
        id: &OrgId,
        name: &Name,
        kind: OrgKind,
        outcome: &mut Outcome,
    ) -> Result<(), ContractError> {
        if self.orgs.contains_key(id) {
            return Err(ContractError::AlreadyExists(format!(
                "organisation {id} exists"
            )));
        }
        self.orgs.insert(
            id.clone(),
            Org {
                id: id.clone(),
                name: name.clone(),
                kind,
                status: OrgStatus::Active,
                admitted_at: ctx.index,
            },
        );
        outcome.parties.insert(id.clone());
        outcome.touched.push(Touched::Org(id.clone()));
        Ok(())
    }

    fn create_admin(
        &mut self,
        ctx: &Context<'_>,
        org: &OrgId,
        admin: &AdminSpec,
        outcome: &mut Outcome,
    ) -> Result<(), ContractError> {
        self.check_new_admin(admin)?;
        self.users.insert(
            admin.user.clone(),
            User {
                id: admin.user.clone(),
                org: org.clone(),
                name: admin.name.clone(),
                status: UserStatus::Active,
                roles: BTreeSet::from([Role::Admin]),
                created_at: ctx.index,
            },
        );
        self.keys.insert(
            admin.key.bytes(),
            KeyRecord {
                key: admin.key.0,
                user: admin.user.clone(),
                status: KeyStatus::Active,
                device: None,
                enrolled_at: ctx.index,
                activated_at: Some(ctx.index),
                revoked_at: None,
            },
        );
        outcome.touched.push(Touched::User(admin.user.clone()));
        outcome.touched.push(Touched::Key(admin.key.bytes()));
        Ok(())
    }
}

#[cfg(test)]
mod tests;
