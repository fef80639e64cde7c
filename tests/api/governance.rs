//! Consortium decisions by quorum, through the API: an admission with one
//! approval too few admits no one, the quorum admits, and the operator's
//! lone signature admits and suspends no one.

use godown_domain::membership::body::{AdminSpec, OrgSpec};
use godown_domain::membership::governance::{Action, CastVote, OpenProposal, OrgRef};
use godown_domain::{MemberKey, MembershipTx, Name, OrgId, OrgKind, RecordId, Text, UserId};
use godown_node::store::ledger;
use serde_json::{Value, json};

use super::{INVITE, done, invite_input, invite_tx, server};
use crate::support::key;
use crate::support::server::{TestServer, error_code};

on_sqlite_and_postgres! {
    server;
    an_organisation_is_admitted_only_once_the_quorum_of_members_approves => admitting;
    the_operators_lone_signature_admits_and_suspends_no_one => operator_alone;
}

const PROPOSE_ADMISSION: &str = "mutation($input: ProposalInput!, $organisation: AdmitOrganisationInput!, $signature: SignatureInput!) {
  proposeAdmission(input: $input, organisation: $organisation, signature: $signature) { index type }
}";

const PROPOSE_SUSPENSION: &str =
    "mutation($input: ProposalInput!, $orgId: String!, $signature: SignatureInput!) {
  proposeSuspension(input: $input, orgId: $orgId, signature: $signature) { index type }
}";

const VOTE: &str = "mutation($input: VoteInput!, $signature: SignatureInput!) {
  voteOnProposal(input: $input, signature: $signature) { index type }
}";

const PROPOSAL: &str = "query($id: String!) {
  proposal(id: $id) { id action org standing needed approvals rejections openedBy decidedAt
    admission { id kind adminUser }
    votes { org user approve entry } }
}";

/// The seed of the key named as the admitted organisation's first admin.
const SME_ADMIN: u8 = 40;
const ADMIT_ID: &str = "prop-admit-sme-a";

fn admission_tx() -> MembershipTx {
    MembershipTx::Open(OpenProposal {
        proposal: RecordId::parse(ADMIT_ID).unwrap(),
        action: Action::Admit(OrgSpec {
            org: OrgId::parse("sme-a").unwrap(),
            name: Name::parse("SME A").unwrap(),
            kind: OrgKind::Sme,
            admin: AdminSpec {
                user: UserId::parse("sme-a.admin").unwrap(),
                name: Name::parse("SME A admin").unwrap(),
                key: MemberKey(key(SME_ADMIN).public_key()),
            },
        }),
        reason: Text::parse("a depositor of Warehouse A").unwrap(),
        days: 7,
        documents: vec![],
    })
}

fn admission_vars(s: &TestServer, seed: u8) -> Value {
    json!({
        "input": {"proposal": ADMIT_ID, "reason": "a depositor of Warehouse A", "days": 7},
        "organisation": {"org": "sme-a", "name": "SME A", "kind": "SME", "admin": {
            "user": "sme-a.admin", "name": "SME A admin", "key": key(SME_ADMIN).public_key().to_base64()}},
        "signature": s.sign(seed, &admission_tx(), &s.nonce()),
    })
}

async fn vote(s: &TestServer, seed: u8, id: &str, approve: bool) -> Value {
    let token = s.login(seed).await;
    let tx = MembershipTx::Vote(CastVote {
        proposal: RecordId::parse(id).unwrap(),
        approve,
    });
    s.graphql(
        Some(&token),
        VOTE,
        json!({"input": {"proposal": id, "approve": approve}, "signature": s.sign(seed, &tx, &s.nonce())}),
    )
    .await
}

async fn proposal(s: &TestServer, token: &str, id: &str) -> Value {
    let response = s.graphql(Some(token), PROPOSAL, json!({"id": id})).await;
    response["data"]["proposal"].clone()
}

async fn org_status(s: &TestServer, token: &str, id: &str) -> Value {
    let response = s
        .graphql(
            Some(token),
            "query($id: String!) { organisation(id: $id) { status } }",
            json!({"id": id}),
        )
        .await;
    response["data"]["organisation"]["status"].clone()
}

async fn admitting(s: TestServer) {
    // Four members (operator, bank-a, wh-a, reg): the quorum is three.
    let operator = s.login(2).await;
    let response = s
        .graphql(Some(&operator), PROPOSE_ADMISSION, admission_vars(&s, 2))
        .await;
    assert_eq!(
        response["data"]["proposeAdmission"]["type"], "proposal.open",
        "{response}"
    );
    let response = vote(&s, 10, ADMIT_ID, true).await;
    assert!(response["errors"].is_null(), "{response}");
    // Two approvals of three: one too few.
    let open = proposal(&s, &operator, ADMIT_ID).await;
    assert_eq!(open["standing"], "OPEN", "{open}");
    assert_eq!(
        (open["approvals"].clone(), open["needed"].clone()),
        (json!(2), json!(3))
    );
    assert_eq!(org_status(&s, &operator, "sme-a").await, Value::Null);
    let (status, refused) = s.try_login(SME_ADMIN).await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (403, Some("KEY_NOT_ACTIVE")),
        "the proposed admin's key signs nothing yet: {refused}"
    );
    let response = vote(&s, 20, ADMIT_ID, true).await;
    assert!(response["errors"].is_null(), "{response}");
    let adopted = proposal(&s, &operator, ADMIT_ID).await;
    assert_eq!(adopted["standing"], "ADOPTED", "{adopted}");
    assert_eq!(
        adopted["decidedAt"],
        response["data"]["voteOnProposal"]["index"]
    );
    assert_eq!(
        adopted["votes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["org"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["operator", "bank-a", "wh-a"]
    );
    assert_eq!(adopted["admission"]["adminUser"], "sme-a.admin");
    assert_eq!(org_status(&s, &operator, "sme-a").await, "ACTIVE");
    // The admitted admin signs at once.
    let sme = s.login(SME_ADMIN).await;
    let response = s
        .graphql(Some(&sme), "{ proposals { id standing } }", json!({}))
        .await;
    assert_eq!(
        response["data"]["proposals"][0]["id"], ADMIT_ID,
        "every member sees the proposals: {response}"
    );
    // A vote after the decision changes nothing.
    let late = vote(&s, 30, ADMIT_ID, false).await;
    assert_eq!(error_code(&late), Some("INVALID_STATE"), "{late}");
    done(s).await;
}

async fn operator_alone(s: TestServer) {
    let conn = s.app.node.db().conn();
    let head = || async { ledger::head(conn).await.unwrap().0 };
    // The old direct transactions are refused, whoever signs them.
    for (tx_type, body) in [
        ("org.admit", json!({"org": "sme-a"})),
        ("org.suspend", json!({"org": "bank-a", "reason": "audit"})),
        ("org.reinstate", json!({"org": "bank-a"})),
    ] {
        let before = head().await;
        let Value::Object(body) = body else {
            unreachable!()
        };
        let tx = godown_ledger::Transaction::new(s.app.node.origin(), tx_type, &s.nonce(), body)
            .unwrap();
        let signature = key(2).sign(&tx.signing_bytes());
        let refused = s
            .app
            .node
            .submit(tx, signature, key(2).public_key(), vec![])
            .await
            .unwrap_err();
        assert_eq!(refused.code.as_str(), "FORBIDDEN", "{tx_type}: {refused:?}");
        assert_eq!(head().await, before, "{tx_type}: a refusal writes nothing");
    }
    // A suspension the operator proposes stays a proposal.
    let operator = s.login(2).await;
    let tx = MembershipTx::Open(OpenProposal {
        proposal: RecordId::parse("prop-suspend-bank-a").unwrap(),
        action: Action::Suspend(OrgRef {
            org: OrgId::parse("bank-a").unwrap(),
        }),
        reason: Text::parse("audit").unwrap(),
        days: 3,
        documents: vec![],
    });
    let response = s
        .graphql(
            Some(&operator),
            PROPOSE_SUSPENSION,
            json!({"input": {"proposal": "prop-suspend-bank-a", "reason": "audit", "days": 3},
                   "orgId": "bank-a", "signature": s.sign(2, &tx, &s.nonce())}),
        )
        .await;
    assert!(response["errors"].is_null(), "{response}");
    assert_eq!(org_status(&s, &operator, "bank-a").await, "ACTIVE");
    // Its second vote is refused, and bank-a still signs.
    let again = vote(&s, 2, "prop-suspend-bank-a", true).await;
    assert_eq!(error_code(&again), Some("ALREADY_EXISTS"), "{again}");
    let bank = s.login(10).await;
    let invited = s
        .graphql(
            Some(&bank),
            INVITE,
            json!({"input": invite_input("bank-a", "bank-a.li"), "signature": s.sign(10, &invite_tx("bank-a", "bank-a.li"), &s.nonce())}),
        )
        .await;
    assert!(invited["errors"].is_null(), "{invited}");
    // A proposal body that is not well formed is refused with a code.
    let MembershipTx::Open(mut body) = tx else {
        unreachable!()
    };
    body.proposal = RecordId::parse("prop-suspend-wh-a").unwrap();
    body.action = Action::Suspend(OrgRef {
        org: OrgId::parse("wh-a").unwrap(),
    });
    body.reason = Text::parse("x").unwrap();
    body.days = 0;
    let tx = MembershipTx::Open(body);
    let before = head().await;
    let bad = s
        .graphql(
            Some(&operator),
            PROPOSE_SUSPENSION,
            json!({"input": {"proposal": "prop-suspend-wh-a", "reason": "x", "days": 0},
                   "orgId": "wh-a", "signature": s.sign(2, &tx, &s.nonce())}),
        )
        .await;
    assert_eq!(error_code(&bad), Some("BAD_REQUEST"), "{bad}");
    assert_eq!(head().await, before, "a refusal writes nothing");
    done(s).await;
}
