//! Godown's ledger core: the formats every party uses to check the shared
//! history, byte for byte as `FORMATS.md` fixes them.
//!
//! - [`tree`]: the RFC 6962 Merkle tree over a [`tree::NodeStore`], with
//!   inclusion and consistency proofs and their verification;
//! - [`jcs`]: RFC 8785 canonical JSON, with floats refused;
//! - [`entry`]: transactions, the `godown-tx/v1` signing domain and entries;
//! - [`keys`] and [`vkey`]: Ed25519 keys, PKCS#8 PEM and C2SP vkeys;
//! - [`checkpoint`]: C2SP signed-note checkpoints and witness cosignatures;
//! - [`policy`]: C2SP tlog-policy files: trusted logs, witnesses and the quorum;
//! - [`proof_file`]: C2SP tlog-proof@v1 files;
//! - [`export`]: one-pass verification of an export directory's entries;
//! - [`handover`]: log key rotation, the `log.handover` entry and the chain
//!   of log keys it makes.
//! - [`witness`]: C2SP tlog-witness `add-checkpoint`, its grammar and the
//!   witness's decision.
//!
//! The crate is pure: no I/O, no async runtime, no clock. Callers read files
//! and databases and pass bytes in; time arrives inside entries.

pub mod append;
pub mod batch;
pub mod checkpoint;
pub mod entry;
pub mod export;
pub mod handover;
pub mod hash;
pub mod jcs;
pub mod keys;
pub mod monitor;
pub mod policy;
pub mod proof_file;
pub mod tree;
pub mod vkey;
pub mod witness;

pub use append::{AppendError, append_entries};
pub use checkpoint::{
    Checkpoint, CheckpointError, CheckpointPolicy, TrustPolicy, VerifiedCheckpoint, cosign,
    cosignature_line,
};
pub use entry::{Entry, EntryError, TX_DOMAIN, Transaction};
pub use export::{ExportError, ExportSummary, ExportVerifier, verify_checkpoint};
pub use handover::{HANDOVER_TYPE, Handover, HandoverError, KeyChain};
pub use hash::{Hash, leaf_hash, node_hash, push_base64_lines};
pub use keys::{KeyCache, KeyError, PrivateKey, PublicKey, Signature};
pub use policy::{Policy, PolicyError};
pub use proof_file::{ProofFileError, TlogProof};
pub use vkey::{KeyKind, NoteSigner, VerifierKey, VkeyError};
