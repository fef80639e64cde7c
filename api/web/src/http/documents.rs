//! Supporting documents (weighbridge tickets, photos, certificates): the
//! node keeps the files, the ledger names each by its SHA-256.
//!
//! - `POST /documents` with a bearer token and the file as the body stores
//!   it and answers `{"sha256": "<64 hex>"}`.
//! - `GET /documents/{sha256}` returns it to the uploader's organisation,
//!   the regulator, and whoever may see a lot that names it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use godown_domain::DocHash;

use super::AppState;
use crate::auth::{self, Viewer};
use crate::error::{ApiError, JsonError};
use godown_node::node::clock;
use godown_node::store::projection;
use godown_node::store::receipts::{self, Document};
use godown_node::visibility::{may_see_lot, may_see_proposals, require_full, sees_everything};

/// Largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

async fn signed_in(app: &AppState, headers: &HeaderMap) -> Result<Viewer, ApiError> {
    let token = auth::bearer(headers)
        .ok_or_else(|| ApiError::unauthenticated("a bearer token is required"))?;
    let viewer = auth::viewer(&app.node, token).await?;
    require_full(&viewer)?;
    Ok(viewer)
}

/// Media types are kept as given, so they must be plain enough to send back.
fn media_type(headers: &HeaderMap) -> Result<String, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok("application/octet-stream".to_owned());
    };
    value
        .to_str()
        .ok()
        .filter(|t| {
            !t.is_empty() && t.len() <= 100 && t.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        })
        .map(str::to_owned)
        .ok_or_else(|| ApiError::bad_request("the Content-Type is not a plain media type"))
}

/// `POST /documents`
pub async fn upload(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<serde_json::Value>, JsonError> {
    let viewer = signed_in(&app, &headers).await?;
    if body.is_empty() {
        return Err(ApiError::bad_request("the document is empty").into());
    }
    let sha256 = receipts::document_name(&body);
    let doc = Document {
        sha256: sha256.clone(),
        content_type: media_type(&headers)?,
        bytes: body.to_vec(),
        uploaded_by: viewer.user.to_string(),
        org: viewer.org.clone(),
    };
    receipts::insert_document(app.node.db().conn(), &doc, clock::now_ms()).await?;
    tracing::info!(sha256, bytes = doc.bytes.len(), user = %viewer.user, "document stored");
    Ok(Json(serde_json::json!({ "sha256": sha256 })))
}

/// `GET /documents/{sha256}`
pub async fn download(
    State(app): State<AppState>,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Result<Response, JsonError> {
    let viewer = signed_in(&app, &headers).await?;
    let hash = DocHash::parse(&hash)?;
    let db = app.node.db().conn();
    let doc = receipts::document(db, hash.as_str())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no document {hash}")))?;
    let mut allowed = doc.org == viewer.org || sees_everything(&viewer);
    if !allowed {
        for lot in receipts::lots_naming(db, hash.as_str()).await? {
            let of_lot = receipts::receipts_of_lot(db, lot.id.as_str()).await?;
            if may_see_lot(&viewer, &lot, &of_lot) {
                allowed = true;
                break;
            }
        }
    }
    if !allowed && may_see_proposals(&viewer) {
        allowed = projection::all_proposals(db)
            .await?
            .iter()
            .any(|p| p.documents.contains(&hash));
    }
    if !allowed {
        return Err(ApiError::forbidden(format!(
            "document {hash} is visible to its uploader's organisation, the regulator, those who may see a lot that names it, and every member when a proposal names it"
        ))
        .into());
    }
    let content_type = HeaderValue::from_str(&doc.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    // Uploaded files are never rendered as pages of the dashboard's origin.
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        doc.bytes,
    )
        .into_response())
}
