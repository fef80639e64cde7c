//! Checking many Ed25519 signatures at once.
//!
//! Batch verification (ed25519-dalek's, with coefficients drawn from a
//! transcript of the batch, so the result is deterministic) costs about half
//! as much per signature as checking each alone. A failed batch says only
//! that something is wrong, so it is followed by single checks to name the
//! first bad signature.

use crate::entry::{Entry, EntryError};
use crate::keys::{PublicKey, Signature};

/// One signature to check: the message, the signature, the claimed key.
#[derive(Debug, Clone, Copy)]
pub struct Signed<'a> {
    /// The signed bytes.
    pub message: &'a [u8],
    /// The signature.
    pub signature: &'a Signature,
    /// The key that supposedly signed.
    pub key: &'a PublicKey,
}

/// Checks all signatures; on failure returns the position of the first one
/// that does not verify on its own.
pub fn verify_batch(items: &[Signed<'_>]) -> Result<(), usize> {
    match failing(items).first() {
        Some(bad) => Err(*bad),
        None => Ok(()),
    }
}

/// Checks all signatures; returns the positions of every one that does not
/// verify on its own, in order (empty when all hold).
pub fn failing(items: &[Signed<'_>]) -> Vec<usize> {
    if items.is_empty() {
        return Vec::new();
    }
    let messages: Vec<&[u8]> = items.iter().map(|i| i.message).collect();
    let signatures: Vec<ed25519_dalek::Signature> =
        items.iter().map(|i| *i.signature.dalek()).collect();
    let keys: Vec<ed25519_dalek::VerifyingKey> = items.iter().map(|i| *i.key.dalek()).collect();
    if ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_ok() {
        return Vec::new();
    }
    // Only a signature crafted with small-order components can fail the
    // batch equation yet pass alone; the single check is the authority.
    items
        .iter()
        .enumerate()
        .filter(|(_, i)| !i.key.verify(i.message, i.signature))
        .map(|(position, _)| position)
        .collect()
}

/// Pairs each entry with its signed bytes (`messages`, in the same order),
/// ready for [`verify_batch`].
pub fn signed<'a>(entries: &[&'a Entry], messages: &'a [Vec<u8>]) -> Vec<Signed<'a>> {
    entries
        .iter()
        .zip(messages)
        .map(|(e, m)| Signed {
            message: m,
            signature: e.signature(),
            key: e.key(),
        })
        .collect()
}

/// Checks the signatures of many entries at once. On failure, names the
/// first bad entry by position, trying `known_keys` to tell a signature filed
/// under the wrong key from an altered or forged one.
pub fn verify_entries(
    entries: &[&Entry],
    known_keys: &[PublicKey],
) -> Result<(), (usize, EntryError)> {
    let messages: Vec<Vec<u8>> = entries.iter().map(|e| e.signing_bytes()).collect();
    let items = signed(entries, &messages);
    verify_batch(&items).map_err(|bad| {
        let error = match (entries.get(bad), messages.get(bad)) {
            (Some(entry), Some(message)) => entry.diagnose_signature(message, known_keys),
            _ => EntryError::BadSignature,
        };
        (bad, error)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::PrivateKey;

    fn signed(v: &[(Vec<u8>, Signature, PublicKey)]) -> Vec<Signed<'_>> {
        v.iter()
            .map(|(m, s, k)| Signed {
                message: m,
                signature: s,
                key: k,
            })
            .collect()
    }

    #[test]
    fn a_batch_with_one_bad_signature_names_that_one() {
        let keys: Vec<PrivateKey> = (0..10u8).map(|i| PrivateKey::from_seed(&[i; 32])).collect();
        let messages: Vec<Vec<u8>> = (0..10u8).map(|i| vec![i; 40]).collect();
        let mut sigs: Vec<Signature> = keys.iter().zip(&messages).map(|(k, m)| k.sign(m)).collect();
        let publics: Vec<PublicKey> = keys.iter().map(PrivateKey::public_key).collect();
        let items = |sigs: &[Signature]| -> Vec<(Vec<u8>, Signature, PublicKey)> {
            messages
                .iter()
                .zip(sigs)
                .zip(&publics)
                .map(|((m, s), k)| (m.clone(), *s, *k))
                .collect()
        };
        assert_eq!(verify_batch(&signed(&items(&sigs))), Ok(()));
        sigs[6] = keys[6].sign(b"something else");
        assert_eq!(verify_batch(&signed(&items(&sigs))), Err(6));
        sigs[2] = keys[2].sign(b"another thing");
        assert_eq!(failing(&signed(&items(&sigs))), vec![2, 6]);
        assert_eq!(verify_batch(&[]), Ok(()));
    }
}
