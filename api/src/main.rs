//! The `godown` binary: the node and its command line.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = godown_api::cli::Cli::parse();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("godown: {e:#}");
            ExitCode::FAILURE
        }
    }
}
