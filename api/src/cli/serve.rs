//! `godown serve`: run a node.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Args;

use crate::config::{DataArgs, ListenArgs, MailArgs};
use crate::server::{ServeOptions, bind, serve};
use godown_mail::{MailSettings, Mailer};
use godown_node::node::{GenesisFile, Node, NodeConfig};

/// Run a Godown node: the GraphQL API, the C2SP routes and the dashboard.
///
/// A new ledger needs a genesis file naming the operator and the founding
/// organisations; an existing one is replayed and checked at start.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  godown serve --genesis genesis.json
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/godown GODOWN_SMTP_URL=smtp://127.0.0.1:25 godown serve
  godown serve --listen 0.0.0.0:8080 --mail-dir ./outgoing-mail")]
pub struct Serve {
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    listen: ListenArgs,
    #[command(flatten)]
    edge: crate::config::EdgeArgs,
    #[command(flatten)]
    mail: MailArgs,
    /// A genesis file, used only when the database holds no ledger yet.
    #[arg(long, env = "GODOWN_GENESIS", value_name = "FILE")]
    genesis: Option<PathBuf>,
    /// The consortium's witness policy (C2SP tlog-policy, with each
    /// witness's URL): the node asks those witnesses to cosign, and
    /// `/checkpoint` serves the newest checkpoint that meets the quorum.
    #[arg(long, env = "GODOWN_WITNESS_POLICY", value_name = "FILE")]
    witness_policy: Option<PathBuf>,
    /// How many seconds the checkpoint that meets the witness policy may
    /// trail the newest before the node warns and `/readyz/witnesses`
    /// answers 503.
    #[arg(long, env = "GODOWN_FINALITY_LIMIT", value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    finality_limit: u64,
    /// Certificates (PEM) to trust for the policy's HTTPS witness URLs,
    /// besides the Mozilla roots: for a consortium with its own CA.
    #[arg(long, env = "GODOWN_WITNESS_CA", value_name = "FILE")]
    witness_ca: Option<PathBuf>,
}

impl Serve {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let _telemetry = crate::telemetry::init()?;
        let mailer = mailer(&self.mail, &self.data.data_dir)?;
        let genesis = self.genesis.as_deref().map(GenesisFile::read).transpose()?;
        let database = self.data.database()?;
        let policy = self
            .witness_policy
            .as_deref()
            .map(crate::witnesses::read_policy)
            .transpose()?;
        let public_url = self
            .listen
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen.listen));
        let settings = MailSettings {
            from: self
                .mail
                .mail_from
                .parse()
                .context("GODOWN_MAIL_FROM is not a mailbox")?,
            public_url,
        };
        super::runtime()?.block_on(async move {
            let listener = bind(self.listen.listen).await?;
            let node = Node::start(NodeConfig {
                data_dir: self.data.data_dir.clone(),
                database,
                genesis,
            })
            .await?;
            if let Some(policy) = policy {
                node.set_witness_policy(policy)?;
            }
            node.set_finality_limit(std::time::Duration::from_secs(self.finality_limit));
            let frontend = self.listen.frontend.is_dir().then(|| self.listen.frontend.clone());
            if frontend.is_none() {
                tracing::warn!(dir = %self.listen.frontend.display(), "the dashboard is not built; serving the API only");
            }
            serve(node, listener, ServeOptions {
                listen: self.listen.listen,
                frontend,
                mailer,
                mail: settings,
                demo: None,
                witness_ca: self.witness_ca.clone(),
                edge: self.edge.options(),
            })
            .await
        })
    }
}

/// SMTP when configured; otherwise `.eml` files, in the directory chosen or
/// in `mail/` under the data directory, so that nothing is lost and an
/// operator can read what would have been sent.
pub(crate) fn mailer(mail: &MailArgs, data_dir: &Path) -> anyhow::Result<Mailer> {
    match (&mail.smtp_url, &mail.mail_dir) {
        (Some(url), _) => Mailer::smtp(url),
        (None, Some(dir)) => Ok(Mailer::Files(dir.clone())),
        (None, None) => {
            let dir = data_dir.join("mail");
            tracing::warn!(dir = %dir.display(), "no SMTP server is configured (GODOWN_SMTP_URL); e-mail is written as .eml files");
            Ok(Mailer::Files(dir))
        }
    }
}
