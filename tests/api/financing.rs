//! Pledge financing over GraphQL, end to end: every step signed by its
//! party's own key, notices over real SMTP, refusals that write nothing, a
//! default path driven by a price drop and the passing of days, 500
//! applications racing for one receipt, and `godown verify` at the end.
#![expect(
    clippy::panic,
    clippy::too_many_lines,
    clippy::many_single_char_names,
    reason = "a test fails loudly, and reads as one story told with short names: s the server, a the actors, l the loan, r the receipt, p the proof"
)]

use std::sync::Arc;

use godown_domain::financing::body::{
    Apply, Decline, Disburse, Enforce, Enforcement, Haircut, Instruct, LoanReason, LoanReceipts,
    LoanRef, LoanTerms, PledgeRef, Propose, PublishPrice, Register, Repay,
};
use godown_domain::financing::interest::DayCount;
use godown_domain::membership::body::{AdminSpec, ApproveKey, EnrolKey, InviteUser, OrgSpec};
use godown_domain::receipts::body::{ReceiptRef, RequestRedemption};
use godown_domain::{
    Currency, Date, FinancingTx, Fraction, HsCode, MemberKey, MembershipTx, Money, Name, OrgId,
    OrgKind, Quantity, RecordId, Role, Text, Unit, UserId,
};
use godown_ledger::Hash;
use godown_ledger::tree::verify_inclusion;
use godown_mail::{self as mail, Mailer};
use serde_json::{Value, json};

use super::done;
use super::receipts::{
    Actors, BANK, REGULATOR, SME_A, SME_B, WH_APPROVER, WH_OFFICER, consortium, decoded, draft,
    receive, wait_for, with_address,
};
use crate::support::binary::{
    ORIGIN, ServerProcess, free_port, login, post_graphql, serve_command, verify_database,
};
use crate::support::server::{TestServer, error_code};
use crate::support::{Backend, key, smtp};

const OFFICER: u8 = 11;
const APPROVER: u8 = 12;
/// A bank-a user holding both roles, to show maker-checker holds per user.
const LEAD: u8 = 17;
const BANK_B: u8 = 13;

fn rid(id: &str) -> RecordId {
    RecordId::parse(id).unwrap()
}

fn org(id: &str) -> OrgId {
    OrgId::parse(id).unwrap()
}

fn text(t: &str) -> Text {
    Text::parse(t).unwrap()
}

fn cny(v: &str) -> Money {
    Money::parse(Currency::Cny, v).unwrap()
}

fn fr(v: &str) -> Fraction {
    Fraction::parse(v).unwrap()
}

/// Bank-a's officer, approver and a lead with both roles, and a second
/// bank; then 400 t of copper receipted to sme-a in four receipts, and a
/// copper price.
pub(crate) async fn financing_consortium(app: &crate::support::TestApp) {
    consortium(app).await;
    for (user, seed, roles) in [
        ("bank-a.officer", OFFICER, vec![Role::Officer]),
        ("bank-a.approver", APPROVER, vec![Role::Approver]),
        ("bank-a.lead", LEAD, vec![Role::Officer, Role::Approver]),
    ] {
        let user = UserId::parse(user).unwrap();
        let k = MemberKey(key(seed).public_key());
        app.submit(
            BANK,
            &MembershipTx::Invite(InviteUser {
                org: org("bank-a"),
                user: user.clone(),
                name: Name::parse(user.as_str()).unwrap(),
                roles,
            }),
        )
        .await
        .unwrap();
        app.submit(
            seed,
            &MembershipTx::Enrol(EnrolKey {
                user: user.clone(),
                key: k,
                device: text("test"),
            }),
        )
        .await
        .unwrap();
        app.submit(BANK, &MembershipTx::Approve(ApproveKey { user, key: k }))
            .await
            .unwrap();
    }
    app.admit(OrgSpec {
        org: org("bank-b"),
        name: Name::parse("Bank B").unwrap(),
        kind: OrgKind::Bank,
        admin: AdminSpec {
            user: UserId::parse("bank-b.admin").unwrap(),
            name: Name::parse("bank-b.admin").unwrap(),
            key: MemberKey(key(BANK_B).public_key()),
        },
    })
    .await;
    app.submit(WH_OFFICER, &receive("lot-fin-0001", "400.000", 160))
        .await
        .unwrap();
    for i in 1..=4 {
        let id = format!("wr-fin-{i:04}");
        app.submit(
            WH_OFFICER,
            &draft(&id, "lot-fin-0001", &format!("F-{i}"), "100.000", 40),
        )
        .await
        .unwrap();
        app.submit(
            WH_APPROVER,
            &godown_domain::ReceiptsTx::Issue(ReceiptRef { receipt: rid(&id) }),
        )
        .await
        .unwrap();
    }
    app.submit(OFFICER, &price("70000.00")).await.unwrap();
}

fn price(v: &str) -> FinancingTx {
    FinancingTx::Publish(PublishPrice {
        hs_code: HsCode::parse("740311").unwrap(),
        grade: None,
        unit: Unit::Tonne,
        price: cny(v),
    })
}

pub(crate) fn apply(loan: &str, bank: &str, amount: &str, receipts: &[&str]) -> FinancingTx {
    FinancingTx::Apply(Apply {
        loan: rid(loan),
        bank: org(bank),
        amount: cny(amount),
        tenor_days: 90,
        purpose: text("采购原料 buying feedstock"),
        receipts: receipts.iter().map(|r| rid(r)).collect(),
    })
}

fn confirm(loan: &str, receipt: &str) -> FinancingTx {
    FinancingTx::Confirm(PledgeRef {
        loan: rid(loan),
        receipt: rid(receipt),
    })
}

fn terms(principal: &str, maturity: Date) -> LoanTerms {
    LoanTerms {
        principal: cny(principal),
        annual_rate: fr("0.0435"),
        day_count: DayCount::Act360,
        maturity,
        grace_days: 3,
        penalty_rate: fr("0.0650"),
        haircuts: vec![Haircut {
            hs_code: HsCode::parse("740311").unwrap(),
            haircut: fr("0.30"),
        }],
        max_ltv: fr("0.70"),
        margin_call_ltv: fr("0.80"),
        liquidation_ltv: fr("0.90"),
        cure_days: 5,
    }
}

fn propose(loan: &str, t: LoanTerms) -> FinancingTx {
    FinancingTx::Propose(Propose {
        loan: rid(loan),
        terms: t,
    })
}

fn one(loan: &str) -> LoanRef {
    LoanRef { loan: rid(loan) }
}

fn register(loan: &str, date: Date) -> FinancingTx {
    FinancingTx::Register(Register {
        loan: rid(loan),
        reference: text("ZDJ-2026-000123"),
        date,
    })
}

fn disburse(loan: &str) -> FinancingTx {
    FinancingTx::Disburse(Disburse {
        loan: rid(loan),
        reference: text("FT-2026-0001"),
    })
}

fn repay(loan: &str, amount: &str) -> FinancingTx {
    FinancingTx::Repay(Repay {
        loan: rid(loan),
        amount: cny(amount),
        reference: text("RP-2026-0001"),
    })
}

fn release(loan: &str, receipts: &[&str]) -> FinancingTx {
    FinancingTx::Release(LoanReceipts {
        loan: rid(loan),
        receipts: receipts.iter().map(|r| rid(r)).collect(),
    })
}

fn today(s: &TestServer) -> Date {
    Date::of(s.app.node.now())
}

const LOAN: &str = "query($id: String!) { loan(id: $id) {
  id status amount { value } borrower { id } bank { id }
  collateral { receipt confirmedAt } released { receipt }
  terms { principal { value } maxLtv proposedBy } approvedBy
  registration { reference } disbursement { reference }
  balances { disbursed { value } principal { value } received { value }
    paid { penalty { value } interest { value } principal { value } surplus { value } } }
  payments { amount { value } allocation { interest { value } principal { value } } }
  instructions { amount { value } reference }
  marginCalls { ltv deadline curedAt } openMarginCall { ltv deadline }
  default { grounds } realisation { method to proceeds { value } shortfall { value } allocation { surplus { value } } }
  valuation { market { value } value { value } maxLoan { value } lines { receipt price { value } haircut } }
  ltv owed { total { value } principal { value } interest { value } penalty { value } } overdue cureAmount { value }
  schedule { kind date total { value } }
  history { index type signerOrg proof { index treeSize leafHash hashes } }
} }";

async fn loan(a: &mut Actors<'_>, seed: u8, id: &str) -> Value {
    a.query(seed, LOAN, json!({"id": id})).await["loan"].clone()
}

async fn receipt_encumbrance(a: &mut Actors<'_>, id: &str) -> Value {
    a.query(
        SME_A,
        "query($id: String!) { receipt(id: $id) { holder { id } status encumbrance { holder kind } } }",
        json!({"id": id}),
    )
    .await["receipt"]
        .clone()
}

fn verified(s: &TestServer) {
    let out = verify_database(
        &s.app.data_dir(),
        s.app.pg.as_ref().map(|db| db.url.as_str()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn server(backend: Backend) -> Option<(TestServer, smtp::Inbox)> {
    let (url, inbox) = smtp::start().await;
    let server =
        TestServer::start_with(backend, Mailer::smtp(&url).expect("an SMTP mailer")).await?;
    financing_consortium(&server.app).await;
    Some((server, inbox))
}

async fn plain(backend: Backend) -> Option<TestServer> {
    let server = TestServer::start(backend).await?;
    financing_consortium(&server.app).await;
    Some(server)
}

on_sqlite_and_postgres! {
    server;
    a_loan_runs_from_application_to_redeemed_goods_and_verifies => happy_path;
    a_price_drop_and_a_missed_margin_call_end_in_a_sale_whose_surplus_goes_to_the_sme => default_path;
}

on_sqlite_and_postgres! {
    plain;
    bad_financing_input_is_refused_with_its_code_and_writes_nothing => bad_input;
    of_500_applications_racing_for_one_receipt_exactly_one_encumbers_it => race;
}

async fn happy_path((s, inbox): (TestServer, smtp::Inbox)) {
    let mut a = Actors::new(&s);
    with_address(&mut a, SME_A, "sme-a", "desk@sme-a.example").await;
    with_address(
        &mut a,
        super::receipts::WH_ADMIN,
        "wh-a",
        "desk@wh-a.example",
    )
    .await;
    with_address(&mut a, BANK, "bank-a", "desk@bank-a.example").await;
    let id = "ln-happy-0001";

    // 1. Apply: both receipts get a pending encumbrance at once.
    a.ok(
        SME_A,
        &apply(id, "bank-a", "9000000.00", &["wr-fin-0001", "wr-fin-0002"]),
    )
    .await;
    let r = receipt_encumbrance(&mut a, "wr-fin-0001").await;
    assert_eq!(r["encumbrance"]["holder"], "bank-a");
    assert_eq!(r["encumbrance"]["kind"], "PENDING");
    wait_for(&inbox, "waits for your review").await;
    wait_for(&inbox, "Confirm that you hold the goods").await;
    let l = loan(&mut a, SME_A, id).await;
    assert_eq!(l["status"], "APPLIED");
    // Before terms, the indicative haircut: 200 t × 70,000 × 0.70.
    assert_eq!(l["valuation"]["value"]["value"], "9800000.00");

    // 2. The warehouse confirms control of each.
    a.ok(WH_OFFICER, &confirm(id, "wr-fin-0001")).await;
    a.ok(WH_OFFICER, &confirm(id, "wr-fin-0002")).await;
    assert_eq!(loan(&mut a, BANK, id).await["status"], "CONFIRMED");

    // 3. Maker proposes, checker approves.
    let maturity = today(&s).plus_days(90);
    a.ok(OFFICER, &propose(id, terms("6000000.00", maturity)))
        .await;
    a.ok(APPROVER, &FinancingTx::Approve(one(id))).await;
    wait_for(&inbox, "approved loan").await;
    let l = loan(&mut a, SME_A, id).await;
    assert_eq!(l["status"], "APPROVED");
    assert_eq!(l["terms"]["proposedBy"], "bank-a.officer");
    assert_eq!(l["approvedBy"], "bank-a.approver");
    assert_eq!(l["valuation"]["value"]["value"], "9800000.00");
    assert_eq!(l["valuation"]["maxLoan"]["value"], "6860000.00");

    // 4. No disbursement without the registry's reference; then register.
    a.refused(OFFICER, &disburse(id), "REGISTRATION_MISSING")
        .await;
    a.ok(OFFICER, &register(id, today(&s))).await;

    // 5. Disburse: the encumbrances become active pledges.
    a.ok(OFFICER, &disburse(id)).await;
    wait_for(&inbox, "disbursed loan").await;
    let r = receipt_encumbrance(&mut a, "wr-fin-0002").await;
    assert_eq!(r["encumbrance"]["kind"], "ACTIVE");
    let l = loan(&mut a, BANK, id).await;
    assert_eq!(l["status"], "ACTIVE");
    assert_eq!(l["balances"]["principal"]["value"], "6000000.00");
    assert_eq!(l["ltv"], "0.6122", "6,000,000 / 9,800,000");
    assert_eq!(l["schedule"][0]["kind"], "due");
    assert_eq!(l["schedule"][0]["date"], maturity.to_string());

    // 6. Partial repayment, then a partial release within the maximum LTV;
    // releasing more than the LTV allows is refused.
    a.ok(OFFICER, &repay(id, "3000000.00")).await;
    a.refused(
        OFFICER,
        &release(id, &["wr-fin-0001", "wr-fin-0002"]),
        "INSUFFICIENT_COLLATERAL",
    )
    .await;
    a.refused(WH_OFFICER, &release(id, &["wr-fin-0002"]), "FORBIDDEN")
        .await;
    a.ok(OFFICER, &release(id, &["wr-fin-0002"])).await;
    let r = receipt_encumbrance(&mut a, "wr-fin-0002").await;
    assert!(r["encumbrance"].is_null(), "released: {r}");
    let l = loan(&mut a, SME_A, id).await;
    assert_eq!(l["balances"]["principal"]["value"], "3000000.00");
    assert_eq!(l["released"][0]["receipt"], "wr-fin-0002");
    assert_eq!(l["ltv"], "0.6122", "3,000,000 / 4,900,000");

    // 7. The SME records the transfer it sent; the bank is told, and
    // records the full repayment of what is owed today, to the cent.
    let owed = l["owed"]["total"]["value"].as_str().unwrap().to_owned();
    a.ok(
        SME_A,
        &FinancingTx::Instruct(Instruct {
            loan: rid(id),
            amount: cny(&owed),
            reference: text("TT-2026-0042"),
        }),
    )
    .await;
    wait_for(&inbox, "Record the repayment once the funds arrive").await;
    let l = loan(&mut a, BANK, id).await;
    assert_eq!(l["instructions"][0]["amount"]["value"], owed.as_str());
    assert_eq!(l["balances"]["principal"]["value"], "3000000.00");
    a.ok(OFFICER, &repay(id, &owed)).await;
    let l = loan(&mut a, SME_A, id).await;
    assert_eq!(l["status"], "REPAID");
    assert_eq!(l["owed"]["total"]["value"], "0.00");
    assert_eq!(l["balances"]["received"]["value"], "6000000.00");
    a.refused(OFFICER, &repay(id, "1.00"), "LOAN_CLOSED").await;

    // 8. Only the pledgee releases; the loan closes.
    a.refused(SME_A, &release(id, &["wr-fin-0001"]), "FORBIDDEN")
        .await;
    a.ok(OFFICER, &release(id, &["wr-fin-0001"])).await;
    let l = loan(&mut a, BANK, id).await;
    assert_eq!(l["status"], "CLOSED");

    // 9. The goods leave the warehouse.
    a.ok(
        SME_A,
        &godown_domain::ReceiptsTx::RequestRedemption(RequestRedemption {
            receipt: rid("wr-fin-0001"),
            quantity: Quantity::parse("100.000").unwrap(),
            pieces: 40,
        }),
    )
    .await;
    a.ok(
        WH_OFFICER,
        &godown_domain::ReceiptsTx::ConfirmRedemption(ReceiptRef {
            receipt: rid("wr-fin-0001"),
        }),
    )
    .await;
    assert_eq!(
        receipt_encumbrance(&mut a, "wr-fin-0001").await["status"],
        "REDEEMED"
    );

    // The history: every step, each proven into the latest checkpoint.
    let l = loan(&mut a, REGULATOR, id).await;
    let history = l["history"].as_array().unwrap();
    let types: Vec<&str> = history
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        [
            "loan.apply",
            "pledge.confirm",
            "pledge.confirm",
            "loan.propose",
            "loan.approve",
            "loan.register",
            "loan.disburse",
            "loan.repay",
            "loan.release",
            "loan.instruct",
            "loan.repay",
            "loan.release"
        ]
    );
    let checkpoint = s.app.node.db().conn();
    let (size, root) = godown_node::store::ledger::head(checkpoint).await.unwrap();
    for e in history {
        let p = &e["proof"];
        let hashes: Vec<Hash> = p["hashes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| Hash::from_base64(h.as_str().unwrap()).unwrap())
            .collect();
        let leaf = Hash::from_base64(p["leafHash"].as_str().unwrap()).unwrap();
        let tree_size = p["treeSize"].as_u64().unwrap();
        assert_eq!(tree_size, size, "proved against the latest checkpoint");
        verify_inclusion(
            p["index"].as_u64().unwrap(),
            tree_size,
            &leaf,
            &hashes,
            &root.0,
        )
        .unwrap_or_else(|e| panic!("entry {} does not prove: {e}", p["index"]));
    }
    // Another SME sees nothing of it.
    let other = s
        .graphql(Some(&s.login(SME_B).await), LOAN, json!({"id": id}))
        .await;
    assert_eq!(error_code(&other), Some("FORBIDDEN"));
    // The bank's portfolio has no running loans left.
    let p = a
        .query(
            BANK,
            "{ portfolio { currency running principal { value } queue } }",
            json!({}),
        )
        .await;
    assert_eq!(p["portfolio"][0]["running"], 0);
    verified(&s);
    drop(inbox);
    done(s).await;
}

async fn default_path((s, inbox): (TestServer, smtp::Inbox)) {
    let mut a = Actors::new(&s);
    with_address(&mut a, SME_A, "sme-a", "desk@sme-a.example").await;
    with_address(&mut a, BANK, "bank-a", "desk@bank-a.example").await;
    let id = "ln-default-01";
    a.ok(SME_A, &apply(id, "bank-a", "3400000.00", &["wr-fin-0003"]))
        .await;
    a.ok(WH_OFFICER, &confirm(id, "wr-fin-0003")).await;
    let maturity = today(&s).plus_days(90);
    // 100 t × 70,000 × 0.70 = 4,900,000; × 0.70 = 3,430,000 at most.
    a.ok(OFFICER, &propose(id, terms("3400000.00", maturity)))
        .await;
    a.ok(APPROVER, &FinancingTx::Approve(one(id))).await;
    a.ok(OFFICER, &register(id, today(&s))).await;
    a.ok(OFFICER, &disburse(id)).await;
    // Not in default yet: nothing holds.
    a.refused(
        APPROVER,
        &FinancingTx::Default(LoanReason {
            loan: rid(id),
            reason: text("early"),
        }),
        "INVALID_STATE",
    )
    .await;

    // Copper falls to 60,000: 4,200,000 of value, LTV 0.8095 ≥ 0.80.
    a.ok(OFFICER, &price("60000.00")).await;
    let l = loan(&mut a, SME_A, id).await;
    assert_eq!(l["openMarginCall"]["ltv"], "0.8095");
    // 3,400,000 − 0.70 × 4,200,000.
    assert_eq!(l["cureAmount"]["value"], "460000.00");
    // LTV against price: the drop is the one point since disbursement.
    let series = a
        .query(
            BANK,
            "query($id: String!) { loan(id: $id) { ltvSeries { price { value } principal { value } value { value } ltv } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(
        series["loan"]["ltvSeries"],
        json!([{"price": {"value": "60000.00"}, "principal": {"value": "3400000.00"}, "value": {"value": "4200000.00"}, "ltv": "0.8095"}])
    );
    let deadline = l["openMarginCall"]["deadline"].as_str().unwrap().to_owned();
    assert_eq!(deadline, today(&s).plus_days(5).to_string());
    wait_for(&inbox, "past its margin-call level").await;
    for _ in 0..100 {
        if decoded(&inbox)
            .iter()
            .filter(|m| m.contains("past its margin-call level"))
            .count()
            >= 2
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        decoded(&inbox)
            .iter()
            .filter(|m| m.contains("past its margin-call level"))
            .count(),
        2,
        "the SME and the bank"
    );
    let p = a
        .query(
            BANK,
            "{ portfolio { inMarginCall { id } exposure { hsCode loans principal { value } } } }",
            json!({}),
        )
        .await;
    assert_eq!(p["portfolio"][0]["inMarginCall"][0]["id"], id);
    assert_eq!(p["portfolio"][0]["exposure"][0]["hsCode"], "740311");

    // The deadline passes uncured.
    s.app.node.advance_clock_days(6);
    let default = FinancingTx::Default(LoanReason {
        loan: rid(id),
        reason: text("追加保证金逾期未补足 margin call not cured"),
    });
    a.refused(OFFICER, &default, "FORBIDDEN").await;
    a.ok(APPROVER, &default).await;
    wait_for(&inbox, "has declared loan").await;
    let l = loan(&mut a, BANK, id).await;
    assert_eq!(l["status"], "DEFAULTED");
    assert_eq!(l["default"]["grounds"][0], "margin_call_expired");
    // Six days of interest at 4.35% on 3,400,000, Actual/360.
    assert_eq!(l["owed"]["interest"]["value"], "2465.00");

    // Sold through the warehouse to sme-b for 3,600,000.
    a.ok(
        APPROVER,
        &FinancingTx::Enforce(Enforce {
            loan: rid(id),
            enforcement: Enforcement::Sale {
                buyer: org("sme-b"),
                proceeds: cny("3600000.00"),
            },
        }),
    )
    .await;
    let l = loan(&mut a, SME_A, id).await;
    assert_eq!(l["status"], "CLOSED");
    assert_eq!(l["realisation"]["method"], "SALE");
    assert_eq!(l["realisation"]["to"], "sme-b");
    assert_eq!(l["realisation"]["shortfall"]["value"], "0.00");
    // Proceeds pay 2,465.00 interest and 3,400,000 principal; the rest is
    // the SME's.
    assert_eq!(
        l["realisation"]["allocation"]["surplus"]["value"],
        "197535.00"
    );
    wait_for(&inbox, "has enforced the collateral").await;
    let r = a
        .query(
            SME_B,
            "{ receipt(id: \"wr-fin-0003\") { holder { id } encumbrance { holder } } }",
            json!({}),
        )
        .await;
    assert_eq!(r["receipt"]["holder"]["id"], "sme-b");
    assert!(r["receipt"]["encumbrance"].is_null());
    // Every notice is in both languages, as text and HTML.
    let all = decoded(&inbox);
    assert!(all.iter().any(|m| m.contains("超过预警线")
        && m.contains("past its margin-call level")
        && m.contains("<p>")));
    verified(&s);
    done(s).await;
}

async fn bad_input(s: TestServer) {
    let mut a = Actors::new(&s);
    let maturity = today(&s).plus_days(30);
    // A zero amount; a negative one never parses.
    a.refused(
        SME_A,
        &apply("ln-bad-0001", "bank-a", "0.00", &["wr-fin-0001"]),
        "INVALID_AMOUNT",
    )
    .await;
    let token = s.login(SME_A).await;
    for (value, currency, code) in [
        ("-5.00", "CNY", "INVALID_AMOUNT"),
        ("5.00", "XXQ", "UNKNOWN_CURRENCY"),
    ] {
        let response = s
            .graphql(
                Some(&token),
                "mutation($input: ApplyForLoanInput!, $signature: SignatureInput!) { applyForLoan(input: $input, signature: $signature) { index } }",
                json!({"input": {"loan": "ln-bad-0002", "bank": "bank-a", "amount": {"currency": currency, "value": value}, "tenorDays": 30, "purpose": "x", "receipts": ["wr-fin-0001"]}, "signature": s.sign(SME_A, &apply("ln-bad-0002", "bank-a", "1.00", &["wr-fin-0001"]), "n-bad")}),
            )
            .await;
        assert_eq!(error_code(&response), Some(code), "{response}");
    }
    // Receipts of another holder.
    a.refused(
        SME_B,
        &apply("ln-bad-0003", "bank-a", "100.00", &["wr-fin-0001"]),
        "FORBIDDEN",
    )
    .await;
    // A good application; then the same receipt again is refused.
    a.ok(
        SME_A,
        &apply("ln-bad-0004", "bank-a", "3000000.00", &["wr-fin-0001"]),
    )
    .await;
    a.refused(
        SME_A,
        &apply("ln-bad-0005", "bank-b", "100.00", &["wr-fin-0001"]),
        "RECEIPT_ENCUMBERED",
    )
    .await;
    a.ok(WH_OFFICER, &confirm("ln-bad-0004", "wr-fin-0001"))
        .await;
    // Over the LTV limit: 4,900,000 × 0.70 = 3,430,000 at most, and not
    // more than asked.
    let mut t = terms("3000000.00", maturity);
    t.max_ltv = fr("0.50");
    t.margin_call_ltv = fr("0.60");
    t.liquidation_ltv = fr("0.70");
    a.refused(
        OFFICER,
        &propose("ln-bad-0004", t),
        "INSUFFICIENT_COLLATERAL",
    )
    .await;
    // A rate above 100% never parses; one in the past is refused.
    let response = s
        .graphql(
            Some(&s.login(OFFICER).await),
            "mutation($input: ProposeTermsInput!, $signature: SignatureInput!) { proposeLoanTerms(input: $input, signature: $signature) { index } }",
            json!({"input": {"loan": "ln-bad-0004", "principal": {"currency": "CNY", "value": "100.00"}, "annualRate": "1.5", "dayCount": "ACT_360", "maturity": maturity.to_string(), "graceDays": 3, "penaltyRate": "0.065", "haircuts": [], "maxLtv": "0.7", "marginCallLtv": "0.8", "liquidationLtv": "0.9", "cureDays": 5}, "signature": s.sign(OFFICER, &propose("ln-bad-0004", terms("100.00", maturity)), "n-rate")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("INVALID_RATE"), "{response}");
    let response = s
        .graphql(
            Some(&s.login(OFFICER).await),
            "mutation($input: ProposeTermsInput!, $signature: SignatureInput!) { proposeLoanTerms(input: $input, signature: $signature) { index } }",
            json!({"input": {"loan": "ln-bad-0004", "principal": {"currency": "CNY", "value": "100.00"}, "annualRate": "-0.01", "dayCount": "ACT_360", "maturity": maturity.to_string(), "graceDays": 3, "penaltyRate": "0.065", "haircuts": [], "maxLtv": "0.7", "marginCallLtv": "0.8", "liquidationLtv": "0.9", "cureDays": 5}, "signature": s.sign(OFFICER, &propose("ln-bad-0004", terms("100.00", maturity)), "n-rate2")}),
        )
        .await;
    assert_eq!(error_code(&response), Some("INVALID_RATE"), "{response}");
    a.refused(
        OFFICER,
        &propose("ln-bad-0004", terms("3000000.00", today(&s).plus_days(-1))),
        "INVALID_DATE",
    )
    .await;
    // The maker cannot check its own terms.
    a.ok(LEAD, &propose("ln-bad-0004", terms("3000000.00", maturity)))
        .await;
    a.refused(LEAD, &FinancingTx::Approve(one("ln-bad-0004")), "SAME_USER")
        .await;
    // A decline names a receipt of the loan.
    a.refused(
        WH_OFFICER,
        &FinancingTx::Decline(Decline {
            loan: rid("ln-bad-0004"),
            receipt: rid("wr-fin-0002"),
            reason: text("not ours"),
        }),
        "NOT_FOUND",
    )
    .await;
    // Repayment on a loan that owes nothing.
    a.refused(OFFICER, &repay("ln-bad-0004", "1.00"), "INVALID_STATE")
        .await;
    // A price source must be designated; the operator designates.
    a.refused(WH_OFFICER, &price("1.00"), "FORBIDDEN").await;
    verified(&s);
    done(s).await;
}

async fn race(s: TestServer) {
    // 500 applications at once for the same receipt, to two banks, each a
    // signed GraphQL request over HTTP.
    let token = s.login(SME_A).await;
    let attempts = (0..500_usize).map(|i| {
        let bank = if i.is_multiple_of(2) { "bank-a" } else { "bank-b" };
        let loan = format!("ln-race-{i:04}");
        let tx = apply(&loan, bank, "1000000.00", &["wr-fin-0004"]);
        let signature = s.sign(SME_A, &tx, &format!("race-{i}"));
        let token = token.clone();
        let s = &s;
        async move {
            s.graphql(
                Some(&token),
                "mutation($input: ApplyForLoanInput!, $signature: SignatureInput!) { applyForLoan(input: $input, signature: $signature) { index } }",
                json!({"input": {"loan": loan, "bank": bank, "amount": {"currency": "CNY", "value": "1000000.00"}, "tenorDays": 90, "purpose": "采购原料 buying feedstock", "receipts": ["wr-fin-0004"]}, "signature": signature}),
            )
            .await
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let won: Vec<usize> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r["data"]["applyForLoan"]["index"].is_u64())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(
        won.len(),
        1,
        "exactly one application encumbers the receipt"
    );
    let refused: Vec<Option<&str>> = results
        .iter()
        .filter(|r| r["data"]["applyForLoan"].is_null())
        .map(|r| error_code(r))
        .collect();
    assert_eq!(refused.len(), 499);
    assert!(
        refused.iter().all(|c| *c == Some("RECEIPT_ENCUMBERED")),
        "{refused:?}"
    );
    let winner_bank = if won[0].is_multiple_of(2) {
        "bank-a"
    } else {
        "bank-b"
    };
    let mut a = Actors::new(&s);
    let r = receipt_encumbrance(&mut a, "wr-fin-0004").await;
    assert_eq!(r["encumbrance"]["holder"], winner_bank);
    let loans = a
        .query(
            SME_A,
            "{ loans(status: [APPLIED], first: 10) { edges { node { id bank { id } } } } }",
            json!({}),
        )
        .await;
    let edges = loans["loans"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 1);
    assert_eq!(edges[0]["node"]["id"], format!("ln-race-{:04}", won[0]));
    verified(&s);
    done(s).await;
}

/// The signed `applyForLoan` request for `loan` at `bank`, offering
/// wr-fin-0004, signed by sme-a with `nonce`.
fn apply_request(loan: &str, bank: &str, nonce: &str) -> Value {
    let tx: godown_domain::Tx = apply(loan, bank, "1000000.00", &["wr-fin-0004"]).into();
    let signed = godown_ledger::Transaction::new(ORIGIN, tx.tx_type(), nonce, tx.body()).unwrap();
    let signature = json!({"key": key(SME_A).public_key().to_base64(), "nonce": nonce, "signature": key(SME_A).sign(&signed.signing_bytes()).to_base64()});
    json!({
        "query": "mutation($input: ApplyForLoanInput!, $signature: SignatureInput!) { applyForLoan(input: $input, signature: $signature) { index } }",
        "variables": {"input": {"loan": loan, "bank": bank, "amount": {"currency": "CNY", "value": "1000000.00"}, "tenorDays": 90, "purpose": "采购原料 buying feedstock", "receipts": ["wr-fin-0004"]}, "signature": signature}
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_500_applications_racing_through_two_serve_processes_on_postgresql_exactly_one_encumbers_the_receipt()
 {
    let Some(s) = TestServer::start(Backend::Postgres).await else {
        return;
    };
    financing_consortium(&s.app).await;
    let url = s.app.pg.as_ref().map(|db| db.url.clone()).unwrap();
    let dir = s.app.data_dir();
    let (port_a, port_b) = (free_port(), free_port());
    let mut first = serve_command(&dir, port_a);
    first.env("DATABASE_URL", &url);
    let a = ServerProcess::start(first, port_a);
    let mut second = serve_command(&dir, port_b);
    second.env("DATABASE_URL", &url);
    let b = ServerProcess::start(second, port_b);
    let http = crate::support::http_client();
    let bases = [a.base.clone(), b.base.clone()];
    let tokens = Arc::new([
        login(&http, &bases[0], SME_A).await,
        login(&http, &bases[1], SME_A).await,
    ]);
    let mut tasks = Vec::new();
    for i in 0..500 {
        let (http, base, tokens) = (http.clone(), bases[i % 2].clone(), Arc::clone(&tokens));
        tasks.push(tokio::spawn(async move {
            let bank = if i % 4 < 2 { "bank-a" } else { "bank-b" };
            let body = apply_request(&format!("ln-two-{i:04}"), bank, &format!("two-{i}"));
            post_graphql(&http, &base, &tokens[i % 2], &body)
                .await
                .unwrap()
        }));
    }
    let mut won = 0;
    let mut codes = Vec::new();
    for task in tasks {
        let answer = task.await.unwrap();
        if answer["data"]["applyForLoan"]["index"].is_u64() {
            won += 1;
        } else {
            codes.push(error_code(&answer).map(ToOwned::to_owned));
        }
    }
    assert_eq!(won, 1, "one log, one encumbrance");
    assert!(
        codes
            .iter()
            .all(|c| c.as_deref() == Some("RECEIPT_ENCUMBERED")),
        "{codes:?}"
    );
    a.stop();
    b.stop();
    verified(&s);
    done(s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loan_due_within_seven_days_and_then_overdue_is_reminded_once_each() {
    let Some(s) = TestServer::start(Backend::Sqlite).await else {
        return;
    };
    financing_consortium(&s.app).await;
    let mut a = Actors::new(&s);
    let id = "ln-remind-01";
    a.ok(SME_A, &apply(id, "bank-a", "1000000.00", &["wr-fin-0001"]))
        .await;
    a.ok(WH_OFFICER, &confirm(id, "wr-fin-0001")).await;
    a.ok(
        OFFICER,
        &propose(id, terms("1000000.00", today(&s).plus_days(10))),
    )
    .await;
    a.ok(APPROVER, &FinancingTx::Approve(one(id))).await;
    a.ok(OFFICER, &register(id, today(&s))).await;
    a.ok(OFFICER, &disburse(id)).await;
    let node = &s.app.node;
    assert_eq!(mail::remind_loans(node).await.unwrap(), 0, "ten days away");
    node.advance_clock_days(4);
    assert_eq!(mail::remind_loans(node).await.unwrap(), 1, "six days away");
    assert_eq!(mail::remind_loans(node).await.unwrap(), 0, "once");
    node.advance_clock_days(7);
    assert_eq!(
        mail::remind_loans(node).await.unwrap(),
        2,
        "overdue: the SME and the bank"
    );
    assert_eq!(mail::remind_loans(node).await.unwrap(), 0, "once");
    let l = loan(&mut a, BANK, id).await;
    assert_eq!(l["overdue"], true);
    assert_eq!(
        l["schedule"].as_array().unwrap().last().unwrap()["kind"],
        "overdue"
    );
    done(s).await;
}
