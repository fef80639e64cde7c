//! Telling an organisation's admins of the alarms its witness or monitor
//! raised: each alarm file under `<state>/alarms/` is e-mailed (SMTP, or
//! `.eml` files) to the addresses given, then moved to `alarms/sent/`. As
//! with the node's outbox, nothing is lost: the file is written before the
//! witness answers, a failed send is retried with the same backoff, and a
//! resend after a crash carries the same Message-ID.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use godown_mail::{Alarm as MailAlarm, Mailbox, Mailer, retry_at, send_alarm};
use godown_witness::alarms::{self, Alarm};

/// Where alarms go.
#[derive(Debug, Clone)]
pub struct Recipients {
    /// How mail leaves.
    pub mailer: Mailer,
    /// The sender.
    pub from: Mailbox,
    /// The organisation's admins.
    pub to: Vec<Mailbox>,
    /// The witness's or the monitor's name, for the message.
    pub reporter: String,
}

/// Failed attempts and the next try, per alarm file.
type Backoff = HashMap<PathBuf, (i32, i64)>;

fn now_ms() -> i64 {
    godown_node::node::clock::now_ms()
}

/// Sends every pending alarm whose time has come; returns how many left.
pub async fn tell_pending(state: &Path, to: &Recipients, backoff: &mut Backoff) -> usize {
    let pending = match alarms::pending(state) {
        Ok(p) => p,
        Err(e) => {
            tracing::error!("cannot read the alarms to tell: {e:#}");
            return 0;
        }
    };
    let mut sent = 0;
    for path in pending {
        if backoff.get(&path).is_some_and(|(_, next)| *next > now_ms()) {
            continue;
        }
        match tell_one(&path, to).await {
            Ok(()) => {
                backoff.remove(&path);
                sent += 1;
                tracing::info!(alarm = %path.display(), "alarm e-mailed to {} address(es)", to.to.len());
            }
            Err(e) => {
                let (attempts, _) = backoff.get(&path).copied().unwrap_or((0, 0));
                let next = retry_at(now_ms(), attempts + 1);
                backoff.insert(path.clone(), (attempts + 1, next));
                tracing::warn!(alarm = %path.display(), "the alarm could not be e-mailed: {e}; retrying in {}s", (next - now_ms()) / 1000);
            }
        }
    }
    sent
}

async fn tell_one(path: &Path, to: &Recipients) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let alarm = Alarm::parse(&text).map_err(|e| format!("{e:#}"))?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("alarm");
    let host: String = to
        .reporter
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let message_id = format!("<alarm-{stem}@{host}>");
    let mail = MailAlarm {
        kind: &alarm.kind,
        origin: &alarm.origin,
        at: alarm.at,
        evidence: &alarm.evidence,
        why: &alarm.why,
        reporter: &to.reporter,
    };
    send_alarm(&to.mailer, &to.from, &to.to, &mail, &message_id).await?;
    alarms::mark_sent(path).map_err(|e| format!("{e:#}"))
}

/// Tells alarms as they come, until the process ends.
pub async fn tell(state: PathBuf, to: Recipients) {
    let mut backoff = Backoff::new();
    loop {
        tell_pending(&state, &to, &mut backoff).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
