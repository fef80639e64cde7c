//! Submitting a signed transaction on behalf of a signed-in user: the one
//! place that checks the session may use the signing key, rebuilds the
//! transaction from typed input, and hands it to the sequencer.

use godown_domain::ErrorCode;
use godown_domain::{MembershipTx, Tx};
use godown_ledger::{PublicKey, Signature, Transaction};

use crate::error::ApiError;
use crate::node::{Node, Receipt, SideEffect};
use crate::session::{Scope, Viewer};
use crate::store::projection;

/// A detached signature as a client sends it.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Standard base64 of the signing key.
    pub key: String,
    /// The transaction's nonce.
    pub nonce: String,
    /// Standard base64 of the signature.
    pub signature: String,
    /// The ledger origin the client says it signed for, if it says.
    pub origin: Option<String>,
}

/// Submits a transaction of any contract signed by a key of `viewer`'s user.
pub async fn transaction(
    node: &Node,
    viewer: &Viewer,
    tx: &Tx,
    signed: &Signed,
    side_effects: Vec<SideEffect>,
) -> Result<Receipt, ApiError> {
    // Said before the signature is checked: a signature for another ledger
    // would only fail to verify, which says less.
    if let Some(origin) = &signed.origin
        && origin != node.origin()
    {
        return Err(ApiError::new(
            ErrorCode::WrongOrigin,
            format!(
                "signed for {origin:?}, not this ledger ({:?}); ask `ledger {{ origin }}`",
                node.origin()
            ),
        ));
    }
    let key = PublicKey::from_base64(&signed.key)
        .map_err(|e| ApiError::bad_request(format!("signature.key: {e}")))?;
    let signature = Signature::from_base64(&signed.signature)
        .map_err(|e| ApiError::bad_request(format!("signature.signature: {e}")))?;
    if signed.nonce.is_empty() || signed.nonce.len() > godown_ledger::entry::MAX_NONCE_LEN {
        return Err(ApiError::bad_request(
            "signature.nonce must have 1 to 256 bytes",
        ));
    }
    check_signer(node, viewer, tx, &key).await?;
    let transaction = Transaction::new(node.origin(), tx.tx_type(), &signed.nonce, tx.body())
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let receipt = node
        .submit(transaction, signature, key, side_effects)
        .await?;
    tracing::info!(index = receipt.index, tx_type = %receipt.tx_type, user = %viewer.user, "appended");
    Ok(receipt)
}

/// A mutation needs a signature by a key of the signed-in user: an active
/// key of theirs, or, to enrol a key, that new key in their own name.
async fn check_signer(
    node: &Node,
    viewer: &Viewer,
    tx: &Tx,
    key: &PublicKey,
) -> Result<(), ApiError> {
    if let Tx::Membership(MembershipTx::Enrol(enrol)) = tx {
        if enrol.user != viewer.user {
            return Err(ApiError::new(
                ErrorCode::WrongKey,
                "a key can only be enrolled in the signed-in user's own name",
            ));
        }
        if enrol.key.0 != *key {
            return Err(ApiError::new(
                ErrorCode::WrongKey,
                "a key enrols itself: sign with the key being enrolled",
            ));
        }
        if viewer.scope == Scope::Enrol && viewer.key != *key {
            return Err(ApiError::new(
                ErrorCode::WrongKey,
                "this invitation session enrols the key it was opened with",
            ));
        }
        return Ok(());
    }
    if viewer.scope != Scope::Full {
        return Err(ApiError::forbidden("this session may only enrol its key"));
    }
    let record = projection::key(node.db().conn(), &key.to_bytes()).await?;
    match record {
        Some(record) if record.user == viewer.user => Ok(()),
        _ => Err(ApiError::new(
            ErrorCode::WrongKey,
            "the signing key is not a key of the signed-in user",
        )),
    }
}
