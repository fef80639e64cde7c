//! `godown rotate-session-secret`: a fresh secret for session tokens.

use crate::config::DataArgs;

/// Replace the node's session secret with a fresh one.
///
/// The current secret is kept as the previous one: a node started after the
/// rotation signs new tokens with the new secret and still accepts tokens
/// signed with the previous until they expire (15 minutes), and they
/// refresh into tokens signed with the new one. So rotating logs no one out;
/// a second rotation ends what the first one's secret signed. Restart (or
/// roll) every node sharing the data directory's secrets after it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:
  godown rotate-session-secret --data ./godown-data && systemctl restart godown")]
pub struct RotateSessionSecret {
    #[command(flatten)]
    data: DataArgs,
}

impl RotateSessionSecret {
    pub(super) fn run(self) -> anyhow::Result<()> {
        godown_node::node::keys::rotate_session_secret(&self.data.data_dir)?;
        println!(
            "the session secret in {} is new; restart the node: sessions signed with the old one stay good until they expire",
            self.data.data_dir.display()
        );
        Ok(())
    }
}
