//! `godown demo`: a fresh demo consortium, served.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::Args;

use crate::config::ListenArgs;
use crate::server::{ServeOptions, bind, serve};
use godown_mail::{MailSettings, Mailer};
use godown_node::node::{DatabaseConfig, Node, NodeConfig};

/// The file that marks a directory as a demo's, safe to wipe.
const MARKER: &str = "GODOWN-DEMO";

/// Seed a fresh demo consortium on embedded SQLite and serve it.
///
/// Two banks, two warehouses, three SMEs, an inspector and a regulator, each
/// with users whose keys are enrolled through the ledger. Demo keys are
/// public: the dashboard offers one-click demo logins, labelled as such.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  godown demo            # then open http://127.0.0.1:8080")]
pub struct Demo {
    /// The demo's data directory; a previous demo in it is replaced.
    #[arg(
        long = "data",
        env = "GODOWN_DEMO_DATA",
        default_value = "./godown-data/demo",
        value_name = "DIR"
    )]
    data_dir: PathBuf,
    #[command(flatten)]
    listen: ListenArgs,
    #[command(flatten)]
    edge: crate::config::EdgeArgs,
}

impl Demo {
    pub(super) fn run(self) -> anyhow::Result<()> {
        let _telemetry = crate::telemetry::init()?;
        fresh_directory(&self.data_dir)?;
        let public_url = self
            .listen
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen.listen));
        super::runtime()?.block_on(async move {
            let listener = bind(self.listen.listen).await?;
            let node = Node::start(NodeConfig {
                data_dir: self.data_dir.clone(),
                database: DatabaseConfig::Sqlite(self.data_dir.join("godown.db")),
                genesis: Some(crate::demo::genesis()?),
            })
            .await?;
            let directory = crate::demo::seed(&node).await?;
            let policy = crate::demo::witnesses::start(&node, &self.data_dir).await?;
            node.set_witness_policy(policy)?;
            tracing::info!(
                users = directory.users.len(),
                "the demo consortium is ready"
            );
            let frontend = self
                .listen
                .frontend
                .is_dir()
                .then(|| self.listen.frontend.clone());
            serve(
                node,
                listener,
                ServeOptions {
                    listen: self.listen.listen,
                    frontend,
                    mailer: Mailer::Files(self.data_dir.join("mail")),
                    mail: MailSettings {
                        from: "Godown Demo <demo@godown.local>"
                            .parse()
                            .context("the demo sender")?,
                        public_url,
                    },
                    demo: Some(Arc::new(directory)),
                    witness_ca: None,
                    // A demo is for trying the API too: GraphiQL is on.
                    edge: godown_web::http::EdgeOptions {
                        graphiql: true,
                        ..self.edge.options()
                    },
                },
            )
            .await
        })
    }
}

/// Empties a previous demo's directory; refuses any other non-empty one.
fn fresh_directory(dir: &Path) -> anyhow::Result<()> {
    if dir.exists() {
        let marked = dir.join(MARKER).exists();
        let empty = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read {}", dir.display()))?
            .next()
            .is_none();
        if !marked && !empty {
            bail!(
                "{} holds something that is not a demo; choose another directory with --data",
                dir.display()
            );
        }
        std::fs::remove_dir_all(dir)
            .with_context(|| format!("cannot clear the previous demo in {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(
        dir.join(MARKER),
        "This directory holds a Godown demo and is replaced by the next `godown demo`.\n",
    )
    .with_context(|| format!("cannot write into {}", dir.display()))
}
