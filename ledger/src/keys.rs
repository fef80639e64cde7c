//! Ed25519 keys and signatures (RFC 8032) as Godown accepts them.
//!
//! A public key is only ever built through [`PublicKey::from_bytes`], which
//! refuses encodings that are not curve points and the weak (small-order)
//! keys for which a signature proves nothing.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, KeypairBytes};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};

/// Why a key or signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not standard base64.
    #[error("{what} is not standard base64")]
    Base64 {
        /// Which value.
        what: &'static str,
    },
    /// Wrong number of bytes.
    #[error("{what} must be {want} bytes, not {got}")]
    Length {
        /// Which value.
        what: &'static str,
        /// Bytes expected.
        want: usize,
        /// Bytes found.
        got: usize,
    },
    /// 32 bytes that do not encode a curve point.
    #[error("public key is not a valid Ed25519 point")]
    NotAPoint,
    /// A small-order key, for which any signature can be forged.
    #[error("public key is weak (small order) and is refused")]
    Weak,
    /// A private key file that is not PKCS#8 PEM Ed25519.
    #[error("not a PKCS#8 PEM Ed25519 private key: {0}")]
    Pkcs8(String),
}

impl KeyError {
    /// Stable code for logs, CLI output and APIs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Base64 { .. } | Self::Length { .. } | Self::NotAPoint => "MALFORMED_KEY",
            Self::Weak => "WEAK_KEY",
            Self::Pkcs8(_) => "MALFORMED_PRIVATE_KEY",
        }
    }
}

/// An Ed25519 public key that is a valid, non-weak point.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    /// Parses 32 bytes, refusing non-points and weak keys.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let array: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Length {
            what: "public key",
            want: 32,
            got: bytes.len(),
        })?;
        let key = VerifyingKey::from_bytes(&array).map_err(|_| KeyError::NotAPoint)?;
        if key.is_weak() {
            return Err(KeyError::Weak);
        }
        Ok(Self(key))
    }

    /// Parses the standard base64 of 32 bytes, as in the entry's `key`.
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD
            .decode(text)
            .map_err(|_| KeyError::Base64 { what: "public key" })?;
        Self::from_bytes(&bytes)
    }

    /// The 32-byte encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// Standard base64, as in the entry's `key`.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0.as_bytes())
    }

    /// Checks one signature. Prefer [`crate::batch`] when checking many.
    pub fn verify(&self, message: &[u8], signature: &Signature) -> bool {
        self.0.verify_strict(message, &signature.0).is_ok()
    }

    pub(crate) fn dalek(&self) -> &VerifyingKey {
        &self.0
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

/// Public keys already parsed, by their bytes. Decompressing a curve point
/// costs about a third of a signature check, and a ledger has far fewer
/// signers than entries, so verifiers parse each key once.
#[derive(Debug, Default, Clone)]
pub struct KeyCache {
    keys: HashMap<[u8; 32], PublicKey>,
}

impl KeyCache {
    /// Beyond this many distinct keys, new keys are parsed without caching.
    const LIMIT: usize = 100_000;

    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key already parsed.
    pub fn insert(&mut self, key: PublicKey) {
        if self.keys.len() < Self::LIMIT {
            self.keys.insert(key.to_bytes(), key);
        }
    }

    /// Like [`PublicKey::from_base64`], parsing each distinct key once.
    pub fn parse_base64(&mut self, text: &str) -> Result<PublicKey, KeyError> {
        let mut bytes = [0u8; 32];
        let decoded = STANDARD
            .decode_slice(text, &mut bytes)
            .map_err(|e| match e {
                base64::DecodeSliceError::OutputSliceTooSmall => KeyError::Length {
                    what: "public key",
                    want: 32,
                    got: STANDARD.decode(text).map_or(33, |v| v.len()),
                },
                base64::DecodeSliceError::DecodeError(_) => KeyError::Base64 { what: "public key" },
            })?;
        if decoded != 32 {
            return Err(KeyError::Length {
                what: "public key",
                want: 32,
                got: decoded,
            });
        }
        if let Some(key) = self.keys.get(&bytes) {
            return Ok(*key);
        }
        let key = PublicKey::from_bytes(&bytes)?;
        self.insert(key);
        Ok(key)
    }
}

/// A 64-byte Ed25519 signature.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature(ed25519_dalek::Signature);

impl Signature {
    /// Takes exactly 64 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KeyError> {
        let array: [u8; 64] = bytes.try_into().map_err(|_| KeyError::Length {
            what: "signature",
            want: 64,
            got: bytes.len(),
        })?;
        Ok(Self(ed25519_dalek::Signature::from_bytes(&array)))
    }

    /// Parses the standard base64 of 64 bytes, as in the entry's `sig`.
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let bytes = STANDARD
            .decode(text)
            .map_err(|_| KeyError::Base64 { what: "signature" })?;
        Self::from_bytes(&bytes)
    }

    /// The 64-byte encoding.
    pub fn to_bytes(&self) -> [u8; 64] {
        self.0.to_bytes()
    }

    /// Standard base64, as in the entry's `sig`.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0.to_bytes())
    }

    pub(crate) fn dalek(&self) -> &ed25519_dalek::Signature {
        &self.0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({})", self.to_base64())
    }
}

/// An Ed25519 private key. The ledger only signs with keys handed to it; it
/// never makes one, since that needs the operating system's randomness.
#[derive(Clone)]
pub struct PrivateKey(SigningKey);

impl PrivateKey {
    /// Wraps a 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self(SigningKey::from_bytes(seed))
    }

    /// Reads PKCS#8 PEM, as `openssl genpkey -algorithm ed25519` writes it.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        SigningKey::from_pkcs8_pem(pem)
            .map(Self)
            .map_err(|e| KeyError::Pkcs8(e.to_string()))
    }

    /// Writes PKCS#8 v1 PEM, byte for byte what `openssl genpkey` writes, so
    /// `openssl pkey` and other tools read it.
    pub fn to_pkcs8_pem(&self) -> Result<String, KeyError> {
        let bytes = KeypairBytes {
            secret_key: self.0.to_bytes(),
            public_key: None,
        };
        bytes
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| KeyError::Pkcs8(e.to_string()))
    }

    /// The same key as PKCS#8 v1 DER, as browsers import it.
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>, KeyError> {
        KeypairBytes {
            secret_key: self.0.to_bytes(),
            public_key: None,
        }
        .to_pkcs8_der()
        .map(|doc| doc.as_bytes().to_vec())
        .map_err(|e| KeyError::Pkcs8(e.to_string()))
    }

    /// The matching public key. A clamped scalar times the base point is
    /// never a small-order point, so this never yields a weak key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// Signs a message (RFC 8032, deterministic).
    pub fn sign(&self, message: &[u8]) -> Signature {
        Signature(self.0.sign(message))
    }
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey(public {})", self.public_key().to_base64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_keys_are_refused() {
        // The identity point, of order 1.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(PublicKey::from_bytes(&identity), Err(KeyError::Weak));
        // A point of order 8.
        let order8 = [
            0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10,
            0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77,
            0x92, 0xac, 0x03, 0x7a,
        ];
        assert_eq!(PublicKey::from_bytes(&order8), Err(KeyError::Weak));
    }

    #[test]
    fn keys_of_the_wrong_length_are_refused_with_the_lengths() {
        assert_eq!(
            PublicKey::from_bytes(&[9; 31]),
            Err(KeyError::Length {
                what: "public key",
                want: 32,
                got: 31
            })
        );
        assert_eq!(
            Signature::from_bytes(&[0; 63]).unwrap_err().code(),
            "MALFORMED_KEY"
        );
    }

    #[test]
    fn a_private_key_round_trips_through_pkcs8_pem_in_the_openssl_layout() {
        let key = PrivateKey::from_seed(&[7; 32]);
        let pem = key.to_pkcs8_pem().unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"));
        let back = PrivateKey::from_pkcs8_pem(&pem).unwrap();
        assert_eq!(back.public_key(), key.public_key());
        assert!(
            PrivateKey::from_pkcs8_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
            )
            .is_err()
        );
    }

    #[test]
    fn a_signature_verifies_only_for_its_message_and_key() {
        let key = PrivateKey::from_seed(&[1; 32]);
        let other = PrivateKey::from_seed(&[2; 32]);
        let sig = key.sign(b"hello");
        assert!(key.public_key().verify(b"hello", &sig));
        assert!(!key.public_key().verify(b"hellO", &sig));
        assert!(!other.public_key().verify(b"hello", &sig));
    }
}
