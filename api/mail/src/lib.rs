//! E-mail: invitations and the receipts contract's notices leave through
//! the outbox once their entry has committed. Three backends: SMTP, a
//! directory of `.eml` files, and memory for tests. A node that serves real
//! members refuses to start without one chosen explicitly.
//!
//! Each notification is claimed before it is sent, so two processes sharing
//! a database never both send it; a failure is retried with exponential
//! backoff; and its Message-ID is fixed by its outbox row, so a receiving
//! server can drop a copy resent after a crash between sending and
//! recording.

pub mod templates;

pub use lettre::message::Mailbox;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{MultiPart, SinglePart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport as _, Message, Tokio1Executor};
use sea_orm::TransactionTrait as _;

use godown_domain::LoanEvent;
use godown_domain::financing::Loan;
use godown_node::error::ApiError;
use godown_node::node::{Node, clock};
use godown_node::outbox::{self, Invitation, LoanNotice, Message as Outbox, ReceiptNotice};
use godown_node::session::invitation_token;
use godown_node::store::{ledger, loans, projection, receipts, sessions};
use templates::{Rendered, Template};

/// How long an invitation link stays good.
pub const INVITATION_DAYS: i64 = 7;
/// Attempts before a notification is left for an operator to look at.
const MAX_ATTEMPTS: i32 = 8;
/// How long a sender holds its claim on a notification.
const CLAIM_MS: i64 = 120_000;
/// The first retry waits this long; each next one twice as long.
const FIRST_RETRY_MS: i64 = 15_000;
/// The longest wait between retries.
const MAX_RETRY_MS: i64 = 3_600_000;

/// When a notification that failed `attempts` times (this one included)
/// is tried again.
pub fn retry_at(now_ms: i64, attempts: i32) -> i64 {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    now_ms
        + FIRST_RETRY_MS
            .saturating_mul(1_i64 << exponent)
            .min(MAX_RETRY_MS)
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
                // Several messages may leave in one millisecond.
                #[expect(
                    clippy::items_after_statements,
                    reason = "the counter belongs to this backend alone"
                )]
                static SEQUENCE: std::sync::atomic::AtomicU64 =
                    std::sync::atomic::AtomicU64::new(0);
                let n = SEQUENCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let path = dir.join(format!("{}-{n:06}.eml", clock::now_ms()));
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

/// An alarm a witness or a monitor raised, as its file records it.
#[derive(Debug, Clone, Copy)]
pub struct Alarm<'a> {
    /// `fork` or `split-view`.
    pub kind: &'a str,
    /// The log.
    pub origin: &'a str,
    /// When, in POSIX seconds.
    pub at: u64,
    /// The evidence file.
    pub evidence: &'a str,
    /// Why.
    pub why: &'a str,
    /// The witness's or the monitor's name.
    pub reporter: &'a str,
}

/// Sends an alarm to each address in Chinese and then English. The
/// `message_id` is fixed by the alarm, so a resend after a crash is the same
/// message to the recipient.
pub async fn send_alarm(
    mailer: &Mailer,
    from: &Mailbox,
    to: &[Mailbox],
    alarm: &Alarm<'_>,
    message_id: &str,
) -> Result<(), String> {
    let template = match alarm.kind {
        "fork" => Template::ForkAlarm,
        "split-view" => Template::SplitViewAlarm,
        other => return Err(format!("no alarm of kind {other:?}")),
    };
    let at = godown_domain::Timestamp::from_unix_millis(
        i64::try_from(alarm.at)
            .unwrap_or(i64::MAX / 1000)
            .saturating_mul(1000),
    )
    .to_string();
    let rendered = templates::render(
        template,
        &[
            ("origin", alarm.origin),
            ("reporter", alarm.reporter),
            ("at", &at),
            ("why", alarm.why),
            ("evidence", alarm.evidence),
        ],
    )?;
    let text = templates::invitation_text(&rendered)?;
    for address in to {
        let message = Message::builder()
            .from(from.clone())
            .to(address.clone())
            .subject(rendered.subject.clone())
            .message_id(Some(message_id.to_owned()))
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(text.clone()),
            )
            .map_err(|e| e.to_string())?;
        mailer.send(message).await?;
    }
    Ok(())
}

/// What mail says and where links point.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The sender.
    pub from: Mailbox,
    /// The dashboard's public address, for links.
    pub public_url: String,
}

/// How often running loans are checked for reminders of time.
const REMIND_EVERY_MS: i64 = 15 * 60 * 1000;
/// How many days before maturity the borrower is reminded.
pub const MATURITY_NOTICE_DAYS: i64 = 7;

/// Queues the reminders that time calls for, once each: maturity within
/// seven days (to the borrower), and overdue (to the borrower and the
/// bank). Returns how many were queued.
pub async fn remind_loans(node: &Node) -> Result<usize, ApiError> {
    use godown_domain::financing::LoanStatus;
    let db = node.db().conn();
    let today = godown_domain::Date::of(node.now());
    let filter = loans::LoanFilter {
        statuses: vec![LoanStatus::Active],
        ..loans::LoanFilter::default()
    };
    let mut queued = 0;
    for loan in loans::all_loans(db, &filter).await? {
        let (Some(terms), Some((_, entry, _))) = (loan.terms(), &loan.disbursement) else {
            continue;
        };
        let days_left = today.days_until(terms.maturity);
        let due: Vec<(LoanEvent, &godown_domain::OrgId)> = if loan.overdue_on(today) {
            vec![
                (LoanEvent::Overdue, &loan.borrower),
                (LoanEvent::Overdue, &loan.bank),
            ]
        } else if (0..=MATURITY_NOTICE_DAYS).contains(&days_left) {
            vec![(LoanEvent::MaturityNear, &loan.borrower)]
        } else {
            continue;
        };
        let event = due.first().map_or(LoanEvent::Overdue, |(e, _)| *e);
        let txn = node
            .db()
            .conn()
            .begin()
            .await
            .map_err(godown_node::store::StoreError::from)?;
        if loans::claim_reminder(&txn, loan.id.as_str(), event.as_str(), clock::now_ms()).await? {
            for (event, org) in &due {
                let message = Outbox::Loan(LoanNotice {
                    loan: loan.id.to_string(),
                    org: org.to_string(),
                    event: *event,
                });
                outbox::enqueue(&txn, *entry, &message, clock::now_ms()).await?;
                queued += 1;
            }
        }
        txn.commit()
            .await
            .map_err(godown_node::store::StoreError::from)?;
    }
    if queued > 0 {
        node.outbox_ready().notify_one();
    }
    Ok(queued)
}

/// Sends what waits in the outbox, whenever an append signals it and once a
/// minute in case a send failed; and queues reminders of time every quarter
/// of an hour.
pub async fn run_outbox(node: Node, mailer: Mailer, settings: MailSettings) {
    let mut reminded_ms = 0;
    loop {
        if clock::now_ms() - reminded_ms >= REMIND_EVERY_MS {
            match remind_loans(&node).await {
                Ok(_) => reminded_ms = clock::now_ms(),
                Err(e) => {
                    tracing::warn!(error = %e.describe(), "loan reminders could not be queued; retrying");
                }
            }
        }
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
    let now = clock::now_ms();
    for item in ledger::pending_outbox(db, 100, MAX_ATTEMPTS, now).await? {
        if !ledger::claim_outbox(db, item.id, clock::now_ms(), clock::now_ms() + CLAIM_MS).await? {
            continue;
        }
        let span =
            tracing::info_span!("outbox", id = item.id, kind = %item.kind, entry = item.entry);
        let _guard = span.enter();
        let message_id = format!("<outbox-{}-{}@godown>", item.id, item.entry);
        let result = match outbox::Message::decode(&item.kind, &item.payload) {
            Ok(Outbox::Invitation(invite)) => {
                send_invitation(node, mailer, settings, item.entry, &invite, &message_id).await
            }
            Ok(Outbox::ReceiptIssued(notice)) => {
                let t = Template::ReceiptIssued;
                send_notice(node, mailer, settings, t, &notice, &message_id).await
            }
            Ok(Outbox::TransferRequested(notice)) => {
                let t = Template::TransferRequested;
                send_notice(node, mailer, settings, t, &notice, &message_id).await
            }
            Ok(Outbox::ShortfallFound(notice)) => {
                let t = Template::ShortfallFound;
                send_notice(node, mailer, settings, t, &notice, &message_id).await
            }
            Ok(Outbox::Loan(notice)) => {
                send_loan_notice(node, mailer, settings, &notice, &message_id).await
            }
            Err(e) => Err(e.to_string()),
        };
        match &result {
            Ok(_) => sent += 1,
            Err(e) => {
                tracing::warn!(error = %e, attempts = item.attempts + 1, "a notification failed");
            }
        }
        let retry = retry_at(clock::now_ms(), item.attempts + 1);
        ledger::mark_outbox(db, &item, result, retry).await?;
    }
    Ok(sent)
}

/// Every address on file for the users of an organisation.
async fn addresses_of(node: &Node, org: &str) -> Result<Vec<(String, Mailbox)>, String> {
    let db = node.db().conn();
    let mut out = Vec::new();
    for user in projection::users_of(db, org)
        .await
        .map_err(|e| e.to_string())?
    {
        if let Some(email) = sessions::contact(db, user.id.as_str())
            .await
            .map_err(|e| e.to_string())?
            && let Ok(address) = email.parse::<lettre::Address>()
        {
            out.push((
                user.name.to_string(),
                Mailbox::new(Some(user.name.to_string()), address),
            ));
        }
    }
    Ok(out)
}

async fn send_notice(
    node: &Node,
    mailer: &Mailer,
    settings: &MailSettings,
    template: Template,
    notice: &ReceiptNotice,
    message_id: &str,
) -> Result<i64, String> {
    let kind = template.name();
    let db = node.db().conn();
    let receipt = receipts::receipt(db, &notice.receipt)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("receipt {} is not in the projection", notice.receipt))?;
    let commodity = receipts::lot(db, receipt.lot.as_str())
        .await
        .map_err(|e| e.to_string())?
        .map(|l| (l.commodity.to_string(), l.unit.as_str()))
        .unwrap_or_default();
    let recipients = addresses_of(node, &notice.org).await?;
    if recipients.is_empty() {
        tracing::info!(org = %notice.org, kind, "no user of the organisation has an address on file; nothing to send");
        return Ok(clock::now_ms());
    }
    let link = format!(
        "{}/receipts/{}",
        settings.public_url.trim_end_matches('/'),
        receipt.id
    );
    let what = format!(
        "{} {} {} ({})",
        receipt.quantity, commodity.1, commodity.0, receipt.number
    );
    let rendered = templates::render(
        template,
        &[
            ("warehouse", receipt.warehouse.as_str()),
            ("holder", receipt.holder.as_str()),
            ("lot", receipt.lot.as_str()),
            ("number", receipt.number.as_str()),
            ("what", &what),
        ],
    )?;
    send_bilingual(mailer, settings, recipients, &rendered, &link, message_id).await?;
    tracing::info!(kind, receipt = %receipt.id, org = %notice.org, "notice sent");
    Ok(clock::now_ms())
}

/// Sends one notice to each recipient, as plain text and HTML, both
/// carrying the Chinese and then the English.
async fn send_bilingual(
    mailer: &Mailer,
    settings: &MailSettings,
    recipients: Vec<(String, Mailbox)>,
    rendered: &Rendered,
    link: &str,
    message_id: &str,
) -> Result<(), String> {
    let text = templates::notice_text(rendered, link)?;
    let html = templates::notice_html(rendered, link)?;
    let subject = &rendered.subject;
    for (_, to) in recipients {
        let message = Message::builder()
            .from(settings.from.clone())
            .to(to)
            .subject(subject.clone())
            .message_id(Some(message_id.to_owned()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .header(ContentTransferEncoding::Base64)
                            .body(text.clone()),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .header(ContentTransferEncoding::Base64)
                            .body(html.clone()),
                    ),
            )
            .map_err(|e| e.to_string())?;
        mailer.send(message).await?;
    }
    Ok(())
}

/// What a loan notice says, in both languages.
pub fn loan_text(event: LoanEvent, loan: &Loan, extra: &LoanFigures) -> Result<Rendered, String> {
    let amount = format!("{} {}", loan.currency(), extra.amount);
    templates::render(
        Template::Loan(event),
        &[
            ("id", loan.id.as_str()),
            ("amount", &amount),
            ("borrower", loan.borrower.as_str()),
            ("bank", loan.bank.as_str()),
            ("currency", loan.currency().as_str()),
            ("maturity", &extra.maturity),
            ("ltv", &extra.ltv),
            ("deadline", &extra.deadline),
            ("cure", &extra.cure),
            ("owed", &extra.owed),
            ("instructed", &extra.instructed),
            ("reference", &extra.reference),
        ],
    )
}

async fn loan_figures(
    node: &Node,
    loan: &Loan,
) -> Result<LoanFigures, godown_node::store::StoreError> {
    let market = godown_node::collateral::load_market(node.db().conn(), &[loan], &[]).await?;
    let f = market.figures(loan, godown_domain::Date::of(node.now()));
    let terms = loan.terms();
    let places = loan.currency().places();
    Ok(LoanFigures {
        amount: terms
            .map_or(loan.amount.value(), |t| t.principal.value())
            .to_string(),
        maturity: terms.map(|t| t.maturity.to_string()).unwrap_or_default(),
        ltv: loan.open_margin_call().map_or_else(
            || f.ltv.map(percent).unwrap_or_default(),
            |m| percent(m.ltv),
        ),
        deadline: loan
            .open_margin_call()
            .map(|m| m.deadline.to_string())
            .unwrap_or_default(),
        cure: f.cure.unwrap_or_default().round_dp(places).to_string(),
        owed: (f.penalty + f.interest + f.principal).to_string(),
        instructed: loan
            .instructions
            .last()
            .map(|i| format!("{} {}", loan.currency(), i.amount))
            .unwrap_or_default(),
        reference: loan
            .instructions
            .last()
            .map(|i| i.reference.to_string())
            .unwrap_or_default(),
    })
}

fn percent(ratio: rust_decimal::Decimal) -> String {
    format!(
        "{}%",
        (ratio * rust_decimal::Decimal::ONE_HUNDRED).round_dp(1)
    )
}

/// The figures a loan notice quotes.
#[derive(Debug, Clone, Default)]
pub struct LoanFigures {
    /// The principal, or the amount applied for before terms.
    pub amount: String,
    /// The maturity date.
    pub maturity: String,
    /// The loan-to-value of an open margin call, as a percentage.
    pub ltv: String,
    /// Its cure deadline.
    pub deadline: String,
    /// What repays it.
    pub cure: String,
    /// What is owed today.
    pub owed: String,
    /// The last repayment the borrower says it sent.
    pub instructed: String,
    /// Its reference.
    pub reference: String,
}

async fn send_loan_notice(
    node: &Node,
    mailer: &Mailer,
    settings: &MailSettings,
    notice: &LoanNotice,
    message_id: &str,
) -> Result<i64, String> {
    let loan = loans::loan(node.db().conn(), &notice.loan)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("loan {} is not in the projection", notice.loan))?;
    let recipients = addresses_of(node, &notice.org).await?;
    if recipients.is_empty() {
        tracing::info!(org = %notice.org, event = %notice.event, "no user of the organisation has an address on file; nothing to send");
        return Ok(clock::now_ms());
    }
    let figures = loan_figures(node, &loan).await.map_err(|e| e.to_string())?;
    let rendered = loan_text(notice.event, &loan, &figures)?;
    let link = format!(
        "{}/loans/{}",
        settings.public_url.trim_end_matches('/'),
        loan.id
    );
    send_bilingual(mailer, settings, recipients, &rendered, &link, message_id).await?;
    tracing::info!(loan = %loan.id, org = %notice.org, event = %notice.event, "loan notice sent");
    Ok(clock::now_ms())
}

async fn send_invitation(
    node: &Node,
    mailer: &Mailer,
    settings: &MailSettings,
    entry: u64,
    invite: &Invitation,
    message_id: &str,
) -> Result<i64, String> {
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
    let rendered = templates::render(
        Template::Invitation,
        &[
            ("name", &invite.name),
            ("org", &invite.org),
            ("user", &invite.user),
            ("link", &link),
        ],
    )?;
    let text = templates::invitation_text(&rendered)?;
    let message = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(message_id.to_owned()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_an_hour() {
        assert_eq!(retry_at(0, 1), 15_000);
        assert_eq!(retry_at(0, 2), 30_000);
        assert_eq!(retry_at(0, 3), 60_000);
        assert_eq!(retry_at(0, 9), 3_600_000);
        assert_eq!(retry_at(0, i32::MAX), 3_600_000);
    }
}
