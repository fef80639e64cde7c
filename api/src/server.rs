//! Serving a node: the router on a listener, the outbox beside it, and a
//! graceful stop on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

use godown_mail::{MailSettings, Mailer, run_outbox};
use godown_node::node::Node;
use godown_web::demo::DemoDirectory;
use godown_web::http::router;

/// What serving needs.
#[derive(Debug)]
pub struct ServeOptions {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The dashboard's files, if built.
    pub frontend: Option<PathBuf>,
    /// How mail leaves.
    pub mailer: Mailer,
    /// What mail says.
    pub mail: MailSettings,
    /// The demo directory, on a demo node.
    pub demo: Option<Arc<DemoDirectory>>,
    /// Certificates (PEM) trusted for HTTPS witness URLs besides the usual
    /// roots.
    pub witness_ca: Option<PathBuf>,
}

/// Binds the listener first, so a port in use is reported before anything
/// else starts.
pub async fn bind(listen: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(
    node: Node,
    listener: tokio::net::TcpListener,
    options: ServeOptions,
) -> anyhow::Result<()> {
    tokio::spawn(run_outbox(node.clone(), options.mailer, options.mail));
    tokio::spawn(godown_node::cosigning::run(
        node.clone(),
        crate::witnesses::HttpWitnesses::new(options.witness_ca.as_deref())?,
    ));
    let app = router(node, options.demo, options.frontend);
    let address = listener.local_addr()?;
    tracing::info!(address = %address, "serving on http://{address}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .context("the server stopped")
}

pub(crate) async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("stopping");
}
