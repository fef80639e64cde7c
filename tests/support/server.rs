//! A node served on a real port, and a client that signs in and signs
//! transactions the way a browser or a bank system does.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use godown_api::server::{ServeOptions, serve};
use godown_domain::Tx;
use godown_ledger::Transaction;
use godown_mail::{MailSettings, Mailer};
use serde_json::{Value, json};

use super::{Backend, TestApp, key};

/// A node behind a real listener.
pub struct TestServer {
    /// The node and its database.
    pub app: TestApp,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The address.
    pub addr: SocketAddr,
    /// A client.
    pub http: reqwest::Client,
    nonce: std::sync::atomic::AtomicU64,
}

impl TestServer {
    /// Serves a fresh node, its mail kept in memory.
    pub async fn start(backend: Backend) -> Option<Self> {
        let outbox = Arc::new(Mutex::new(Vec::new()));
        Self::start_with(backend, Mailer::Memory(outbox)).await
    }

    /// Serves a fresh node with the given mailer.
    pub async fn start_with(backend: Backend, mailer: Mailer) -> Option<Self> {
        Self::start_with_edge(
            backend,
            mailer,
            godown_web::http::EdgeOptions {
                graphiql: true,
                ..Default::default()
            },
        )
        .await
    }

    /// Serves a fresh node with the given mailer, its web edge set so.
    pub async fn start_with_edge(
        backend: Backend,
        mailer: Mailer,
        edge: godown_web::http::EdgeOptions,
    ) -> Option<Self> {
        let app = TestApp::start(backend).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let addr = listener.local_addr().expect("the port");
        let base = format!("http://{addr}");
        let options = ServeOptions {
            listen: addr,
            frontend: None,
            mailer,
            mail: MailSettings {
                from: "Godown <no-reply@test.local>".parse().expect("a mailbox"),
                public_url: base.clone(),
            },
            demo: None,
            witness_ca: None,
            edge,
        };
        tokio::spawn(serve(app.node.clone(), listener, options));
        Some(Self {
            app,
            base,
            addr,
            http: crate::support::http_client(),
            nonce: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// A fresh nonce.
    pub fn nonce(&self) -> String {
        format!(
            "http-{}",
            self.nonce
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        )
    }

    /// Posts JSON and returns the status and body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> (u16, Value) {
        let mut request = self.http.post(format!("{}{path}", self.base)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the node answers");
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// Gets a path and returns the status and text.
    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, String) {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the node answers");
        (
            response.status().as_u16(),
            response.text().await.unwrap_or_default(),
        )
    }

    /// Signs in with the key of `seed`; returns the token.
    pub async fn login(&self, seed: u8) -> String {
        let (status, body) = self.try_login(seed).await;
        assert_eq!(status, 200, "login refused: {body}");
        body["token"].as_str().expect("a token").to_owned()
    }

    /// Signs in with the key of `seed`; returns the raw answer.
    pub async fn try_login(&self, seed: u8) -> (u16, Value) {
        let (_, challenge) = self.post("/auth/challenge", None, &json!({})).await;
        let challenge = challenge["challenge"]
            .as_str()
            .expect("a challenge")
            .to_owned();
        let message = format!("godown-login/v1\n{}\n{challenge}", self.app.node.origin());
        let signature = key(seed).sign(message.as_bytes());
        self.post(
            "/auth/login",
            None,
            &json!({"key": key(seed).public_key().to_base64(), "challenge": challenge, "signature": signature.to_base64()}),
        )
        .await
    }

    /// Runs a GraphQL operation; returns the whole response.
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.post(
            "/graphql",
            token,
            &json!({"query": query, "variables": variables}),
        )
        .await
        .1
    }

    /// The `signature` argument for `tx` signed by `seed` with `nonce`.
    pub fn sign(&self, seed: u8, tx: &(impl Clone + Into<Tx>), nonce: &str) -> Value {
        let tx: Tx = tx.clone().into();
        let signed = Transaction::new(self.app.node.origin(), tx.tx_type(), nonce, tx.body())
            .expect("a transaction");
        let signature = key(seed).sign(&signed.signing_bytes());
        json!({"key": key(seed).public_key().to_base64(), "nonce": nonce, "signature": STANDARD.encode(signature.to_bytes())})
    }
}

/// The error code of the first error of a GraphQL response.
pub fn error_code(response: &Value) -> Option<&str> {
    response["errors"][0]["extensions"]["code"].as_str()
}
