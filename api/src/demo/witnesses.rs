//! The demo's witnesses: both banks run one, in this process, on loopback
//! ports chosen by the system, and the demo's witness policy needs both
//! (`group banks all jade east`). Their keys are demo keys, public like the
//! users'.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use godown_ledger::Policy;
use godown_node::node::Node;
use godown_witness::{Config, Witness, serve_on};

use super::sign::demo_key;

/// (organisation, name in the policy) of each demo witness.
pub const WITNESSES: &[(&str, &str)] = &[("bank-jade", "jade"), ("bank-east", "east")];

/// Starts the demo's witnesses (state under `dir/witnesses/`) and returns
/// the policy that names them, also written to `dir/consortium.policy` so a
/// user can check a downloaded proof offline with `godown verify --policy`.
pub async fn start(node: &Node, dir: &Path) -> anyhow::Result<Policy> {
    let mut policy = format!(
        "# The demo consortium: both banks' witnesses must vouch for a checkpoint.\nlog {}\n",
        node.log_vkey()
    );
    for (org, name) in WITNESSES {
        let witness = Arc::new(Witness::open(Config {
            key: demo_key(&format!("{org}.witness")),
            name: format!("witness.{org}.demo/w1"),
            logs: node.log_vkeys(),
            state: dir.join("witnesses").join(org),
        })?);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        writeln!(policy, "witness {name} {} {url}", witness.vkey())?;
        tokio::spawn(async move {
            if let Err(e) = serve_on(witness, listener, std::future::pending()).await {
                tracing::error!("a demo witness stopped: {e:#}");
            }
        });
    }
    policy.push_str("group banks all jade east\nquorum banks\n");
    let parsed =
        Policy::parse(&policy).map_err(|e| anyhow::anyhow!("the demo's witness policy: {e}"))?;
    let file = dir.join("consortium.policy");
    std::fs::write(&file, &policy)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
    Ok(parsed)
}
