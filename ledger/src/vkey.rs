//! C2SP signed-note verifier keys ("vkeys"), and the signers and verifiers
//! for log signatures (type 0x01) and witness cosignatures (type 0x04).
//!
//! `<name>+<hex key ID>+<base64(type || public key)>`, where the key ID is
//! `SHA-256(name || 0x0A || type || public key)[:4]`.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::keys::{KeyError, PrivateKey, PublicKey, Signature};

/// The header line that separates cosignatures from other signed messages
/// (C2SP tlog-cosignature, "Ed25519 signed message").
const COSIGNATURE_HEADER: &str = "cosignature/v1\n";

/// What a key signs, by its signature type byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// A signed-note Ed25519 key (type 0x01): the log's checkpoint key.
    Note,
    /// A tlog-cosignature/v1 Ed25519 key (type 0x04): a witness.
    Cosignature,
}

impl KeyKind {
    /// The signature type byte.
    pub fn type_byte(self) -> u8 {
        match self {
            Self::Note => 0x01,
            Self::Cosignature => 0x04,
        }
    }

    fn from_type_byte(byte: u8) -> Option<Self> {
        match byte {
            0x01 => Some(Self::Note),
            0x04 => Some(Self::Cosignature),
            _ => None,
        }
    }
}

/// Why a vkey was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VkeyError {
    /// Not `name+id+key`.
    #[error("a verifier key is name+keyid+base64key; {0}")]
    Format(&'static str),
    /// The name is empty or has spaces or `+`.
    #[error("key name {0:?} is empty or contains whitespace or '+'")]
    Name(String),
    /// The key ID does not match the name and key.
    #[error("key ID {got} does not match the name and key (expected {want})")]
    KeyIdMismatch {
        /// As written.
        got: String,
        /// As computed.
        want: String,
    },
    /// A signature type other than Ed25519 note (0x01) or cosignature (0x04).
    #[error(
        "unsupported signature type 0x{0:02x}; expected 0x01 (Ed25519) or 0x04 (cosignature/v1)"
    )]
    UnsupportedType(u8),
    /// The key has the wrong kind for where it is used.
    #[error("{name} is a {got:?} key where a {want:?} key is needed")]
    WrongKind {
        /// The key's name.
        name: String,
        /// Its kind.
        got: KeyKind,
        /// The kind needed here.
        want: KeyKind,
    },
    /// The public key itself is malformed or weak.
    #[error(transparent)]
    Key(#[from] KeyError),
}

impl VkeyError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Key(e) => e.code(),
            Self::WrongKind { .. } => "WRONG_KEY_KIND",
            _ => "MALFORMED_VKEY",
        }
    }
}

/// A trusted public key with its signed-note name: a log or a witness.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct VerifierKey {
    name: String,
    kind: KeyKind,
    key: PublicKey,
    id: u32,
}

/// Whether `name` may name a key: non-empty, no whitespace, no `+`
/// (C2SP signed-note). A log's origin is its key's name.
pub fn is_valid_key_name(name: &str) -> bool {
    signed_note::is_key_name_valid(name)
}

/// `SHA-256(name || 0x0A || type || key)[:4]` as a big-endian integer.
pub fn key_id(name: &str, kind: KeyKind, key: &PublicKey) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', kind.type_byte()]);
    h.update(key.to_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 4];
    first.copy_from_slice(digest.get(..4).unwrap_or(&[0; 4]));
    u32::from_be_bytes(first)
}

impl VerifierKey {
    /// The vkey for `key` under `name`.
    pub fn new(name: &str, kind: KeyKind, key: PublicKey) -> Result<Self, VkeyError> {
        if !signed_note::is_key_name_valid(name) {
            return Err(VkeyError::Name(name.to_owned()));
        }
        Ok(Self {
            name: name.to_owned(),
            kind,
            id: key_id(name, kind, &key),
            key,
        })
    }

    /// Parses `name+id+key`. Base64 may contain `+`, so only the first two
    /// `+` separate fields.
    pub fn parse(text: &str) -> Result<Self, VkeyError> {
        let text = text.trim();
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id_hex), Some(key_b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(VkeyError::Format("fewer than three '+'-separated fields"));
        };
        if id_hex.len() != 8 || !id_hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VkeyError::Format("the key ID must be 8 hex digits"));
        }
        let id = u32::from_str_radix(id_hex, 16)
            .map_err(|_| VkeyError::Format("the key ID must be 8 hex digits"))?;
        let raw = STANDARD
            .decode(key_b64)
            .map_err(|_| VkeyError::Format("the key is not standard base64"))?;
        let (&type_byte, key_bytes) = raw
            .split_first()
            .ok_or(VkeyError::Format("the key is empty"))?;
        let kind =
            KeyKind::from_type_byte(type_byte).ok_or(VkeyError::UnsupportedType(type_byte))?;
        let key = PublicKey::from_bytes(key_bytes)?;
        let vkey = Self::new(name, kind, key)?;
        if vkey.id != id {
            return Err(VkeyError::KeyIdMismatch {
                got: id_hex.to_owned(),
                want: format!("{:08x}", vkey.id),
            });
        }
        Ok(vkey)
    }

    /// The key's name; for a log, its origin.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Log key or witness key.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// The 4-byte key ID.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Refuses a key of the other kind.
    pub fn require_kind(&self, want: KeyKind) -> Result<&Self, VkeyError> {
        if self.kind == want {
            Ok(self)
        } else {
            Err(VkeyError::WrongKind {
                name: self.name.clone(),
                got: self.kind,
                want,
            })
        }
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = Vec::with_capacity(33);
        raw.push(self.kind.type_byte());
        raw.extend_from_slice(&self.key.to_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.id, STANDARD.encode(raw))
    }
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

impl FromStr for VerifierKey {
    type Err = VkeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The message a cosigner signs: header, time line, then the note text.
pub fn cosignature_message(timestamp: u64, note_text: &[u8]) -> Vec<u8> {
    let mut msg = format!("{COSIGNATURE_HEADER}time {timestamp}\n").into_bytes();
    msg.extend_from_slice(note_text);
    msg
}

impl signed_note::Verifier for VerifierKey {
    fn name(&self) -> &str {
        &self.name
    }

    fn key_id(&self) -> u32 {
        self.id
    }

    fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match self.kind {
            KeyKind::Note => Signature::from_bytes(sig).is_ok_and(|s| self.key.verify(msg, &s)),
            KeyKind::Cosignature => match split_cosignature(sig) {
                Some((timestamp, s)) => self.key.verify(&cosignature_message(timestamp, msg), &s),
                None => false,
            },
        }
    }
}

/// Splits `u64 big-endian timestamp || Ed25519 signature`; the timestamp
/// must not exceed 2^63 − 1 (C2SP tlog-cosignature).
pub fn split_cosignature(sig: &[u8]) -> Option<(u64, Signature)> {
    if sig.len() != 72 {
        return None;
    }
    let (ts, rest) = sig.split_at(8);
    let timestamp = u64::from_be_bytes(ts.try_into().ok()?);
    if timestamp > i64::MAX.unsigned_abs() {
        return None;
    }
    Some((timestamp, Signature::from_bytes(rest).ok()?))
}

/// Signs notes as a log (type 0x01) or cosigns them as a witness (0x04).
#[derive(Debug, Clone)]
pub struct NoteSigner {
    vkey: VerifierKey,
    key: PrivateKey,
    /// The cosignature time; the ledger never reads a clock, so the caller
    /// sets it.
    timestamp: u64,
}

impl NoteSigner {
    /// A log's checkpoint signer, named after the log's origin.
    pub fn log(origin: &str, key: PrivateKey) -> Result<Self, VkeyError> {
        Ok(Self {
            vkey: VerifierKey::new(origin, KeyKind::Note, key.public_key())?,
            key,
            timestamp: 0,
        })
    }

    /// A witness cosigner that will stamp `timestamp` (POSIX seconds).
    pub fn witness(name: &str, key: PrivateKey, timestamp: u64) -> Result<Self, VkeyError> {
        Ok(Self {
            vkey: VerifierKey::new(name, KeyKind::Cosignature, key.public_key())?,
            key,
            timestamp: timestamp.min(i64::MAX.unsigned_abs()),
        })
    }

    /// The verifier key others use to check this signer.
    pub fn verifier_key(&self) -> &VerifierKey {
        &self.vkey
    }

    /// The private key: a log's own entries (a hand-over of its key) are
    /// signed with it as transactions.
    pub fn private_key(&self) -> &PrivateKey {
        &self.key
    }
}

impl signed_note::Signer for NoteSigner {
    fn name(&self) -> &str {
        self.vkey.name()
    }

    fn key_id(&self) -> u32 {
        self.vkey.id()
    }

    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        Ok(match self.vkey.kind() {
            KeyKind::Note => self.key.sign(msg).to_bytes().to_vec(),
            KeyKind::Cosignature => {
                let sig = self.key.sign(&cosignature_message(self.timestamp, msg));
                let mut out = self.timestamp.to_be_bytes().to_vec();
                out.extend_from_slice(&sig.to_bytes());
                out
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_vkey_round_trips_and_its_key_id_is_checked() {
        let key = PrivateKey::from_seed(&[3; 32]).public_key();
        let vkey = VerifierKey::new("example.com/log", KeyKind::Note, key).unwrap();
        let text = vkey.to_string();
        assert_eq!(VerifierKey::parse(&text).unwrap(), vkey);

        let (name, rest) = text.split_once('+').unwrap();
        let tampered = format!("{name}+00000000{}", &rest[8..]);
        assert_eq!(
            VerifierKey::parse(&tampered).unwrap_err().code(),
            "MALFORMED_VKEY"
        );
    }

    #[test]
    fn malformed_vkeys_are_refused_with_a_reason() {
        for bad in [
            "",
            "name",
            "name+1234",
            "name+zzzzzzzz+AQ==",
            "na me+12345678+AQ==",
            "name+12345678+!!!",
            "name+12345678+",
        ] {
            assert!(VerifierKey::parse(bad).is_err(), "{bad:?} was accepted");
        }
        // Type 0x02 is not Ed25519.
        let mut raw = vec![0x02];
        raw.extend_from_slice(&PrivateKey::from_seed(&[3; 32]).public_key().to_bytes());
        let text = format!("n+12345678+{}", STANDARD.encode(raw));
        assert_eq!(
            VerifierKey::parse(&text),
            Err(VkeyError::UnsupportedType(2))
        );
    }

    #[test]
    fn a_vkey_with_a_weak_key_is_refused() {
        let mut raw = vec![0x01, 1];
        raw.extend_from_slice(&[0; 31]);
        let text = format!("n+12345678+{}", STANDARD.encode(raw));
        assert_eq!(VerifierKey::parse(&text).unwrap_err().code(), "WEAK_KEY");
    }
}
