//! What `godown monitor --key` checks for a member: the node's answers about
//! the member's own receipts and loans against what the signed entries it
//! may see imply.
//!
//! Each round:
//!
//! 1. signs in with the member's key and takes the checkpoint the witnesses'
//!    quorum cosigned (`/checkpoint`, verified under the policy);
//! 2. reads the index and leaf hash of every entry up to that size (every
//!    member sees them) and checks that they hash to the checkpoint's root,
//!    so that the entries it is shown are the log the witnesses vouch for;
//! 3. reads the payloads it may see (its organisation's entries, prices, and
//!    the histories of its receipts and loans) and checks each against its
//!    leaf hash and signature;
//! 4. re-runs the contracts over them in log order (`domain::observer`);
//! 5. compares, for every receipt and loan the node lists for it, what the
//!    node says with what the contracts made: a receipt's status, holder,
//!    quantity, pieces and pledgee; a loan's status, bank, borrower, amount,
//!    collateral, disbursed and received sums. And every record the
//!    contracts say the member is a party to must be listed.
//!
//! A record whose history holds an entry the contracts could not re-run
//! from the member's view (it depends on entries the member may not see),
//! or an entry newer than the cosigned checkpoint, is left unchecked and
//! said so; a disagreement on any other is an alarm.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr as _;

use anyhow::{Context as _, anyhow, bail};
use godown_domain::observer::{Attribution, Observer};
use godown_domain::{OrgId, Timestamp, Tx, UserId};
use godown_ledger::batch::verify_entries;
use godown_ledger::tree::RootBuilder;
use godown_ledger::{Entry, Hash, Policy, PrivateKey, leaf_hash};
use rust_decimal::Decimal;
use serde_json::{Value, json};

/// The member at `path` of a JSON answer, or null.
fn at<'v>(value: &'v Value, path: &str) -> &'v Value {
    value.pointer(path).unwrap_or(&Value::Null)
}

/// Entries and records read per GraphQL page.
const PAGE: u32 = 200;

/// What one round found.
#[derive(Debug, Default)]
pub struct Round {
    /// The organisation the member's key belongs to.
    pub org: String,
    /// The cosigned checkpoint's size the round checked against.
    pub size: u64,
    /// Entries whose payload the member saw and re-ran.
    pub seen: usize,
    /// Entries the contracts refused from the member's view, with why.
    pub not_rerun: Vec<(u64, String)>,
    /// Records compared and found as the entries say.
    pub checked: usize,
    /// Records not compared, with why.
    pub unchecked: Vec<(String, String)>,
    /// Disagreements: each is an alarm.
    pub findings: Vec<String>,
    /// The entries of the records that disagree, for the evidence file.
    pub evidence: BTreeMap<u64, String>,
}

/// A payload the member may see, and who the node says signed it.
struct Payload {
    entry: String,
    attribution: Option<Attribution>,
}

/// What the node says about a record, and the entries it says make it.
struct Claim {
    id: String,
    fields: BTreeMap<&'static str, String>,
    history: Vec<u64>,
}

/// Runs one round against the node at `base`, signed in with `key`.
pub async fn check(
    http: &reqwest::Client,
    base: &str,
    key: &PrivateKey,
    policy: &Policy,
) -> anyhow::Result<Round> {
    let node = Node::sign_in(http, base, key).await?;
    let mut round = Round {
        org: node.org.to_string(),
        ..Round::default()
    };
    let cosigned = node.text("/checkpoint").await?;
    let checkpoint = policy
        .verify(cosigned.as_bytes())
        .map_err(|e| anyhow!("the node's /checkpoint does not verify under the policy: {e}"))?
        .checkpoint;
    round.size = checkpoint.size;
    let (leaves, mut payloads) = node.entries(checkpoint.size).await?;
    let mut root = RootBuilder::new();
    for leaf in &leaves {
        root.push(*leaf);
    }
    if root.root() != checkpoint.root {
        round.findings.push(format!(
            "the {} entries the node lists hash to {}, not to the cosigned checkpoint's root {}",
            leaves.len(),
            root.root(),
            checkpoint.root
        ));
        return Ok(round);
    }
    // The node lists drafts and discarded drafts only when asked for them.
    let mut receipts = Vec::new();
    for status in [Value::Null, json!("DRAFT"), json!("DISCARDED")] {
        receipts.extend(
            node.records(RECEIPTS, "receipts", &status, receipt_claim)
                .await?,
        );
    }
    let loans = node
        .records(LOANS, "loans", &Value::Null, loan_claim)
        .await?;
    // The lots' own entries (goods received, certified, counted): what the
    // receipts on them were drafted against.
    let lots = node.records(LOTS, "lots", &Value::Null, |_| ()).await?;
    for history in receipts
        .iter()
        .map(|(_, h)| h)
        .chain(loans.iter().map(|(_, h)| h))
        .chain(lots.iter().map(|((), h)| h))
    {
        payloads.extend(history.iter().map(|(i, p)| (*i, p.clone())));
    }
    let observer = rerun(&leaves, &payloads, &mut round);
    let claims: Vec<(Claim, Kind)> = receipts
        .into_iter()
        .map(|(c, _)| (c, Kind::Receipt))
        .chain(loans.into_iter().map(|(c, _)| (c, Kind::Loan)))
        .collect();
    compare(&observer, &node.org, &claims, &payloads, &mut round);
    Ok(round)
}

/// A signed-in member's view of the node.
struct Node<'a> {
    http: &'a reqwest::Client,
    base: &'a str,
    token: String,
    org: OrgId,
}

impl<'a> Node<'a> {
    async fn sign_in(
        http: &'a reqwest::Client,
        base: &'a str,
        key: &PrivateKey,
    ) -> anyhow::Result<Node<'a>> {
        let origin = graphql_at(http, base, None, "{ ledger { origin } }", json!({})).await?;
        let origin = at(&origin, "/ledger/origin")
            .as_str()
            .ok_or_else(|| anyhow!("the node does not say its origin"))?
            .to_owned();
        let challenge = post_json(http, &format!("{base}/auth/challenge"), &json!({})).await?;
        let challenge = at(&challenge, "/challenge")
            .as_str()
            .ok_or_else(|| anyhow!("the node gave no challenge"))?;
        let message = format!("godown-login/v1\n{origin}\n{challenge}");
        let session = post_json(
            http,
            &format!("{base}/auth/login"),
            &json!({"key": key.public_key().to_base64(), "challenge": challenge,
                    "signature": key.sign(message.as_bytes()).to_base64()}),
        )
        .await?;
        let token = at(&session, "/token")
            .as_str()
            .ok_or_else(|| anyhow!("sign-in refused: {session}"))?
            .to_owned();
        let org = at(&session, "/org")
            .as_str()
            .and_then(|o| OrgId::parse(o).ok())
            .ok_or_else(|| anyhow!("the session names no organisation: {session}"))?;
        Ok(Self {
            http,
            base,
            token,
            org,
        })
    }

    async fn text(&self, path: &str) -> anyhow::Result<String> {
        let url = format!("{}{path}", self.base);
        let answer = self
            .http
            .get(&url)
            .send()
            .await
            .with_context(|| format!("cannot reach {url}"))?;
        if !answer.status().is_success() {
            bail!("{url} answered {}", answer.status());
        }
        Ok(answer.text().await?)
    }

    async fn graphql(&self, query: &str, variables: Value) -> anyhow::Result<Value> {
        graphql_at(self.http, self.base, Some(&self.token), query, variables).await
    }

    /// The leaf hash of every entry below `size`, and the payloads shown.
    async fn entries(&self, size: u64) -> anyhow::Result<(Vec<Hash>, BTreeMap<u64, Payload>)> {
        let mut leaves = Vec::new();
        let mut payloads = BTreeMap::new();
        let mut after = Value::Null;
        while (leaves.len() as u64) < size {
            let page = self
                .graphql(
                    "query($after: String, $first: Int) { entries(after: $after, first: $first) {
                       pageInfo { hasNextPage endCursor }
                       nodes { index leafHash entry signerUser signerOrg } } }",
                    json!({"after": after, "first": PAGE}),
                )
                .await?;
            let page = at(&page, "/entries");
            for node in at(page, "/nodes").as_array().into_iter().flatten() {
                let index = at(node, "/index").as_u64().unwrap_or(u64::MAX);
                if index >= size {
                    break;
                }
                if index != leaves.len() as u64 {
                    bail!(
                        "the node listed entry {index} where entry {} was due",
                        leaves.len()
                    );
                }
                let leaf = at(node, "/leafHash")
                    .as_str()
                    .and_then(|h| Hash::from_base64(h).ok())
                    .ok_or_else(|| anyhow!("entry {index} has no leaf hash"))?;
                leaves.push(leaf);
                if let Some(entry) = at(node, "/entry").as_str() {
                    payloads.insert(index, payload(entry, node));
                }
            }
            if at(page, "/pageInfo/hasNextPage").as_bool() != Some(true) {
                break;
            }
            after = at(page, "/pageInfo/endCursor").clone();
        }
        if (leaves.len() as u64) < size {
            bail!(
                "the node listed {} entries; the checkpoint has {size}",
                leaves.len()
            );
        }
        Ok((leaves, payloads))
    }

    /// Every record of a kind the node lists for the member, read by
    /// `read`, each with the payloads of its history.
    async fn records<T>(
        &self,
        query: &str,
        field: &str,
        status: &Value,
        read: fn(&Value) -> T,
    ) -> anyhow::Result<Vec<(T, Vec<(u64, Payload)>)>> {
        let mut out = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = self
                .graphql(
                    query,
                    json!({"after": after, "first": PAGE, "status": status}),
                )
                .await?;
            let page = at(&page, &format!("/{field}"));
            for node in at(page, "/nodes").as_array().into_iter().flatten() {
                let history = at(node, "/history")
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|e| {
                        let index = at(e, "/index").as_u64()?;
                        let entry = at(e, "/proof/entry").as_str()?;
                        Some((index, payload(entry, e)))
                    })
                    .collect();
                out.push((read(node), history));
            }
            if at(page, "/pageInfo/hasNextPage").as_bool() != Some(true) {
                return Ok(out);
            }
            after = at(page, "/pageInfo/endCursor").clone();
        }
    }
}

impl Clone for Payload {
    fn clone(&self) -> Self {
        Self {
            entry: self.entry.clone(),
            attribution: self.attribution.clone(),
        }
    }
}

fn payload(entry: &str, node: &Value) -> Payload {
    let attribution = match (
        at(node, "/signerUser").as_str(),
        at(node, "/signerOrg").as_str(),
    ) {
        (Some(user), Some(org)) => match (UserId::parse(user), OrgId::parse(org)) {
            (Ok(user), Ok(org)) => Some(Attribution { user, org }),
            _ => None,
        },
        _ => None,
    };
    Payload {
        entry: entry.to_owned(),
        attribution,
    }
}

const RECEIPTS: &str = "query($after: String, $first: Int, $status: ReceiptStatus) {
  receipts(after: $after, first: $first, status: $status) {
    pageInfo { hasNextPage endCursor }
    nodes { id status holder { id } quantity { value } pieces encumbrance { holder }
            history { index signerUser signerOrg proof { entry } } } } }";

const LOTS: &str = "query($after: String, $first: Int) { lots(after: $after, first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes { id history { index signerUser signerOrg proof { entry } } } } }";

const LOANS: &str = "query($after: String, $first: Int) { loans(after: $after, first: $first) {
    pageInfo { hasNextPage endCursor }
    nodes { id status bank { id } borrower { id } amount { currency value } collateral { receipt }
            balances { disbursed { value } received { value } }
            history { index signerUser signerOrg proof { entry } } } } }";

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".to_owned(),
        other => other.to_string(),
    }
}

fn history_of(node: &Value) -> Vec<u64> {
    at(node, "/history")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| at(e, "/index").as_u64())
        .collect()
}

fn receipt_claim(node: &Value) -> Claim {
    // The node tells an expired receipt from a live one by today's date;
    // the ledger keeps both as live.
    let status = match at(node, "/status").as_str() {
        Some("EXPIRED") => "live".to_owned(),
        other => other.unwrap_or_default().to_lowercase(),
    };
    Claim {
        id: text_of(at(node, "/id")),
        fields: BTreeMap::from([
            ("status", status),
            ("holder", text_of(at(node, "/holder/id"))),
            ("quantity", decimal(at(node, "/quantity/value"))),
            ("pieces", text_of(at(node, "/pieces"))),
            ("pledgee", text_of(at(node, "/encumbrance/holder"))),
        ]),
        history: history_of(node),
    }
}

fn loan_claim(node: &Value) -> Claim {
    let collateral: BTreeSet<String> = at(node, "/collateral")
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| text_of(at(p, "/receipt")))
        .collect();
    Claim {
        id: text_of(at(node, "/id")),
        fields: BTreeMap::from([
            (
                "status",
                at(node, "/status")
                    .as_str()
                    .unwrap_or_default()
                    .to_lowercase(),
            ),
            ("bank", text_of(at(node, "/bank/id"))),
            ("borrower", text_of(at(node, "/borrower/id"))),
            (
                "amount",
                format!(
                    "{} {}",
                    text_of(at(node, "/amount/currency")),
                    decimal(at(node, "/amount/value"))
                ),
            ),
            (
                "collateral",
                collateral.into_iter().collect::<Vec<_>>().join(","),
            ),
            ("disbursed", decimal(at(node, "/balances/disbursed/value"))),
            ("received", decimal(at(node, "/balances/received/value"))),
        ]),
        history: history_of(node),
    }
}

/// A decimal in one spelling, so `100.0` and `100.00` agree.
fn decimal(v: &Value) -> String {
    let text = text_of(v);
    Decimal::from_str(&text).map_or(text, |d| d.normalize().to_string())
}

/// Checks every payload against its leaf hash and signature, and re-runs
/// the contracts over them in log order.
fn rerun(leaves: &[Hash], payloads: &BTreeMap<u64, Payload>, round: &mut Round) -> Observer {
    let mut entries = Vec::new();
    for (index, p) in payloads.range(..leaves.len() as u64) {
        let bytes = p.entry.as_bytes();
        let expected = usize::try_from(*index)
            .ok()
            .and_then(|i| leaves.get(i))
            .copied();
        if Some(leaf_hash(bytes)) != expected {
            round.findings.push(format!(
                "the payload the node shows for entry {index} is not the entry the checkpoint covers (its leaf hash differs)"
            ));
            round.evidence.insert(*index, p.entry.clone());
            continue;
        }
        match Entry::parse(bytes) {
            Ok(entry) => entries.push((*index, entry, p.attribution.clone())),
            Err(e) => round
                .findings
                .push(format!("entry {index} is malformed: {}: {e}", e.code())),
        }
    }
    let refs: Vec<&Entry> = entries.iter().map(|(_, e, _)| e).collect();
    if let Err((bad, e)) = verify_entries(&refs, &[]) {
        let index = entries.get(bad).map_or(0, |(i, _, _)| *i);
        round.findings.push(format!(
            "entry {index}'s signature does not verify: {}: {e}",
            e.code()
        ));
        return Observer::default();
    }
    let mut observer = Observer::default();
    for (index, entry, attribution) in &entries {
        let decided = entry
            .transaction()
            .map_err(|e| e.to_string())
            .and_then(|tx| {
                Tx::parse(
                    entry.tx_type(),
                    tx.body().unwrap_or(&serde_json::Map::new()),
                )
                .map_err(|e| e.to_string())
            })
            .and_then(|tx| {
                let time = entry
                    .time()
                    .and_then(|t| Timestamp::parse(t).ok())
                    .ok_or_else(|| "the entry has no time".to_owned())?;
                observer
                    .apply(*index, time, entry.key(), attribution.as_ref(), &tx)
                    .map_err(|e| format!("{}: {e}", e.code()))
            });
        match decided {
            Ok(_) => round.seen += 1,
            Err(why) => round
                .not_rerun
                .push((*index, format!("{}: {why}", entry.tx_type()))),
        }
    }
    observer
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Receipt,
    Loan,
}

/// What the re-run contracts say of a record, in the claim's terms.
fn made(observer: &Observer, kind: Kind, id: &str) -> Option<BTreeMap<&'static str, String>> {
    let dec = |d: Decimal| d.normalize().to_string();
    match kind {
        Kind::Receipt => {
            let r = observer
                .state
                .receipts
                .receipts
                .iter()
                .find(|(k, _)| k.as_str() == id)?
                .1;
            Some(BTreeMap::from([
                ("status", r.status.as_str().to_owned()),
                ("holder", r.holder.to_string()),
                ("quantity", dec(r.quantity)),
                ("pieces", r.pieces.to_string()),
                (
                    "pledgee",
                    r.encumbrance
                        .as_ref()
                        .map_or_else(|| "none".to_owned(), |e| e.holder.to_string()),
                ),
            ]))
        }
        Kind::Loan => {
            let l = observer
                .state
                .financing
                .loans
                .iter()
                .find(|(k, _)| k.as_str() == id)?
                .1;
            let collateral: BTreeSet<String> =
                l.collateral.iter().map(|p| p.receipt.to_string()).collect();
            Some(BTreeMap::from([
                ("status", l.status.as_str().to_owned()),
                ("bank", l.bank.to_string()),
                ("borrower", l.borrower.to_string()),
                (
                    "amount",
                    format!("{} {}", l.amount.currency(), dec(l.amount.value())),
                ),
                (
                    "collateral",
                    collateral.into_iter().collect::<Vec<_>>().join(","),
                ),
                ("disbursed", dec(l.balances.disbursed)),
                ("received", dec(l.balances.received)),
            ]))
        }
    }
}

fn compare(
    observer: &Observer,
    org: &OrgId,
    claims: &[(Claim, Kind)],
    payloads: &BTreeMap<u64, Payload>,
    round: &mut Round,
) {
    let not_rerun: BTreeMap<u64, String> = round.not_rerun.iter().cloned().collect();
    let listed: BTreeSet<(Kind, &str)> = claims.iter().map(|(c, k)| (*k, c.id.as_str())).collect();
    for (claim, kind) in claims {
        let label = format!("{} {}", kind_name(*kind), claim.id);
        if let Some(i) = claim.history.iter().find(|i| **i >= round.size) {
            round.unchecked.push((
                label,
                format!("entry {i} of its history is newer than the cosigned checkpoint"),
            ));
            continue;
        }
        if let Some((i, why)) = claim
            .history
            .iter()
            .find_map(|i| not_rerun.get(i).map(|why| (i, why)))
        {
            round.unchecked.push((
                label,
                format!(
                    "entry {i} of its history could not be re-run from this member's view ({why})"
                ),
            ));
            continue;
        }
        let Some(made) = made(observer, *kind, &claim.id) else {
            round.findings.push(format!(
                "{label}: the node lists it, but no entry this member may see makes it"
            ));
            keep(round, payloads, &claim.history);
            continue;
        };
        let differ: Vec<String> = claim
            .fields
            .iter()
            .filter(|(field, said)| made.get(*field) != Some(*said))
            .map(|(field, said)| {
                format!(
                    "{field}: the node says {said}, the entries say {}",
                    made.get(field).map_or("nothing", String::as_str)
                )
            })
            .collect();
        if differ.is_empty() {
            round.checked += 1;
        } else {
            round
                .findings
                .push(format!("{label}: {}", differ.join("; ")));
            keep(round, payloads, &claim.history);
        }
    }
    // Whatever the entries make this member a party to, the node must list.
    let receipts = observer
        .state
        .receipts
        .receipts
        .values()
        .filter(|r| r.parties().contains(org))
        .map(|r| (Kind::Receipt, r.id.to_string()));
    let loans = observer
        .state
        .financing
        .loans
        .values()
        .filter(|l| l.parties().contains(org))
        .map(|l| (Kind::Loan, l.id.to_string()));
    for (kind, id) in receipts.chain(loans) {
        if !listed.contains(&(kind, id.as_str())) {
            round.findings.push(format!(
                "{} {id}: the entries make {org} a party to it, but the node does not list it",
                kind_name(kind)
            ));
        }
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Receipt => "receipt",
        Kind::Loan => "loan",
    }
}

fn keep(round: &mut Round, payloads: &BTreeMap<u64, Payload>, history: &[u64]) {
    for i in history {
        if let Some(p) = payloads.get(i) {
            round.evidence.insert(*i, p.entry.clone());
        }
    }
}

async fn graphql_at(
    http: &reqwest::Client,
    base: &str,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> anyhow::Result<Value> {
    let mut request = http
        .post(format!("{base}/graphql"))
        .header("content-type", "application/json")
        .body(json!({"query": query, "variables": variables}).to_string());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = request
        .send()
        .await
        .with_context(|| format!("cannot reach {base}/graphql"))?;
    let answer: Value = serde_json::from_str(&answer.text().await?)
        .context("the node's GraphQL answer is not JSON")?;
    if let Some(errors) = answer.get("errors").filter(|e| !e.is_null()) {
        bail!("the node's GraphQL answered errors: {errors}");
    }
    Ok(at(&answer, "/data").clone())
}

async fn post_json(http: &reqwest::Client, url: &str, body: &Value) -> anyhow::Result<Value> {
    let answer = http
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    serde_json::from_str(&answer.text().await?)
        .with_context(|| format!("{url} did not answer JSON"))
}
