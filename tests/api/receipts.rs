//! Warehouse receipts over GraphQL, end to end: a lot's whole life signed
//! by each party with its own key, notices over real SMTP, refusals that
//! write nothing, the public check, and `godown verify` at the end.
#![expect(
    clippy::panic,
    clippy::too_many_lines,
    reason = "a test fails loudly, and reads as one story"
)]

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use godown_domain::membership::body::{AdminSpec, ApproveKey, EnrolKey, InviteUser, OrgSpec};
use godown_domain::receipts::Stock;
use godown_domain::receipts::body::{
    AdjustStock, CertifyLot, CountStock, DraftReceipt, Encumber, Endorse, Insurance, Part,
    ReceiptRef, ReceiveGoods, RequestRedemption, Split, Terms,
};
use godown_domain::{
    Currency, Date, DocHash, Fraction, HsCode, MemberKey, MembershipTx, Money, Name, OrgId,
    OrgKind, Quantity, ReceiptNumber, ReceiptsTx, RecordId, Role, Text, Tx, Unit, UserId,
};
use godown_ledger::tree::verify_inclusion;
use godown_ledger::{Hash, TrustPolicy};
use godown_mail::Mailer;
use godown_node::store::ledger;
use serde_json::{Map, Value, json};

use super::done;
use crate::support::binary::verify_database;
use crate::support::server::{TestServer, error_code};
use crate::support::{Backend, key, smtp};

pub(crate) const SME_A: u8 = 40;
pub(crate) const SME_B: u8 = 41;
pub(crate) const INSPECTOR: u8 = 50;
pub(crate) const WH_ADMIN: u8 = 20;
pub(crate) const WH_OFFICER: u8 = 21;
pub(crate) const WH_APPROVER: u8 = 22;
pub(crate) const BANK: u8 = 10;
pub(crate) const REGULATOR: u8 = 30;

fn org(id: &str) -> OrgId {
    OrgId::parse(id).unwrap()
}

fn rid(id: &str) -> RecordId {
    RecordId::parse(id).unwrap()
}

fn text(t: &str) -> Text {
    Text::parse(t).unwrap()
}

fn q(t: &str) -> Quantity {
    Quantity::parse(t).unwrap()
}

/// Adds to the test consortium two SMEs, an inspector, and a warehouse
/// officer and approver, each joining the way members do.
pub(crate) async fn consortium(app: &crate::support::TestApp) {
    for (id, kind, seed) in [
        ("sme-a", OrgKind::Sme, SME_A),
        ("sme-b", OrgKind::Sme, SME_B),
        ("insp", OrgKind::Inspector, INSPECTOR),
    ] {
        let admin = UserId::parse(&format!("{id}.admin")).unwrap();
        app.admit(OrgSpec {
            org: org(id),
            name: Name::parse(id).unwrap(),
            kind,
            admin: AdminSpec {
                user: admin,
                name: Name::parse(id).unwrap(),
                key: MemberKey(key(seed).public_key()),
            },
        })
        .await;
    }
    for (user, seed, role) in [
        ("wh-a.officer", WH_OFFICER, Role::Officer),
        ("wh-a.approver", WH_APPROVER, Role::Approver),
    ] {
        let user = UserId::parse(user).unwrap();
        let k = MemberKey(key(seed).public_key());
        let steps: [(u8, MembershipTx); 3] = [
            (
                WH_ADMIN,
                MembershipTx::Invite(InviteUser {
                    org: org("wh-a"),
                    user: user.clone(),
                    name: Name::parse(user.as_str()).unwrap(),
                    roles: vec![role],
                }),
            ),
            (
                seed,
                MembershipTx::Enrol(EnrolKey {
                    user: user.clone(),
                    key: k,
                    device: text("test"),
                }),
            ),
            (WH_ADMIN, MembershipTx::Approve(ApproveKey { user, key: k })),
        ];
        for (signer, tx) in steps {
            app.submit(signer, &tx).await.unwrap();
        }
    }
}

pub(crate) fn receive(lot: &str, quantity: &str, pieces: u32) -> ReceiptsTx {
    ReceiptsTx::Receive(ReceiveGoods {
        lot: rid(lot),
        depositor: org("sme-a"),
        commodity: Name::parse("阴极铜 Copper cathode").unwrap(),
        hs_code: HsCode::parse("740311").unwrap(),
        grade: text("Cu-CATH-1, GB/T 467-2010"),
        quantity: q(quantity),
        unit: Unit::Tonne,
        packaging: text("steel-strapped bundles"),
        pieces,
        marks: text("JCC-2026-118"),
        location: text("Bay 3, Shed 2"),
        documents: vec![DocHash::parse(&"ab".repeat(32)).unwrap()],
    })
}

pub(crate) fn draft(
    receipt: &str,
    lot: &str,
    number: &str,
    quantity: &str,
    pieces: u32,
) -> ReceiptsTx {
    ReceiptsTx::Draft(DraftReceipt {
        receipt: rid(receipt),
        lot: rid(lot),
        number: ReceiptNumber::parse(number).unwrap(),
        quantity: q(quantity),
        pieces,
        terms: Terms {
            loss_allowance: Fraction::parse("0.002").unwrap(),
            storage_from: Date::parse("2026-11-01").unwrap(),
            storage_until: Date::parse("2099-12-31").unwrap(),
            storage_fee: Money::parse(Currency::Cny, "1.20").unwrap(),
            fee_basis: text("per tonne per day"),
            insurance: Some(Insurance {
                insurer: Name::parse("中国人保 PICC").unwrap(),
                amount: Money::parse(Currency::Cny, "20000000.00").unwrap(),
                from: Date::parse("2026-11-01").unwrap(),
                until: Date::parse("2099-12-31").unwrap(),
            }),
            issue_place: text("Qingdao"),
        },
    })
}

fn one(receipt: &str) -> ReceiptRef {
    ReceiptRef {
        receipt: rid(receipt),
    }
}

/// The GraphQL mutation and input type of each transaction type.
fn mutation_of(tx_type: &str) -> (&'static str, &'static str) {
    match tx_type {
        "lot.receive" => ("receiveGoods", "ReceiveGoodsInput"),
        "lot.certify" => ("certifyLot", "CertifyLotInput"),
        "lot.count" => ("countStock", "CountStockInput"),
        "lot.adjust" => ("adjustStock", "AdjustStockInput"),
        "receipt.draft" => ("draftReceipt", "DraftReceiptInput"),
        "receipt.issue" => ("issueReceipt", "ReceiptRefInput"),
        "receipt.discard" => ("discardDraft", "DiscardDraftInput"),
        "receipt.endorse" => ("endorseReceipt", "EndorseReceiptInput"),
        "receipt.countersign" => ("countersignTransfer", "ReceiptRefInput"),
        "receipt.cancel_request" => ("cancelReceiptRequest", "ReceiptRefInput"),
        "receipt.split" => ("splitReceipt", "SplitReceiptInput"),
        "receipt.merge" => ("mergeReceipts", "MergeReceiptsInput"),
        "receipt.request_redemption" => ("requestRedemption", "RequestRedemptionInput"),
        "receipt.confirm_redemption" => ("confirmRedemption", "ReceiptRefInput"),
        "receipt.encumber" => ("encumberReceipt", "EncumberReceiptInput"),
        "receipt.lift" => ("liftEncumbrance", "ReceiptRefInput"),
        "loan.apply" => ("applyForLoan", "ApplyForLoanInput"),
        "pledge.confirm" => ("confirmPledge", "PledgeInput"),
        "pledge.decline" => ("declinePledge", "DeclinePledgeInput"),
        "loan.propose" => ("proposeLoanTerms", "ProposeTermsInput"),
        "loan.approve" => ("approveLoan", "LoanRefInput"),
        "loan.reject" => ("rejectLoan", "LoanReasonInput"),
        "loan.register" => ("registerPledge", "RegisterPledgeInput"),
        "loan.disburse" => ("disburseLoan", "DisburseLoanInput"),
        "loan.repay" => ("recordRepayment", "RecordRepaymentInput"),
        "loan.instruct" => ("instructRepayment", "RecordRepaymentInput"),
        "loan.release" => ("releaseCollateral", "LoanReceiptsInput"),
        "loan.top_up" => ("topUpCollateral", "LoanReceiptsInput"),
        "loan.default" => ("declareDefault", "LoanReasonInput"),
        "loan.enforce" => ("enforceLoan", "EnforceLoanInput"),
        "loan.write_off" => ("writeOffLoan", "LoanReasonInput"),
        "price.publish" => ("publishPrice", "PublishPriceInput"),
        "price.designate" => ("designatePriceSource", "DesignateSourceInput"),
        other => panic!("no mutation for {other}"),
    }
}

/// The GraphQL input for a body: the same values, camelCase names.
fn camel(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let mut out = String::new();
                    let mut upper = false;
                    for c in k.chars() {
                        if c == '_' {
                            upper = true;
                        } else if upper {
                            out.extend(c.to_uppercase());
                            upper = false;
                        } else {
                            out.push(c);
                        }
                    }
                    (out, camel(v))
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(camel).collect()),
        other => other.clone(),
    }
}

/// The GraphQL input of a transaction: its body with camelCase names, and
/// the shapes the schema gives where they differ from the signed body
/// (enums in capitals, an enforcement's method flattened).
fn graphql_input(tx: &Tx) -> Value {
    let mut body = Value::Object(tx.body());
    if let Some(terms) = body.get_mut("terms")
        && tx.tx_type() == "loan.propose"
    {
        let terms = terms.take();
        let mut map = terms.as_object().cloned().unwrap_or_default();
        if let Some(Value::String(d)) = map.get("day_count") {
            let upper = d.to_uppercase().replace("ACT", "ACT_");
            map.insert("day_count".into(), Value::String(upper));
        }
        map.insert("loan".into(), body["loan"].clone());
        body = Value::Object(map);
    }
    if tx.tx_type() == "loan.enforce" {
        let e = body["enforcement"].clone();
        let method = e["method"].as_str().unwrap_or_default().to_uppercase();
        let amount = if method == "TAKE" {
            e["value"].clone()
        } else {
            e["proceeds"].clone()
        };
        body = json!({"loan": body["loan"], "method": method, "amount": amount, "buyer": e.get("buyer").cloned().unwrap_or(Value::Null)});
    }
    camel(&body)
}

/// Members of the consortium signing in and signing, as browsers do.
pub(crate) struct Actors<'a> {
    pub(crate) s: &'a TestServer,
    tokens: HashMap<u8, String>,
}

impl<'a> Actors<'a> {
    pub(crate) fn new(s: &'a TestServer) -> Self {
        Self {
            s,
            tokens: HashMap::new(),
        }
    }

    pub(crate) async fn token(&mut self, seed: u8) -> String {
        if let Some(t) = self.tokens.get(&seed) {
            return t.clone();
        }
        let t = self.s.login(seed).await;
        self.tokens.insert(seed, t.clone());
        t
    }

    /// Signs `tx` with `seed` and sends it to its mutation; the response.
    pub(crate) async fn send(&mut self, seed: u8, tx: &(impl Clone + Into<Tx>)) -> Value {
        let (name, input_type) = mutation_of(tx.clone().into().tx_type());
        let query = format!(
            "mutation($input: {input_type}!, $signature: SignatureInput!) {{ {name}(input: $input, signature: $signature) {{ index type }} }}"
        );
        let nonce = self.s.nonce();
        let signature = self.s.sign(seed, tx, &nonce);
        let input = graphql_input(&tx.clone().into());
        let token = self.token(seed).await;
        self.s
            .graphql(
                Some(&token),
                &query,
                json!({"input": input, "signature": signature}),
            )
            .await
    }

    /// Like `send`, and the transaction must land.
    pub(crate) async fn ok(&mut self, seed: u8, tx: &(impl Clone + Into<Tx>)) -> u64 {
        let response = self.send(seed, tx).await;
        let tx_type = tx.clone().into().tx_type();
        let (name, _) = mutation_of(tx_type);
        response["data"][name]["index"]
            .as_u64()
            .unwrap_or_else(|| panic!("{tx_type} refused: {response}"))
    }

    /// Like `send`, and the transaction must be refused with `code`,
    /// writing nothing.
    pub(crate) async fn refused(&mut self, seed: u8, tx: &(impl Clone + Into<Tx>), code: &str) {
        let tx_type = tx.clone().into().tx_type();
        let before = ledger::head(self.s.app.node.db().conn()).await.unwrap();
        let response = self.send(seed, tx).await;
        assert_eq!(error_code(&response), Some(code), "{tx_type}: {response}");
        let after = ledger::head(self.s.app.node.db().conn()).await.unwrap();
        assert_eq!(before, after, "a refused {tx_type} wrote something");
    }

    pub(crate) async fn query(&mut self, seed: u8, query: &str, variables: Value) -> Value {
        let token = self.token(seed).await;
        let response = self.s.graphql(Some(&token), query, variables).await;
        assert!(response["errors"].is_null(), "{response}");
        response["data"].clone()
    }
}

async fn server(backend: Backend) -> Option<(TestServer, smtp::Inbox)> {
    let (url, inbox) = smtp::start().await;
    let server =
        TestServer::start_with(backend, Mailer::smtp(&url).expect("an SMTP mailer")).await?;
    consortium(&server.app).await;
    Some((server, inbox))
}

async fn plain(backend: Backend) -> Option<TestServer> {
    let server = TestServer::start(backend).await?;
    consortium(&server.app).await;
    Some(server)
}

on_sqlite_and_postgres! {
    server;
    a_lot_lives_from_receipt_of_goods_to_a_settled_shortfall_and_verifies => lifecycle;
}

on_sqlite_and_postgres! {
    plain;
    bad_input_is_refused_with_its_code_and_writes_nothing => bad_input;
    concurrent_issues_beyond_a_lot_issue_exactly_what_it_holds => concurrency;
    documents_stay_off_the_ledger_and_reach_those_who_may_see_their_lot => documents;
    the_public_check_names_no_one_but_the_warehouse_whatever_the_history => public_check;
}

/// The public check of `id`, asked without a session.
async fn check_of(s: &TestServer, id: &str) -> Value {
    let answer = s
        .graphql(
            None,
            "query($id: String!) { receiptCheck(id: $id) { id number warehouse warehouseName status encumbered
               provenance { index type entry leafHash hashes treeSize signerOrg signerOrgName } checkpoint logVkey } }",
            json!({"id": id}),
        )
        .await;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"]["receiptCheck"].clone()
}

async fn public_check(s: TestServer) {
    let mut a = Actors::new(&s);
    a.ok(WH_OFFICER, &receive("lot-pc-0001", "100.000", 40))
        .await;
    for i in 1..=8 {
        let id = format!("wr-pc-000{i}");
        a.ok(
            WH_OFFICER,
            &draft(&id, "lot-pc-0001", &format!("PC-{i}"), "10.000", 4),
        )
        .await;
        a.ok(WH_APPROVER, &ReceiptsTx::Issue(one(&id))).await;
    }
    // 1 stays as issued. 2 is endorsed to sme-b.
    a.ok(
        SME_A,
        &ReceiptsTx::Endorse(Endorse {
            receipt: rid("wr-pc-0002"),
            to: org("sme-b"),
        }),
    )
    .await;
    a.ok(WH_ADMIN, &ReceiptsTx::Countersign(one("wr-pc-0002")))
        .await;
    // 3 is split into 31 and 32; 4 and 5 are merged into 45.
    let part = |id: &str| Part {
        receipt: rid(id),
        quantity: q("5.000"),
        pieces: 2,
    };
    a.ok(
        SME_A,
        &ReceiptsTx::Split(Split {
            receipt: rid("wr-pc-0003"),
            parts: vec![part("wr-pc-0031"), part("wr-pc-0032")],
        }),
    )
    .await;
    a.ok(
        SME_A,
        &ReceiptsTx::Merge(godown_domain::receipts::body::Merge {
            receipts: vec![rid("wr-pc-0004"), rid("wr-pc-0005")],
            into: rid("wr-pc-0045"),
        }),
    )
    .await;
    // 6 is pledged to bank-a; 7 pledged and released; 8 redeemed.
    for id in ["wr-pc-0006", "wr-pc-0007"] {
        a.ok(
            SME_A,
            &ReceiptsTx::Encumber(Encumber {
                receipt: rid(id),
                pledgee: org("bank-a"),
                reference: text("LN-PC-1"),
            }),
        )
        .await;
    }
    a.ok(BANK, &ReceiptsTx::Lift(one("wr-pc-0007"))).await;
    a.ok(
        SME_A,
        &ReceiptsTx::RequestRedemption(RequestRedemption {
            receipt: rid("wr-pc-0008"),
            quantity: q("10.000"),
            pieces: 4,
        }),
    )
    .await;
    a.ok(
        WH_OFFICER,
        &ReceiptsTx::ConfirmRedemption(one("wr-pc-0008")),
    )
    .await;

    // Each check names the warehouse and no one else: not the holder, the
    // depositor, the pledgee, their users, nor the other receipts a split
    // made; an entry the holder signed is shown by its leaf hash alone.
    for (id, status, encumbered, withheld) in [
        ("wr-pc-0001", "LIVE", false, 0),
        ("wr-pc-0002", "LIVE", false, 0),
        ("wr-pc-0031", "LIVE", false, 1),
        ("wr-pc-0045", "LIVE", false, 1),
        ("wr-pc-0006", "LIVE", true, 0),
        ("wr-pc-0007", "LIVE", false, 0),
        ("wr-pc-0008", "REDEEMED", false, 0),
    ] {
        let c = check_of(&s, id).await;
        let text = c.to_string();
        for party in ["sme-a", "sme-b", "bank-a", "wr-pc-0032", "LN-PC-1"] {
            assert!(!text.contains(party), "{id}'s check names {party}: {text}");
        }
        assert_eq!(
            (c["status"].as_str(), c["encumbered"].as_bool()),
            (Some(status), Some(encumbered)),
            "{id}: {text}"
        );
        let provenance = c["provenance"].as_array().unwrap();
        let hidden = provenance.iter().filter(|p| p["entry"].is_null()).count();
        assert_eq!(hidden, withheld, "{id}: {text}");
        for p in provenance {
            if p["entry"].is_null() {
                assert!(p["signerOrg"].is_null(), "{id}: {p}");
                assert!(["receipt.split", "receipt.merge"].contains(&p["type"].as_str().unwrap()));
            } else {
                assert_eq!(p["signerOrg"], "wh-a", "{id}: {p}");
                assert_eq!(p["type"], "receipt.issue", "{id}: {p}");
            }
            // Every entry, shown or not, is included under the checkpoint.
            let checkpoint = TrustPolicy::new(s.app.node.log_vkey(), vec![], 0)
                .unwrap()
                .verify(c["checkpoint"].as_str().unwrap().as_bytes())
                .unwrap()
                .checkpoint;
            let leaf = Hash::from_base64(p["leafHash"].as_str().unwrap()).unwrap();
            if let Some(entry) = p["entry"].as_str() {
                assert_eq!(godown_ledger::leaf_hash(entry.as_bytes()), leaf);
            }
            let hashes: Vec<Hash> = p["hashes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| Hash::from_base64(h.as_str().unwrap()).unwrap())
                .collect();
            verify_inclusion(
                p["index"].as_u64().unwrap(),
                checkpoint.size,
                &leaf,
                &hashes,
                &checkpoint.root.0,
            )
            .unwrap();
        }
    }
    done(s).await;
}

const INVITE_WITH_EMAIL: &str = "mutation($input: InviteUserInput!, $email: String, $signature: SignatureInput!) { inviteUser(input: $input, email: $email, signature: $signature) { index } }";

/// Gives an organisation a user with an e-mail address on file.
pub(crate) async fn with_address(a: &mut Actors<'_>, admin: u8, org_id: &str, email: &str) {
    let user = format!("{org_id}.desk");
    let tx = MembershipTx::Invite(InviteUser {
        org: org(org_id),
        user: UserId::parse(&user).unwrap(),
        name: Name::parse(&user).unwrap(),
        roles: vec![Role::Viewer],
    });
    let nonce = a.s.nonce();
    let signature = a.s.sign(admin, &tx, &nonce);
    let token = a.token(admin).await;
    let response = a
        .s
        .graphql(
            Some(&token),
            INVITE_WITH_EMAIL,
            json!({"input": {"org": org_id, "user": user, "name": user, "roles": ["VIEWER"]}, "email": email, "signature": signature}),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
}

/// The decoded text parts of every message in the inbox.
pub(crate) fn decoded(inbox: &smtp::Inbox) -> Vec<String> {
    decoded_messages(&inbox.lock().unwrap())
}

/// The decoded text parts of each raw message.
pub(crate) fn decoded_messages(raw: &[String]) -> Vec<String> {
    raw.iter()
        .map(|raw| {
            raw.split("\n\n")
                .map(|block| {
                    block
                        .lines()
                        .take_while(|line| !line.starts_with("--"))
                        .map(str::trim)
                        .collect::<String>()
                })
                .filter_map(|block| STANDARD.decode(block).ok())
                .filter_map(|bytes| String::from_utf8(bytes).ok())
                .collect::<String>()
        })
        .collect()
}

pub(crate) async fn wait_for(inbox: &smtp::Inbox, phrase: &str) -> usize {
    for _ in 0..100 {
        let n = decoded(inbox).iter().filter(|m| m.contains(phrase)).count();
        if n > 0 {
            return n;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no message saying {phrase:?} arrived");
}

const RECEIPT: &str = "query($id: String!) { receipt(id: $id) {
  id number status quantity { value unit } pieces holder { id } depositor { id } warehouse { id }
  goods { commodity hsCode grade } terms { storageUntil storageFee { currency value } insurance { insurer } }
  draftedBy issuedBy parents children flagged
  endorsements { from to }
  encumbrance { holder kind }
  history { index type signerOrg receipt proof { index treeSize leafHash hashes checkpoint entry } }
} }";

async fn lifecycle((s, inbox): (TestServer, smtp::Inbox)) {
    let mut a = Actors::new(&s);
    with_address(&mut a, SME_A, "sme-a", "desk@sme-a.example").await;
    with_address(&mut a, WH_ADMIN, "wh-a", "desk@wh-a.example").await;
    with_address(&mut a, BANK, "bank-a", "desk@bank-a.example").await;

    // 1. Receive.
    a.ok(WH_OFFICER, &receive("lot-qd-0001", "100.000", 40))
        .await;
    // 2. Certify.
    a.ok(
        INSPECTOR,
        &ReceiptsTx::Certify(CertifyLot {
            lot: rid("lot-qd-0001"),
            grade: text("A级 Grade A"),
            quantity: q("99.980"),
            certificate: DocHash::parse(&"cd".repeat(32)).unwrap(),
        }),
    )
    .await;
    // 3. Issue: the officer drafts, the officer may not issue, the approver does.
    a.ok(
        WH_OFFICER,
        &draft("wr-qd-0001", "lot-qd-0001", "QD-WR-2026-0001", "60.000", 24),
    )
    .await;
    a.refused(
        WH_OFFICER,
        &ReceiptsTx::Issue(one("wr-qd-0001")),
        "FORBIDDEN",
    )
    .await;
    a.ok(WH_APPROVER, &ReceiptsTx::Issue(one("wr-qd-0001")))
        .await;
    wait_for(&inbox, "has issued an electronic warehouse receipt to you").await;

    // 4. Endorse and countersign.
    a.ok(
        SME_A,
        &ReceiptsTx::Endorse(Endorse {
            receipt: rid("wr-qd-0001"),
            to: org("sme-b"),
        }),
    )
    .await;
    wait_for(&inbox, "waits for your countersignature").await;
    a.ok(WH_ADMIN, &ReceiptsTx::Countersign(one("wr-qd-0001")))
        .await;

    // 5. Split.
    a.ok(
        SME_B,
        &ReceiptsTx::Split(Split {
            receipt: rid("wr-qd-0001"),
            parts: vec![
                Part {
                    receipt: rid("wr-qd-0002"),
                    quantity: q("20.000"),
                    pieces: 8,
                },
                Part {
                    receipt: rid("wr-qd-0003"),
                    quantity: q("40.000"),
                    pieces: 16,
                },
            ],
        }),
    )
    .await;

    // 6. Redeem part.
    a.ok(
        SME_B,
        &ReceiptsTx::RequestRedemption(RequestRedemption {
            receipt: rid("wr-qd-0002"),
            quantity: q("5.500"),
            pieces: 2,
        }),
    )
    .await;
    a.ok(
        WH_OFFICER,
        &ReceiptsTx::ConfirmRedemption(one("wr-qd-0002")),
    )
    .await;

    // 7. Pledge, count with a shortfall, then adjust.
    a.ok(
        SME_B,
        &ReceiptsTx::Encumber(Encumber {
            receipt: rid("wr-qd-0003"),
            pledgee: org("bank-a"),
            reference: text("LN-2026-001"),
        }),
    )
    .await;
    a.ok(
        WH_ADMIN,
        &ReceiptsTx::Count(CountStock {
            lot: rid("lot-qd-0001"),
            counted: Stock::parse("90.000").unwrap(),
        }),
    )
    .await;
    wait_for(&inbox, "found a shortfall on lot lot-qd-0001").await;
    let flagged = a.query(SME_B, RECEIPT, json!({"id": "wr-qd-0003"})).await;
    assert_eq!(flagged["receipt"]["flagged"], true);
    a.refused(
        WH_OFFICER,
        &draft("wr-qd-0009", "lot-qd-0001", "QD-WR-2026-0009", "1", 0),
        "LOT_SHORTFALL",
    )
    .await;
    a.ok(
        WH_ADMIN,
        &ReceiptsTx::Adjust(AdjustStock {
            lot: rid("lot-qd-0001"),
            quantity: Stock::parse("90.000").unwrap(),
            reason: text("盘亏 4.5 t, insurer notified"),
        }),
    )
    .await;

    // The holder sees the whole chain, with proofs that check.
    let data = a.query(SME_B, RECEIPT, json!({"id": "wr-qd-0003"})).await;
    let r = &data["receipt"];
    assert_eq!(r["status"], "LIVE");
    assert_eq!(r["number"], "QD-WR-2026-0001-S2");
    assert_eq!(r["quantity"], json!({"value": "40.000", "unit": "TNE"}));
    assert_eq!(r["holder"]["id"], "sme-b");
    assert_eq!(r["parents"], json!(["wr-qd-0001"]));
    assert_eq!(r["flagged"], false);
    assert_eq!(r["encumbrance"]["holder"], "bank-a");
    assert_eq!(r["goods"]["hsCode"], "740311");
    assert_eq!(
        r["terms"]["storageFee"],
        json!({"currency": "CNY", "value": "1.20"})
    );
    let types: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "receipt.draft",
            "receipt.issue",
            "receipt.endorse",
            "receipt.countersign",
            "receipt.split",
            "receipt.encumber",
            "lot.count",
            "lot.adjust"
        ]
    );
    let policy = TrustPolicy::new(s.app.node.log_vkey().clone(), vec![], 0).unwrap();
    for event in r["history"].as_array().unwrap() {
        let proof = &event["proof"];
        let checkpoint = policy
            .verify(proof["checkpoint"].as_str().unwrap().as_bytes())
            .unwrap()
            .checkpoint;
        let leaf = godown_ledger::leaf_hash(proof["entry"].as_str().unwrap().as_bytes());
        assert_eq!(leaf.to_base64(), proof["leafHash"]);
        let hashes: Vec<Hash> = proof["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| Hash::from_base64(h.as_str().unwrap()).unwrap())
            .collect();
        verify_inclusion(
            proof["index"].as_u64().unwrap(),
            checkpoint.size,
            &leaf,
            &hashes,
            &checkpoint.root.0,
        )
        .unwrap_or_else(|e| panic!("event {event}: {e}"));
    }
    // The endorser still sees the chain it was part of; another SME, no.
    a.query(SME_A, RECEIPT, json!({"id": "wr-qd-0001"})).await;
    let token = s.login(SME_B).await;
    let inspector = s.login(INSPECTOR).await;
    let denied = s
        .graphql(Some(&inspector), RECEIPT, json!({"id": "wr-qd-0003"}))
        .await;
    assert_eq!(error_code(&denied), Some("FORBIDDEN"), "{denied}");

    // Listings filter by holder and status, and quantities add up.
    let list = a
        .query(SME_B, "{ receipts(holder: \"sme-b\", status: LIVE) { nodes { id quantity { value } } pageInfo { hasNextPage } } }", json!({}))
        .await;
    let mut ids: Vec<&str> = list["receipts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["wr-qd-0002", "wr-qd-0003"]);
    let lot = a
        .query(WH_ADMIN, "{ lot(id: \"lot-qd-0001\") { onHand { value } receipted { value } free { value } pieces receiptedPieces certifications { grade } shortfall { at } } }", json!({}))
        .await;
    assert_eq!(lot["lot"]["onHand"]["value"], "90.000");
    assert_eq!(lot["lot"]["receipted"]["value"], "54.500");
    assert_eq!(lot["lot"]["free"]["value"], "35.500");
    assert_eq!(lot["lot"]["receiptedPieces"], 22);
    assert!(lot["lot"]["shortfall"].is_null());

    // The public check needs no session and names no pledgee.
    let check = s
        .graphql(None, "query($id: String!) { receiptCheck(id: $id) { status encumbered quantity { value unit } warehouseName provenance { index signerOrg entry hashes treeSize } checkpoint logVkey } }", json!({"id": "wr-qd-0003"}))
        .await;
    let c = &check["data"]["receiptCheck"];
    assert_eq!(
        (c["status"].as_str(), c["encumbered"].as_bool()),
        (Some("LIVE"), Some(true)),
        "{check}"
    );
    assert!(
        !check.to_string().contains("bank-a"),
        "the public check names the pledgee: {check}"
    );
    let signers: Vec<Option<&str>> = c["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["signerOrg"].as_str())
        .collect();
    assert_eq!(
        signers,
        [Some("wh-a"), None],
        "the warehouse issued it; the holder split it, unnamed"
    );
    let none = s
        .graphql(
            None,
            "{ receiptCheck(id: \"wr-no-such-receipt\") { id } }",
            json!({}),
        )
        .await;
    assert!(none["data"]["receiptCheck"].is_null(), "{none}");
    drop(token);

    // Each notice went once, to the organisation it concerns.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let messages = decoded(&inbox);
    for phrase in [
        "has issued an electronic warehouse receipt to you",
        "waits for your countersignature",
        "found a shortfall on lot lot-qd-0001",
    ] {
        assert_eq!(
            messages.iter().filter(|m| m.contains(phrase)).count(),
            1,
            "{phrase}"
        );
    }
    let raw = inbox.lock().unwrap().clone();
    let shortfall = raw
        .iter()
        .find(|m| m.contains("desk@bank-a.example") && !m.contains("invitation="))
        .expect("the bank is told");
    assert!(shortfall.contains("Message-ID: <outbox-"), "{shortfall}");

    // 8. The whole database replays and verifies.
    let out = verify_database(
        &s.app.data_dir(),
        s.app.pg.as_ref().map(|db| db.url.as_str()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    done(s).await;
}

async fn bad_input(s: TestServer) {
    let mut a = Actors::new(&s);
    a.ok(WH_OFFICER, &receive("lot-qd-0001", "100", 10)).await;
    a.ok(
        WH_OFFICER,
        &draft("wr-qd-0001", "lot-qd-0001", "QD-1", "60", 6),
    )
    .await;
    a.ok(WH_APPROVER, &ReceiptsTx::Issue(one("wr-qd-0001")))
        .await;

    // Inputs that do not parse never reach the ledger.
    let token = a.token(WH_OFFICER).await;
    let head = ledger::head(s.app.node.db().conn()).await.unwrap();
    let base = camel(&Value::Object(receive("lot-qd-0002", "1", 0).body()));
    let dummy = json!({"key": key(WH_OFFICER).public_key().to_base64(), "nonce": "x", "signature": STANDARD.encode([0u8; 64])});
    for (field, value, code) in [
        ("quantity", json!("-5"), "INVALID_QUANTITY"),
        ("quantity", json!("0"), "INVALID_QUANTITY"),
        ("quantity", json!("1.2345"), "INVALID_QUANTITY"),
        ("unit", json!("TON"), "UNKNOWN_UNIT"),
        ("hsCode", json!("7403.11"), "INVALID_HS_CODE"),
        ("pieces", json!(-1), "INVALID_QUANTITY"),
        ("lot", json!("LOT 1"), "BAD_REQUEST"),
        ("documents", json!(["not-a-hash"]), "BAD_REQUEST"),
    ] {
        let mut input = base.clone();
        input[field] = value;
        let response = s
            .graphql(
                Some(&token),
                "mutation($input: ReceiveGoodsInput!, $signature: SignatureInput!) { receiveGoods(input: $input, signature: $signature) { index } }",
                json!({"input": input, "signature": dummy}),
            )
            .await;
        assert_eq!(error_code(&response), Some(code), "{field}: {response}");
    }
    let mut pieces = base.clone();
    pieces["unit"] = json!("H87");
    pieces["quantity"] = json!("2.5");
    let response = s
        .graphql(Some(&token), "mutation($input: ReceiveGoodsInput!, $signature: SignatureInput!) { receiveGoods(input: $input, signature: $signature) { index } }", json!({"input": pieces, "signature": dummy}))
        .await;
    assert_eq!(
        error_code(&response),
        Some("INVALID_QUANTITY"),
        "{response}"
    );
    let mut currency = camel(&Value::Object(
        draft("wr-qd-0002", "lot-qd-0001", "QD-2", "1", 0).body(),
    ));
    currency["terms"]["storageFee"]["currency"] = json!("XYZ");
    let response = s
        .graphql(Some(&token), "mutation($input: DraftReceiptInput!, $signature: SignatureInput!) { draftReceipt(input: $input, signature: $signature) { index } }", json!({"input": currency, "signature": dummy}))
        .await;
    assert_eq!(
        error_code(&response),
        Some("UNKNOWN_CURRENCY"),
        "{response}"
    );
    assert_eq!(
        ledger::head(s.app.node.db().conn()).await.unwrap(),
        head,
        "unparsable input wrote something"
    );

    // Well-formed, properly signed, and refused by the contract.
    a.refused(
        WH_OFFICER,
        &draft("wr-qd-0002", "lot-qd-0001", "QD-1", "1", 0),
        "RECEIPT_NUMBER_TAKEN",
    )
    .await;
    a.refused(
        WH_OFFICER,
        &draft("wr-qd-0002", "lot-qd-0001", "QD-2", "40.001", 0),
        "INSUFFICIENT_QUANTITY",
    )
    .await;
    a.refused(
        SME_A,
        &ReceiptsTx::Split(Split {
            receipt: rid("wr-qd-0001"),
            parts: vec![
                Part {
                    receipt: rid("wr-qd-0002"),
                    quantity: q("30"),
                    pieces: 3,
                },
                Part {
                    receipt: rid("wr-qd-0003"),
                    quantity: q("29.999"),
                    pieces: 3,
                },
            ],
        }),
        "SPLIT_MISMATCH",
    )
    .await;
    a.refused(
        SME_B,
        &ReceiptsTx::Endorse(Endorse {
            receipt: rid("wr-qd-0001"),
            to: org("sme-b"),
        }),
        "FORBIDDEN",
    )
    .await;
    a.refused(
        SME_A,
        &ReceiptsTx::Count(CountStock {
            lot: rid("lot-qd-0001"),
            counted: Stock::parse("1").unwrap(),
        }),
        "FORBIDDEN",
    )
    .await;
    a.ok(
        SME_A,
        &ReceiptsTx::Encumber(Encumber {
            receipt: rid("wr-qd-0001"),
            pledgee: org("bank-a"),
            reference: text("LN-1"),
        }),
    )
    .await;
    a.refused(
        SME_A,
        &ReceiptsTx::Endorse(Endorse {
            receipt: rid("wr-qd-0001"),
            to: org("sme-b"),
        }),
        "RECEIPT_ENCUMBERED",
    )
    .await;
    a.refused(
        SME_A,
        &ReceiptsTx::Encumber(Encumber {
            receipt: rid("wr-qd-0001"),
            pledgee: org("bank-a"),
            reference: text("LN-2"),
        }),
        "RECEIPT_ENCUMBERED",
    )
    .await;
    a.refused(SME_A, &ReceiptsTx::Lift(one("wr-qd-0001")), "FORBIDDEN")
        .await;
    a.ok(BANK, &ReceiptsTx::Lift(one("wr-qd-0001"))).await;
    // The regulator sees every receipt; nobody else's is visible.
    a.query(REGULATOR, RECEIPT, json!({"id": "wr-qd-0001"}))
        .await;
    done(s).await;
}

async fn concurrency(s: TestServer) {
    let app = &s.app;
    app.submit(WH_OFFICER, &receive("lot-qd-0001", "100.500", 0))
        .await
        .unwrap();
    for i in 0..200 {
        app.submit(
            WH_OFFICER,
            &draft(
                &format!("wr-race-{i:04}"),
                "lot-qd-0001",
                &format!("R-{i}"),
                "1",
                0,
            ),
        )
        .await
        .unwrap();
    }
    // 200 approvals at once, each a signed GraphQL request over HTTP, as
    // many browsers would send them.
    let token = s.login(WH_APPROVER).await;
    let attempts = (0..200).map(|i| {
        let tx = ReceiptsTx::Issue(one(&format!("wr-race-{i:04}")));
        let signature = s.sign(WH_APPROVER, &tx, &format!("race-{i}"));
        let token = token.clone();
        let s = &s;
        async move {
            s.graphql(
                Some(&token),
                "mutation($input: ReceiptRefInput!, $signature: SignatureInput!) { issueReceipt(input: $input, signature: $signature) { index } }",
                json!({"input": {"receipt": format!("wr-race-{i:04}")}, "signature": signature}),
            )
            .await
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let issued = results
        .iter()
        .filter(|r| r["data"]["issueReceipt"]["index"].is_u64())
        .count();
    let refused: Vec<Option<&str>> = results
        .iter()
        .filter(|r| r["data"]["issueReceipt"].is_null())
        .map(|r| error_code(r))
        .collect();
    assert_eq!(issued, 100, "exactly the lot's 100 whole tonnes are issued");
    assert_eq!(refused.len(), 100);
    assert!(
        refused.iter().all(|c| *c == Some("INSUFFICIENT_QUANTITY")),
        "{refused:?}"
    );

    // The 100 live receipts page through as a Relay connection.
    let mut a = Actors::new(&s);
    let page = "query($after: String) { receipts(warehouse: \"wh-a\", status: LIVE, first: 40, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }";
    let mut seen = std::collections::BTreeSet::new();
    let mut after = Value::Null;
    for expected in [40, 40, 20] {
        let data = a.query(WH_ADMIN, page, json!({"after": after})).await;
        let edges = data["receipts"]["edges"].as_array().unwrap();
        assert_eq!(edges.len(), expected);
        seen.extend(
            edges
                .iter()
                .map(|e| e["node"]["id"].as_str().unwrap().to_owned()),
        );
        assert_eq!(data["receipts"]["pageInfo"]["hasNextPage"], expected == 40);
        after = data["receipts"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(seen.len(), 100, "every live receipt once");
    let last = a
        .query(WH_ADMIN, "{ receipts(warehouse: \"wh-a\", status: DRAFT, last: 10) { edges { node { status } } pageInfo { hasPreviousPage } } }", json!({}))
        .await;
    assert_eq!(last["receipts"]["edges"].as_array().unwrap().len(), 10);
    assert_eq!(last["receipts"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(last["receipts"]["edges"][0]["node"]["status"], "DRAFT");
    let lot = a
        .query(
            WH_ADMIN,
            "{ lot(id: \"lot-qd-0001\") { receipted { value } free { value } } }",
            json!({}),
        )
        .await;
    assert_eq!(lot["lot"]["receipted"]["value"], "100");
    assert_eq!(lot["lot"]["free"]["value"], "0.500");
    let out = verify_database(
        &s.app.data_dir(),
        s.app.pg.as_ref().map(|db| db.url.as_str()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    done(s).await;
}

async fn documents(s: TestServer) {
    let mut a = Actors::new(&s);
    let officer = a.token(WH_OFFICER).await;
    let ticket = "磅单 weighbridge ticket 2026-118: 100.000 t"
        .as_bytes()
        .to_vec();
    let upload = |token: Option<String>, body: Vec<u8>| {
        let mut request = s
            .http
            .post(format!("{}/documents", s.base))
            .header("content-type", "text/plain; charset=utf-8")
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let response = upload(Some(officer.clone()), ticket.clone()).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let sha256 = body["sha256"].as_str().unwrap().to_owned();
    let expected = godown_node::store::receipts::document_name(&ticket);
    assert_eq!(sha256, expected);
    assert_eq!(upload(None, ticket.clone()).await.unwrap().status(), 401);
    assert_eq!(
        upload(Some(officer.clone()), vec![])
            .await
            .unwrap()
            .status(),
        400
    );
    // A body over the limit is refused from its announced length, before
    // the node reads it: ask with the headers alone.
    let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let head = format!(
        "POST /documents HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {officer}\r\nContent-Type: application/pdf\r\nContent-Length: {}\r\n\r\n",
        s.addr,
        8 * 1024 * 1024 + 1
    );
    tokio::io::AsyncWriteExt::write_all(&mut stream, head.as_bytes())
        .await
        .unwrap();
    let mut answer = [0u8; 12];
    tokio::io::AsyncReadExt::read_exact(&mut stream, &mut answer)
        .await
        .unwrap();
    assert_eq!(&answer, b"HTTP/1.1 413");

    // The lot names the document; its depositor may fetch it, another SME not.
    let ReceiptsTx::Receive(mut body) = receive("lot-qd-0001", "100", 0) else {
        unreachable!()
    };
    body.documents = vec![DocHash::parse(&sha256).unwrap()];
    a.ok(WH_OFFICER, &ReceiptsTx::Receive(body)).await;
    let fetch = |seed: u8| {
        let s = &s;
        let sha256 = sha256.clone();
        async move {
            let token = s.login(seed).await;
            s.get(&format!("/documents/{sha256}"), Some(&token)).await
        }
    };
    let (status, text) = fetch(SME_A).await;
    assert_eq!((status, text.as_bytes()), (200, ticket.as_slice()));
    assert_eq!(fetch(SME_B).await.0, 403);
    assert_eq!(fetch(REGULATOR).await.0, 200);
    assert_eq!(s.get("/documents/not-a-hash", Some(&officer)).await.0, 400);
    assert_eq!(
        s.get(&format!("/documents/{}", "0".repeat(64)), Some(&officer))
            .await
            .0,
        404
    );
    done(s).await;
}
