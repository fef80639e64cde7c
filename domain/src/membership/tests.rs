use godown_ledger::PrivateKey;
use proptest::prelude::*;

use super::body::OrgSpec;
use super::governance::{Action, CastVote, OpenProposal, OrgRef};
use super::*;
use crate::{State, Timestamp, Tx};

fn key(seed: u8) -> PrivateKey {
    PrivateKey::from_seed(&[seed; 32])
}

fn mk(seed: u8) -> MemberKey {
    MemberKey(key(seed).public_key())
}

fn org(id: &str) -> OrgId {
    OrgId::parse(id).unwrap()
}

fn user(id: &str) -> UserId {
    UserId::parse(id).unwrap()
}

fn name(text: &str) -> Name {
    Name::parse(text).unwrap()
}

fn admin(id: &str, seed: u8) -> AdminSpec {
    AdminSpec {
        user: user(id),
        name: name(id),
        key: mk(seed),
    }
}

/// Seeds: 1 node key, 2 operator admin, 10 bank admin, 20 warehouse admin.
fn genesis() -> MembershipTx {
    MembershipTx::Genesis(Genesis {
        operator: body::OperatorSpec {
            org: org("operator"),
            name: name("Godown Operator"),
            node_key: mk(1),
            admin: admin("operator.admin", 2),
        },
        quorum: None,
        log_key: Some(log_key(60)),
        founders: vec![
            OrgSpec {
                org: org("bank-a"),
                name: name("Bank A"),
                kind: OrgKind::Bank,
                admin: admin("bank-a.admin", 10),
            },
            OrgSpec {
                org: org("wh-a"),
                name: name("Warehouse A"),
                kind: OrgKind::Warehouse,
                admin: admin("wh-a.admin", 20),
            },
        ],
    })
}

/// Applies transactions one after another, as the node does.
struct World {
    state: State,
    /// Milliseconds the clock has been moved on.
    skew: i64,
}

impl World {
    fn new() -> Self {
        let mut world = Self {
            state: State::default(),
            skew: 0,
        };
        world.run(1, &genesis()).unwrap();
        world
    }

    fn run(&mut self, signer: u8, tx: &MembershipTx) -> Result<Outcome, ContractError> {
        let signer = key(signer).public_key();
        let ctx = Context {
            index: self.state.size,
            time: self.now(),
            signer: &signer,
        };
        // Through the same parsing path the node uses.
        let parsed = Tx::parse(tx.tx_type(), &tx.body())?;
        self.state.apply(&ctx, &parsed)
    }

    /// The time the next entry is stamped with.
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(
            1_800_000_000_000 + self.skew + i64::try_from(self.state.size).unwrap(),
        )
    }

    fn skip_days(&mut self, days: i64) {
        self.skew += days * 86_400_000;
    }

    fn m(&self) -> &Membership {
        &self.state.membership
    }
}

fn invite(org_id: &str, id: &str, roles: &[Role]) -> MembershipTx {
    MembershipTx::Invite(InviteUser {
        org: org(org_id),
        user: user(id),
        name: name(id),
        roles: roles.to_vec(),
    })
}

fn enrol(id: &str, seed: u8) -> MembershipTx {
    MembershipTx::Enrol(EnrolKey {
        user: user(id),
        key: mk(seed),
        device: Text::parse("laptop").unwrap(),
    })
}

fn approve(id: &str, seed: u8) -> MembershipTx {
    MembershipTx::Approve(ApproveKey {
        user: user(id),
        key: mk(seed),
    })
}

#[test]
fn genesis_creates_the_operator_the_founders_and_their_active_admins() {
    let w = World::new();
    assert_eq!(w.m().operator, Some(org("operator")));
    assert_eq!(w.m().orgs.len(), 3);
    assert_eq!(w.m().orgs[&org("operator")].kind, OrgKind::Operator);
    for seed in [1, 2, 10, 20] {
        assert_eq!(w.m().keys[&mk(seed).bytes()].status, KeyStatus::Active);
    }
    assert!(
        w.m().users[&user("operator.node")]
            .roles
            .contains(&Role::Admin)
    );
}

#[test]
fn genesis_is_refused_anywhere_but_first_and_from_anyone_but_the_node_key() {
    let mut w = World::new();
    assert_eq!(w.run(1, &genesis()).unwrap_err().code(), "INVALID_STATE");
    let mut fresh = World {
        skew: 0,
        state: State::default(),
    };
    assert_eq!(fresh.run(2, &genesis()).unwrap_err().code(), "FORBIDDEN");
    assert_eq!(fresh.state, State::default());
}

fn sme_spec() -> OrgSpec {
    OrgSpec {
        org: org("sme-a"),
        name: name("SME A"),
        kind: OrgKind::Sme,
        admin: admin("sme-a.admin", 30),
    }
}

fn open(id: &str, action: Action) -> MembershipTx {
    MembershipTx::Open(OpenProposal {
        proposal: RecordId::parse(id).unwrap(),
        action,
        reason: Text::parse("members agreed to vote").unwrap(),
        days: 7,
        documents: vec![],
    })
}

fn vote(id: &str, approve: bool) -> MembershipTx {
    MembershipTx::Vote(CastVote {
        proposal: RecordId::parse(id).unwrap(),
        approve,
    })
}

fn suspend(id: &str) -> Action {
    Action::Suspend(OrgRef { org: org(id) })
}

fn reinstate(id: &str) -> Action {
    Action::Reinstate(OrgRef { org: org(id) })
}

fn standing(w: &World, id: &str) -> &'static str {
    w.m().proposals[&RecordId::parse(id).unwrap()]
        .standing(w.now())
        .as_str()
}

#[test]
fn an_organisation_is_admitted_only_once_a_majority_of_members_approves() {
    let mut w = World::new();
    // Three members (operator, bank-a, wh-a): a majority is two.
    assert_eq!(w.m().needed(), 2);
    let outcome = w
        .run(2, &open("prop-admit-sme", Action::Admit(sme_spec())))
        .unwrap();
    assert!(
        !w.m().orgs.contains_key(&org("sme-a")),
        "one approval of two"
    );
    assert_eq!(standing(&w, "prop-admit-sme"), "open");
    for member in ["operator", "bank-a", "wh-a"] {
        assert!(outcome.parties.contains(&org(member)), "{member} sees it");
    }
    assert_eq!(
        w.run(2, &vote("prop-admit-sme", true)).unwrap_err().code(),
        "ALREADY_EXISTS",
        "an organisation votes once"
    );
    let outcome = w.run(10, &vote("prop-admit-sme", true)).unwrap();
    assert_eq!(w.m().orgs[&org("sme-a")].status, OrgStatus::Active);
    assert!(outcome.parties.contains(&org("sme-a")));
    assert!(outcome.touched.contains(&Touched::Org(org("sme-a"))));
    assert_eq!(standing(&w, "prop-admit-sme"), "adopted");
    // The new admin's key signs at once.
    w.run(30, &invite("sme-a", "sme-a.li", &[Role::Officer]))
        .unwrap();
    assert_eq!(
        w.run(20, &vote("prop-admit-sme", true)).unwrap_err().code(),
        "INVALID_STATE",
        "a decided proposal takes no more votes"
    );
}

#[test]
fn the_operators_lone_signature_admits_and_suspends_no_one() {
    let mut w = World::new();
    for tx_type in ["org.admit", "org.suspend", "org.reinstate"] {
        assert_eq!(
            Tx::parse(tx_type, &Map::new()).unwrap_err().code(),
            "FORBIDDEN",
            "{tx_type} is no longer a transaction of its own"
        );
    }
    w.run(2, &open("prop-admit-sme", Action::Admit(sme_spec())))
        .unwrap();
    w.run(2, &open("prop-suspend-bank", suspend("bank-a")))
        .unwrap();
    assert!(!w.m().orgs.contains_key(&org("sme-a")));
    assert_eq!(w.m().orgs[&org("bank-a")].status, OrgStatus::Active);
    // A second admin of the operator is still the operator's one vote.
    w.run(2, &invite("operator", "operator.two", &[Role::Admin]))
        .unwrap();
    w.run(3, &enrol("operator.two", 3)).unwrap();
    w.run(2, &approve("operator.two", 3)).unwrap();
    assert_eq!(
        w.run(3, &vote("prop-suspend-bank", true))
            .unwrap_err()
            .code(),
        "ALREADY_EXISTS"
    );
    // Once the voting time has passed, the proposal has expired.
    w.skip_days(8);
    assert_eq!(standing(&w, "prop-suspend-bank"), "expired");
    let before = w.state.clone();
    assert_eq!(
        w.run(20, &vote("prop-suspend-bank", true))
            .unwrap_err()
            .code(),
        "INVALID_STATE"
    );
    assert_eq!(w.state, before, "a refusal changes nothing");
    assert_eq!(w.m().orgs[&org("bank-a")].status, OrgStatus::Active);
}

#[test]
fn a_suspended_organisation_signs_nothing_until_the_members_reinstate_it() {
    let mut w = World::new();
    w.run(2, &open("prop-suspend-bank", suspend("bank-a")))
        .unwrap();
    w.run(20, &vote("prop-suspend-bank", true)).unwrap();
    assert_eq!(w.m().orgs[&org("bank-a")].status, OrgStatus::Suspended);
    assert_eq!(
        w.run(10, &invite("bank-a", "bank-a.li", &[Role::Officer]))
            .unwrap_err()
            .code(),
        "ORG_SUSPENDED"
    );
    assert_eq!(
        w.run(10, &open("prop-reinstate-me", reinstate("bank-a")))
            .unwrap_err()
            .code(),
        "ORG_SUSPENDED",
        "a suspended organisation does not vote"
    );
    // Two members are active now; both must approve.
    assert_eq!(w.m().needed(), 2);
    w.run(2, &open("prop-reinstate-bank", reinstate("bank-a")))
        .unwrap();
    assert_eq!(w.m().orgs[&org("bank-a")].status, OrgStatus::Suspended);
    w.run(20, &vote("prop-reinstate-bank", true)).unwrap();
    assert_eq!(w.m().orgs[&org("bank-a")].status, OrgStatus::Active);
    w.run(10, &invite("bank-a", "bank-a.li", &[Role::Officer]))
        .unwrap();
}

#[test]
fn the_operator_cannot_be_suspended_and_nothing_is_decided_twice_at_once() {
    let mut w = World::new();
    assert_eq!(
        w.run(10, &open("prop-suspend-op", suspend("operator")))
            .unwrap_err()
            .code(),
        "FORBIDDEN"
    );
    assert_eq!(
        w.run(10, &open("prop-reinstate-wh", reinstate("wh-a")))
            .unwrap_err()
            .code(),
        "INVALID_STATE",
        "wh-a is not suspended"
    );
    w.run(10, &open("prop-suspend-wh", suspend("wh-a")))
        .unwrap();
    assert_eq!(
        w.run(2, &open("prop-suspend-wh2", suspend("wh-a")))
            .unwrap_err()
            .code(),
        "INVALID_STATE",
        "one open proposal per organisation"
    );
    assert_eq!(
        w.run(2, &open("prop-suspend-wh", suspend("bank-a")))
            .unwrap_err()
            .code(),
        "ALREADY_EXISTS"
    );
    assert_eq!(
        w.run(2, &vote("prop-nothing-here", true))
            .unwrap_err()
            .code(),
        "NOT_FOUND"
    );
}

#[test]
fn rejections_that_put_the_quorum_out_of_reach_reject_the_proposal() {
    let mut w = World::new();
    w.run(2, &open("prop-admit-sme", Action::Admit(sme_spec())))
        .unwrap();
    w.run(10, &vote("prop-admit-sme", false)).unwrap();
    assert_eq!(
        standing(&w, "prop-admit-sme"),
        "open",
        "wh-a could still approve"
    );
    w.run(20, &vote("prop-admit-sme", false)).unwrap();
    assert_eq!(standing(&w, "prop-admit-sme"), "rejected");
    assert!(!w.m().orgs.contains_key(&org("sme-a")));
    // The same organisation may be proposed again.
    w.run(10, &open("prop-admit-sme2", Action::Admit(sme_spec())))
        .unwrap();
}

#[test]
fn the_votes_of_an_organisation_suspended_since_count_no_more() {
    let mut w = World::new();
    w.run(2, &open("prop-admit-sme", Action::Admit(sme_spec())))
        .unwrap();
    w.run(20, &vote("prop-admit-sme", false)).unwrap();
    let p = RecordId::parse("prop-admit-sme").unwrap();
    assert_eq!(w.m().proposals[&p].tally(&w.m().orgs), (1, 1));
    w.run(10, &open("prop-suspend-wh", suspend("wh-a")))
        .unwrap();
    w.run(2, &vote("prop-suspend-wh", true)).unwrap();
    assert_eq!(w.m().orgs[&org("wh-a")].status, OrgStatus::Suspended);
    assert_eq!(w.m().proposals[&p].tally(&w.m().orgs), (1, 0));
    assert_eq!(w.m().needed(), 2, "two active members, both needed");
    w.run(10, &vote("prop-admit-sme", true)).unwrap();
    assert!(w.m().orgs.contains_key(&org("sme-a")));
}

/// The log key made from `seed`, named after the test ledger's origin.
fn log_key(seed: u8) -> log_key::LogKey {
    use godown_ledger::{KeyKind, VerifierKey};
    log_key::LogKey(
        VerifierKey::new("godown.test/ledger", KeyKind::Note, key(seed).public_key()).unwrap(),
    )
}

fn rotate_to(seed: u8) -> Action {
    Action::LogRotate(log_key::LogRotation {
        vkey: log_key(seed),
    })
}

fn handover(seed: u8, size: u64) -> MembershipTx {
    MembershipTx::Handover(LogHandover(godown_ledger::Handover {
        vkey: log_key(seed).0,
        size,
        root: godown_ledger::leaf_hash(b"the log before"),
    }))
}

#[test]
fn the_log_key_is_handed_over_only_to_a_key_a_quorum_adopted_and_only_by_the_key_in_force() {
    let mut w = World::new();
    assert_eq!(w.m().log_keys.current, Some(log_key(60)));
    let size = w.state.size;
    assert_eq!(
        w.run(60, &handover(61, size)).unwrap_err().code(),
        "INVALID_STATE",
        "no rotation adopted yet"
    );
    w.run(2, &open("prop-rotate", rotate_to(61))).unwrap();
    assert_eq!(w.m().log_keys.next, None, "one approval of two");
    let size = w.state.size;
    assert_eq!(
        w.run(60, &handover(61, size)).unwrap_err().code(),
        "INVALID_STATE",
        "the operator alone rotates nothing"
    );
    let outcome = w.run(10, &vote("prop-rotate", true)).unwrap();
    assert!(outcome.touched.contains(&Touched::LogKey));
    assert_eq!(w.m().log_keys.next, Some(log_key(61)));
    assert_eq!(
        w.m().log_keys.current,
        Some(log_key(60)),
        "not before the hand-over"
    );
    let size = w.state.size;
    for (signer, to, at, code) in [
        (2, 61, size, "FORBIDDEN"),
        (61, 61, size, "FORBIDDEN"),
        (60, 62, size, "INVALID_STATE"),
        (60, 61, size + 1, "BAD_REQUEST"),
    ] {
        assert_eq!(
            w.run(signer, &handover(to, at)).unwrap_err().code(),
            code,
            "signed by {signer}, to {to}, pinning {at}"
        );
    }
    let outcome = w.run(60, &handover(61, size)).unwrap();
    assert_eq!(
        outcome.parties.len(),
        w.m().orgs.len(),
        "every member sees it"
    );
    assert_eq!(w.m().log_keys.current, Some(log_key(61)));
    assert_eq!(w.m().log_keys.next, None);
    assert_eq!(w.m().log_keys.retired, vec![(log_key(60), size)]);
    let size = w.state.size;
    assert_eq!(
        w.run(60, &handover(61, size)).unwrap_err().code(),
        "INVALID_STATE",
        "a hand-over happens once"
    );
}

#[test]
fn a_rotation_to_a_used_key_another_ledgers_key_or_while_one_waits_is_refused() {
    let mut w = World::new();
    assert_eq!(
        w.run(2, &open("prop-same", rotate_to(60)))
            .unwrap_err()
            .code(),
        "ALREADY_EXISTS"
    );
    let stranger = Action::LogRotate(log_key::LogRotation {
        vkey: log_key::LogKey(
            godown_ledger::VerifierKey::new(
                "other.test/ledger",
                godown_ledger::KeyKind::Note,
                key(61).public_key(),
            )
            .unwrap(),
        ),
    });
    assert_eq!(
        w.run(2, &open("prop-other", stranger)).unwrap_err().code(),
        "BAD_REQUEST"
    );
    w.run(2, &open("prop-rotate", rotate_to(61))).unwrap();
    assert_eq!(
        w.run(10, &open("prop-rotate-2", rotate_to(62)))
            .unwrap_err()
            .code(),
        "INVALID_STATE",
        "one rotation proposal at a time"
    );
    // A policy proposal is another matter and may be open beside it.
    w.run(10, &open("prop-policy", policy(&policy_text())))
        .unwrap();
    w.run(10, &vote("prop-rotate", true)).unwrap();
    assert_eq!(
        w.run(10, &open("prop-rotate-3", rotate_to(62)))
            .unwrap_err()
            .code(),
        "INVALID_STATE",
        "a hand-over is waiting"
    );
    let size = w.state.size;
    w.run(60, &handover(61, size)).unwrap();
    assert_eq!(
        w.run(2, &open("prop-rotate-back", rotate_to(60)))
            .unwrap_err()
            .code(),
        "ALREADY_EXISTS",
        "a retired key never signs again"
    );
    w.run(2, &open("prop-rotate-4", rotate_to(62))).unwrap();
}

#[test]
fn a_ledger_founded_without_naming_its_log_key_cannot_rotate_it() {
    let mut body = genesis().body();
    body.remove("log_key");
    let mut w = World {
        state: State::default(),
        skew: 0,
    };
    let Tx::Membership(g) = Tx::parse("consortium.genesis", &body).unwrap() else {
        panic!("a membership transaction");
    };
    w.run(1, &g).unwrap();
    assert_eq!(w.m().log_keys.current, None);
    assert_eq!(
        w.run(2, &open("prop-rotate", rotate_to(61)))
            .unwrap_err()
            .code(),
        "INVALID_STATE"
    );
    body.insert("log_key".into(), Value::from("not a vkey"));
    assert_eq!(
        Tx::parse("consortium.genesis", &body).unwrap_err().code(),
        "BAD_REQUEST"
    );
}

fn policy(text: &str) -> Action {
    Action::Policy(governance::PolicyChange {
        policy: governance::PolicyText::parse(text).unwrap(),
    })
}

/// A policy file: a log and one witness, with real keys.
fn policy_text() -> String {
    use godown_ledger::{KeyKind, VerifierKey};
    let log = VerifierKey::new("example.org/log", KeyKind::Note, key(70).public_key()).unwrap();
    let w1 = VerifierKey::new("w1.example", KeyKind::Cosignature, key(71).public_key()).unwrap();
    format!("log {log}\nwitness w1 {w1}\nquorum w1\n")
}

#[test]
fn the_witness_policy_changes_only_by_a_quorum_and_one_proposal_at_a_time() {
    let mut w = World::new();
    let text = policy_text();
    let change = policy(&text);
    w.run(2, &open("prop-policy-1", change.clone())).unwrap();
    assert_eq!(w.m().witness_policy, None, "one approval of two");
    assert_eq!(
        w.run(10, &open("prop-policy-2", change.clone()))
            .unwrap_err()
            .code(),
        "INVALID_STATE",
        "one open policy proposal at a time"
    );
    let outcome = w.run(10, &vote("prop-policy-1", true)).unwrap();
    assert!(outcome.touched.contains(&Touched::WitnessPolicy));
    assert_eq!(
        w.m()
            .witness_policy
            .as_ref()
            .map(governance::PolicyText::as_str),
        Some(text.as_str())
    );
    assert_eq!(
        w.run(10, &open("prop-policy-3", change))
            .unwrap_err()
            .code(),
        "INVALID_STATE",
        "the same policy again changes nothing"
    );
    assert_eq!(
        governance::PolicyText::parse("log nonsense\n")
            .unwrap_err()
            .code(),
        "BAD_REQUEST"
    );
}

#[test]
fn a_quorum_set_in_the_genesis_entry_is_what_proposals_need() {
    let mut body = genesis().body();
    body.insert("quorum".into(), Value::from(3));
    let mut w = World {
        state: State::default(),
        skew: 0,
    };
    let Tx::Membership(g) = Tx::parse("consortium.genesis", &body).unwrap() else {
        panic!("a membership transaction");
    };
    w.run(1, &g).unwrap();
    assert_eq!(w.m().needed(), 3);
    w.run(2, &open("prop-admit-sme", Action::Admit(sme_spec())))
        .unwrap();
    w.run(10, &vote("prop-admit-sme", true)).unwrap();
    assert!(!w.m().orgs.contains_key(&org("sme-a")), "two of three");
    w.run(20, &vote("prop-admit-sme", true)).unwrap();
    assert!(w.m().orgs.contains_key(&org("sme-a")));
    body.insert("quorum".into(), Value::from(0));
    assert_eq!(
        Tx::parse("consortium.genesis", &body).unwrap_err().code(),
        "BAD_REQUEST"
    );
}

#[test]
fn a_proposal_that_is_not_well_formed_is_refused() {
    let mut w = World::new();
    let good = open("prop-admit-sme", Action::Admit(sme_spec())).body();
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body.insert(key.into(), value);
        body
    };
    let doc = Value::from("ab".repeat(32));
    for (body, why) in [
        (with("days", Value::from(0)), "no time to vote"),
        (with("days", Value::from(31)), "too long"),
        (
            with("documents", Value::from(vec![doc.clone(), doc])),
            "a document twice",
        ),
        (
            with(
                "action",
                serde_json::json!({"org.merge": {"org": "bank-a"}}),
            ),
            "an unknown action",
        ),
        (
            with(
                "action",
                serde_json::json!({"org.suspend": {"org": "bank-a"}, "org.reinstate": {"org": "wh-a"}}),
            ),
            "two actions",
        ),
        (
            with(
                "action",
                serde_json::json!({"org.suspend": {"org": "bank-a", "why": "x"}}),
            ),
            "an unknown member",
        ),
    ] {
        let before = w.state.clone();
        let result = Tx::parse("proposal.open", &body).and_then(|tx| {
            let Tx::Membership(tx) = tx else {
                unreachable!()
            };
            w.run(2, &tx)
        });
        assert_eq!(result.unwrap_err().code(), "BAD_REQUEST", "{why}");
        assert_eq!(w.state, before);
    }
}

#[test]
fn an_invited_user_enrols_a_key_that_signs_only_after_an_admin_approves_it() {
    let mut w = World::new();
    w.run(10, &invite("bank-a", "bank-a.li", &[Role::Officer]))
        .unwrap();
    assert_eq!(w.m().users[&user("bank-a.li")].status, UserStatus::Invited);

    // The enrolment must be signed by the key it enrols.
    assert_eq!(
        w.run(10, &enrol("bank-a.li", 11)).unwrap_err().code(),
        "FORBIDDEN"
    );
    w.run(11, &enrol("bank-a.li", 11)).unwrap();
    assert_eq!(w.m().keys[&mk(11).bytes()].status, KeyStatus::Pending);
    assert_eq!(
        w.run(11, &invite("bank-a", "bank-a.x", &[Role::Viewer]))
            .unwrap_err()
            .code(),
        "KEY_NOT_ACTIVE"
    );

    // Only an admin of the user's organisation approves.
    assert_eq!(
        w.run(20, &approve("bank-a.li", 11)).unwrap_err().code(),
        "FORBIDDEN"
    );
    w.run(10, &approve("bank-a.li", 11)).unwrap();
    assert_eq!(w.m().keys[&mk(11).bytes()].status, KeyStatus::Active);
    assert_eq!(w.m().users[&user("bank-a.li")].status, UserStatus::Active);
    assert_eq!(
        w.run(10, &approve("bank-a.li", 11)).unwrap_err().code(),
        "INVALID_STATE"
    );
}

#[test]
fn a_key_cannot_be_enrolled_twice_or_for_a_stranger() {
    let mut w = World::new();
    assert_eq!(
        w.run(40, &enrol("nobody.x", 40)).unwrap_err().code(),
        "NOT_FOUND"
    );
    assert_eq!(
        w.run(10, &enrol("bank-a.admin", 10)).unwrap_err().code(),
        "ALREADY_EXISTS"
    );
}

#[test]
fn roles_are_granted_and_revoked_by_admins_and_the_last_admin_stays() {
    let mut w = World::new();
    let grant = |role| {
        MembershipTx::Grant(RoleChange {
            user: user("bank-a.admin"),
            role,
        })
    };
    let revoke = |role| {
        MembershipTx::RevokeRole(RoleChange {
            user: user("bank-a.admin"),
            role,
        })
    };
    w.run(10, &grant(Role::Approver)).unwrap();
    assert_eq!(
        w.run(10, &grant(Role::Approver)).unwrap_err().code(),
        "INVALID_STATE"
    );
    w.run(10, &revoke(Role::Approver)).unwrap();
    assert_eq!(
        w.run(10, &revoke(Role::Admin)).unwrap_err().code(),
        "LAST_ADMIN"
    );
    assert_eq!(
        w.run(20, &grant(Role::Viewer)).unwrap_err().code(),
        "FORBIDDEN"
    );
}

#[test]
fn a_rotated_key_is_revoked_and_its_successor_signs() {
    let mut w = World::new();
    let rotate = MembershipTx::Rotate(RotateKey {
        key: mk(10),
        new_key: mk(12),
    });
    w.run(10, &rotate).unwrap();
    assert_eq!(w.m().keys[&mk(10).bytes()].status, KeyStatus::Revoked);
    assert_eq!(
        w.run(10, &invite("bank-a", "bank-a.li", &[Role::Viewer]))
            .unwrap_err()
            .code(),
        "KEY_NOT_ACTIVE"
    );
    w.run(12, &invite("bank-a", "bank-a.li", &[Role::Viewer]))
        .unwrap();
}

#[test]
fn the_last_admin_key_of_an_organisation_cannot_be_revoked() {
    let mut w = World::new();
    let revoke = |seed| {
        MembershipTx::RevokeKey(RevokeKey {
            key: mk(seed),
            reason: Text::parse("lost").unwrap(),
        })
    };
    assert_eq!(w.run(10, &revoke(10)).unwrap_err().code(), "LAST_ADMIN");
    // With a second admin key enrolled, the first can go.
    w.run(11, &enrol("bank-a.admin", 11)).unwrap();
    w.run(10, &approve("bank-a.admin", 11)).unwrap();
    w.run(11, &revoke(10)).unwrap();
    assert_eq!(w.run(11, &revoke(11)).unwrap_err().code(), "LAST_ADMIN");
}

#[test]
fn a_key_is_revoked_by_its_owner_or_an_admin_of_its_organisation_only() {
    let mut w = World::new();
    w.run(10, &invite("bank-a", "bank-a.li", &[Role::Officer]))
        .unwrap();
    w.run(11, &enrol("bank-a.li", 11)).unwrap();
    w.run(10, &approve("bank-a.li", 11)).unwrap();
    let revoke = MembershipTx::RevokeKey(RevokeKey {
        key: mk(11),
        reason: Text::parse("lost").unwrap(),
    });
    assert_eq!(w.run(20, &revoke.clone()).unwrap_err().code(), "FORBIDDEN");
    w.run(10, &revoke.clone()).unwrap();
    assert_eq!(w.run(10, &revoke).unwrap_err().code(), "INVALID_STATE");
    assert_eq!(
        w.run(11, &invite("bank-a", "bank-a.x", &[Role::Viewer]))
            .unwrap_err()
            .code(),
        "KEY_NOT_ACTIVE"
    );
}

#[test]
fn bodies_with_unknown_or_missing_members_are_refused() {
    let mut body = genesis().body();
    body.insert("extra".into(), Value::Bool(true));
    assert_eq!(
        Tx::parse("consortium.genesis", &body).unwrap_err().code(),
        "BAD_REQUEST"
    );
    assert_eq!(
        Tx::parse("proposal.vote", &Map::new()).unwrap_err().code(),
        "BAD_REQUEST"
    );
    assert_eq!(
        Tx::parse("loan.approve", &Map::new()).unwrap_err().code(),
        "BAD_REQUEST"
    );
}

/// One step of a random history: who signs and what.
#[derive(Debug, Clone)]
enum Step {
    Invite(u8, u8),
    Enrol(u8, u8),
    Approve(u8, u8, u8),
    Grant(u8, u8, u8),
    RevokeRole(u8, u8, u8),
    Rotate(u8, u8),
    RevokeKey(u8, u8),
    /// A proposal to suspend (or reinstate) an organisation, by id.
    Propose(u8, u8, bool, u8),
    Vote(u8, u8, bool),
}

const ROLES: [Role; 4] = [Role::Admin, Role::Officer, Role::Approver, Role::Viewer];
const ORGS: [&str; 2] = ["bank-a", "wh-a"];
/// Signers: node, operator admin, founders' admins, and seeds 40..48 that
/// random steps enrol.
const SEEDS: [u8; 12] = [1, 2, 10, 20, 40, 41, 42, 43, 44, 45, 46, 47];

fn user_name(n: u8) -> String {
    format!("{}.u{}", ORGS[usize::from(n % 2)], n % 6)
}

fn step_tx(step: &Step) -> (u8, MembershipTx) {
    let seed = |n: u8| SEEDS[usize::from(n) % SEEDS.len()];
    match *step {
        Step::Invite(s, u) => (
            seed(s),
            invite(ORGS[usize::from(u % 2)], &user_name(u), &[Role::Officer]),
        ),
        Step::Enrol(u, k) => (seed(k), enrol(&user_name(u), seed(k))),
        Step::Approve(s, u, k) => (seed(s), approve(&user_name(u), seed(k))),
        Step::Grant(s, u, r) => (
            seed(s),
            MembershipTx::Grant(RoleChange {
                user: user(&user_name(u)),
                role: ROLES[usize::from(r % 4)],
            }),
        ),
        Step::RevokeRole(s, u, r) => (
            seed(s),
            MembershipTx::RevokeRole(RoleChange {
                user: user(&user_name(u)),
                role: ROLES[usize::from(r % 4)],
            }),
        ),
        Step::Rotate(k, n) => (
            seed(k),
            MembershipTx::Rotate(RotateKey {
                key: mk(seed(k)),
                new_key: mk(seed(n)),
            }),
        ),
        Step::RevokeKey(s, k) => (
            seed(s),
            MembershipTx::RevokeKey(RevokeKey {
                key: mk(seed(k)),
                reason: Text::parse("test").unwrap(),
            }),
        ),
        Step::Propose(s, o, reinstate, id) => {
            let target = OrgRef {
                org: org(ORGS[usize::from(o % 2)]),
            };
            let action = if reinstate {
                Action::Reinstate(target)
            } else {
                Action::Suspend(target)
            };
            (seed(s), open(&proposal_id(id), action))
        }
        Step::Vote(s, id, approve) => (seed(s), vote(&proposal_id(id), approve)),
    }
}

fn proposal_id(n: u8) -> String {
    format!("prop-step-{}", n % 4)
}

fn step() -> impl Strategy<Value = Step> {
    let b = || any::<u8>();
    prop_oneof![
        (b(), b()).prop_map(|(s, u)| Step::Invite(s, u)),
        (b(), b()).prop_map(|(u, k)| Step::Enrol(u, k)),
        (b(), b(), b()).prop_map(|(s, u, k)| Step::Approve(s, u, k)),
        (b(), b(), b()).prop_map(|(s, u, r)| Step::Grant(s, u, r)),
        (b(), b(), b()).prop_map(|(s, u, r)| Step::RevokeRole(s, u, r)),
        (b(), b()).prop_map(|(k, n)| Step::Rotate(k, n)),
        (b(), b()).prop_map(|(s, k)| Step::RevokeKey(s, k)),
        (b(), b(), any::<bool>(), b()).prop_map(|(s, o, r, id)| Step::Propose(s, o, r, id)),
        (b(), b(), any::<bool>()).prop_map(|(s, id, a)| Step::Vote(s, id, a)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_histories_keep_every_membership_invariant(steps in prop::collection::vec(step(), 1..60)) {
        let mut w = World::new();
        let mut accepted = vec![(1u8, genesis())];
        for step in &steps {
            let (signer, tx) = step_tx(step);
            let before = w.state.clone();
            let signer_key = key(signer).public_key();
            // Whether the signer could sign anything before this step.
            let could_sign = before.membership.signer(&signer_key).is_ok();
            let statuses: Vec<_> = before.membership.orgs.values().map(|o| o.status).collect();
            if w.run(signer, &tx).is_ok() {
                // An organisation's status changes only by a proposal that
                // reached its quorum in this entry.
                let after: Vec<_> = w.m().orgs.values().map(|o| o.status).collect();
                if after != statuses {
                    let decided = w.m().proposals.values().any(|p| {
                        p.decided_at == Some(before.size)
                            && p.status == governance::ProposalStatus::Adopted
                            && p.needed as usize == before.membership.needed()
                            && p.ballots.values().filter(|b| b.approve).count() >= p.needed as usize
                    });
                    prop_assert!(decided, "{:?} changed a status without a quorum", tx);
                }
                // Only an active key of an unsuspended organisation signs,
                // except a key enrolling itself.
                prop_assert!(could_sign || matches!(tx, MembershipTx::Enrol(_)), "{:?} signed by an inactive key", tx);
                accepted.push((signer, tx));
            } else {
                prop_assert_eq!(&w.state, &before, "a refusal changed the state");
            }
            // Every organisation keeps an admin, and an admin key that signs.
            for org in w.m().orgs.keys() {
                prop_assert!(w.m().users.values().any(|u| u.org == *org && u.roles.contains(&Role::Admin)));
                let admin_key = w.m().keys.values().any(|k| {
                    k.status == KeyStatus::Active
                        && w.m().users.get(&k.user).is_some_and(|u| u.org == *org && u.roles.contains(&Role::Admin))
                });
                prop_assert!(admin_key, "{} has no admin key that signs", org);
            }
            // Keys belong to existing users; revoked keys keep their index.
            for record in w.m().keys.values() {
                prop_assert!(w.m().users.contains_key(&record.user));
                prop_assert_eq!(record.status == KeyStatus::Revoked, record.revoked_at.is_some());
            }
        }
        // Replaying the accepted transactions from genesis gives the same state.
        let mut replay = World { state: State::default(), skew: 0 };
        for (signer, tx) in accepted {
            replay.run(signer, &tx).unwrap();
        }
        prop_assert_eq!(replay.state, w.state);
    }
}
