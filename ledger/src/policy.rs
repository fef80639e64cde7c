//! C2SP tlog-policy: which logs and witnesses a verifier trusts, and the
//! quorum of witnesses a checkpoint needs. The same file configures the
//! node (which witnesses to ask, by their URLs) and `godown verify
//! --policy`.
//!
//! ```text
//! log <vkey> [<url>]
//! witness <name> <vkey> [<url>]
//! group <name> all|any|<k> <name>...
//! quorum <name>|none
//! ```

use std::collections::{BTreeMap, HashSet};

use crate::checkpoint::{
    CheckpointError, CheckpointPolicy, Cosigned, TrustPolicy, VerifiedCheckpoint,
};
use crate::vkey::{KeyKind, VerifierKey};

/// Implementation limits: the spec recommends supporting at least 32 of each.
pub const MAX_LOGS: usize = 64;
/// See [`MAX_LOGS`].
pub const MAX_WITNESSES: usize = 64;
/// See [`MAX_LOGS`].
pub const MAX_GROUPS: usize = 64;

/// A log the policy trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyLog {
    /// Its key, named after its origin.
    pub vkey: VerifierKey,
    /// Where to reach it, if given.
    pub url: Option<String>,
}

/// A witness the policy names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyWitness {
    /// Its name in the policy (not necessarily its key name).
    pub name: String,
    /// Its cosignature key (type 0x04).
    pub vkey: VerifierKey,
    /// Its submission prefix, if given.
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Member {
    Witness(usize),
    Group(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    name: String,
    threshold: usize,
    members: Vec<Member>,
}

/// A parsed policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    logs: Vec<PolicyLog>,
    witnesses: Vec<PolicyWitness>,
    groups: Vec<Group>,
    /// `None` for `quorum none`.
    quorum: Option<Member>,
}

/// Why a policy file was refused: the line and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy line {line}: {reason}")]
pub struct PolicyError {
    /// 1-based line number (0 for the file as a whole).
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl PolicyError {
    /// Stable code for logs and CLI output.
    pub fn code(&self) -> &'static str {
        "BAD_POLICY"
    }
}

fn bad(line: usize, reason: impl Into<String>) -> PolicyError {
    PolicyError {
        line,
        reason: reason.into(),
    }
}

impl Policy {
    /// Parses a policy file.
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        if let Some(b) = text
            .bytes()
            .find(|b| *b < 0x20 && *b != b'\t' && *b != b'\n' || *b == 0x7f)
        {
            return Err(bad(
                0,
                format!("control character 0x{b:02x}; only tab and newline are allowed"),
            ));
        }
        let mut policy = Self {
            logs: Vec::new(),
            witnesses: Vec::new(),
            groups: Vec::new(),
            quorum: None,
        };
        let mut names: BTreeMap<String, Member> = BTreeMap::new();
        let mut quorum_seen = false;
        for (i, raw) in text.split('\n').enumerate() {
            let n = i + 1;
            let line = raw.trim_matches([' ', '\t']);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
            match words.as_slice() {
                ["log", vkey, rest @ ..] if rest.len() <= 1 => {
                    let vkey = key(n, vkey, KeyKind::Note, policy.logs.iter().map(|l| &l.vkey))?;
                    let url = rest.first().map(|u| (*u).to_owned());
                    policy.logs.push(PolicyLog { vkey, url });
                }
                ["witness", name, vkey, rest @ ..] if rest.len() <= 1 => {
                    let taken = policy.witnesses.iter().map(|w| &w.vkey);
                    let vkey = key(n, vkey, KeyKind::Cosignature, taken)?;
                    define(&mut names, n, name, Member::Witness(policy.witnesses.len()))?;
                    policy.witnesses.push(PolicyWitness {
                        name: (*name).to_owned(),
                        vkey,
                        url: rest.first().map(|u| (*u).to_owned()),
                    });
                }
                ["group", name, threshold, members @ ..] if !members.is_empty() => {
                    let group = group(&names, n, name, threshold, members)?;
                    define(&mut names, n, name, Member::Group(policy.groups.len()))?;
                    policy.groups.push(group);
                }
                ["quorum", name] => {
                    if quorum_seen {
                        return Err(bad(n, "a policy has exactly one quorum line"));
                    }
                    quorum_seen = true;
                    policy.quorum = if *name == "none" {
                        None
                    } else {
                        Some(names.get(*name).cloned().ok_or_else(|| {
                            bad(n, format!("{name} is not defined on an earlier line"))
                        })?)
                    };
                }
                _ => {
                    return Err(bad(
                        n,
                        format!("not a log, witness, group or quorum line: {line:?}"),
                    ));
                }
            }
        }
        if !quorum_seen {
            return Err(bad(0, "a policy has exactly one quorum line"));
        }
        if policy.logs.len() > MAX_LOGS
            || policy.witnesses.len() > MAX_WITNESSES
            || policy.groups.len() > MAX_GROUPS
        {
            return Err(bad(
                0,
                "more logs, witnesses or groups than this implementation supports (64 each)",
            ));
        }
        Ok(policy)
    }

    /// The logs listed.
    pub fn logs(&self) -> &[PolicyLog] {
        &self.logs
    }

    /// The witnesses listed.
    pub fn witnesses(&self) -> &[PolicyWitness] {
        &self.witnesses
    }

    /// Whether no cosignature is needed (`quorum none`).
    pub fn needs_no_witness(&self) -> bool {
        self.quorum.is_none()
    }

    /// Whether the witnesses whose cosignatures verified (by key) meet the
    /// quorum.
    pub fn satisfied_by(&self, cosigners: &[VerifierKey]) -> bool {
        let cosigned: Vec<bool> = self
            .witnesses
            .iter()
            .map(|w| {
                cosigners
                    .iter()
                    .any(|c| c.public_key() == w.vkey.public_key() && c.name() == w.vkey.name())
            })
            .collect();
        // Groups refer only to earlier names, so one pass in order decides them.
        let mut groups: Vec<bool> = Vec::with_capacity(self.groups.len());
        for g in &self.groups {
            let met = g
                .members
                .iter()
                .filter(|m| witnessed(m, &cosigned, &groups))
                .count();
            groups.push(met >= g.threshold);
        }
        self.quorum
            .as_ref()
            .is_none_or(|q| witnessed(q, &cosigned, &groups))
    }

    /// Verifies a checkpoint note: signed by one of the listed logs (by
    /// any of its keys, when a log is listed with several around a key
    /// rotation), every signature line of a listed key valid, and the
    /// quorum met.
    pub fn verify(&self, note: &[u8]) -> Result<VerifiedCheckpoint, CheckpointError> {
        let origin = note.split(|b| *b == b'\n').next().unwrap_or_default();
        let logs: Vec<VerifierKey> = self
            .logs
            .iter()
            .filter(|l| l.vkey.name().as_bytes() == origin)
            .map(|l| l.vkey.clone())
            .collect();
        if logs.is_empty() {
            return Err(CheckpointError::OriginMismatch {
                origin: String::from_utf8_lossy(origin).into_owned(),
                key_name: self
                    .logs
                    .iter()
                    .map(|l| l.vkey.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let keys: Vec<VerifierKey> = self.witnesses.iter().map(|w| w.vkey.clone()).collect();
        let verified = TrustPolicy::with_logs(logs, keys, 0)?.verify(note)?;
        let cosigners: Vec<VerifierKey> = verified
            .witnesses
            .iter()
            .filter_map(|c: &Cosigned| {
                self.witnesses
                    .iter()
                    .find(|w| w.vkey.name() == c.name)
                    .map(|w| w.vkey.clone())
            })
            .collect();
        if !self.satisfied_by(&cosigners) {
            return Err(CheckpointError::QuorumNotMet(self.describe()));
        }
        Ok(verified)
    }

    /// The same witnesses and quorum, with `keys` (keys of one log) in
    /// place of the keys the policy lists for that log: a log knows its
    /// own keys across a rotation better than a policy written before it.
    pub fn trusting_log_keys(&self, keys: &[VerifierKey]) -> Result<Self, CheckpointError> {
        let Some(first) = keys.first() else {
            return Ok(self.clone());
        };
        if let Some(k) = keys
            .iter()
            .find(|k| k.kind() != KeyKind::Note || k.name() != first.name())
        {
            return Err(CheckpointError::WrongKeyKind(k.to_string()));
        }
        let mut policy = self.clone();
        let url = policy
            .logs
            .iter()
            .find(|l| l.vkey.name() == first.name())
            .and_then(|l| l.url.clone());
        policy.logs.retain(|l| l.vkey.name() != first.name());
        policy.logs.extend(keys.iter().map(|k| PolicyLog {
            vkey: k.clone(),
            url: url.clone(),
        }));
        Ok(policy)
    }

    /// The quorum in words, for refusals: e.g. `2 of (w1, w2, w3)`.
    pub fn describe(&self) -> String {
        match &self.quorum {
            None => "no witness".to_owned(),
            Some(m) => self.describe_member(m),
        }
    }

    fn describe_member(&self, m: &Member) -> String {
        match m {
            Member::Witness(i) => self
                .witnesses
                .get(*i)
                .map_or_else(String::new, |w| w.name.clone()),
            Member::Group(i) => self.groups.get(*i).map_or_else(String::new, |g| {
                let inner: Vec<String> =
                    g.members.iter().map(|m| self.describe_member(m)).collect();
                format!("{} of ({})", g.threshold, inner.join(", "))
            }),
        }
    }
}

impl CheckpointPolicy for Policy {
    fn verify_note(&self, note_bytes: &[u8]) -> Result<VerifiedCheckpoint, CheckpointError> {
        self.verify(note_bytes)
    }

    fn log_keys(&self) -> Vec<VerifierKey> {
        self.logs.iter().map(|l| l.vkey.clone()).collect()
    }

    fn with_log_key(&self, log: VerifierKey) -> Result<Box<dyn CheckpointPolicy>, CheckpointError> {
        Ok(Box::new(self.trusting_log_keys(&[log])?))
    }
}

fn witnessed(m: &Member, witnesses: &[bool], groups: &[bool]) -> bool {
    match m {
        Member::Witness(i) => witnesses.get(*i).copied().unwrap_or(false),
        Member::Group(i) => groups.get(*i).copied().unwrap_or(false),
    }
}

/// A `group <name> all|any|<k> <member>...` line, its members resolved
/// against the names defined on earlier lines.
fn group(
    names: &BTreeMap<String, Member>,
    n: usize,
    name: &str,
    threshold: &str,
    members: &[&str],
) -> Result<Group, PolicyError> {
    let mut listed = HashSet::new();
    let mut resolved = Vec::new();
    for m in members {
        if *m == "none" {
            return Err(bad(n, "`none` cannot be a group member"));
        }
        if !listed.insert(*m) {
            return Err(bad(n, format!("{m} is listed twice in the group")));
        }
        resolved.push(
            names
                .get(*m)
                .cloned()
                .ok_or_else(|| bad(n, format!("{m} is not defined on an earlier line")))?,
        );
    }
    let count = resolved.len();
    let threshold = match threshold {
        "all" => count,
        "any" => 1,
        k => crate::checkpoint::parse_decimal(k)
            .and_then(|k| usize::try_from(k).ok())
            .filter(|k| (1..=count).contains(k))
            .ok_or_else(|| bad(n, format!("the threshold must be all, any or 1 to {count}")))?,
    };
    Ok(Group {
        name: name.to_owned(),
        threshold,
        members: resolved,
    })
}

/// A vkey of `kind`, not wrapping the same key as one already `taken`
/// (two lines for one key are a duplicate, whatever their names).
fn key<'a>(
    line: usize,
    text: &str,
    kind: KeyKind,
    mut taken: impl Iterator<Item = &'a VerifierKey>,
) -> Result<VerifierKey, PolicyError> {
    let vkey = VerifierKey::parse(text).map_err(|e| bad(line, format!("{}: {e}", e.code())))?;
    if taken.any(|t| t.public_key() == vkey.public_key()) {
        return Err(bad(line, "the same key is listed twice"));
    }
    if vkey.kind() != kind {
        return Err(bad(
            line,
            match kind {
                KeyKind::Note => "a log key must have signature type 0x01",
                KeyKind::Cosignature => "a witness key must have signature type 0x04",
            },
        ));
    }
    Ok(vkey)
}

fn define(
    names: &mut BTreeMap<String, Member>,
    line: usize,
    name: &str,
    member: Member,
) -> Result<(), PolicyError> {
    if name == "none" {
        return Err(bad(line, "`none` is a reserved name"));
    }
    if names.insert(name.to_owned(), member).is_some() {
        return Err(bad(line, format!("{name} is defined twice")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::{Checkpoint, cosign};
    use crate::hash::leaf_hash;
    use crate::keys::PrivateKey;
    use crate::vkey::NoteSigner;

    const ORIGIN: &str = "policy.test/log";

    fn log() -> NoteSigner {
        NoteSigner::log(ORIGIN, PrivateKey::from_seed(&[1; 32])).unwrap()
    }

    fn witness(n: u8) -> NoteSigner {
        NoteSigner::witness(
            &format!("w{n}.test/w"),
            PrivateKey::from_seed(&[10 + n; 32]),
            1_700_000_000,
        )
        .unwrap()
    }

    fn note(cosigners: &[u8]) -> String {
        let mut note = Checkpoint {
            origin: ORIGIN.to_owned(),
            size: 3,
            root: leaf_hash(b"x"),
            extensions: Vec::new(),
        }
        .sign(&log())
        .unwrap();
        for n in cosigners {
            note = cosign(&note, &witness(*n)).unwrap();
        }
        note
    }

    fn two_groups() -> String {
        format!(
            "# two organisations' witnesses\nlog {}\n\nwitness X1 {}\nwitness X2 {}\nwitness X3 {} http://x3.test/\ngroup X 2 X1 X2 X3\n\twitness Y1 {}\nwitness Y2 {}\ngroup Y any Y1 Y2\ngroup X-and-Y all X Y\nquorum X-and-Y\n",
            log().verifier_key(),
            witness(1).verifier_key(),
            witness(2).verifier_key(),
            witness(3).verifier_key(),
            witness(4).verifier_key(),
            witness(5).verifier_key(),
        )
    }

    #[test]
    fn a_policy_with_groups_decides_by_its_thresholds() {
        let policy = Policy::parse(&two_groups()).unwrap();
        assert_eq!(policy.logs().len(), 1);
        assert_eq!(policy.witnesses().len(), 5);
        assert_eq!(
            policy.witnesses()[2].url.as_deref(),
            Some("http://x3.test/")
        );
        assert_eq!(policy.describe(), "2 of (2 of (X1, X2, X3), 1 of (Y1, Y2))");
        assert!(policy.verify(note(&[1, 2, 4]).as_bytes()).is_ok());
        assert!(policy.verify(note(&[1, 3, 5]).as_bytes()).is_ok());
        // Two of X but none of Y, or one of X and both of Y: not enough.
        for short in [&[1, 2][..], &[1, 4, 5][..], &[][..]] {
            let e = policy.verify(note(short).as_bytes()).unwrap_err();
            assert_eq!(e.code(), "QUORUM_NOT_MET", "{short:?}");
        }
    }

    #[test]
    fn quorum_none_needs_only_the_log() {
        let policy =
            Policy::parse(&format!("log {}\nquorum none\n", log().verifier_key())).unwrap();
        assert!(policy.needs_no_witness());
        assert!(policy.verify(note(&[]).as_bytes()).is_ok());
        let other = NoteSigner::log("other.test/log", PrivateKey::from_seed(&[2; 32])).unwrap();
        let foreign = Checkpoint {
            origin: "other.test/log".to_owned(),
            size: 1,
            root: leaf_hash(b"y"),
            extensions: Vec::new(),
        }
        .sign(&other)
        .unwrap();
        assert!(policy.verify(foreign.as_bytes()).is_err());
    }

    #[test]
    fn malformed_policies_are_refused_with_their_line() {
        let l = log().verifier_key().to_string();
        let w = witness(1).verifier_key().to_string();
        let cases = [
            (format!("log {l}\n"), 0),
            (format!("log {l}\nquorum none\nquorum none\n"), 3),
            (format!("log {l}\nquorum W\n"), 2),
            (
                format!("log {l}\nwitness W {w}\nwitness V {w}\nquorum W\n"),
                3,
            ),
            (
                format!("log {l}\nwitness W {w}\ngroup G 2 W\nquorum G\n"),
                3,
            ),
            (
                format!("log {l}\nwitness W {w}\ngroup G 0 W\nquorum G\n"),
                3,
            ),
            (
                format!("log {l}\nwitness W {w}\ngroup G any W W\nquorum G\n"),
                3,
            ),
            (
                format!("log {l}\nwitness W {w}\ngroup G any none\nquorum G\n"),
                3,
            ),
            (format!("log {l}\nwitness W {l}\nquorum W\n"), 2),
            (format!("log {w}\nquorum none\n"), 1),
            (format!("log {l}\nwitness none {w}\nquorum none\n"), 2),
            (format!("log {l}\nwitnesses W {w}\nquorum none\n"), 2),
            (format!("log {l}\r\nquorum none\n"), 0),
        ];
        for (text, line) in cases {
            let e = Policy::parse(&text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}: {e}");
            assert_eq!(e.code(), "BAD_POLICY");
        }
    }
}
