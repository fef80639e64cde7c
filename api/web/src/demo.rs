//! The demo directory: on a demo node only, the demo users and their public
//! demo keys, so the dashboard can offer one-click demo logins. The binary
//! seeds the consortium and fills the directory; the web edge serves it.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::error::{ApiError, JsonError};
use crate::http::AppState;

/// A demo user, with the demo key the dashboard signs in with.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoUser {
    /// The user id.
    pub user: String,
    /// Their name.
    pub name: String,
    /// Their organisation's id.
    pub org: String,
    /// Their organisation's name.
    pub org_name: String,
    /// What their organisation is.
    pub org_kind: String,
    /// Their roles.
    pub roles: Vec<String>,
    /// Standard base64 of the PKCS#8 DER of their public demo key.
    pub pkcs8: String,
}

/// Every demo user.
#[derive(Debug, Clone, Default)]
pub struct DemoDirectory {
    /// The users, organisation by organisation.
    pub users: Vec<DemoUser>,
}

/// `GET /demo/users`: only a demo node answers.
pub async fn users(State(app): State<AppState>) -> Result<Json<Vec<DemoUser>>, JsonError> {
    match &app.demo {
        Some(directory) => Ok(Json(directory.users.clone())),
        None => Err(ApiError::not_found("this node is not a demo node").into()),
    }
}

/// The directory, shared.
pub type SharedDirectory = Arc<DemoDirectory>;
