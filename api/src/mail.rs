//! E-mail: invitations leave through the outbox once their entry has
//! committed. Three backends: SMTP, a directory of `.eml` files, and memory
//! for tests. A node that serves real members refuses to start without one
//! chosen explicitly.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport as _, Message, Tokio1Executor};
use serde::Deserialize;

use crate::auth::routes::invitation_token;
use crate::error::ApiError;
use crate::node::{Node, clock};
use crate::store::{ledger, sessions};

/// How long an invitation link stays good.
pub const INVITATION_DAYS: i64 = 7;
/// Attempts before a notification is left for an operator to look at.
const MAX_ATTEMPTS: i32 = 8;

/// An e-mail address that parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(lettre::Address);

impl Address {
    /// Parses an address.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        text.trim()
            .parse()
            .map(Self)
            .map_err(|_| ApiError::bad_request(format!("{text:?} is not an e-mail address")))
    }
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where mail goes.
#[derive(Clone)]
pub enum Mailer {
    /// An SMTP server.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in a directory, for demos and operators without SMTP.
    Files(PathBuf),
    /// Kept in memory, for tests.
    Memory(Arc<Mutex<Vec<Message>>>),
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(_) => f.write_str("Mailer::Smtp"),
            Self::Files(dir) => write!(f, "Mailer::Files({})", dir.display()),
            Self::Memory(_) => f.write_str("Mailer::Memory"),
        }
    }
}

impl Mailer {
    /// An SMTP mailer from a URL such as `smtp://host:25` or
    /// `smtps://user:password@host`.
    pub fn smtp(url: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("GODOWN_SMTP_URL is not a usable SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        Ok(Self::Smtp(transport))
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Self::Smtp(transport) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Self::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| e.to_string())?;
                let path = dir.join(format!("{}.eml", clock::now_ms()));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(|e| e.to_string())
            }
            Self::Memory(sent) => {
                sent.lock().map_err(|e| e.to_string())?.push(message);
                Ok(())
            }
        }
    }
}

/// What mail says and where links point.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The sender.
    pub from: Mailbox,
    /// The dashboard's public address, for links.
    pub public_url: String,
}

#[derive(Debug, Deserialize)]
struct InvitationPayload {
    user: String,
    email: String,
    org: String,
    name: String,
}

/// Sends what waits in the outbox, whenever an append signals it and once a
/// minute in case a send failed.
pub async fn run_outbox(node: Node, mailer: Mailer, settings: MailSettings) {
    loop {
        if let Err(e) = drain(&node, &mailer, &settings).await {
            tracing::warn!(error = %e.describe(), "the outbox could not be read; retrying");
        }
        tokio::select! {
            () = node.outbox_ready().notified() => {}
            () = tokio::time::sleep(Duration::from_secs(60)) => {}
        }
    }
}

/// Sends every pending notification once; returns how many were sent.
pub async fn drain(
    node: &Node,
    mailer: &Mailer,
    settings: &MailSettings,
) -> Result<usize, ApiError> {
    let db = node.db().conn();
    let mut sent = 0;
    for item in ledger::pending_outbox(db, 100, MAX_ATTEMPTS).await? {
        let span =
            tracing::info_span!("outbox", id = item.id, kind = %item.kind, entry = item.entry);
        let _guard = span.enter();
        let result = match item.kind.as_str() {
            "invitation" => {
                send_invitation(node, mailer, settings, item.entry, &item.payload).await
            }
            other => Err(format!("unknown notification kind {other:?}")),
        };
        match &result {
            Ok(_) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, attempts = item.attempts + 1, "a notification failed");
            }
        }
        ledger::mark_outbox(db, &item, result).await?;
    }
    Ok(sent)
}

async fn send_invitation(
    node: &Node,
    mailer: &Mailer,
    settings: &MailSettings,
    entry: u64,
    payload: &str,
) -> Result<i64, String> {
    let invite: InvitationPayload = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let to: Mailbox = invite
        .email
        .parse()
        .map_err(|e: lettre::address::AddressError| e.to_string())?;
    // A fresh token per attempt: only its hash is stored, so a token is
    // never kept anywhere it could leak from.
    let (token, hash) = invitation_token().map_err(|e| e.message)?;
    let now = clock::now_ms();
    sessions::insert_invitation(
        node.db().conn(),
        &hash,
        &sessions::Invitation {
            user: invite.user.clone(),
            email: invite.email.clone(),
            entry,
            expires_ms: now + INVITATION_DAYS * 24 * 3600 * 1000,
            used_ms: None,
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    let link = format!(
        "{}/enrol?invitation={token}",
        settings.public_url.trim_end_matches('/')
    );
    let text = format!(
        "{name}，您好：\n\n{org} 邀请您加入仓单通（Godown）账本，用户名 {user}。\n请在七天内打开以下链接，在浏览器中生成您的签名密钥；管理员批准后即可登录：\n{link}\n\n\
         Hello {name},\n\n{org} has invited you to the Godown ledger as {user}.\nWithin seven days, open this link to create your signing key in your browser; you can sign in once an admin approves it:\n{link}\n",
        name = invite.name,
        org = invite.org,
        user = invite.user,
    );
    let message = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject("仓单通邀请 / Your Godown invitation")
        .multipart(
            MultiPart::alternative().singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(text),
            ),
        )
        .map_err(|e| e.to_string())?;
    mailer.send(message).await?;
    tracing::info!(user = %invite.user, "invitation sent");
    Ok(clock::now_ms())
}
