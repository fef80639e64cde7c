//! Alarms waiting to be told: one small file per alarm under
//! `<state>/alarms/`, written durably in the same step as the evidence,
//! before the witness answers. Whoever delivers them (the `godown` binary
//! sends e-mail) moves each to `alarms/sent/` once it has left, so an alarm
//! survives a crash and is told at least once.
//!
//! A file is `key: value` lines: `kind` (`fork` or `split-view`), `origin`,
//! `at` (POSIX seconds), `evidence` (the evidence file) and `why`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::state::write_new;

/// What was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    /// `fork` (a witness was shown a checkpoint that does not extend what it
    /// cosigned) or `split-view` (a monitor found two histories).
    pub kind: String,
    /// The log.
    pub origin: String,
    /// When, in POSIX seconds.
    pub at: u64,
    /// The evidence file kept.
    pub evidence: String,
    /// Why, in the refusal's words.
    pub why: String,
}

impl Alarm {
    fn to_text(&self) -> String {
        let one_line = |s: &str| s.replace(['\n', '\r'], " ");
        format!(
            "kind: {}\norigin: {}\nat: {}\nevidence: {}\nwhy: {}\n",
            one_line(&self.kind),
            one_line(&self.origin),
            self.at,
            one_line(&self.evidence),
            one_line(&self.why)
        )
    }

    /// Parses a file as [`Alarm::to_text`] writes it.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
                .map(str::to_owned)
                .with_context(|| format!("the alarm has no {name}"))
        };
        Ok(Self {
            kind: field("kind")?,
            origin: field("origin")?,
            at: field("at")?
                .parse()
                .context("the alarm's time is not a number")?,
            evidence: field("evidence")?,
            why: field("why")?,
        })
    }
}

/// Records an alarm in `state/alarms/`, flushed before it returns.
pub fn record(state: &Path, alarm: &Alarm) -> anyhow::Result<PathBuf> {
    write_new(
        &state.join("alarms"),
        &format!("{}-{}", alarm.at, alarm.kind),
        "alarm",
        &alarm.to_text(),
    )
}

/// The alarms not yet told, oldest first.
pub fn pending(state: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let dir = state.join("alarms");
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "alarm"))
        .collect();
    paths.sort();
    Ok(paths)
}

/// Marks an alarm told: moved to `alarms/sent/`, durably.
pub fn mark_sent(path: &Path) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .with_context(|| format!("{} has no folder", path.display()))?;
    let sent = dir.join("sent");
    fs::create_dir_all(&sent).with_context(|| format!("cannot create {}", sent.display()))?;
    let name = path
        .file_name()
        .with_context(|| format!("{} has no name", path.display()))?;
    fs::rename(path, sent.join(name))
        .with_context(|| format!("cannot move {} to {}", path.display(), sent.display()))?;
    crate::state::sync_dir(dir)?;
    crate::state::sync_dir(&sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alarm_is_kept_until_it_is_marked_sent_and_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let alarm = Alarm {
            kind: "fork".into(),
            origin: "example.org/log".into(),
            at: 1_800_000_000,
            evidence: "/state/evidence/1-x-0.txt".into(),
            why: "the consistency proof from 3 to 4\ndoes not verify".into(),
        };
        let path = record(dir.path(), &alarm).unwrap();
        assert_eq!(pending(dir.path()).unwrap(), vec![path.clone()]);
        let read = Alarm::parse(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            read.why,
            "the consistency proof from 3 to 4 does not verify"
        );
        assert_eq!((read.kind.as_str(), read.at), ("fork", 1_800_000_000));
        mark_sent(&path).unwrap();
        assert!(pending(dir.path()).unwrap().is_empty());
        assert!(
            dir.path()
                .join("alarms/sent")
                .join(path.file_name().unwrap())
                .exists()
        );
    }
}
