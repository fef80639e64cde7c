//! `/auth/challenge`, `/auth/login`, `/auth/refresh` and `/auth/invitation`.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use godown_domain::ErrorCode;
use godown_domain::Timestamp;
use godown_ledger::{PublicKey, Signature};
use rand_core::{OsRng, RngCore as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::{Scope, bearer, decode, invitation_message, issue, key_holder, login_message, viewer};
use crate::error::{ApiError, JsonError};
use crate::http::AppState;
use godown_node::node::clock;
use godown_node::store::{projection, sessions};

/// How long a challenge may wait for its login.
const CHALLENGE_MS: i64 = 2 * 60 * 1000;

/// A fresh challenge.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeResponse {
    challenge: String,
    expires_at: String,
}

/// A signed challenge.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    key: String,
    challenge: String,
    signature: String,
}

/// A signed invitation token.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    token: String,
    key: String,
    signature: String,
}

/// A session.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionResponse {
    token: String,
    expires_at: String,
    user: String,
    org: String,
    scope: &'static str,
}

fn random_b64() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| ApiError::internal(&e))?;
    Ok(STANDARD.encode(bytes))
}

fn session(
    node: &godown_node::node::Node,
    user: &str,
    org: &str,
    key: &PublicKey,
    scope: Scope,
) -> Result<Json<SessionResponse>, JsonError> {
    let (token, exp) = issue(node, user, org, key, scope)?;
    Ok(Json(SessionResponse {
        token,
        expires_at: Timestamp::from_unix_millis(exp * 1000).to_string(),
        user: user.to_owned(),
        org: org.to_owned(),
        scope: scope.as_str(),
    }))
}

/// The key, once its signature over `message` verifies.
fn signed_by(
    key: &str,
    signature: &str,
    message: &[u8],
    what: &str,
) -> Result<PublicKey, ApiError> {
    let (key, signature) = parse_key_and_signature(key, signature)?;
    if key.verify(message, &signature) {
        Ok(key)
    } else {
        Err(ApiError::new(
            ErrorCode::BadSignature,
            format!("the signature does not verify over the {what}"),
        ))
    }
}

fn parse_key_and_signature(key: &str, signature: &str) -> Result<(PublicKey, Signature), ApiError> {
    let key =
        PublicKey::from_base64(key).map_err(|e| ApiError::bad_request(format!("key: {e}")))?;
    let signature = Signature::from_base64(signature)
        .map_err(|e| ApiError::bad_request(format!("signature: {e}")))?;
    Ok((key, signature))
}

/// `POST /auth/challenge`
#[tracing::instrument(skip_all)]
pub async fn challenge(State(app): State<AppState>) -> Result<Json<ChallengeResponse>, JsonError> {
    let challenge = random_b64()?;
    let now = clock::now_ms();
    let expires = now + CHALLENGE_MS;
    let db = app.node.db().conn();
    sessions::purge_challenges(db, now).await?;
    sessions::insert_challenge(db, &challenge, expires).await?;
    Ok(Json(ChallengeResponse {
        challenge,
        expires_at: Timestamp::from_unix_millis(expires).to_string(),
    }))
}

/// `POST /auth/login`
#[tracing::instrument(skip_all)]
pub async fn login(
    State(app): State<AppState>,
    Json(request): Json<LoginRequest>,
) -> Result<Json<SessionResponse>, JsonError> {
    let node = &app.node;
    let message = login_message(node.origin(), &request.challenge);
    let key = signed_by(&request.key, &request.signature, &message, "challenge")?;
    let db = node.db().conn();
    if !sessions::consume_challenge(db, &request.challenge, clock::now_ms()).await? {
        return Err(ApiError::unauthenticated(
            "the challenge is unknown, used or expired; ask for a new one",
        )
        .into());
    }
    let (user, org) = key_holder(node, &key).await?;
    tracing::info!(user = %user.id, "signed in");
    session(node, user.id.as_str(), org.id.as_str(), &key, Scope::Full)
}

/// `POST /auth/refresh`
#[tracing::instrument(skip_all)]
pub async fn refresh(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<SessionResponse>, JsonError> {
    let token = bearer(&headers).ok_or_else(|| ApiError::unauthenticated("no session token"))?;
    let claims = decode(&app.node, token)?;
    let viewer = viewer(&app.node, token).await?;
    session(
        &app.node,
        viewer.user.as_str(),
        viewer.org.as_str(),
        &viewer.key,
        claims.scope,
    )
}

/// `POST /auth/invitation`
#[tracing::instrument(skip_all)]
pub async fn invitation(
    State(app): State<AppState>,
    Json(request): Json<InvitationRequest>,
) -> Result<Json<SessionResponse>, JsonError> {
    let node = &app.node;
    let message = invitation_message(node.origin(), &request.token);
    let key = signed_by(&request.key, &request.signature, &message, "invitation")?;
    let hash: [u8; 32] = Sha256::digest(request.token.as_bytes()).into();
    let db = node.db().conn();
    let invitation = sessions::invitation(db, &hash)
        .await?
        .ok_or_else(|| ApiError::unauthenticated("this invitation does not exist"))?;
    if !sessions::use_invitation(db, &hash, clock::now_ms()).await? {
        return Err(ApiError::unauthenticated("this invitation was used or has expired").into());
    }
    let user = projection::user(db, &invitation.user)
        .await?
        .ok_or_else(|| ApiError::internal(&"an invitation's user is missing"))?;
    session(
        node,
        user.id.as_str(),
        user.org.as_str(),
        &key,
        Scope::Enrol,
    )
}
