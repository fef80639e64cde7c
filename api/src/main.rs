//! The `godown` binary: the node and its command line.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    // One TLS provider for every HTTPS client of the process (witnesses,
    // the monitor's fetches, OTLP export): ring, which lettre uses too.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = godown_api::cli::Cli::parse();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("godown: {e:#}");
            ExitCode::FAILURE
        }
    }
}
