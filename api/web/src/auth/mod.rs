//! Sessions: a member proves possession of an enrolled key by signing a
//! challenge and receives a short-lived token (a JWT); every request then
//! carries the token, and every mutation also carries a transaction signed by
//! a key of that same user.

pub mod routes;

use godown_domain::ErrorCode;
use godown_ledger::PublicKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use godown_node::node::{Node, clock};
pub use godown_node::session::{
    Scope, Viewer, invitation_message, key_holder, login_message, org_in_good_standing,
};
use godown_node::store::projection;

/// How long a token lives.
pub const TOKEN_SECONDS: i64 = 15 * 60;

/// The claims of a session token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The ledger's origin.
    pub iss: String,
    /// The user.
    pub sub: String,
    /// The user's organisation.
    pub org: String,
    /// The key that signed in, standard base64.
    pub key: String,
    /// What the token allows.
    pub scope: Scope,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
}

/// Issues a token for `user` of `org`, signed in with `key`.
pub fn issue(
    node: &Node,
    user: &str,
    org: &str,
    key: &PublicKey,
    scope: Scope,
) -> Result<(String, i64), ApiError> {
    let now = clock::now_ms() / 1000;
    let claims = Claims {
        iss: node.origin().to_owned(),
        sub: user.to_owned(),
        org: org.to_owned(),
        key: key.to_base64(),
        scope,
        iat: now,
        exp: now + TOKEN_SECONDS,
    };
    let token = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(node.session_secret()),
    )
    .map_err(|e| ApiError::internal(&e))?;
    Ok((token, claims.exp))
}

/// Checks a token's signature, issuer and expiry. A token signed with the
/// secret before the last rotation is still good until it expires, so a
/// rotation logs no one out: such a session refreshes into one signed with
/// the new secret.
pub fn decode(node: &Node, token: &str) -> Result<Claims, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[node.origin()]);
    validation.leeway = 0;
    let with = |secret: &[u8; 32]| {
        jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
    };
    let decoded = match (with(node.session_secret()), node.previous_session_secret()) {
        (Err(e), Some(previous))
            if *e.kind() == jsonwebtoken::errors::ErrorKind::InvalidSignature =>
        {
            with(previous)
        }
        (decoded, _) => decoded,
    };
    decoded.map(|data| data.claims).map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
            ApiError::unauthenticated("the session token has expired; sign in again")
        }
        _ => ApiError::unauthenticated("the session token is not valid"),
    })
}

/// The viewer behind a token: valid, and still backed by an active key of
/// an active user of an organisation that is not suspended. A revoked key
/// or a suspended organisation ends its sessions at once.
pub async fn viewer(node: &Node, token: &str) -> Result<Viewer, ApiError> {
    let claims = decode(node, token)?;
    let key = PublicKey::from_base64(&claims.key)
        .map_err(|_| ApiError::unauthenticated("the session token is not valid"))?;
    let (user, org) = match claims.scope {
        Scope::Full => {
            let (user, org) = key_holder(node, &key).await?;
            if user.id.as_str() != claims.sub {
                return Err(ApiError::new(
                    ErrorCode::KeyNotActive,
                    "the key this session signed in with is no longer the user's",
                ));
            }
            (user, org)
        }
        // An invitation session's key is not enrolled yet: only its user
        // and organisation can be checked.
        Scope::Enrol => {
            let user = projection::user(node.db().conn(), &claims.sub)
                .await?
                .ok_or_else(|| ApiError::unauthenticated("the session's user does not exist"))?;
            let org = org_in_good_standing(node, user.org.as_str()).await?;
            (user, org)
        }
    };
    Ok(Viewer {
        user: user.id,
        org: org.id,
        org_kind: org.kind,
        key,
        scope: claims.scope,
    })
}

/// The bearer token of an `Authorization` header, if there is one.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}
