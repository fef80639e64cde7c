//! Consortium governance: proposals to admit, suspend or reinstate an
//! organisation, change the witness policy or hand the log key over, and
//! the members' votes on them. Every signed-in member sees
//! every proposal; the contract decides who may open and vote.

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject};
use godown_domain::membership::Membership;
use godown_domain::membership::body::{AdminSpec, OrgSpec};
use godown_domain::membership::governance::{
    self as domain, Action, CastVote, OpenProposal, OrgRef, PolicyChange, PolicyText,
};
use godown_domain::membership::log_key::{LogKey, LogRotation};
use godown_domain::{DocHash, MemberKey, MembershipTx, Name, UserId};

use super::mutation::run;
use super::shared::{index, org, p, rid, txt};
use super::types::{AdmitOrganisationInput, OrgKind, SignatureInput, TxReceipt};
use super::{node, viewer};
use crate::error::ApiError;
use godown_node::store::projection;
use godown_node::visibility::require_full;

/// What a proposal would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ProposalAction {
    /// Admit an organisation (`org.admit`).
    Admit,
    /// Suspend one (`org.suspend`).
    Suspend,
    /// Reinstate a suspended one (`org.reinstate`).
    Reinstate,
    /// Replace the witness policy (`witness.policy`).
    Policy,
    /// Hand the log key over to another (`log.rotate`).
    LogRotation,
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ProposalStanding {
    /// Taking votes.
    Open,
    /// Its voting time passed before the quorum was reached.
    Expired,
    /// The quorum approved it; its action took effect.
    Adopted,
    /// Enough members rejected it that the quorum is out of reach.
    Rejected,
}

/// One organisation's vote.
#[derive(Debug, Clone, SimpleObject)]
pub struct Vote {
    /// The voting organisation.
    pub org: String,
    /// The admin who signed it.
    pub user: String,
    /// Approve (true) or reject (false).
    pub approve: bool,
    /// The entry that carries it.
    pub entry: i32,
}

/// The organisation an admission would create.
#[derive(Debug, Clone, SimpleObject)]
pub struct ProposedOrganisation {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it would be.
    pub kind: OrgKind,
    /// Its first admin's user id.
    pub admin_user: String,
    /// Its first admin's name.
    pub admin_name: String,
    /// Its first admin's public key.
    pub admin_key: String,
}

/// A consortium proposal and its votes.
#[derive(Debug, Clone, SimpleObject)]
pub struct Proposal {
    /// Its id.
    pub id: String,
    /// What it would do.
    pub action: ProposalAction,
    /// The organisation it concerns (none for a witness policy).
    pub org: Option<String>,
    /// For a witness policy, the C2SP tlog-policy text it would adopt.
    pub policy: Option<String>,
    /// For a log key rotation, the vkey of the key it would hand over to.
    pub log_vkey: Option<String>,
    /// For an admission, the organisation it would admit.
    pub admission: Option<ProposedOrganisation>,
    /// Why, as its opener wrote.
    pub reason: String,
    /// Supporting documents, by SHA-256 (`GET /documents/{sha256}`).
    pub documents: Vec<String>,
    /// The organisation that opened it.
    pub opened_by: String,
    /// The admin who opened it.
    pub opened_by_user: String,
    /// The entry that opened it.
    pub opened_at: i32,
    /// When it was opened.
    pub opened: String,
    /// The last instant a vote is taken.
    pub closes: String,
    /// Where it stands now.
    pub standing: ProposalStanding,
    /// Approvals it needs: the quorum now while it is open, else as of its
    /// last entry.
    pub needed: i32,
    /// Approvals that count: those of organisations not suspended now.
    pub approvals: i32,
    /// Rejections that count, likewise.
    pub rejections: i32,
    /// Every vote, the opener's organisation's approval first.
    pub votes: Vec<Vote>,
    /// The entry that adopted or rejected it.
    pub decided_at: Option<i32>,
}

impl Proposal {
    fn from_domain(
        p: &domain::Proposal,
        now: godown_domain::Timestamp,
        electorate: &Membership,
    ) -> Result<Self, ApiError> {
        let (action, admission) = match &p.action {
            Action::Admit(spec) => (
                ProposalAction::Admit,
                Some(ProposedOrganisation {
                    id: spec.org.to_string(),
                    name: spec.name.to_string(),
                    kind: spec.kind.into(),
                    admin_user: spec.admin.user.to_string(),
                    admin_name: spec.admin.name.to_string(),
                    admin_key: spec.admin.key.to_string(),
                }),
            ),
            Action::Suspend(_) => (ProposalAction::Suspend, None),
            Action::Reinstate(_) => (ProposalAction::Reinstate, None),
            Action::Policy(_) => (ProposalAction::Policy, None),
            Action::LogRotate(_) => (ProposalAction::LogRotation, None),
        };
        let policy = match &p.action {
            Action::Policy(change) => Some(change.policy.to_string()),
            _ => None,
        };
        let log_vkey = match &p.action {
            Action::LogRotate(rotation) => Some(rotation.vkey.to_string()),
            _ => None,
        };
        let mut votes = p
            .ballots
            .iter()
            .map(|(org, b)| {
                Ok(Vote {
                    org: org.to_string(),
                    user: b.user.to_string(),
                    approve: b.approve,
                    entry: index(b.entry)?,
                })
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        votes.sort_by_key(|v| v.entry);
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        let (approvals, rejections) = p.tally(&electorate.orgs);
        let standing = p.standing(now);
        // An open proposal needs the quorum as it is now; a decided or
        // expired one shows what it needed at its last entry.
        let needed = if standing == domain::Standing::Open {
            electorate.needed()
        } else {
            usize::try_from(p.needed).unwrap_or(usize::MAX)
        };
        Ok(Self {
            id: p.id.to_string(),
            action,
            org: p.action.org().map(ToString::to_string),
            policy,
            log_vkey,
            admission,
            reason: p.reason.to_string(),
            documents: p.documents.iter().map(ToString::to_string).collect(),
            opened_by: p.org.to_string(),
            opened_by_user: p.user.to_string(),
            opened_at: index(p.opened_at)?,
            opened: p.opened.to_string(),
            closes: p.closes.to_string(),
            standing: match standing {
                domain::Standing::Open => ProposalStanding::Open,
                domain::Standing::Expired => ProposalStanding::Expired,
                domain::Standing::Adopted => ProposalStanding::Adopted,
                domain::Standing::Rejected => ProposalStanding::Rejected,
            },
            needed: count(needed),
            approvals: count(approvals),
            rejections: count(rejections),
            votes,
            decided_at: p.decided_at.map(index).transpose()?,
        })
    }
}

/// What every proposal says besides its action.
#[derive(Debug, Clone, InputObject)]
pub struct ProposalInput {
    /// The proposal's id, chosen by the client (`^[a-z0-9][a-z0-9-]{7,63}$`).
    pub proposal: String,
    /// Why, shown to every voter.
    pub reason: String,
    /// Days it stays open for votes, 1 to 30.
    pub days: i32,
    /// Supporting documents uploaded with `POST /documents`, by SHA-256.
    #[graphql(default)]
    pub documents: Vec<String>,
}

/// `proposal.vote`.
#[derive(Debug, Clone, InputObject)]
pub struct VoteInput {
    /// The proposal.
    pub proposal: String,
    /// Approve (true) or reject (false).
    pub approve: bool,
}

fn open(input: &ProposalInput, action: Action) -> Result<MembershipTx, ApiError> {
    Ok(MembershipTx::Open(OpenProposal {
        proposal: rid(&input.proposal)?,
        action,
        reason: txt(&input.reason)?,
        days: u32::try_from(input.days).map_err(|_| {
            ApiError::from(godown_domain::ContractError::BadRequest(format!(
                "a proposal stays open for 1 to {} days, not {}",
                domain::MAX_DAYS,
                input.days
            )))
        })?,
        documents: input
            .documents
            .iter()
            .map(|d| p(DocHash::parse(d)))
            .collect::<Result<_, _>>()?,
    }))
}

/// Opens a proposal of an action on one organisation.
async fn propose_for_org(
    ctx: &Context<'_>,
    input: &ProposalInput,
    org_id: &str,
    signature: SignatureInput,
    action: fn(OrgRef) -> Action,
) -> async_graphql::Result<TxReceipt> {
    let action = action(OrgRef { org: org(org_id)? });
    run(ctx, open(input, action)?, signature, vec![]).await
}

/// Governance queries.
#[derive(Default)]
pub struct GovernanceQuery;

#[Object]
impl GovernanceQuery {
    /// Every proposal, newest first: visible to every member.
    async fn proposals(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Proposal>> {
        require_full(viewer(ctx)?)?;
        let node = node(ctx);
        let now = node.now();
        let conn = node.db().conn();
        let all = projection::all_proposals(conn)
            .await
            .map_err(ApiError::from)?;
        let electorate = projection::electorate(conn).await.map_err(ApiError::from)?;
        Ok(all
            .iter()
            .map(|p| Proposal::from_domain(p, now, &electorate))
            .collect::<Result<_, _>>()?)
    }

    /// One proposal.
    async fn proposal(
        &self,
        ctx: &Context<'_>,
        id: String,
    ) -> async_graphql::Result<Option<Proposal>> {
        require_full(viewer(ctx)?)?;
        let node = node(ctx);
        let conn = node.db().conn();
        let Some(found) = projection::proposal(conn, &id)
            .await
            .map_err(ApiError::from)?
        else {
            return Ok(None);
        };
        let electorate = projection::electorate(conn).await.map_err(ApiError::from)?;
        Ok(Some(Proposal::from_domain(
            &found,
            node.now(),
            &electorate,
        )?))
    }
}

/// Governance mutations: an admin opens a proposal or votes for their
/// organisation.
#[derive(Default)]
pub struct GovernanceMutation;

#[Object]
impl GovernanceMutation {
    /// `proposal.open` with `org.admit`: admitting an organisation and its
    /// first admin, once the quorum approves.
    async fn propose_admission(
        &self,
        ctx: &Context<'_>,
        input: ProposalInput,
        organisation: AdmitOrganisationInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let spec = OrgSpec {
            org: org(&organisation.org)?,
            name: p(Name::parse(&organisation.name))?,
            kind: organisation.kind.into(),
            admin: AdminSpec {
                user: p(UserId::parse(&organisation.admin.user))?,
                name: p(Name::parse(&organisation.admin.name))?,
                key: p(MemberKey::parse(&organisation.admin.key))?,
            },
        };
        run(ctx, open(&input, Action::Admit(spec))?, signature, vec![]).await
    }

    /// `proposal.open` with `org.suspend`: none of the organisation's keys
    /// signs once the quorum approves, until it is reinstated.
    async fn propose_suspension(
        &self,
        ctx: &Context<'_>,
        input: ProposalInput,
        org_id: String,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        propose_for_org(ctx, &input, &org_id, signature, Action::Suspend).await
    }

    /// `proposal.open` with `org.reinstate`.
    async fn propose_reinstatement(
        &self,
        ctx: &Context<'_>,
        input: ProposalInput,
        org_id: String,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        propose_for_org(ctx, &input, &org_id, signature, Action::Reinstate).await
    }

    /// `proposal.open` with `witness.policy`: the C2SP tlog-policy file whose
    /// witnesses and quorum decide, once adopted, which checkpoints are
    /// final; the node puts it in force in place of its configured one.
    async fn propose_witness_policy(
        &self,
        ctx: &Context<'_>,
        input: ProposalInput,
        policy: String,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let action = Action::Policy(PolicyChange {
            policy: p(PolicyText::parse(&policy))?,
        });
        run(ctx, open(&input, action)?, signature, vec![]).await
    }

    /// `proposal.open` with `log.rotate`: once the quorum approves, the log
    /// key in force signs a `log.handover` entry naming `vkey`, which signs
    /// every checkpoint after it. The node hands over as soon as it holds
    /// the new key's private half (a PEM file in its `log-keys/` folder).
    async fn propose_log_rotation(
        &self,
        ctx: &Context<'_>,
        input: ProposalInput,
        vkey: String,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let action = Action::LogRotate(LogRotation {
            vkey: p(LogKey::parse(&vkey))?,
        });
        run(ctx, open(&input, action)?, signature, vec![]).await
    }

    /// `proposal.vote`: one vote per organisation; the vote that brings the
    /// approvals to the quorum carries the proposal's effect.
    async fn vote_on_proposal(
        &self,
        ctx: &Context<'_>,
        input: VoteInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::Vote(CastVote {
            proposal: rid(&input.proposal)?,
            approve: input.approve,
        });
        run(ctx, tx, signature, vec![]).await
    }
}
