use godown_ledger::PrivateKey;
use proptest::prelude::*;

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
}

impl World {
    fn new() -> Self {
        let mut world = Self {
            state: State::default(),
        };
        world.run(1, &genesis()).unwrap();
        world
    }

    fn run(&mut self, signer: u8, tx: &MembershipTx) -> Result<Outcome, ContractError> {
        let signer = key(signer).public_key();
        let ctx = Context {
            index: self.state.size,
            time: Timestamp::from_unix_millis(
                1_800_000_000_000 + i64::try_from(self.state.size).unwrap(),
            ),
            signer: &signer,
        };
        // Through the same parsing path the node uses.
        let parsed = Tx::parse(tx.tx_type(), &tx.body())?;
        self.state.apply(&ctx, &parsed)
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
        state: State::default(),
    };
    assert_eq!(fresh.run(2, &genesis()).unwrap_err().code(), "FORBIDDEN");
    assert_eq!(fresh.state, State::default());
}

#[test]
fn only_an_operator_admin_admits_an_organisation() {
    let mut w = World::new();
    let spec = OrgSpec {
        org: org("sme-a"),
        name: name("SME A"),
        kind: OrgKind::Sme,
        admin: admin("sme-a.admin", 30),
    };
    let before = w.state.clone();
    assert_eq!(
        w.run(10, &MembershipTx::Admit(spec.clone()))
            .unwrap_err()
            .code(),
        "FORBIDDEN"
    );
    assert_eq!(w.state, before, "a refusal changes nothing");
    let outcome = w.run(2, &MembershipTx::Admit(spec.clone())).unwrap();
    assert!(outcome.parties.contains(&org("sme-a")));
    assert!(outcome.parties.contains(&org("operator")));
    assert_eq!(
        w.run(2, &MembershipTx::Admit(spec)).unwrap_err().code(),
        "ALREADY_EXISTS"
    );
}

#[test]
fn a_suspended_organisation_signs_nothing_until_reinstated() {
    let mut w = World::new();
    let suspend = MembershipTx::Suspend(SuspendOrg {
        org: org("bank-a"),
        reason: Text::parse("audit").unwrap(),
    });
    w.run(2, &suspend).unwrap();
    assert_eq!(
        w.run(10, &invite("bank-a", "bank-a.li", &[Role::Officer]))
            .unwrap_err()
            .code(),
        "ORG_SUSPENDED"
    );
    w.run(
        2,
        &MembershipTx::Reinstate(ReinstateOrg { org: org("bank-a") }),
    )
    .unwrap();
    w.run(10, &invite("bank-a", "bank-a.li", &[Role::Officer]))
        .unwrap();
}

#[test]
fn the_operator_cannot_suspend_itself() {
    let mut w = World::new();
    let suspend = MembershipTx::Suspend(SuspendOrg {
        org: org("operator"),
        reason: Text::parse("oops").unwrap(),
    });
    assert_eq!(w.run(2, &suspend).unwrap_err().code(), "FORBIDDEN");
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
        Tx::parse("org.suspend", &Map::new()).unwrap_err().code(),
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
    Suspend(u8, bool),
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
        Step::Suspend(s, reinstate) => {
            let org = org(ORGS[usize::from(s % 2)]);
            let tx = if reinstate {
                MembershipTx::Reinstate(ReinstateOrg { org })
            } else {
                MembershipTx::Suspend(SuspendOrg {
                    org,
                    reason: Text::parse("test").unwrap(),
                })
            };
            (seed(s / 2), tx)
        }
    }
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
        (b(), any::<bool>()).prop_map(|(s, r)| Step::Suspend(s, r)),
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
            if w.run(signer, &tx).is_ok() {
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
        let mut replay = World { state: State::default() };
        for (signer, tx) in accepted {
            replay.run(signer, &tx).unwrap();
        }
        prop_assert_eq!(replay.state, w.state);
    }
}
