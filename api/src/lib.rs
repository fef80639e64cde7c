//! The `godown` binary's library: the command line, configuration,
//! telemetry, the wiring of the node core with the web edge and the mail
//! worker, and the demo consortium. The node itself lives in `godown-node`,
//! its web edge in `godown-web`, its mail in `godown-mail`.

pub mod alarms;
pub mod cli;
pub mod config;
pub mod demo;
pub mod records;
pub mod server;
pub mod telemetry;
pub mod witnesses;
