//! Serving a node: the router on a listener, the outbox beside it, and a
//! graceful stop on Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

use godown_mail::{MailSettings, Mailer, run_outbox};
use godown_node::node::Node;
use godown_web::demo::DemoDirectory;
use godown_web::http::{EdgeOptions, router};

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
    /// How the web edge guards itself.
    pub edge: EdgeOptions,
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
    let app = router(node, options.demo, options.frontend, &options.edge);
    let address = listener.local_addr()?;
    tracing::info!(address = %address, "serving on http://{address}");
    // A client that trickles its headers (or sends none on an open
    // connection) is dropped after the edge's header deadline.
    serve_connections(listener, app, options.edge.header_timeout, shutdown()).await;
    Ok(())
}

/// Accepts connections until `stop`, each served by `app` (HTTP/1.1 with
/// upgrades for `WebSocket`s, or HTTP/2) with the client's address at hand
/// for the edge's limits and a deadline on reading each request's headers,
/// which `axum::serve` does not offer. Then lets open requests finish, for
/// at most ten seconds.
pub async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    header_timeout: std::time::Duration,
    stop: impl Future<Output = ()>,
) {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt as _;

    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let app = app.clone();
        let service = tower::service_fn(
            move |mut request: axum::http::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                app.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, "connection ended: {e}");
            }
        });
    }
    if tokio::time::timeout(std::time::Duration::from_secs(10), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still open after 10 s were cut off");
    }
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
