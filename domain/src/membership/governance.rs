//! Consortium decisions by quorum. Admitting, suspending and reinstating an
//! organisation are proposals: any member organisation's admin opens one,
//! every member organisation's admin may vote once for their organisation,
//! and the proposal takes effect in the entry whose vote brings the
//! approvals to the quorum. So the operator, with one vote like every
//! member, decides nothing alone once the consortium has a second member.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};

use super::body::OrgSpec;
use super::log_key::LogRotation;
use super::{Membership, OrgStatus};
use crate::error::ContractError;
use crate::goods::DocHash;
use crate::ids::{OrgId, OrgKind, RecordId, Role, UserId};
use crate::text::Text;
use crate::time::Timestamp;
use crate::{Context, Outcome, Touched};

/// The longest a proposal stays open for votes, in days.
pub const MAX_DAYS: u32 = 30;
/// The most supporting documents a proposal names.
pub const MAX_DOCUMENTS: usize = 16;
const DAY_MILLIS: i64 = 86_400_000;

/// An organisation named by a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgRef {
    /// The organisation.
    pub org: OrgId,
}

/// The largest witness policy a proposal carries, in bytes.
pub const MAX_POLICY_BYTES: usize = 16 * 1024;

/// A C2SP tlog-policy file's text that parses: the witness policy the
/// consortium adopts by proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyText(String);

impl PolicyText {
    /// Parses the text: at most [`MAX_POLICY_BYTES`], and a valid policy
    /// that names at least one log.
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        if text.len() > MAX_POLICY_BYTES {
            return Err(ContractError::BadRequest(format!(
                "a witness policy has at most {MAX_POLICY_BYTES} bytes, not {}",
                text.len()
            )));
        }
        let policy = godown_ledger::Policy::parse(text).map_err(|e| {
            ContractError::BadRequest(format!("the witness policy does not parse: {e}"))
        })?;
        if policy.logs().is_empty() {
            return Err(ContractError::BadRequest(
                "the witness policy names no log".into(),
            ));
        }
        Ok(Self(text.to_owned()))
    }
}

string_newtype!(PolicyText);

/// `witness.policy`: the witness policy that replaces the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyChange {
    /// The policy file's text.
    pub policy: PolicyText,
}

/// What a proposal would do once adopted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Admit an organisation with its first admin.
    #[serde(rename = "org.admit")]
    Admit(OrgSpec),
    /// Suspend an organisation: none of its keys signs until reinstated.
    #[serde(rename = "org.suspend")]
    Suspend(OrgRef),
    /// Reinstate a suspended organisation.
    #[serde(rename = "org.reinstate")]
    Reinstate(OrgRef),
    /// Replace the witness policy: which witnesses vouch for checkpoints,
    /// and how many must.
    #[serde(rename = "witness.policy")]
    Policy(PolicyChange),
    /// Hand the log key over to another: the key in force then signs a
    /// `log.handover` entry naming it, and signs nothing after.
    #[serde(rename = "log.rotate")]
    LogRotate(LogRotation),
}

impl Action {
    /// The organisation the action concerns, if it concerns one.
    pub fn org(&self) -> Option<&OrgId> {
        match self {
            Self::Admit(spec) => Some(&spec.org),
            Self::Suspend(r) | Self::Reinstate(r) => Some(&r.org),
            Self::Policy(_) | Self::LogRotate(_) => None,
        }
    }

    /// The action's name, as in the body.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Admit(_) => "org.admit",
            Self::Suspend(_) => "org.suspend",
            Self::Reinstate(_) => "org.reinstate",
            Self::Policy(_) => "witness.policy",
            Self::LogRotate(_) => "log.rotate",
        }
    }

    /// Whether two actions cannot both be open: they concern the same
    /// organisation, or both change the witness policy, or both the log key.
    fn collides(&self, other: &Self) -> bool {
        match (self.org(), other.org()) {
            (Some(a), Some(b)) => a == b,
            (None, None) => std::mem::discriminant(self) == std::mem::discriminant(other),
            _ => false,
        }
    }
}

/// `proposal.open`: signed by an admin of a member organisation, whose
/// organisation approves by opening it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenProposal {
    /// The proposal's id, chosen by the client.
    pub proposal: RecordId,
    /// What it would do.
    pub action: Action,
    /// Why, shown to every voter.
    pub reason: Text,
    /// How many days it stays open for votes, 1 to [`MAX_DAYS`].
    pub days: u32,
    /// Supporting documents (e.g. a split view a witness kept), by SHA-256.
    pub documents: Vec<DocHash>,
}

/// `proposal.vote`: signed by an admin of a member organisation, once per
/// organisation and proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CastVote {
    /// The proposal.
    pub proposal: RecordId,
    /// `true` to approve, `false` to reject.
    pub approve: bool,
}

/// Where a proposal stands. A proposal whose voting time has passed while
/// still open has expired: see [`Proposal::standing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProposalStatus {
    /// Taking votes.
    Open,
    /// Reached the quorum; its action took effect.
    Adopted,
    /// So many members rejected it that the quorum cannot be reached.
    Rejected,
}

/// One organisation's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    /// Approve or reject.
    pub approve: bool,
    /// The admin who cast it.
    pub user: UserId,
    /// The entry that carries it.
    pub entry: u64,
}

/// A proposal and its votes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Its id.
    pub id: RecordId,
    /// What it would do.
    pub action: Action,
    /// Why.
    pub reason: Text,
    /// Supporting documents.
    pub documents: Vec<DocHash>,
    /// The organisation that opened it.
    pub org: OrgId,
    /// The admin who opened it.
    pub user: UserId,
    /// The entry that opened it.
    pub opened_at: u64,
    /// When it was opened.
    pub opened: Timestamp,
    /// The last instant a vote is taken.
    pub closes: Timestamp,
    /// Votes by organisation; the opener's organisation approves.
    pub ballots: BTreeMap<OrgId, Ballot>,
    /// Approvals it needed as of its last entry.
    pub needed: u32,
    /// Where it stands.
    pub status: ProposalStatus,
    /// The entry that adopted or rejected it.
    pub decided_at: Option<u64>,
}

word_enum!(
    /// Where a proposal stands at a given time: its status, with an open
    /// one whose voting time has passed told apart as expired.
    Standing, "proposal standing" {
        /// Taking votes.
        Open = "open",
        /// Its voting time passed before the quorum was reached.
        Expired = "expired",
        /// The quorum approved it.
        Adopted = "adopted",
        /// The quorum is out of reach.
        Rejected = "rejected",
    }
);

impl Proposal {
    /// Where the proposal stands at `now`.
    pub fn standing(&self, now: Timestamp) -> Standing {
        match self.status {
            ProposalStatus::Open if now > self.closes => Standing::Expired,
            ProposalStatus::Open => Standing::Open,
            ProposalStatus::Adopted => Standing::Adopted,
            ProposalStatus::Rejected => Standing::Rejected,
        }
    }

    /// Approvals and rejections that count: those of organisations not
    /// suspended now.
    pub fn tally(&self, orgs: &BTreeMap<OrgId, super::Org>) -> (usize, usize) {
        let counted = |approve: bool| {
            self.ballots
                .iter()
                .filter(|(org, b)| {
                    b.approve == approve
                        && orgs
                            .get(*org)
                            .is_some_and(|o| o.status == OrgStatus::Active)
                })
                .count()
        };
        (counted(true), counted(false))
    }

    fn is_open_at(&self, now: Timestamp) -> bool {
        self.status == ProposalStatus::Open && now <= self.closes
    }
}

impl Membership {
    /// Approvals a proposal needs now: the quorum set in the genesis entry,
    /// or a majority of the organisations that are not suspended. A set
    /// quorum above the number of active organisations counts as all of
    /// them, so that suspensions cannot make every decision impossible.
    pub fn needed(&self) -> usize {
        let active = self.active_orgs();
        match self.quorum {
            Some(k) => usize::try_from(k.get()).map_or(active, |k| k.min(active)),
            None => active / 2 + 1,
        }
    }

    fn active_orgs(&self) -> usize {
        self.orgs
            .values()
            .filter(|o| o.status == OrgStatus::Active)
            .count()
    }

    /// The admin behind the signing key, and their organisation.
    fn voter(&self, ctx: &Context<'_>, action: &str) -> Result<(UserId, OrgId), ContractError> {
        let signer = self.signer(ctx.signer)?;
        let org = signer.org.id.clone();
        signer.require(Role::Admin, &org, action)?;
        Ok((signer.user.id.clone(), org))
    }

    pub(super) fn open_proposal(
        &mut self,
        ctx: &Context<'_>,
        b: &OpenProposal,
    ) -> Result<Outcome, ContractError> {
        let (user, org) = self.voter(ctx, "opening a proposal")?;
        if self.proposals.contains_key(&b.proposal) {
            return Err(ContractError::AlreadyExists(format!(
                "proposal {} exists",
                b.proposal
            )));
        }
        if !(1..=MAX_DAYS).contains(&b.days) {
            return Err(ContractError::BadRequest(format!(
                "a proposal stays open for 1 to {MAX_DAYS} days, not {}",
                b.days
            )));
        }
        let mut seen = std::collections::BTreeSet::new();
        if b.documents.len() > MAX_DOCUMENTS || !b.documents.iter().all(|d| seen.insert(d)) {
            return Err(ContractError::BadRequest(format!(
                "a proposal names at most {MAX_DOCUMENTS} documents, each once"
            )));
        }
        self.check_action(ctx, &b.action, None)?;
        let proposal = Proposal {
            id: b.proposal.clone(),
            action: b.action.clone(),
            reason: b.reason.clone(),
            documents: b.documents.clone(),
            org: org.clone(),
            user: user.clone(),
            opened_at: ctx.index,
            opened: ctx.time,
            closes: Timestamp::from_unix_millis(
                ctx.time.unix_millis() + i64::from(b.days) * DAY_MILLIS,
            ),
            ballots: BTreeMap::from([(
                org,
                Ballot {
                    approve: true,
                    user,
                    entry: ctx.index,
                },
            )]),
            needed: 0,
            status: ProposalStatus::Open,
            decided_at: None,
        };
        let mut next = self.clone();
        next.proposals.insert(b.proposal.clone(), proposal);
        let outcome = next.settle(ctx, &b.proposal)?;
        *self = next;
        Ok(outcome)
    }

    pub(super) fn vote(
        &mut self,
        ctx: &Context<'_>,
        b: &CastVote,
    ) -> Result<Outcome, ContractError> {
        let (user, org) = self.voter(ctx, "voting on a proposal")?;
        let proposal = self
            .proposals
            .get(&b.proposal)
            .ok_or_else(|| ContractError::NotFound(format!("no proposal {}", b.proposal)))?;
        match proposal.standing(ctx.time) {
            Standing::Open => {}
            Standing::Expired => {
                return Err(ContractError::InvalidState(format!(
                    "proposal {} closed at {} without reaching its quorum",
                    b.proposal, proposal.closes
                )));
            }
            standing @ (Standing::Adopted | Standing::Rejected) => {
                return Err(ContractError::InvalidState(format!(
                    "proposal {} was {standing} at entry {}",
                    b.proposal,
                    proposal.decided_at.unwrap_or_default()
                )));
            }
        }
        if let Some(ballot) = proposal.ballots.get(&org) {
            return Err(ContractError::AlreadyExists(format!(
                "{org} has already voted on proposal {} at entry {}",
                b.proposal, ballot.entry
            )));
        }
        let mut next = self.clone();
        if let Some(p) = next.proposals.get_mut(&b.proposal) {
            p.ballots.insert(
                org,
                Ballot {
                    approve: b.approve,
                    user,
                    entry: ctx.index,
                },
            );
        }
        let outcome = next.settle(ctx, &b.proposal)?;
        *self = next;
        Ok(outcome)
    }

    /// Counts the votes of organisations that are not suspended, and adopts
    /// or rejects the proposal when the count decides it. Every member is a
    /// party: proposals, votes and outcomes are visible to all.
    fn settle(&mut self, ctx: &Context<'_>, id: &RecordId) -> Result<Outcome, ContractError> {
        let needed = self.needed();
        let active = self.active_orgs();
        let Some(proposal) = self.proposals.get(id) else {
            return Err(ContractError::NotFound(format!("no proposal {id}")));
        };
        let (approvals, rejections) = proposal.tally(&self.orgs);
        let action = proposal.action.clone();
        let mut outcome = Outcome::touching([], [Touched::Proposal(id.clone())]);
        let status = if approvals >= needed {
            self.check_action(ctx, &action, Some(id))?;
            self.execute(ctx, &action, &mut outcome)?;
            ProposalStatus::Adopted
        } else if rejections > active - needed {
            ProposalStatus::Rejected
        } else {
            ProposalStatus::Open
        };
        if let Some(p) = self.proposals.get_mut(id) {
            p.needed = u32::try_from(needed).unwrap_or(u32::MAX);
            p.status = status;
            if status != ProposalStatus::Open {
                p.decided_at = Some(ctx.index);
            }
        }
        outcome.parties.extend(self.orgs.keys().cloned());
        Ok(outcome)
    }

    /// Whether `action` could take effect now, and no other open proposal
    /// concerns the same organisation (`except` being the proposal itself).
    fn check_action(
        &self,
        ctx: &Context<'_>,
        action: &Action,
        except: Option<&RecordId>,
    ) -> Result<(), ContractError> {
        if let Some(other) = self
            .proposals
            .values()
            .find(|p| Some(&p.id) != except && p.is_open_at(ctx.time) && p.action.collides(action))
        {
            return Err(ContractError::InvalidState(format!(
                "proposal {} ({}) is open until {}",
                other.id,
                other.action.name(),
                other.closes
            )));
        }
        match action {
            Action::Admit(spec) => {
                if spec.kind == OrgKind::Operator {
                    return Err(ContractError::BadRequest(
                        "there is one operator, named in the genesis entry".into(),
                    ));
                }
                if self.orgs.contains_key(&spec.org) {
                    return Err(ContractError::AlreadyExists(format!(
                        "organisation {} exists",
                        spec.org
                    )));
                }
                self.check_new_admin(&spec.admin)
            }
            Action::Policy(change) => {
                if self.witness_policy.as_ref() == Some(&change.policy) {
                    return Err(ContractError::InvalidState(
                        "the witness policy is already this one".into(),
                    ));
                }
                Ok(())
            }
            Action::LogRotate(rotation) => self.check_rotation(rotation),
            Action::Suspend(r) | Action::Reinstate(r) => {
                let org = self.org(&r.org)?;
                if Some(&org.id) == self.operator.as_ref() {
                    return Err(ContractError::Forbidden(
                        "the operator organisation cannot be suspended".into(),
                    ));
                }
                let wanted = if matches!(action, Action::Suspend(_)) {
                    OrgStatus::Active
                } else {
                    OrgStatus::Suspended
                };
                if org.status == wanted {
                    Ok(())
                } else {
                    Err(ContractError::InvalidState(format!(
                        "organisation {} is already {}",
                        r.org,
                        if wanted == OrgStatus::Active {
                            "suspended"
                        } else {
                            "active"
                        }
                    )))
                }
            }
        }
    }

    fn execute(
        &mut self,
        ctx: &Context<'_>,
        action: &Action,
        outcome: &mut Outcome,
    ) -> Result<(), ContractError> {
        match action {
            Action::Admit(spec) => {
                self.create_org(ctx, &spec.org, &spec.name, spec.kind, outcome)?;
                self.create_admin(ctx, &spec.org, &spec.admin, outcome)
            }
            Action::Suspend(r) | Action::Reinstate(r) => {
                if let Some(org) = self.orgs.get_mut(&r.org) {
                    org.status = if matches!(action, Action::Suspend(_)) {
                        OrgStatus::Suspended
                    } else {
                        OrgStatus::Active
                    };
                }
                outcome.touched.push(Touched::Org(r.org.clone()));
                Ok(())
            }
            Action::Policy(change) => {
                self.witness_policy = Some(change.policy.clone());
                outcome.touched.push(Touched::WitnessPolicy);
                Ok(())
            }
            Action::LogRotate(rotation) => {
                self.log_keys.next = Some(rotation.vkey.clone());
                outcome.touched.push(Touched::LogKey);
                Ok(())
            }
        }
    }
}

/// The quorum a genesis entry may set: how many organisations must approve.
pub type Quorum = NonZeroU32;
