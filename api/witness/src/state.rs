//! The witness's memory, in its state directory:
//!
//! - `logs/<sha256 of the origin, hex>.checkpoint`: per log, the checkpoint
//!   it last cosigned, with the log's signature and its own. Replaced only
//!   whole: written to a temporary file, flushed to disk, renamed over the
//!   old one, and the folder flushed, so that a crash at any moment leaves
//!   the old checkpoint or the new one, never less than what was answered.
//! - `evidence/`: every validly signed checkpoint it refused as a fork or a
//!   rewrite, next to what it had cosigned, for anyone to check.
//! - `lock`: held for the life of the process, so that two witnesses never
//!   share one memory (which would let both cosign from the same old size).

use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use godown_ledger::Checkpoint;
use godown_ledger::witness::Latest;
use sha2::{Digest as _, Sha256};

/// A witness's state directory, locked for this process.
#[derive(Debug)]
pub struct State {
    dir: PathBuf,
    /// Held, never read: the lock lasts as long as the file is open.
    _lock: File,
}

/// What the witness last cosigned for a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Its size and root.
    pub latest: Latest,
    /// The note: the checkpoint with the log's signature and the witness's.
    pub note: String,
}

/// The origin as a file-name stem: the hex of its SHA-256.
fn origin_stem(origin: &str) -> String {
    let mut stem = String::with_capacity(64);
    for b in Sha256::digest(origin.as_bytes()) {
        let _ = write!(stem, "{b:02x}");
    }
    stem
}

fn file_name(origin: &str) -> String {
    format!("{}.checkpoint", origin_stem(origin))
}

/// Writes evidence as a new file `<stem>-<n>.txt` in `dir`: see
/// [`write_new`]. Shared by the witness and the monitor.
pub fn write_evidence(dir: &Path, stem: &str, text: &str) -> anyhow::Result<PathBuf> {
    write_new(dir, stem, "txt", text)
}

/// Writes a new file `<stem>-<n>.<ext>` in `dir`, never over an earlier one
/// (the first free name, taken atomically), flushed with its folder before
/// it returns.
pub fn write_new(dir: &Path, stem: &str, ext: &str, text: &str) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut n = 0u32;
    let (path, mut file) = loop {
        let path = dir.join(format!("{stem}-{n}.{ext}"));
        match File::create_new(&path) {
            Ok(file) => break (path, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
            Err(e) => {
                return Err(e).with_context(|| format!("cannot create {}", path.display()));
            }
        }
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    sync_dir(dir)?;
    Ok(path)
}

/// Flushes a folder's entries (a rename is durable only then).
pub(crate) fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .with_context(|| format!("cannot flush {}", dir.display()))
}

impl State {
    /// The state directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Opens (creating if need be) the state directory and takes its lock;
    /// fails if another process holds it.
    pub fn open(dir: &Path) -> anyhow::Result<Self> {
        for sub in ["logs", "evidence"] {
            fs::create_dir_all(dir.join(sub))
                .with_context(|| format!("cannot create {}", dir.join(sub).display()))?;
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join("lock"))
            .with_context(|| format!("cannot open {}", dir.join("lock").display()))?;
        lock.try_lock().map_err(|_| {
            anyhow::anyhow!(
                "{} is in use by another witness process; one state directory serves one witness",
                dir.display()
            )
        })?;
        Ok(Self {
            dir: dir.to_owned(),
            _lock: lock,
        })
    }

    /// What was last cosigned for `origin`, if anything.
    pub fn latest(&self, origin: &str) -> anyhow::Result<Option<Stored>> {
        let path = self.dir.join("logs").join(file_name(origin));
        let note = match fs::read_to_string(&path) {
            Ok(note) => note,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        let body = note
            .split_once("\n\n")
            .map(|(body, _)| format!("{body}\n"))
            .with_context(|| format!("{} is not a signed note", path.display()))?;
        let checkpoint = Checkpoint::parse_body(&body)
            .with_context(|| format!("{} holds no checkpoint", path.display()))?;
        if checkpoint.origin != origin {
            anyhow::bail!(
                "{} holds a checkpoint of {}",
                path.display(),
                checkpoint.origin
            );
        }
        Ok(Some(Stored {
            latest: Latest {
                size: checkpoint.size,
                root: checkpoint.root,
            },
            note,
        }))
    }

    /// Records `note` as the latest cosigned for `origin`, durably, before
    /// the caller answers.
    pub fn record(&self, origin: &str, note: &str) -> anyhow::Result<()> {
        let logs = self.dir.join("logs");
        let name = file_name(origin);
        let temporary = logs.join(format!(".{name}.{}.tmp", std::process::id()));
        let mut file = File::create(&temporary)
            .with_context(|| format!("cannot create {}", temporary.display()))?;
        file.write_all(note.as_bytes())
            .and_then(|()| file.sync_all())
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        drop(file);
        fs::rename(&temporary, logs.join(&name))
            .with_context(|| format!("cannot replace {}", logs.join(&name).display()))?;
        sync_dir(&logs)
    }

    /// Keeps a refused request that shows the log misbehaving, beside what
    /// had been cosigned; returns the file written.
    pub fn keep_evidence(
        &self,
        origin: &str,
        why: &str,
        cosigned: Option<&str>,
        request: &[u8],
        now: u64,
    ) -> anyhow::Result<PathBuf> {
        let dir = self.dir.join("evidence");
        let stem = origin_stem(origin);
        let text = format!(
            "# Refused by this witness at {now} (POSIX seconds): {why}\n\
             # The log {origin} signed the request below; it does not extend what this witness had cosigned.\n\
             \n## What this witness had cosigned\n\n{}\n## The request (tlog-witness add-checkpoint body)\n\n{}",
            cosigned.unwrap_or("(nothing)\n"),
            String::from_utf8_lossy(request)
        );
        write_evidence(&dir, &format!("{now}-{stem}"), &text)
    }

    /// How many evidence files the directory holds.
    pub fn evidence_count(&self) -> usize {
        fs::read_dir(self.dir.join("evidence")).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
                .count()
        })
    }
}
