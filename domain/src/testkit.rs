//! A consortium to run contracts in, shared by the contracts' tests.

use godown_ledger::PrivateKey;

use crate::goods::{DocHash, HsCode, Quantity, Unit};
use crate::ids::{MemberKey, OrgId, OrgKind, ReceiptNumber, RecordId, Role, UserId};
use crate::membership::MembershipTx;
use crate::membership::body::{
    AdminSpec, ApproveKey, EnrolKey, Genesis, InviteUser, OperatorSpec, OrgSpec,
};
use crate::money::{Currency, Fraction, Money};
use crate::receipts::body::*;
use crate::receipts::{Lot, Receipt, Receipts, ReceiptsTx, Stock};
use crate::text::{Name, Text};
use crate::time::{Date, Timestamp};
use crate::{Context, ContractError, Outcome, State, Tx};
pub(crate) fn key(seed: u8) -> PrivateKey {
    PrivateKey::from_seed(&[seed; 32])
}

pub(crate) fn org(id: &str) -> OrgId {
    OrgId::parse(id).unwrap()
}

pub(crate) fn rid(id: &str) -> RecordId {
    RecordId::parse(id).unwrap()
}

pub(crate) fn q(text: &str) -> Quantity {
    Quantity::parse(text).unwrap()
}

pub(crate) fn text(t: &str) -> Text {
    Text::parse(t).unwrap()
}

pub(crate) const NODE: u8 = 1;
pub(crate) const OP: u8 = 2;
pub(crate) const BANK_A: u8 = 10;
pub(crate) const BANK_B: u8 = 11;
pub(crate) const WH: u8 = 20;
pub(crate) const WH_OFFICER: u8 = 21;
pub(crate) const WH_APPROVER: u8 = 22;
pub(crate) const WH_BOTH: u8 = 23;
pub(crate) const WH_VIEWER: u8 = 24;
pub(crate) const WH_B: u8 = 25;
pub(crate) const SME_A: u8 = 40;
pub(crate) const SME_B: u8 = 41;
pub(crate) const INSPECTOR: u8 = 50;

/// The start of every test's clock: 2026-12-01T00:00:00.000Z.
pub(crate) const T0: i64 = 1_796_083_200_000;
pub(crate) const DAY: i64 = 86_400_000;

pub(crate) fn founder(id: &str, kind: OrgKind, seed: u8) -> OrgSpec {
    OrgSpec {
        org: org(id),
        name: Name::parse(id).unwrap(),
        kind,
        admin: AdminSpec {
            user: UserId::parse(&format!("{id}.admin")).unwrap(),
            name: Name::parse(id).unwrap(),
            key: MemberKey(key(seed).public_key()),
        },
    }
}

/// A consortium: two banks, two warehouses, two SMEs, an inspector, and
/// at wh-a an officer, an approver, a user with both roles and a viewer.
pub(crate) struct World {
    pub(crate) state: State,
    pub(crate) time: i64,
    pub(crate) accepted: Vec<(u8, Tx, i64)>,
}

impl World {
    pub(crate) fn new() -> Self {
        let mut w = Self {
            state: State::default(),
            time: T0,
            accepted: Vec::new(),
        };
        let genesis = MembershipTx::Genesis(Genesis {
            operator: OperatorSpec {
                org: org("operator"),
                name: Name::parse("Operator").unwrap(),
                node_key: MemberKey(key(NODE).public_key()),
                admin: AdminSpec {
                    user: UserId::parse("operator.admin").unwrap(),
                    name: Name::parse("Op").unwrap(),
                    key: MemberKey(key(OP).public_key()),
                },
            },
            quorum: None,
            log_key: None,
            founders: vec![
                founder("bank-a", OrgKind::Bank, BANK_A),
                founder("bank-b", OrgKind::Bank, BANK_B),
                founder("wh-a", OrgKind::Warehouse, WH),
                founder("wh-b", OrgKind::Warehouse, WH_B),
                founder("sme-a", OrgKind::Sme, SME_A),
                founder("sme-b", OrgKind::Sme, SME_B),
                founder("insp", OrgKind::Inspector, INSPECTOR),
            ],
        });
        w.run(NODE, genesis).unwrap();
        w.member("wh-a", "wh-a.officer", WH_OFFICER, &[Role::Officer]);
        w.member("wh-a", "wh-a.approver", WH_APPROVER, &[Role::Approver]);
        w.member(
            "wh-a",
            "wh-a.both",
            WH_BOTH,
            &[Role::Officer, Role::Approver],
        );
        w.member("wh-a", "wh-a.viewer", WH_VIEWER, &[Role::Viewer]);
        w
    }

    pub(crate) fn member(&mut self, org_id: &str, user: &str, seed: u8, roles: &[Role]) {
        let admin = match org_id {
            "wh-a" => WH,
            "bank-a" => BANK_A,
            "bank-b" => BANK_B,
            "sme-a" => SME_A,
            _ => unreachable!("members are added to wh-a, bank-a, bank-b and sme-a only"),
        };
        let user = UserId::parse(user).unwrap();
        let k = MemberKey(key(seed).public_key());
        self.run(
            admin,
            MembershipTx::Invite(InviteUser {
                org: org(org_id),
                user: user.clone(),
                name: Name::parse("someone").unwrap(),
                roles: roles.to_vec(),
            }),
        )
        .unwrap();
        self.run(
            seed,
            MembershipTx::Enrol(EnrolKey {
                user: user.clone(),
                key: k,
                device: text("test"),
            }),
        )
        .unwrap();
        self.run(admin, MembershipTx::Approve(ApproveKey { user, key: k }))
            .unwrap();
    }

    pub(crate) fn run(&mut self, signer: u8, tx: impl Into<Tx>) -> Result<Outcome, ContractError> {
        let tx = tx.into();
        let public = key(signer).public_key();
        let ctx = Context {
            index: self.state.size,
            time: Timestamp::from_unix_millis(self.time),
            signer: &public,
        };
        let outcome = self.state.apply(&ctx, &tx)?;
        self.accepted.push((signer, tx, self.time));
        self.time += 1;
        Ok(outcome)
    }

    pub(crate) fn r(&self) -> &Receipts {
        &self.state.receipts
    }

    pub(crate) fn receipt(&self, id: &str) -> &Receipt {
        self.r().receipts.get(&rid(id)).unwrap()
    }

    pub(crate) fn lot(&self, id: &str) -> &Lot {
        self.r().lots.get(&rid(id)).unwrap()
    }

    /// Replays every accepted transaction from nothing.
    pub(crate) fn replayed(&self) -> State {
        let mut state = State::default();
        for (signer, tx, time) in &self.accepted {
            let public = key(*signer).public_key();
            let ctx = Context {
                index: state.size,
                time: Timestamp::from_unix_millis(*time),
                signer: &public,
            };
            state.apply(&ctx, tx).unwrap();
        }
        state
    }
}

pub(crate) fn receive(lot: &str, depositor: &str, quantity: &str, pieces: u32) -> ReceiptsTx {
    ReceiptsTx::Receive(ReceiveGoods {
        lot: rid(lot),
        depositor: org(depositor),
        commodity: Name::parse("阴极铜 Copper cathode").unwrap(),
        hs_code: HsCode::parse("740311").unwrap(),
        grade: text("Cu-CATH-1, GB/T 467-2010"),
        quantity: q(quantity),
        unit: Unit::Tonne,
        packaging: text("bundles"),
        pieces,
        marks: text("JCC"),
        location: text("Bay 3"),
        documents: vec![DocHash::parse(&"ab".repeat(32)).unwrap()],
    })
}

pub(crate) fn terms() -> Terms {
    Terms {
        loss_allowance: Fraction::parse("0.002").unwrap(),
        storage_from: Date::parse("2026-12-01").unwrap(),
        storage_until: Date::parse("2027-05-31").unwrap(),
        storage_fee: Money::parse(Currency::Cny, "1.20").unwrap(),
        fee_basis: text("per tonne per day"),
        insurance: Some(Insurance {
            insurer: Name::parse("PICC").unwrap(),
            amount: Money::parse(Currency::Cny, "20000000.00").unwrap(),
            from: Date::parse("2026-12-01").unwrap(),
            until: Date::parse("2027-11-30").unwrap(),
        }),
        issue_place: text("Qingdao"),
    }
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
        terms: terms(),
    })
}

pub(crate) fn refer(receipt: &str) -> ReceiptRef {
    ReceiptRef {
        receipt: rid(receipt),
    }
}

pub(crate) fn issue(receipt: &str) -> ReceiptsTx {
    ReceiptsTx::Issue(refer(receipt))
}

pub(crate) fn endorse(receipt: &str, to: &str) -> ReceiptsTx {
    ReceiptsTx::Endorse(Endorse {
        receipt: rid(receipt),
        to: org(to),
    })
}

pub(crate) fn encumber(receipt: &str, bank: &str) -> ReceiptsTx {
    ReceiptsTx::Encumber(Encumber {
        receipt: rid(receipt),
        pledgee: org(bank),
        reference: text("LN-1"),
    })
}

pub(crate) fn split(receipt: &str, parts: &[(&str, &str, u32)]) -> ReceiptsTx {
    ReceiptsTx::Split(Split {
        receipt: rid(receipt),
        parts: parts
            .iter()
            .map(|(id, quantity, pieces)| Part {
                receipt: rid(id),
                quantity: q(quantity),
                pieces: *pieces,
            })
            .collect(),
    })
}

pub(crate) fn redeem(receipt: &str, quantity: &str, pieces: u32) -> ReceiptsTx {
    ReceiptsTx::RequestRedemption(RequestRedemption {
        receipt: rid(receipt),
        quantity: q(quantity),
        pieces,
    })
}

pub(crate) fn count(lot: &str, counted: &str) -> ReceiptsTx {
    ReceiptsTx::Count(CountStock {
        lot: rid(lot),
        counted: Stock::parse(counted).unwrap(),
    })
}

pub(crate) fn adjust(lot: &str, quantity: &str) -> ReceiptsTx {
    ReceiptsTx::Adjust(AdjustStock {
        lot: rid(lot),
        quantity: Stock::parse(quantity).unwrap(),
        reason: text("recount after the shortfall"),
    })
}

/// wh-a holds lot-00001 of 100 t in 40 bundles for sme-a, with receipt
/// wr-000001 of 60 t, 24 bundles, issued.
pub(crate) fn with_receipt() -> World {
    let mut w = World::new();
    w.run(WH_OFFICER, receive("lot-00001", "sme-a", "100.000", 40))
        .unwrap();
    w.run(
        WH_OFFICER,
        draft("wr-000001", "lot-00001", "QD-1", "60.000", 24),
    )
    .unwrap();
    w.run(WH_APPROVER, issue("wr-000001")).unwrap();
    w
}

pub(crate) fn code(result: Result<Outcome, ContractError>) -> &'static str {
    result.unwrap_err().code().as_str()
}
