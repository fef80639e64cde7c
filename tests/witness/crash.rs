//! A witness killed with SIGKILL at random moments, during a thousand
//! checkpoints, never forgets a cosignature it answered and never goes
//! backwards: after each restart, its stored checkpoint is at least as new
//! as every cosignature returned before the kill.

use std::time::Duration;

use godown_ledger::TrustPolicy;

use super::{
    Log, ORIGIN, WitnessProcess, add_checkpoint, get_text, start_witness, verify_cosigned,
};

/// A small, seeded generator: the moments of the kills vary from run to
/// run (the seed is printed), and a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_witness_killed_at_random_moments_never_forgets_a_cosignature() {
    let seed = std::env::var("WITNESS_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| u64::from(d.subsec_nanos()) ^ d.as_secs() | 1)
        });
    eprintln!("witness crash test: WITNESS_CRASH_SEED={seed}");
    let mut rng = XorShift(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut log = Log::new(1);
    let mut witness = start_witness(dir.path(), &[log.vkey()]);
    let http = crate::support::http_builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    // What the client believes the witness holds, and the newest size any
    // answer cosigned.
    let mut believed = 0u64;
    let mut newest_answered = 0u64;
    let mut cosignatures = 0usize;
    let mut kills = 0usize;
    for _ in 0..1000 {
        log.grow(1 + rng.next() % 3, "leaf");
        let kill_now = rng.next().is_multiple_of(25);
        let body = log.request(believed);
        let base = witness.server.base.clone();
        let asking = {
            let http = http.clone();
            tokio::spawn(async move {
                let answer = http
                    .post(format!("{base}/add-checkpoint"))
                    .body(body)
                    .send()
                    .await;
                match answer {
                    Ok(a) => {
                        let status = a.status().as_u16();
                        Some((status, a.text().await.unwrap_or_default()))
                    }
                    Err(_) => None,
                }
            })
        };
        if kill_now {
            // Somewhere in the request: before, during or after the record.
            tokio::time::sleep(Duration::from_micros(rng.next() % 3000)).await;
            let _ = witness.server.child.kill();
            let _ = witness.server.child.wait();
            kills += 1;
        }
        let answer = asking.await.unwrap();
        if let Some((200, lines)) = &answer {
            verify_cosigned(&log, &witness.vkey, lines);
            believed = log.size;
            newest_answered = log.size;
            cosignatures += 1;
        }
        if kill_now {
            witness = start_witness(dir.path(), &[log.vkey()]);
            assert_not_behind(&http, &witness, &log, newest_answered).await;
        }
        match answer {
            Some((200, _)) => {}
            Some((409, size)) => {
                // The node's way: learn the size the witness holds, and
                // send again from there with a proof from that size.
                believed = size.trim().parse().unwrap();
                let (status, _, lines) =
                    add_checkpoint(&http, &witness.server.base, log.request(believed)).await;
                assert_eq!(
                    status, 200,
                    "a resend from the size the witness named: {lines}"
                );
                verify_cosigned(&log, &witness.vkey, &lines);
                believed = log.size;
                newest_answered = log.size;
                cosignatures += 1;
            }
            Some((status, text)) => panic!("an honest checkpoint got {status}: {text}"),
            // The kill cut the request off; the next one learns the truth
            // through a 409 if the record happened.
            None => assert!(kill_now, "a request failed with no kill"),
        }
    }
    eprintln!("witness crash test: {cosignatures} cosignatures, {kills} kills");
    assert!(
        kills >= 10,
        "the test killed the witness only {kills} times"
    );
    assert!(cosignatures >= 900);
    witness.server.stop();
}

/// After a restart, the witness holds what it last answered for, or newer.
async fn assert_not_behind(
    http: &reqwest::Client,
    witness: &WitnessProcess,
    log: &Log,
    newest_answered: u64,
) {
    if newest_answered == 0 {
        return;
    }
    let (status, note) = get_text(
        http,
        &format!("{}/checkpoint/{ORIGIN}", witness.server.base),
    )
    .await;
    assert_eq!(
        status, 200,
        "the witness forgot every checkpoint it cosigned"
    );
    let policy = TrustPolicy::new(log.vkey(), vec![witness.vkey.clone()], 1).unwrap();
    let size = policy.verify(note.as_bytes()).unwrap().checkpoint.size;
    assert!(
        size >= newest_answered,
        "after a kill the witness holds size {size}, but it had answered a cosignature for {newest_answered}"
    );
}
