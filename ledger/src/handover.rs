//! Log key rotation: the `log.handover` entry by which the log's key in
//! force names its successor.
//!
//! A hand-over is an ordinary entry (a transaction, its signature and the
//! signer's key), with three differences a verifier checks:
//!
//! - it is signed by the log key in force, not by a member's key;
//! - its body pins everything before it: `size` is the entry's own index
//!   (the size of the log before it) and `root` the RFC 6962 root over
//!   those entries, so the old key vouches for the whole prefix;
//! - from it on, the key it names (`vkey`, a signed-note vkey named after
//!   the origin) signs the log's checkpoints: the checkpoint of a size
//!   must verify under the key in force after that size's last entry.
//!
//! ```json
//! {"origin": "…", "type": "log.handover", "nonce": "log.handover/41",
//!  "body": {"vkey": "origin+1a2b3c4d+AX…", "size": 41, "root": "base64…"}}
//! ```
//!
//! [`KeyChain`] follows the hand-overs of a log in order, so a verifier who
//! trusts any key of the chain (the one the ledger was founded with, say)
//! ends with the key that must sign the newest checkpoint.

use serde_json::{Map, Value};

use crate::entry::Entry;
use crate::hash::Hash;
use crate::vkey::{KeyKind, VerifierKey};

/// The transaction type of a hand-over.
pub const HANDOVER_TYPE: &str = "log.handover";

/// A hand-over's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    /// The key that signs from this entry on.
    pub vkey: VerifierKey,
    /// The size of the log before the hand-over: its own index.
    pub size: u64,
    /// The root over the entries before it.
    pub root: Hash,
}

/// Why a hand-over was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandoverError {
    /// The body is not exactly `vkey`, `size` and `root`, well formed.
    #[error("malformed log.handover body: {0}")]
    Malformed(String),
    /// The body's size is not the entry's index.
    #[error("the hand-over at entry {index} says the log held {size} entries before it")]
    WrongSize {
        /// The entry's index.
        index: u64,
        /// The size in its body.
        size: u64,
    },
    /// The body's root is not the root over the entries before it.
    #[error(
        "the hand-over at entry {index} pins root {said}, but the entries before it hash to {computed}"
    )]
    WrongRoot {
        /// The entry's index.
        index: u64,
        /// The root in its body.
        said: Hash,
        /// The root over the entries before it.
        computed: Hash,
    },
    /// Signed by another key than the log key in force.
    #[error(
        "the hand-over at entry {index} is signed by {signer}, not by the log key in force {current}"
    )]
    WrongSigner {
        /// The entry's index.
        index: u64,
        /// The key that signed it, in base64.
        signer: String,
        /// The log key in force.
        current: String,
    },
    /// The new key is not a signed-note key named after the origin, or it
    /// signed for this log before.
    #[error("the hand-over at entry {index} names an unusable key {vkey}: {why}")]
    BadKey {
        /// The entry's index.
        index: u64,
        /// The key named.
        vkey: String,
        /// What is wrong with it.
        why: &'static str,
    },
}

impl HandoverError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "BAD_HANDOVER",
            Self::WrongSize { .. } => "HANDOVER_WRONG_SIZE",
            Self::WrongRoot { .. } => "HANDOVER_WRONG_ROOT",
            Self::WrongSigner { .. } => "HANDOVER_WRONG_SIGNER",
            Self::BadKey { .. } => "HANDOVER_BAD_KEY",
        }
    }
}

impl Handover {
    /// Parses a hand-over body: exactly `vkey` (a signed-note vkey),
    /// `size` (an integer) and `root` (base64 of 32 bytes).
    pub fn parse(body: &Map<String, Value>) -> Result<Self, HandoverError> {
        let bad = |why: &str| HandoverError::Malformed(why.to_owned());
        if let Some(other) = body
            .keys()
            .find(|k| !matches!(k.as_str(), "vkey" | "size" | "root"))
        {
            return Err(bad(&format!("unknown member {other:?}")));
        }
        let vkey = body
            .get("vkey")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("vkey must be a string"))?;
        let vkey = VerifierKey::parse(vkey).map_err(|e| bad(&format!("vkey: {e}")))?;
        if vkey.kind() != KeyKind::Note {
            return Err(bad("vkey must be a signed-note (type 0x01) key"));
        }
        let size = body
            .get("size")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("size must be a non-negative integer"))?;
        let root = body
            .get("root")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("root must be a string"))?;
        let root = Hash::from_base64(root).map_err(|_| bad("root must be base64 of 32 bytes"))?;
        Ok(Self { vkey, size, root })
    }

    /// The body, as signed.
    pub fn body(&self) -> Map<String, Value> {
        let mut body = Map::new();
        body.insert("vkey".into(), Value::String(self.vkey.to_string()));
        body.insert("size".into(), Value::from(self.size));
        body.insert("root".into(), Value::String(self.root.to_base64()));
        body
    }

    /// The hand-over an entry carries: `None` for entries of other types.
    pub fn of_entry(entry: &Entry) -> Option<Result<Self, HandoverError>> {
        (entry.tx_type() == HANDOVER_TYPE).then(|| {
            let tx = entry
                .transaction()
                .map_err(|e| HandoverError::Malformed(e.to_string()))?;
            tx.body()
                .ok_or_else(|| HandoverError::Malformed("the body must be an object".into()))
                .and_then(Self::parse)
        })
    }

    /// The nonce the node gives the hand-over at `size`: one per size, so a
    /// hand-over cannot be replayed elsewhere in the log.
    pub fn nonce(size: u64) -> String {
        format!("{HANDOVER_TYPE}/{size}")
    }
}

/// The log keys a log's hand-overs establish, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyChain {
    origin: String,
    /// The key the first hand-over was signed with, then each successor.
    keys: Vec<(VerifierKey, Option<u64>)>,
}

impl KeyChain {
    /// A chain with no hand-over seen yet, for the log `origin`.
    pub fn new(origin: &str) -> Self {
        Self {
            origin: origin.to_owned(),
            keys: Vec::new(),
        }
    }

    /// Checks the hand-over `entry` at `index`, the entries before it
    /// hashing to `prefix_root`, and makes the key it names the one in
    /// force. The first hand-over's signer becomes the chain's first key.
    pub fn follow(
        &mut self,
        index: u64,
        prefix_root: Hash,
        entry: &Entry,
        handover: &Handover,
    ) -> Result<(), HandoverError> {
        if handover.size != index {
            return Err(HandoverError::WrongSize {
                index,
                size: handover.size,
            });
        }
        if handover.root != prefix_root {
            return Err(HandoverError::WrongRoot {
                index,
                said: handover.root,
                computed: prefix_root,
            });
        }
        let signer = match self.current() {
            Some(current) => current.clone(),
            None => VerifierKey::new(&self.origin, KeyKind::Note, *entry.key())
                .map_err(|_| HandoverError::Malformed("the origin cannot name a log key".into()))?,
        };
        if signer.public_key() != entry.key() {
            return Err(HandoverError::WrongSigner {
                index,
                signer: entry.key().to_base64(),
                current: signer.to_string(),
            });
        }
        let bad_key = |why| HandoverError::BadKey {
            index,
            vkey: handover.vkey.to_string(),
            why,
        };
        if handover.vkey.name() != self.origin {
            return Err(bad_key("it is not named after the log's origin"));
        }
        if handover.vkey.public_key() == signer.public_key()
            || self
                .keys
                .iter()
                .any(|(k, _)| k.public_key() == handover.vkey.public_key())
        {
            return Err(bad_key("it signed for this log before"));
        }
        if self.keys.is_empty() {
            self.keys.push((signer, None));
        }
        self.keys.push((handover.vkey.clone(), Some(index)));
        Ok(())
    }

    /// The key in force after the hand-overs seen, if there was one.
    pub fn current(&self) -> Option<&VerifierKey> {
        self.keys.last().map(|(k, _)| k)
    }

    /// Every key of the chain, oldest first, each with the index of the
    /// hand-over that brought it in (`None` for the first).
    pub fn keys(&self) -> &[(VerifierKey, Option<u64>)] {
        &self.keys
    }

    /// Whether `vkey` is one of the chain's keys.
    pub fn contains(&self, vkey: &VerifierKey) -> bool {
        self.keys.iter().any(|(k, _)| k == vkey)
    }

    /// Whether no hand-over was seen.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Transaction;
    use crate::hash::leaf_hash;
    use crate::keys::PrivateKey;

    const ORIGIN: &str = "handover.test/log";

    fn vkey(seed: u8) -> VerifierKey {
        VerifierKey::new(
            ORIGIN,
            KeyKind::Note,
            PrivateKey::from_seed(&[seed; 32]).public_key(),
        )
        .unwrap()
    }

    fn entry(signer: u8, handover: &Handover) -> Entry {
        let key = PrivateKey::from_seed(&[signer; 32]);
        let tx = Transaction::new(
            ORIGIN,
            HANDOVER_TYPE,
            &Handover::nonce(handover.size),
            handover.body(),
        )
        .unwrap();
        let signature = key.sign(&tx.signing_bytes());
        Entry::new(&tx, signature, key.public_key(), Map::new()).unwrap()
    }

    fn handover(to: u8, size: u64, root: Hash) -> Handover {
        Handover {
            vkey: vkey(to),
            size,
            root,
        }
    }

    #[test]
    fn a_hand_over_body_reads_back_as_it_was_written() {
        let h = handover(2, 7, leaf_hash(b"x"));
        assert_eq!(Handover::parse(&h.body()).unwrap(), h);
        let e = entry(1, &h);
        assert_eq!(Handover::of_entry(&e).unwrap().unwrap(), h);
    }

    #[test]
    fn hand_over_bodies_with_missing_extra_or_mistyped_members_are_refused() {
        let good = handover(2, 7, leaf_hash(b"x")).body();
        let mut cases = Vec::new();
        for member in ["vkey", "size", "root"] {
            let mut b = good.clone();
            b.remove(member);
            cases.push(b);
        }
        let mut extra = good.clone();
        extra.insert("note".into(), Value::from("x"));
        cases.push(extra);
        let mut text_size = good.clone();
        text_size.insert("size".into(), Value::from("7"));
        cases.push(text_size);
        let mut short_root = good.clone();
        short_root.insert("root".into(), Value::from("AAAA"));
        cases.push(short_root);
        let mut witness_key = good.clone();
        let w = VerifierKey::new(
            ORIGIN,
            KeyKind::Cosignature,
            PrivateKey::from_seed(&[5; 32]).public_key(),
        )
        .unwrap();
        witness_key.insert("vkey".into(), Value::from(w.to_string()));
        cases.push(witness_key);
        for body in cases {
            assert_eq!(
                Handover::parse(&body).unwrap_err().code(),
                "BAD_HANDOVER",
                "{body:?}"
            );
        }
    }

    #[test]
    fn a_chain_follows_each_hand_over_signed_by_the_key_in_force() {
        let mut chain = KeyChain::new(ORIGIN);
        let root = leaf_hash(b"prefix");
        let first = handover(2, 3, root);
        chain.follow(3, root, &entry(1, &first), &first).unwrap();
        let second = handover(3, 9, root);
        chain.follow(9, root, &entry(2, &second), &second).unwrap();
        assert_eq!(chain.current(), Some(&vkey(3)));
        let keys: Vec<_> = chain
            .keys()
            .iter()
            .map(|(k, at)| (k.clone(), *at))
            .collect();
        assert_eq!(
            keys,
            vec![(vkey(1), None), (vkey(2), Some(3)), (vkey(3), Some(9))]
        );
        assert!(chain.contains(&vkey(1)));
        assert!(!chain.contains(&vkey(4)));
    }

    #[test]
    fn a_hand_over_by_a_retired_key_is_refused() {
        let mut chain = KeyChain::new(ORIGIN);
        let root = leaf_hash(b"prefix");
        let first = handover(2, 3, root);
        chain.follow(3, root, &entry(1, &first), &first).unwrap();
        let again = handover(4, 5, root);
        let err = chain
            .follow(5, root, &entry(1, &again), &again)
            .unwrap_err();
        assert_eq!(err.code(), "HANDOVER_WRONG_SIGNER");
        assert_eq!(chain.current(), Some(&vkey(2)));
    }

    #[test]
    fn a_hand_over_must_pin_its_own_index_and_the_root_before_it() {
        let mut chain = KeyChain::new(ORIGIN);
        let root = leaf_hash(b"prefix");
        let h = handover(2, 3, root);
        assert_eq!(
            chain.follow(4, root, &entry(1, &h), &h).unwrap_err().code(),
            "HANDOVER_WRONG_SIZE"
        );
        assert_eq!(
            chain
                .follow(3, leaf_hash(b"other"), &entry(1, &h), &h)
                .unwrap_err()
                .code(),
            "HANDOVER_WRONG_ROOT"
        );
        assert!(chain.is_empty());
    }

    #[test]
    fn a_hand_over_to_a_key_that_signed_before_or_to_another_log_is_refused() {
        let mut chain = KeyChain::new(ORIGIN);
        let root = leaf_hash(b"prefix");
        let to_itself = handover(1, 3, root);
        assert_eq!(
            chain
                .follow(3, root, &entry(1, &to_itself), &to_itself)
                .unwrap_err()
                .code(),
            "HANDOVER_BAD_KEY"
        );
        let first = handover(2, 3, root);
        chain.follow(3, root, &entry(1, &first), &first).unwrap();
        let back = handover(1, 6, root);
        assert_eq!(
            chain
                .follow(6, root, &entry(2, &back), &back)
                .unwrap_err()
                .code(),
            "HANDOVER_BAD_KEY"
        );
        let elsewhere = Handover {
            vkey: VerifierKey::new(
                "other.test/log",
                KeyKind::Note,
                PrivateKey::from_seed(&[7; 32]).public_key(),
            )
            .unwrap(),
            size: 6,
            root,
        };
        assert_eq!(
            chain
                .follow(6, root, &entry(2, &elsewhere), &elsewhere)
                .unwrap_err()
                .code(),
            "HANDOVER_BAD_KEY"
        );
    }
}
