//! The command line: `godown keygen`, `godown verify`.

mod keygen;
mod verify;

use clap::{Parser, Subcommand};

/// Godown: warehouse-receipt financing on one signed, verifiable ledger.
#[derive(Debug, Parser)]
#[command(name = "godown", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Keygen(keygen::Keygen),
    Verify(Box<verify::Verify>),
}

impl Cli {
    /// Runs the chosen command.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Keygen(args) => args.run(),
            Command::Verify(args) => args.run(),
        }
    }
}
