//! Transactions and ledger entries (FORMATS.md, "Transaction" and "Entry").
//!
//! A transaction is a JSON object with `origin`, `type`, `nonce` and `body`.
//! Its signer signs `godown-tx/v1\n || JCS(transaction)`. An entry wraps the
//! transaction with the signature and the signer's key; its RFC 8785 bytes
//! are the Merkle leaf.

use std::borrow::Cow;
use std::ops::Range;

use serde_json::{Map, Value};

use crate::hash::{Hash, leaf_hash};
use crate::jcs::{self, JcsError, Kind, Member};
use crate::keys::{KeyCache, KeyError, PublicKey, Signature};

/// The signing domain: what precedes the canonical transaction in the bytes
/// a member signs, so a Godown signature means nothing anywhere else.
pub const TX_DOMAIN: &[u8] = b"godown-tx/v1\n";

/// Longest nonce accepted, in bytes.
pub const MAX_NONCE_LEN: usize = 256;

/// Why an entry or transaction was refused. Each variant names the defect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// Bad JSON, a float, an unsafe integer, or bytes that are not canonical.
    #[error(transparent)]
    Json(#[from] JcsError),
    /// A required member is absent or has the wrong JSON type.
    #[error("{member} is missing or is not {want}")]
    Member {
        /// Dotted path of the member.
        member: &'static str,
        /// What it must be.
        want: &'static str,
    },
    /// `key` or `sig` is malformed, or the key is weak.
    #[error("{member}: {source}")]
    Key {
        /// Which member.
        member: &'static str,
        /// The defect.
        source: KeyError,
    },
    /// The transaction was signed for another ledger.
    #[error("transaction origin {got:?} is not this ledger's origin {want:?}")]
    WrongOrigin {
        /// The transaction's origin.
        got: String,
        /// This ledger's origin.
        want: String,
    },
    /// The signature does not verify over the transaction: the bytes were
    /// altered after signing, or the signature is forged.
    #[error("signature does not verify over the transaction: altered bytes or a forged signature")]
    BadSignature,
    /// The signature verifies, but under another key than the one named.
    #[error("signature was made by key {signer}, not by the named key {named}")]
    WrongKey {
        /// The key in the entry.
        named: String,
        /// The key that did make the signature.
        signer: String,
    },
    /// The signing key already used this nonce.
    #[error("nonce {nonce:?} was already used by this key at entry {first_index}")]
    NonceReused {
        /// The repeated nonce.
        nonce: String,
        /// Index of the entry that used it first.
        first_index: u64,
    },
}

impl EntryError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Json(e) => e.code(),
            Self::Member { .. } => "MALFORMED_ENTRY",
            Self::Key { source, .. } => source.code(),
            Self::WrongOrigin { .. } => "WRONG_ORIGIN",
            Self::BadSignature => "BAD_SIGNATURE",
            Self::WrongKey { .. } => "WRONG_KEY",
            Self::NonceReused { .. } => "NONCE_REUSED",
        }
    }
}

/// A well-formed transaction: the object a member signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Always a JSON object.
    value: Value,
}

impl Transaction {
    /// Builds a transaction from its four members.
    pub fn new(
        origin: &str,
        tx_type: &str,
        nonce: &str,
        body: Map<String, Value>,
    ) -> Result<Self, EntryError> {
        let mut object = Map::new();
        object.insert("origin".into(), Value::String(origin.into()));
        object.insert("type".into(), Value::String(tx_type.into()));
        object.insert("nonce".into(), Value::String(nonce.into()));
        object.insert("body".into(), Value::Object(body));
        Self::from_value(Value::Object(object))
    }

    /// Checks a JSON value: an object with string `origin`, `type` and
    /// `nonce`, an object `body`, and no floats anywhere.
    pub fn from_value(value: Value) -> Result<Self, EntryError> {
        let Value::Object(object) = value else {
            return Err(EntryError::Member {
                member: "tx",
                want: "an object",
            });
        };
        non_empty_str(&object, "origin", "tx.origin")?;
        non_empty_str(&object, "type", "tx.type")?;
        let nonce = non_empty_str(&object, "nonce", "tx.nonce")?;
        if nonce.len() > MAX_NONCE_LEN {
            return Err(EntryError::Member {
                member: "tx.nonce",
                want: "at most 256 bytes",
            });
        }
        if !matches!(object.get("body"), Some(Value::Object(_))) {
            return Err(EntryError::Member {
                member: "tx.body",
                want: "an object",
            });
        }
        let value = Value::Object(object);
        jcs::check_numbers(&value)?;
        Ok(Self { value })
    }

    /// The ledger this transaction was signed for.
    pub fn origin(&self) -> &str {
        self.str_member("origin")
    }

    /// The contract action, such as `receipt.issue`.
    pub fn tx_type(&self) -> &str {
        self.str_member("type")
    }

    /// Unique per signing key for the ledger's lifetime.
    pub fn nonce(&self) -> &str {
        self.str_member("nonce")
    }

    /// The action's arguments.
    pub fn body(&self) -> Option<&Map<String, Value>> {
        self.value.get("body").and_then(Value::as_object)
    }

    /// The whole object, including any extra members.
    pub fn as_value(&self) -> &Value {
        &self.value
    }

    /// `JCS(transaction)`.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        // Numbers were checked when the transaction was built.
        jcs::rfc8785(&self.value)
    }

    /// The bytes a signer signs: `godown-tx/v1\n || JCS(transaction)`.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let mut bytes = TX_DOMAIN.to_vec();
        bytes.extend_from_slice(&self.canonical_bytes());
        bytes
    }

    fn str_member(&self, name: &str) -> &str {
        self.value
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// A ledger entry: canonical bytes whose members are well formed. Its
/// signature and origin are checked separately, because signatures are best
/// checked many at a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    bytes: Vec<u8>,
    fields: Fields,
}

impl Entry {
    /// Builds an entry; `extra` members (such as the node's sequencing time)
    /// are covered by the leaf hash like the rest.
    pub fn new(
        tx: &Transaction,
        sig: Signature,
        key: PublicKey,
        extra: Map<String, Value>,
    ) -> Result<Self, EntryError> {
        let mut object = extra;
        object.insert("tx".into(), tx.value.clone());
        object.insert("sig".into(), Value::String(sig.to_base64()));
        object.insert("key".into(), Value::String(key.to_base64()));
        let bytes = jcs::canonical(&Value::Object(object))?;
        let mut keys = KeyCache::new();
        keys.insert(key);
        Self::parse_with(bytes, &mut keys)
    }

    /// Parses leaf bytes. In order, it refuses: bytes that are not JSON, any
    /// float or unsafe integer, bytes that are not canonical, then missing or
    /// malformed members.
    pub fn parse(bytes: &[u8]) -> Result<Self, EntryError> {
        Self::parse_with(bytes.to_vec(), &mut KeyCache::new())
    }

    /// Like [`Entry::parse`], parsing each distinct signer key only once.
    pub fn parse_with(bytes: Vec<u8>, keys: &mut KeyCache) -> Result<Self, EntryError> {
        let Some(members) = jcs::canonical_object(&bytes) else {
            return Err(refusal(&bytes));
        };
        let fields = Fields::read(&bytes, &members, keys)?;
        Ok(Self { bytes, fields })
    }

    /// The ledger the transaction was signed for.
    pub fn origin(&self) -> &str {
        &self.fields.origin
    }

    /// The contract action, such as `receipt.issue`.
    pub fn tx_type(&self) -> &str {
        &self.fields.tx_type
    }

    /// The transaction's nonce.
    pub fn nonce(&self) -> &str {
        &self.fields.nonce
    }

    /// The sequencing time the node stamped on the entry (its `time`
    /// member), if it has one.
    pub fn time(&self) -> Option<&str> {
        self.fields.time.as_deref()
    }

    /// The transaction, parsed, for contracts that read its body.
    pub fn transaction(&self) -> Result<Transaction, EntryError> {
        Transaction::from_value(jcs::parse(self.tx_bytes())?)
    }

    /// `JCS(transaction)`, exactly as signed.
    pub fn tx_bytes(&self) -> &[u8] {
        self.bytes.get(self.fields.tx.clone()).unwrap_or_default()
    }

    /// The bytes the signer signed: `godown-tx/v1\n || JCS(transaction)`.
    pub fn signing_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(TX_DOMAIN.len() + self.fields.tx.len());
        bytes.extend_from_slice(TX_DOMAIN);
        bytes.extend_from_slice(self.tx_bytes());
        bytes
    }

    /// The signature over the transaction.
    pub fn signature(&self) -> &Signature {
        &self.fields.sig
    }

    /// The key the entry says signed it.
    pub fn key(&self) -> &PublicKey {
        &self.fields.key
    }

    /// The canonical leaf bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// `SHA-256(0x00 || entry bytes)`.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.bytes)
    }

    /// Refuses a transaction signed for another ledger.
    pub fn check_origin(&self, origin: &str) -> Result<(), EntryError> {
        if self.fields.origin == origin {
            Ok(())
        } else {
            Err(EntryError::WrongOrigin {
                got: self.fields.origin.clone(),
                want: origin.to_owned(),
            })
        }
    }

    /// Checks this entry's signature alone. When it fails, `candidates`
    /// (other keys known to the ledger) are tried, so that a signature
    /// filed under the wrong key is reported as such.
    pub fn verify_signature<'a>(
        &self,
        candidates: impl IntoIterator<Item = &'a PublicKey>,
    ) -> Result<(), EntryError> {
        let message = self.signing_bytes();
        if self.fields.key.verify(&message, &self.fields.sig) {
            return Ok(());
        }
        Err(self.diagnose_signature(&message, candidates))
    }

    pub(crate) fn diagnose_signature<'a>(
        &self,
        message: &[u8],
        candidates: impl IntoIterator<Item = &'a PublicKey>,
    ) -> EntryError {
        candidates
            .into_iter()
            .filter(|k| **k != self.fields.key)
            .find(|k| k.verify(message, &self.fields.sig))
            .map_or(EntryError::BadSignature, |signer| EntryError::WrongKey {
                named: self.fields.key.to_base64(),
                signer: signer.to_base64(),
            })
    }
}

/// Why the scanner refused bytes, in the order JSON, numbers, canonical
/// form, shape.
fn refusal(bytes: &[u8]) -> EntryError {
    match jcs::diagnose(bytes) {
        Err(e) => EntryError::Json(e),
        Ok(Value::Object(_)) => EntryError::Json(JcsError::NotCanonical {
            detail: "refused by the canonical scanner".into(),
        }),
        Ok(_) => EntryError::Member {
            member: "entry",
            want: "an object",
        },
    }
}

/// The members of an entry, read from its scanned bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fields {
    /// Where the transaction object lies in the entry's bytes.
    tx: Range<usize>,
    origin: String,
    tx_type: String,
    nonce: String,
    time: Option<String>,
    sig: Signature,
    key: PublicKey,
}

impl Fields {
    fn read(bytes: &[u8], members: &[Member<'_>], keys: &mut KeyCache) -> Result<Self, EntryError> {
        let key = string_member(bytes, members, "key", "key")?;
        let key = keys.parse_base64(&key).map_err(|source| EntryError::Key {
            member: "key",
            source,
        })?;
        let sig = string_member(bytes, members, "sig", "sig")?;
        let sig = Signature::from_base64(&sig).map_err(|source| EntryError::Key {
            member: "sig",
            source,
        })?;
        let tx = find(members, "tx", Kind::Object).ok_or(EntryError::Member {
            member: "tx",
            want: "an object",
        })?;
        let origin = non_empty(bytes, &tx.members, "origin", "tx.origin")?;
        let tx_type = non_empty(bytes, &tx.members, "type", "tx.type")?;
        let nonce = non_empty(bytes, &tx.members, "nonce", "tx.nonce")?;
        if nonce.len() > MAX_NONCE_LEN {
            return Err(EntryError::Member {
                member: "tx.nonce",
                want: "at most 256 bytes",
            });
        }
        if find(&tx.members, "body", Kind::Object).is_none() {
            return Err(EntryError::Member {
                member: "tx.body",
                want: "an object",
            });
        }
        let time = string_member(bytes, members, "time", "time")
            .ok()
            .map(Cow::into_owned);
        Ok(Self {
            tx: tx.value.clone(),
            origin,
            tx_type,
            nonce,
            time,
            sig,
            key,
        })
    }
}

fn find<'m, 'a>(members: &'m [Member<'a>], name: &str, kind: Kind) -> Option<&'m Member<'a>> {
    members.iter().find(|m| m.name == name && m.kind == kind)
}

fn string_member<'b>(
    bytes: &'b [u8],
    members: &[Member<'_>],
    name: &str,
    member: &'static str,
) -> Result<Cow<'b, str>, EntryError> {
    find(members, name, Kind::String)
        .and_then(|m| jcs::string_value(bytes.get(m.value.clone())?))
        .ok_or(EntryError::Member {
            member,
            want: "a string",
        })
}

fn non_empty(
    bytes: &[u8],
    members: &[Member<'_>],
    name: &str,
    member: &'static str,
) -> Result<String, EntryError> {
    string_member(bytes, members, name, member)
        .ok()
        .filter(|s| !s.is_empty())
        .map(Cow::into_owned)
        .ok_or(EntryError::Member {
            member,
            want: "a non-empty string",
        })
}

fn non_empty_str<'a>(
    object: &'a Map<String, Value>,
    name: &str,
    member: &'static str,
) -> Result<&'a str, EntryError> {
    match object.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        _ => Err(EntryError::Member {
            member,
            want: "a non-empty string",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::PrivateKey;

    fn body() -> Map<String, Value> {
        let mut body = Map::new();
        body.insert("receipt".into(), Value::String("WR-1".into()));
        body.insert("quantity".into(), Value::String("25.000".into()));
        body
    }

    fn signed(key: &PrivateKey, origin: &str, nonce: &str) -> Entry {
        let tx = Transaction::new(origin, "receipt.issue", nonce, body()).unwrap();
        let sig = key.sign(&tx.signing_bytes());
        Entry::new(&tx, sig, key.public_key(), Map::new()).unwrap()
    }

    #[test]
    fn an_entry_round_trips_through_its_canonical_bytes() {
        let key = PrivateKey::from_seed(&[5; 32]);
        let entry = signed(&key, "example.com/log", "n-1");
        let parsed = Entry::parse(entry.bytes()).unwrap();
        assert_eq!(parsed, entry);
        parsed.verify_signature([]).unwrap();
        parsed.check_origin("example.com/log").unwrap();
    }

    #[test]
    fn the_signed_bytes_start_with_the_godown_domain() {
        let tx = Transaction::new("o", "t", "n", Map::new()).unwrap();
        assert_eq!(
            tx.signing_bytes(),
            b"godown-tx/v1\n{\"body\":{},\"nonce\":\"n\",\"origin\":\"o\",\"type\":\"t\"}".to_vec()
        );
    }

    #[test]
    fn extra_members_are_kept_and_covered_by_the_leaf_hash() {
        let key = PrivateKey::from_seed(&[5; 32]);
        let tx = Transaction::new("o", "t", "n", Map::new()).unwrap();
        let sig = key.sign(&tx.signing_bytes());
        let mut extra = Map::new();
        extra.insert("time".into(), Value::String("2026-11-22T10:00:00Z".into()));
        let with = Entry::new(&tx, sig, key.public_key(), extra).unwrap();
        let without = Entry::new(&tx, sig, key.public_key(), Map::new()).unwrap();
        assert_ne!(with.leaf_hash(), without.leaf_hash());
        assert_eq!(with.time(), Some("2026-11-22T10:00:00Z"));
        assert_eq!(without.time(), None);
        assert_eq!(Entry::parse(with.bytes()).unwrap(), with);
    }

    #[test]
    fn a_signature_filed_under_another_key_is_reported_as_the_wrong_key() {
        let signer = PrivateKey::from_seed(&[5; 32]);
        let other = PrivateKey::from_seed(&[6; 32]);
        let tx = Transaction::new("o", "t", "n", Map::new()).unwrap();
        let sig = signer.sign(&tx.signing_bytes());
        let entry = Entry::new(&tx, sig, other.public_key(), Map::new()).unwrap();
        assert_eq!(entry.verify_signature([]), Err(EntryError::BadSignature));
        let err = entry.verify_signature([&signer.public_key()]).unwrap_err();
        assert_eq!(err.code(), "WRONG_KEY");
    }

    #[test]
    fn malformed_members_are_named() {
        let cases: [(&[u8], &str); 5] = [
            (b"[]", "MALFORMED_ENTRY"),
            (br#"{"key":"AA==","sig":"AA==","tx":{}}"#, "MALFORMED_KEY"),
            (br#"{"sig":"AA==","tx":{}}"#, "MALFORMED_ENTRY"),
            (br#"{"a":1.5}"#, "FLOAT_NUMBER"),
            (br#"{"b":1,"a":2}"#, "NOT_CANONICAL"),
        ];
        for (bytes, code) in cases {
            assert_eq!(Entry::parse(bytes).unwrap_err().code(), code);
        }
    }
}
