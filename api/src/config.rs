//! Configuration, one group per concern. Each value comes from a flag or
//! the environment variable named beside it; a bad value ends start-up with
//! one clear sentence.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use godown_node::node::DatabaseConfig;

/// Where the node keeps its data.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// The data directory: the node's keys, and the SQLite database unless
    /// `DATABASE_URL` names PostgreSQL.
    #[arg(
        long = "data",
        env = "GODOWN_DATA",
        default_value = "./godown-data",
        value_name = "DIR"
    )]
    pub data_dir: PathBuf,
    /// A PostgreSQL URL (postgres://user@host:port/db). Without it the node
    /// uses the embedded SQLite database in the data directory.
    #[arg(long, env = "DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
}

impl DataArgs {
    /// The database this names.
    pub fn database(&self) -> anyhow::Result<DatabaseConfig> {
        match &self.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(DatabaseConfig::Postgres(url.clone()))
            }
            Some(url) if url.starts_with("sqlite:") => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                Ok(DatabaseConfig::Sqlite(PathBuf::from(path)))
            }
            Some(other) => anyhow::bail!(
                "DATABASE_URL {other:?} names neither PostgreSQL (postgres://…) nor SQLite (sqlite:…)"
            ),
            None => Ok(DatabaseConfig::Sqlite(self.data_dir.join("godown.db"))),
        }
    }
}

/// How the web edge guards itself.
#[derive(Debug, Clone, Args)]
pub struct EdgeArgs {
    /// An origin whose pages may call the API from a browser (CORS), such
    /// as `https://bank.example`; repeat, or give several separated by
    /// commas. None by default: only the dashboard the node serves.
    #[arg(
        long = "cors-origin",
        env = "GODOWN_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN",
        value_parser = parse_origin
    )]
    pub cors_origins: Vec<axum::http::HeaderValue>,
    /// Serve GraphiQL, a developer's page, at `GET /graphql`.
    #[arg(long, env = "GODOWN_GRAPHIQL")]
    pub graphiql: bool,
    /// Sign-in challenges and invitation uses one client address may ask
    /// for per minute.
    #[arg(long, env = "GODOWN_SIGNIN_PER_MINUTE", default_value_t = std::num::NonZeroU32::new(120).unwrap_or(std::num::NonZeroU32::MIN), value_name = "N")]
    pub signin_per_minute: std::num::NonZeroU32,
    /// Document uploads one client address may make per minute.
    #[arg(long, env = "GODOWN_UPLOADS_PER_MINUTE", default_value_t = std::num::NonZeroU32::new(60).unwrap_or(std::num::NonZeroU32::MIN), value_name = "N")]
    pub uploads_per_minute: std::num::NonZeroU32,
    /// Seconds a request may take, from its headers to the answer.
    #[arg(long, env = "GODOWN_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECONDS")]
    pub request_timeout: u64,
}

impl EdgeArgs {
    /// The options the web edge takes.
    pub fn options(&self) -> godown_web::http::EdgeOptions {
        godown_web::http::EdgeOptions {
            cors_origins: self.cors_origins.clone(),
            graphiql: self.graphiql,
            signin_per_minute: self.signin_per_minute,
            uploads_per_minute: self.uploads_per_minute,
            request_timeout: std::time::Duration::from_secs(self.request_timeout),
            ..godown_web::http::EdgeOptions::default()
        }
    }
}

/// An origin as browsers send it: `scheme://host[:port]`, nothing after.
fn parse_origin(text: &str) -> Result<axum::http::HeaderValue, String> {
    let text = text.trim();
    let ok = (text.starts_with("https://") || text.starts_with("http://"))
        && !text
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .contains('/')
        && text.len() > "http://".len();
    if !ok {
        return Err(format!(
            "{text:?} is not an origin: scheme://host[:port], with no path"
        ));
    }
    axum::http::HeaderValue::from_str(text).map_err(|e| format!("{text:?}: {e}"))
}

/// Where the node listens.
#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    /// The address to listen on.
    #[arg(
        long,
        env = "GODOWN_LISTEN",
        default_value = "127.0.0.1:8080",
        value_name = "ADDR"
    )]
    pub listen: SocketAddr,
    /// The dashboard's built files; served at `/` when the directory exists.
    #[arg(
        long,
        env = "GODOWN_FRONTEND",
        default_value = "frontend/dist",
        value_name = "DIR"
    )]
    pub frontend: PathBuf,
    /// The public address of the dashboard, for links in e-mail.
    #[arg(long, env = "GODOWN_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
}

/// Where e-mail goes.
#[derive(Debug, Clone, Args)]
pub struct MailArgs {
    /// An SMTP URL: `smtp://host:port`, or `smtps://user:password@host`.
    #[arg(
        long,
        env = "GODOWN_SMTP_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,
    /// Write e-mail as .eml files into this directory instead of sending it.
    #[arg(long, env = "GODOWN_MAIL_DIR", value_name = "DIR")]
    pub mail_dir: Option<PathBuf>,
    /// The sender of e-mail.
    #[arg(
        long,
        env = "GODOWN_MAIL_FROM",
        default_value = "Godown <no-reply@godown.local>",
        value_name = "MAILBOX"
    )]
    pub mail_from: String,
}

/// Where a witness's or a monitor's alarms are e-mailed.
#[derive(Debug, Clone, Args)]
pub struct AlarmArgs {
    /// An address to e-mail alarms to (the organisation's admins); repeat,
    /// or separate with commas.
    #[arg(
        long = "alarm-to",
        env = "GODOWN_ALARM_TO",
        value_delimiter = ',',
        value_name = "ADDRESS"
    )]
    pub alarm_to: Vec<String>,
    /// How the alarms' mail leaves.
    #[command(flatten)]
    pub mail: MailArgs,
}

impl AlarmArgs {
    /// The recipients of alarms, or `None` (with a warning) when no address
    /// is given; mail goes by SMTP when configured, else as `.eml` files
    /// under `state/mail`.
    pub fn recipients(
        &self,
        state: &std::path::Path,
        reporter: &str,
    ) -> anyhow::Result<Option<crate::alarms::Recipients>> {
        if self.alarm_to.is_empty() {
            tracing::warn!(
                "alarms are kept as files and logged, but not e-mailed: give --alarm-to"
            );
            return Ok(None);
        }
        let to = self
            .alarm_to
            .iter()
            .map(|a| {
                a.trim()
                    .parse()
                    .map_err(|e| anyhow::anyhow!("--alarm-to {a:?} is not an e-mail address: {e}"))
            })
            .collect::<anyhow::Result<Vec<godown_mail::Mailbox>>>()?;
        let from = self
            .mail
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("--mail-from is not a mailbox: {e}"))?;
        Ok(Some(crate::alarms::Recipients {
            mailer: crate::cli::mailer(&self.mail, state)?,
            from,
            to,
            reporter: reporter.to_owned(),
        }))
    }
}
