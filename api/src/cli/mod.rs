//! The command line: `godown serve`, `demo`, `export`, `verify`, `keygen`,
//! `witness`, `monitor` and `tx sign`.

mod backup;
mod demo;
mod export;
mod keygen;
mod monitor;
mod serve;
mod session;
mod tx;
mod verify;
mod witness;

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
    Serve(Box<serve::Serve>),
    Demo(Box<demo::Demo>),
    Export(export::Export),
    Backup(backup::Backup),
    Restore(backup::Restore),
    Verify(Box<verify::Verify>),
    Keygen(keygen::Keygen),
    Witness(Box<witness::Witness>),
    Monitor(Box<monitor::Monitor>),
    RotateSessionSecret(session::RotateSessionSecret),
    #[command(subcommand)]
    Tx(tx::TxCommand),
}

impl Cli {
    /// Runs the chosen command.
    pub fn run(self) -> anyhow::Result<()> {
        match self.command {
            Command::Serve(args) => args.run(),
            Command::Demo(args) => args.run(),
            Command::Export(args) => runtime()?.block_on(args.run()),
            Command::Backup(args) => runtime()?.block_on(args.run()),
            Command::Restore(args) => runtime()?.block_on(args.run()),
            Command::Verify(args) => args.run(),
            Command::Keygen(args) => args.run(),
            Command::Witness(args) => args.run(),
            Command::Monitor(args) => args.run(),
            Command::RotateSessionSecret(args) => args.run(),
            Command::Tx(args) => args.run(),
        }
    }
}

pub(crate) use export::open;
pub(crate) use serve::mailer;

/// The async runtime for commands that need one.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))
}
