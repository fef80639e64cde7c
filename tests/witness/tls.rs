//! Witnesses over HTTPS: the node reaches a witness behind a TLS front (as
//! a member would run one, behind its own reverse proxy) with a certificate
//! from the consortium's own CA, only when told to trust that CA.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::net::{TcpListener, TcpStream};

use super::consortium::{invite, node_dir, serve_with_policy, sizes, until_final, witness};
use super::get_text;
use crate::support::binary::{ORIGIN, login};

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl runs (.ci/run installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA and a certificate it issued for localhost: `ca.pem`, `tls.pem`,
/// `tls.key` in `dir`.
fn certificates(dir: &Path) {
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req", "-x509"];
    ca.extend(ec);
    ca.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Godown test consortium CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign",
    ]);
    openssl(dir, &ca);
    let mut csr = vec!["req"];
    csr.extend(ec);
    csr.extend([
        "-keyout",
        "tls.key",
        "-out",
        "tls.csr",
        "-subj",
        "/CN=localhost",
    ]);
    openssl(dir, &csr);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "tls.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "tls.pem",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
        ],
    );
}

/// A TLS front for `backend` on a free loopback port; returns the port.
async fn tls_front(dir: &Path, backend: String) -> u16 {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(dir.join("tls.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("tls.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, backend) = (acceptor.clone(), backend.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let Ok(mut upstream) = TcpStream::connect(&backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_witness_behind_https_cosigns_once_the_node_trusts_the_consortiums_ca() {
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    let (data, _, log) = node_dir(dir.path(), 63);
    let w = witness(dir.path(), 0, &log);
    let backend = w.server.base.trim_start_matches("http://").to_owned();
    let port = tls_front(dir.path(), backend).await;
    let policy = format!(
        "log {log}\nwitness m0 {} https://localhost:{port}\nquorum m0\n",
        w.vkey
    );
    let policy_file = dir.path().join("consortium.policy");
    std::fs::write(&policy_file, policy).unwrap();
    let start = |ca: Option<&Path>| {
        let trust = ca.map(|ca| [std::ffi::OsStr::new("--witness-ca"), ca.as_os_str()]);
        serve_with_policy(
            &data,
            &policy_file,
            trust.as_ref().map_or(&[][..], |t| &t[..]),
        )
    };
    let http = crate::support::http_client();

    // Not trusting the CA, the node cannot reach the witness: nothing is
    // final, and the node says so.
    let server = start(None);
    let token = login(&http, &server.base, 10).await;
    invite(&http, &server.base, &token, 0, 3).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while get_text(&http, &format!("{}/readyz/witnesses", server.base))
        .await
        .0
        != 503
    {
        assert!(Instant::now() < deadline, "finality never reported late");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(sizes(&http, &server.base).await.0, None, "nothing is final");
    server.stop();

    // Trusting it, the same node gets every checkpoint cosigned over TLS.
    let server = start(Some(&dir.path().join("ca.pem")));
    let token = login(&http, &server.base, 10).await;
    invite(&http, &server.base, &token, 3, 2).await;
    let covered = until_final(&http, &server.base).await;
    assert!(covered >= 6, "{covered}");
    let (_, cosigned) = get_text(&http, &format!("{}/checkpoint/{ORIGIN}", w.server.base)).await;
    assert!(
        cosigned.starts_with(&format!("{ORIGIN}\n{covered}\n")),
        "{cosigned}"
    );
    server.stop();
}
