//! Who is asking: the viewer behind a session, the rule that only an active
//! key of an active user of an organisation in good standing may sign in, and
//! the messages a key signs to sign in or take up an invitation. The tokens
//! themselves (JWT) belong to the web edge; this is what any edge shares.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use godown_domain::ErrorCode;
use godown_domain::membership::{KeyStatus, Org, OrgStatus, User, UserStatus};
use godown_domain::{OrgId, OrgKind, UserId};
use godown_ledger::PublicKey;
use rand_core::{OsRng, RngCore as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::error::ApiError;
use crate::node::Node;
use crate::store::projection;

/// What a token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Everything the user's roles allow.
    Full,
    /// Only enrolling the key named in the token, after an invitation.
    Enrol,
}

impl Scope {
    /// The scope's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Enrol => "enrol",
        }
    }
}

/// Who is making a request, as established from a valid token and the
/// current state of their key, user and organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    /// The user.
    pub user: UserId,
    /// Their organisation.
    pub org: OrgId,
    /// What their organisation is.
    pub org_kind: OrgKind,
    /// The key they signed in with.
    pub key: PublicKey,
    /// What their token allows.
    pub scope: Scope,
}

/// The user and organisation behind `key`, if the key may sign in: an
/// active key of an active user of an organisation that is not suspended.
pub async fn key_holder(node: &Node, key: &PublicKey) -> Result<(User, Org), ApiError> {
    let db = node.db().conn();
    let record = projection::key(db, &key.to_bytes())
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::KeyNotActive, "this key is not enrolled"))?;
    if record.status != KeyStatus::Active {
        return Err(ApiError::new(
            ErrorCode::KeyNotActive,
            "this key is pending approval or revoked",
        ));
    }
    let user = projection::user(db, record.user.as_str())
        .await?
        .filter(|u| u.status == UserStatus::Active)
        .ok_or_else(|| ApiError::new(ErrorCode::KeyNotActive, "this key's user is not active"))?;
    let org = org_in_good_standing(node, user.org.as_str()).await?;
    Ok((user, org))
}

/// The organisation `id`, if it is not suspended.
pub async fn org_in_good_standing(node: &Node, id: &str) -> Result<Org, ApiError> {
    let org = projection::org(node.db().conn(), id)
        .await?
        .ok_or_else(|| ApiError::internal(&"a user's organisation is missing"))?;
    if org.status == OrgStatus::Suspended {
        return Err(ApiError::new(
            ErrorCode::OrgSuspended,
            format!("organisation {} is suspended", org.id),
        ));
    }
    Ok(org)
}

/// The message a key signs to sign in.
pub fn login_message(origin: &str, challenge: &str) -> Vec<u8> {
    format!("godown-login/v1\n{origin}\n{challenge}").into_bytes()
}

/// The message a new key signs to take up an invitation.
pub fn invitation_message(origin: &str, token: &str) -> Vec<u8> {
    format!("godown-invitation/v1\n{origin}\n{token}").into_bytes()
}

/// A new invitation token and its SHA-256, URL-safe so it fits in a link.
pub fn invitation_token() -> Result<(String, [u8; 32]), ApiError> {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| ApiError::internal(&e))?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = Sha256::digest(token.as_bytes()).into();
    Ok((token, hash))
}
