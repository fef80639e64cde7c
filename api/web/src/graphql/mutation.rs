//! Mutations: one per transaction type. Each takes typed input and the
//! detached signature; the node rebuilds the canonical bytes from the input.

use async_graphql::{Context, Object};
use godown_domain::membership::body::{
    ApproveKey, EnrolKey, InviteUser, RevokeKey, RoleChange, RotateKey,
};
use godown_domain::{MemberKey, MembershipTx, Name, OrgId, Text, UserId};

use super::types::{
    ApproveKeyInput, EnrolKeyInput, InviteUserInput, RevokeKeyInput, RoleInput, RotateKeyInput,
    SignatureInput, TxReceipt,
};
use super::{gql_int, node, viewer};
use crate::error::ApiError;
use godown_node::node::SideEffect;
use godown_node::submit::{self, Signed};

/// The root of mutations.
#[derive(Default)]
pub struct Mutation;

fn org(id: &str) -> Result<OrgId, ApiError> {
    Ok(OrgId::parse(id)?)
}
fn user(id: &str) -> Result<UserId, ApiError> {
    Ok(UserId::parse(id)?)
}
fn name(text: &str) -> Result<Name, ApiError> {
    Ok(Name::parse(text)?)
}
fn text(text: &str) -> Result<Text, ApiError> {
    Ok(Text::parse(text)?)
}
fn key(text: &str) -> Result<MemberKey, ApiError> {
    Ok(MemberKey::parse(text)?)
}

pub(crate) async fn run(
    ctx: &Context<'_>,
    tx: impl Into<godown_domain::Tx>,
    signature: SignatureInput,
    side_effects: Vec<SideEffect>,
) -> async_graphql::Result<TxReceipt> {
    let signed = Signed {
        key: signature.key,
        nonce: signature.nonce,
        signature: signature.signature,
        origin: signature.origin,
    };
    let receipt =
        submit::transaction(node(ctx), viewer(ctx)?, &tx.into(), &signed, side_effects).await?;
    Ok(TxReceipt {
        index: gql_int(receipt.index)?,
        leaf_hash: receipt.leaf_hash.to_base64(),
        time: receipt.time.to_string(),
        tx_type: receipt.tx_type,
    })
}

#[Object(name = "MembershipMutation")]
impl Mutation {
    /// `user.invite`: the e-mail address, if given, stays off the ledger and
    /// receives the invitation link.
    async fn invite_user(
        &self,
        ctx: &Context<'_>,
        input: InviteUserInput,
        email: Option<String>,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::Invite(InviteUser {
            org: org(&input.org)?,
            user: user(&input.user)?,
            name: name(&input.name)?,
            roles: input.roles.into_iter().map(Into::into).collect(),
        });
        let side_effects = match email {
            Some(email) => vec![SideEffect::Invite {
                email: godown_node::contact::Address::parse(&email)?.to_string(),
            }],
            None => vec![],
        };
        run(ctx, tx, signature, side_effects).await
    }

    /// `key.enrol`: signed by the new key itself; pending until approved.
    async fn enrol_key(
        &self,
        ctx: &Context<'_>,
        input: EnrolKeyInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::Enrol(EnrolKey {
            user: user(&input.user)?,
            key: key(&input.key)?,
            device: text(&input.device)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `key.approve`: an admin of the user's organisation activates a key.
    async fn approve_key(
        &self,
        ctx: &Context<'_>,
        input: ApproveKeyInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::Approve(ApproveKey {
            user: user(&input.user)?,
            key: key(&input.key)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `role.grant`.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        input: RoleInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::Grant(RoleChange {
            user: user(&input.user)?,
            role: input.role.into(),
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `role.revoke`.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        input: RoleInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::RevokeRole(RoleChange {
            user: user(&input.user)?,
            role: input.role.into(),
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `key.rotate`: signed by the key being replaced.
    async fn rotate_key(
        &self,
        ctx: &Context<'_>,
        input: RotateKeyInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::Rotate(RotateKey {
            key: key(&input.key)?,
            new_key: key(&input.new_key)?,
        });
        run(ctx, tx, signature, vec![]).await
    }

    /// `key.revoke`.
    async fn revoke_key(
        &self,
        ctx: &Context<'_>,
        input: RevokeKeyInput,
        signature: SignatureInput,
    ) -> async_graphql::Result<TxReceipt> {
        let tx = MembershipTx::RevokeKey(RevokeKey {
            key: key(&input.key)?,
            reason: text(&input.reason)?,
        });
        run(ctx, tx, signature, vec![]).await
    }
}
