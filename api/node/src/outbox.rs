//! What the outbox holds: one typed message per row, written in the same
//! database transaction as the entry that caused it, and decoded by whoever
//! delivers it. The sequencer writes messages; it never calls a mailer, so
//! the node core knows nothing of how a message leaves.
//!
//! The rows keep the shape they always had (a `kind` word and a JSON
//! payload), so a database written before the types existed still decodes.

use godown_domain::{LoanEvent, Notice};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use crate::store::{StoreError, ledger};

/// An invitation to join: the address lives only here and in
/// `user_contacts`, never on the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    /// The invited user's id.
    pub user: String,
    /// Where the invitation goes.
    pub email: String,
    /// The inviting organisation.
    pub org: String,
    /// The invited user's name.
    pub name: String,
}

/// A receipts-contract notice: which receipt, and which organisation hears
/// of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptNotice {
    /// The receipt.
    pub receipt: String,
    /// The organisation told.
    pub org: String,
    /// The lot, for a shortfall.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot: Option<String>,
}

/// A loan notice: a contract event, or a reminder that time called for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanNotice {
    /// The loan.
    pub loan: String,
    /// The organisation told.
    pub org: String,
    /// What happened, or what time calls for (`maturity_near`, `overdue`).
    pub event: LoanEvent,
}

/// One outbox message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// `invitation`.
    Invitation(Invitation),
    /// `receipt_issued`: tell the depositor.
    ReceiptIssued(ReceiptNotice),
    /// `transfer_requested`: the warehouse must countersign.
    TransferRequested(ReceiptNotice),
    /// `shortfall_found`: tell the pledgee bank.
    ShortfallFound(ReceiptNotice),
    /// `loan`.
    Loan(LoanNotice),
}

/// A row that does not decode: its kind is unknown or its payload malformed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("outbox message of kind {kind:?} does not decode: {reason}")]
pub struct DecodeError {
    /// The row's kind.
    pub kind: String,
    /// Why.
    pub reason: String,
}

impl Message {
    /// The message a contract's notice asks for.
    pub fn of_notice(notice: &Notice) -> Self {
        match notice {
            Notice::ReceiptIssued { receipt, depositor } => Self::ReceiptIssued(ReceiptNotice {
                receipt: receipt.to_string(),
                org: depositor.to_string(),
                lot: None,
            }),
            Notice::TransferRequested { receipt, warehouse } => {
                Self::TransferRequested(ReceiptNotice {
                    receipt: receipt.to_string(),
                    org: warehouse.to_string(),
                    lot: None,
                })
            }
            Notice::ShortfallFound { lot, receipt, bank } => Self::ShortfallFound(ReceiptNotice {
                receipt: receipt.to_string(),
                org: bank.to_string(),
                lot: Some(lot.to_string()),
            }),
            Notice::Loan { loan, to, event } => Self::Loan(LoanNotice {
                loan: loan.to_string(),
                org: to.to_string(),
                event: *event,
            }),
        }
    }

    /// The row's `kind` word.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Invitation(_) => "invitation",
            Self::ReceiptIssued(_) => "receipt_issued",
            Self::TransferRequested(_) => "transfer_requested",
            Self::ShortfallFound(_) => "shortfall_found",
            Self::Loan(_) => "loan",
        }
    }

    /// The row's JSON payload.
    pub fn payload(&self) -> String {
        let value = match self {
            Self::Invitation(m) => serde_json::to_value(m),
            Self::ReceiptIssued(m) | Self::TransferRequested(m) | Self::ShortfallFound(m) => {
                serde_json::to_value(m)
            }
            Self::Loan(m) => serde_json::to_value(m),
        };
        // Plain structs of strings always serialise.
        value.map(|v| v.to_string()).unwrap_or_default()
    }

    /// Reads a row back.
    pub fn decode(kind: &str, payload: &str) -> Result<Self, DecodeError> {
        fn parse<T: serde::de::DeserializeOwned>(
            kind: &str,
            payload: &str,
        ) -> Result<T, DecodeError> {
            serde_json::from_str(payload).map_err(|e| DecodeError {
                kind: kind.to_owned(),
                reason: e.to_string(),
            })
        }
        Ok(match kind {
            "invitation" => Self::Invitation(parse(kind, payload)?),
            "receipt_issued" => Self::ReceiptIssued(parse(kind, payload)?),
            "transfer_requested" => Self::TransferRequested(parse(kind, payload)?),
            "shortfall_found" => Self::ShortfallFound(parse(kind, payload)?),
            "loan" => Self::Loan(parse(kind, payload)?),
            other => {
                return Err(DecodeError {
                    kind: other.to_owned(),
                    reason: "unknown kind".to_owned(),
                });
            }
        })
    }
}

/// Queues `message`, caused by the entry at `entry`.
pub async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    entry: u64,
    message: &Message,
    now_ms: i64,
) -> Result<(), StoreError> {
    ledger::enqueue(conn, entry, message.kind(), &message.payload(), now_ms).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_reads_back_as_it_was_written() {
        let messages = [
            Message::Invitation(Invitation {
                user: "u".into(),
                email: "u@example.com".into(),
                org: "o".into(),
                name: "名 Name".into(),
            }),
            Message::ReceiptIssued(ReceiptNotice {
                receipt: "r".into(),
                org: "o".into(),
                lot: None,
            }),
            Message::ShortfallFound(ReceiptNotice {
                receipt: "r".into(),
                org: "b".into(),
                lot: Some("l".into()),
            }),
            Message::Loan(LoanNotice {
                loan: "l".into(),
                org: "o".into(),
                event: LoanEvent::Overdue,
            }),
        ];
        for m in messages {
            assert_eq!(Message::decode(m.kind(), &m.payload()), Ok(m));
        }
    }

    #[test]
    fn a_row_of_an_unknown_kind_or_a_malformed_payload_is_refused() {
        assert!(Message::decode("fax", "{}").is_err());
        assert!(Message::decode("loan", r#"{"loan":"l"}"#).is_err());
    }
}
