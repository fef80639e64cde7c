//! Running the `godown` binary as a server process, as an operator would.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::key;

/// The test ledger's origin.
pub const ORIGIN: &str = "test.godown.example/ledger";

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A `godown serve` process.
pub struct ServerProcess {
    /// The process.
    pub child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

/// Whether `GET path` answers 200, asked over a plain socket so that no
/// async runtime is needed.
fn ready(port: u16, path: &str) -> bool {
    use std::io::{Read as _, Write as _};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    if stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .is_err()
    {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}

/// The `godown serve` command for a data directory, with the test genesis,
/// mail written to files, and no dashboard.
pub fn serve_command(data: &Path, port: u16) -> Command {
    let mut command = serve_command_without_mail(data, port);
    command.arg("--mail-dir").arg(data.join("mail"));
    command
}

/// Like [`serve_command`], naming no mail destination at all.
pub fn serve_command_without_mail(data: &Path, port: u16) -> Command {
    let genesis = data.join("genesis.json");
    if !genesis.exists() {
        std::fs::create_dir_all(data).expect("the data directory");
        std::fs::write(&genesis, super::genesis_json().to_string()).expect("the genesis file");
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_godown"));
    command
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--data")
        .arg(data)
        .arg("--genesis")
        .arg(&genesis)
        .args(["--frontend", "/nonexistent"])
        .env_remove("DATABASE_URL")
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .env_remove("GODOWN_SMTP_URL")
        .env_remove("GODOWN_MAIL_DIR")
        .env("RUST_LOG", "warn");
    command
}

impl ServerProcess {
    /// Starts `command` and waits until `/readyz` answers: the port is bound
    /// before the node has replayed its log, so a listening port is not yet
    /// a ready node.
    pub fn start(command: Command, port: u16) -> Self {
        Self::start_until(command, port, "/readyz")
    }

    /// Starts `command` and waits until `GET path` answers 200.
    pub fn start_until(mut command: Command, port: u16, path: &str) -> Self {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("godown starts");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                unreachable!("godown serve exited before it was ready: {status}");
            }
            if ready(port, path) {
                return Self { child, base };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        unreachable!("godown serve was not ready within 60 s");
    }

    /// Asks the process to stop (SIGTERM) and waits for it.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().expect("the server stops")
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn crash(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A test that fails midway leaves no process behind.
impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Signs in at `base` with the key of `seed`; returns the token.
pub async fn login(http: &reqwest::Client, base: &str, seed: u8) -> String {
    let challenge: Value = http
        .post(format!("{base}/auth/challenge"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let challenge = challenge["challenge"].as_str().unwrap();
    let message = format!("godown-login/v1\n{ORIGIN}\n{challenge}");
    let body = json!({"key": key(seed).public_key().to_base64(), "challenge": challenge, "signature": key(seed).sign(message.as_bytes()).to_base64()});
    let session: Value = http
        .post(format!("{base}/auth/login"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["token"].as_str().unwrap().to_owned()
}

/// Posts a GraphQL request to `base` as the holder of `token`; an error when
/// the node cannot be reached or its answer is not JSON.
pub async fn post_graphql(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    body: &Value,
) -> reqwest::Result<Value> {
    http.post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await?
        .json()
        .await
}

/// The GraphQL request that invites `user` into bank-a, signed by bank-a's
/// admin (seed 10) with `nonce`.
pub fn invite_request(user: &str, nonce: &str) -> Value {
    let tx = crate::api::invite_tx("bank-a", user);
    let signed = godown_ledger::Transaction::new(ORIGIN, "user.invite", nonce, tx.body()).unwrap();
    let signature = json!({"key": key(10).public_key().to_base64(), "nonce": nonce, "signature": key(10).sign(&signed.signing_bytes()).to_base64()});
    json!({"query": crate::api::INVITE, "variables": {"input": crate::api::invite_input("bank-a", user), "signature": signature}})
}

/// Runs `godown verify` on a data directory (and `DATABASE_URL`, if given).
pub fn verify_database(data: &Path, database_url: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_godown"));
    command
        .arg("verify")
        .arg("--data")
        .arg(data)
        .env_remove("DATABASE_URL");
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    command.output().expect("godown verify runs")
}
