use proptest::prelude::*;

use super::body::*;
use super::*;
use crate::Notice;
use crate::goods::{DocHash, Quantity, Unit};
use crate::time::Date;

use crate::testkit::*;

#[test]
fn a_receipt_lives_from_receipt_of_goods_to_redemption() {
    let mut w = with_receipt();
    let r = w.receipt("wr-000001");
    assert_eq!(
        (r.status, r.holder.as_str()),
        (ReceiptStatus::Live, "sme-a")
    );
    assert_eq!(r.drafted_by.as_str(), "wh-a.officer");
    assert_eq!(r.issued_by.as_ref().unwrap().as_str(), "wh-a.approver");

    w.run(
        INSPECTOR,
        ReceiptsTx::Certify(CertifyLot {
            lot: rid("lot-00001"),
            grade: text("A"),
            quantity: q("99.950"),
            certificate: DocHash::parse(&"cd".repeat(32)).unwrap(),
        }),
    )
    .unwrap();
    assert_eq!(w.lot("lot-00001").certifications.len(), 1);

    let endorsed = w.run(SME_A, endorse("wr-000001", "sme-b")).unwrap();
    assert!(
        endorsed
            .notices
            .iter()
            .any(|n| matches!(n, Notice::TransferRequested { .. }))
    );
    assert_eq!(
        w.receipt("wr-000001").holder.as_str(),
        "sme-a",
        "a transfer waits for the warehouse"
    );
    w.run(WH, ReceiptsTx::Countersign(refer("wr-000001")))
        .unwrap();
    let r = w.receipt("wr-000001");
    assert_eq!(r.holder.as_str(), "sme-b");
    assert_eq!(r.endorsements.len(), 1);
    assert!(
        r.parties().contains(&org("sme-a")),
        "the endorser still sees the receipt's history"
    );

    w.run(
        SME_B,
        split(
            "wr-000001",
            &[("wr-000002", "20.000", 8), ("wr-000003", "40", 16)],
        ),
    )
    .unwrap();
    assert_eq!(w.receipt("wr-000001").status, ReceiptStatus::Cancelled);
    assert_eq!(w.receipt("wr-000002").number.as_str(), "QD-1-S1");
    assert_eq!(w.receipt("wr-000003").parents, vec![rid("wr-000001")]);

    w.run(SME_B, redeem("wr-000002", "5.5", 2)).unwrap();
    w.run(
        WH_OFFICER,
        ReceiptsTx::ConfirmRedemption(refer("wr-000002")),
    )
    .unwrap();
    assert_eq!(w.receipt("wr-000002").quantity, Decimal::new(145, 1));
    assert_eq!(w.lot("lot-00001").on_hand, Decimal::new(945, 1));
    assert_eq!(w.lot("lot-00001").pieces, 38);

    w.run(SME_B, redeem("wr-000002", "14.5", 6)).unwrap();
    w.run(
        WH_OFFICER,
        ReceiptsTx::ConfirmRedemption(refer("wr-000002")),
    )
    .unwrap();
    assert_eq!(w.receipt("wr-000002").status, ReceiptStatus::Redeemed);
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn issuing_takes_an_officer_then_a_different_approver() {
    let mut w = World::new();
    w.run(WH_OFFICER, receive("lot-00001", "sme-a", "100", 0))
        .unwrap();
    assert_eq!(
        code(w.run(WH_APPROVER, draft("wr-000001", "lot-00001", "N-1", "10", 0))),
        "FORBIDDEN"
    );
    w.run(WH_OFFICER, draft("wr-000001", "lot-00001", "N-1", "10", 0))
        .unwrap();
    assert_eq!(code(w.run(WH_OFFICER, issue("wr-000001"))), "FORBIDDEN");
    assert_eq!(code(w.run(WH_VIEWER, issue("wr-000001"))), "FORBIDDEN");
    w.run(WH_BOTH, draft("wr-000002", "lot-00001", "N-2", "10", 0))
        .unwrap();
    assert_eq!(code(w.run(WH_BOTH, issue("wr-000002"))), "SAME_USER");
    w.run(WH_BOTH, issue("wr-000001")).unwrap();
    w.run(WH_APPROVER, issue("wr-000002")).unwrap();
    assert_eq!(
        code(w.run(WH_APPROVER, issue("wr-000002"))),
        "INVALID_STATE"
    );
}

#[test]
fn receipts_never_exceed_the_goods_on_hand() {
    let mut w = with_receipt();
    assert_eq!(
        code(w.run(
            WH_OFFICER,
            draft("wr-000009", "lot-00001", "QD-2", "40.001", 0)
        )),
        "INSUFFICIENT_QUANTITY"
    );
    w.run(
        WH_OFFICER,
        draft("wr-000002", "lot-00001", "QD-2", "30", 10),
    )
    .unwrap();
    w.run(
        WH_OFFICER,
        draft("wr-000003", "lot-00001", "QD-3", "30", 10),
    )
    .unwrap();
    w.run(WH_APPROVER, issue("wr-000002")).unwrap();
    // Drafts reserve nothing, so the second is checked again at issue.
    assert_eq!(
        code(w.run(WH_APPROVER, issue("wr-000003"))),
        "INSUFFICIENT_QUANTITY"
    );
    assert_eq!(w.r().receipted(&rid("lot-00001")).0, Decimal::from(90));
}

#[test]
fn bad_drafts_are_refused_with_their_own_codes() {
    let mut w = with_receipt();
    assert_eq!(
        code(w.run(WH_OFFICER, draft("wr-000002", "lot-00001", "QD-1", "1", 0))),
        "RECEIPT_NUMBER_TAKEN"
    );
    // Another warehouse may use the same number.
    assert_eq!(
        code(w.run(WH_OFFICER, draft("wr-000001", "lot-00001", "QD-9", "1", 0))),
        "ALREADY_EXISTS"
    );
    let mut pieces = w.run(WH_OFFICER, draft("wr-000002", "lot-00001", "QD-2", "1", 17));
    assert_eq!(code(pieces), "INSUFFICIENT_QUANTITY");
    let ReceiptsTx::Draft(mut d) = draft("wr-000002", "lot-00001", "QD-2", "1", 0) else {
        unreachable!()
    };
    d.terms.storage_until = Date::parse("2026-11-30").unwrap();
    assert_eq!(code(w.run(WH_OFFICER, ReceiptsTx::Draft(d))), "BAD_REQUEST");
    w.run(WH_B, receive("lot-00002", "sme-a", "5", 0)).unwrap();
    assert_eq!(
        code(w.run(WH_OFFICER, draft("wr-000002", "lot-00002", "QD-2", "1", 0))),
        "FORBIDDEN"
    );
    pieces = w.run(
        WH_OFFICER,
        ReceiptsTx::Receive(ReceiveGoods {
            unit: Unit::Piece,
            ..match receive("lot-00003", "sme-a", "2.5", 0) {
                ReceiptsTx::Receive(b) => b,
                _ => unreachable!(),
            }
        }),
    );
    assert_eq!(code(pieces), "INVALID_QUANTITY");
}

#[test]
fn only_the_right_party_acts() {
    let mut w = with_receipt();
    assert_eq!(
        code(w.run(SME_B, endorse("wr-000001", "sme-b"))),
        "FORBIDDEN"
    );
    assert_eq!(code(w.run(WH, endorse("wr-000001", "sme-b"))), "FORBIDDEN");
    w.run(SME_A, endorse("wr-000001", "sme-b")).unwrap();
    assert_eq!(
        code(w.run(WH_B, ReceiptsTx::Countersign(refer("wr-000001")))),
        "FORBIDDEN"
    );
    assert_eq!(
        code(w.run(SME_B, ReceiptsTx::Countersign(refer("wr-000001")))),
        "FORBIDDEN"
    );
    assert_eq!(
        code(w.run(WH_VIEWER, ReceiptsTx::Countersign(refer("wr-000001")))),
        "FORBIDDEN"
    );
    assert_eq!(
        code(w.run(
            SME_A,
            split(
                "wr-000001",
                &[("wr-000002", "30", 12), ("wr-000003", "30", 12)]
            )
        )),
        "RECEIPT_BUSY"
    );
    w.run(SME_A, ReceiptsTx::CancelRequest(refer("wr-000001")))
        .unwrap();
    assert_eq!(
        code(w.run(WH, ReceiptsTx::Countersign(refer("wr-000001")))),
        "INVALID_STATE"
    );
    assert_eq!(code(w.run(SME_A, count("lot-00001", "1"))), "FORBIDDEN");
    assert_eq!(
        code(w.run(
            WH,
            ReceiptsTx::Certify(CertifyLot {
                lot: rid("lot-00001"),
                grade: text("A"),
                quantity: q("1"),
                certificate: DocHash::parse(&"cd".repeat(32)).unwrap()
            })
        )),
        "FORBIDDEN"
    );
    assert_eq!(
        code(w.run(SME_A, receive("lot-00009", "sme-a", "1", 0))),
        "FORBIDDEN"
    );
}

#[test]
fn splits_must_add_up_exactly_and_merges_conserve_quantity() {
    let mut w = with_receipt();
    for parts in [
        &[("wr-000002", "30", 12), ("wr-000003", "29.999", 12)][..],
        &[("wr-000002", "30", 12), ("wr-000003", "30", 11)][..],
    ] {
        assert_eq!(
            code(w.run(SME_A, split("wr-000001", parts))),
            "SPLIT_MISMATCH"
        );
    }
    assert_eq!(
        code(w.run(SME_A, split("wr-000001", &[("wr-000002", "60", 24)]))),
        "BAD_REQUEST"
    );
    assert_eq!(
        code(w.run(
            SME_A,
            split(
                "wr-000001",
                &[("wr-000002", "30", 12), ("wr-000002", "30", 12)]
            )
        )),
        "BAD_REQUEST"
    );
    w.run(
        SME_A,
        split(
            "wr-000001",
            &[
                ("wr-000002", "10", 4),
                ("wr-000003", "20", 8),
                ("wr-000004", "30", 12),
            ],
        ),
    )
    .unwrap();
    w.run(
        SME_A,
        ReceiptsTx::Merge(Merge {
            receipts: vec![rid("wr-000002"), rid("wr-000004")],
            into: rid("wr-000005"),
        }),
    )
    .unwrap();
    let merged = w.receipt("wr-000005");
    assert_eq!((merged.quantity, merged.pieces), (Decimal::from(40), 16));
    assert_eq!(merged.parents, vec![rid("wr-000002"), rid("wr-000004")]);
    assert_eq!(w.r().receipted(&rid("lot-00001")), (Decimal::from(60), 24));
}

#[test]
fn an_encumbered_receipt_is_frozen_until_its_holder_lifts_it() {
    let mut w = with_receipt();
    w.run(SME_A, encumber("wr-000001", "bank-a")).unwrap();
    assert_eq!(
        code(w.run(SME_A, encumber("wr-000001", "bank-b"))),
        "RECEIPT_ENCUMBERED"
    );
    assert_eq!(
        code(w.run(SME_A, endorse("wr-000001", "sme-b"))),
        "RECEIPT_ENCUMBERED"
    );
    assert_eq!(
        code(w.run(
            SME_A,
            split(
                "wr-000001",
                &[("wr-000002", "30", 12), ("wr-000003", "30", 12)]
            )
        )),
        "RECEIPT_ENCUMBERED"
    );
    assert_eq!(
        code(w.run(SME_A, redeem("wr-000001", "1", 0))),
        "RECEIPT_ENCUMBERED"
    );
    w.run(
        SME_A,
        ReceiptsTx::Receive(match receive("lot-00002", "sme-a", "1", 0) {
            ReceiptsTx::Receive(b) => b,
            _ => unreachable!(),
        }),
    )
    .unwrap_err();
    assert_eq!(
        code(w.run(SME_A, ReceiptsTx::Lift(refer("wr-000001")))),
        "FORBIDDEN"
    );
    assert_eq!(
        code(w.run(BANK_B, ReceiptsTx::Lift(refer("wr-000001")))),
        "FORBIDDEN"
    );
    w.run(BANK_A, ReceiptsTx::Lift(refer("wr-000001"))).unwrap();
    w.run(SME_A, endorse("wr-000001", "sme-b")).unwrap();
    assert_eq!(
        code(w.run(SME_A, encumber("wr-000001", "sme-b"))),
        "RECEIPT_BUSY"
    );
}

#[test]
fn a_receipt_past_its_storage_period_can_only_be_redeemed() {
    let mut w = with_receipt();
    w.time = Date::parse("2027-05-31").unwrap().end().unix_millis();
    assert_eq!(
        code(w.run(SME_A, endorse("wr-000001", "sme-b"))),
        "RECEIPT_EXPIRED"
    );
    assert_eq!(
        code(w.run(SME_A, encumber("wr-000001", "bank-a"))),
        "RECEIPT_EXPIRED"
    );
    w.run(SME_A, redeem("wr-000001", "60", 24)).unwrap();
    w.run(WH, ReceiptsTx::ConfirmRedemption(refer("wr-000001")))
        .unwrap();
    assert_eq!(w.receipt("wr-000001").status, ReceiptStatus::Redeemed);
    w.time -= DAY;
}

#[test]
fn a_shortfall_flags_every_receipt_tells_the_pledgee_and_waits_for_an_adjustment() {
    let mut w = with_receipt();
    w.run(WH_OFFICER, draft("wr-000002", "lot-00001", "QD-2", "10", 4))
        .unwrap();
    w.run(WH_APPROVER, issue("wr-000002")).unwrap();
    w.run(SME_A, encumber("wr-000001", "bank-a")).unwrap();
    let none = w.run(WH, count("lot-00001", "100")).unwrap();
    assert!(none.notices.is_empty());
    let found = w.run(WH, count("lot-00001", "65")).unwrap();
    assert!(w.receipt("wr-000001").flagged && w.receipt("wr-000002").flagged);
    assert_eq!(
        found.notices,
        vec![Notice::ShortfallFound {
            lot: rid("lot-00001"),
            receipt: rid("wr-000001"),
            bank: org("bank-a")
        }]
    );
    assert!(
        found.parties.contains(&org("bank-a")),
        "the pledgee sees the count"
    );
    assert_eq!(
        code(w.run(WH_OFFICER, draft("wr-000003", "lot-00001", "QD-3", "1", 0))),
        "LOT_SHORTFALL"
    );
    assert_eq!(
        code(w.run(WH, adjust("lot-00001", "69.999"))),
        "INSUFFICIENT_QUANTITY"
    );
    w.run(WH, adjust("lot-00001", "70")).unwrap();
    assert!(!w.receipt("wr-000001").flagged);
    assert_eq!(w.lot("lot-00001").on_hand, Decimal::from(70));
    assert!(w.lot("lot-00001").shortfall.is_none());
    assert_eq!(w.replayed(), w.state);
}

#[test]
fn bodies_round_trip_through_the_signed_json() {
    for tx in [
        receive("lot-00001", "sme-a", "100.000", 40),
        draft("wr-000001", "lot-00001", "QD-1", "60.000", 24),
        split(
            "wr-000001",
            &[("wr-000002", "20.000", 8), ("wr-000003", "40", 16)],
        ),
        encumber("wr-000001", "bank-a"),
    ] {
        let body = tx.body();
        assert_eq!(
            ReceiptsTx::parse(tx.tx_type(), &body).unwrap(),
            Some(tx.clone())
        );
    }
    let body = draft("wr-000001", "lot-00001", "QD-1", "60.000", 24).body();
    assert_eq!(
        body["quantity"], "60.000",
        "the quantity keeps the text that was signed"
    );
    assert_eq!(body["terms"]["storage_fee"]["value"], "1.20");
    let mut extra = body.clone();
    extra.insert("x".into(), serde_json::Value::Bool(true));
    assert_eq!(
        ReceiptsTx::parse("receipt.draft", &extra)
            .unwrap_err()
            .code(),
        "BAD_REQUEST"
    );
}

// ---------------------------------------------------------------------------
// Random histories. Most steps are signed by the party that may take them
// and name a receipt that exists, so that histories get far; the rest are
// signed by anyone, to check that the wrong party is always refused.

#[derive(Debug, Clone)]
enum Action {
    Draft {
        lot: usize,
        quantity: u32,
        pieces: u32,
    },
    Issue,
    Discard,
    Endorse {
        to: usize,
    },
    Countersign,
    Cancel,
    Split {
        cut: u32,
        off: bool,
    },
    Merge {
        other: usize,
    },
    Redeem {
        quantity: u32,
        all: bool,
    },
    Confirm,
    Count {
        lot: usize,
        counted: u32,
    },
    Adjust {
        lot: usize,
        quantity: u32,
    },
    Encumber {
        bank: usize,
    },
    Lift,
    Wait {
        days: u8,
    },
}

#[derive(Debug, Clone)]
struct Step {
    action: Action,
    /// Which existing receipt it names.
    pick: usize,
    /// Signed by the party that may take it, or by `anyone`.
    rightful: bool,
    anyone: usize,
}

const SIGNERS: [u8; 11] = [
    WH,
    WH_OFFICER,
    WH_APPROVER,
    WH_BOTH,
    WH_VIEWER,
    WH_B,
    SME_A,
    SME_B,
    BANK_A,
    BANK_B,
    INSPECTOR,
];
const HOLDERS: [&str; 5] = ["sme-a", "sme-b", "bank-a", "bank-b", "wh-a"];
const LOTS: [&str; 2] = ["lot-00001", "lot-00002"];

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..2usize, 1..50u32, 0..12u32).prop_map(|(lot, quantity, pieces)| Action::Draft { lot, quantity, pieces }),
        3 => Just(Action::Issue),
        1 => Just(Action::Discard),
        2 => (0..HOLDERS.len()).prop_map(|to| Action::Endorse { to }),
        2 => Just(Action::Countersign),
        1 => Just(Action::Cancel),
        2 => (1..40u32, prop::bool::weighted(0.2)).prop_map(|(cut, off)| Action::Split { cut, off }),
        2 => any::<usize>().prop_map(|other| Action::Merge { other }),
        2 => (1..40u32, any::<bool>()).prop_map(|(quantity, all)| Action::Redeem { quantity, all }),
        2 => Just(Action::Confirm),
        1 => (0..2usize, 0..150u32).prop_map(|(lot, counted)| Action::Count { lot, counted }),
        1 => (0..2usize, 0..150u32).prop_map(|(lot, quantity)| Action::Adjust { lot, quantity }),
        2 => (0..2usize).prop_map(|bank| Action::Encumber { bank }),
        1 => Just(Action::Lift),
        1 => (1..120u8).prop_map(|days| Action::Wait { days }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        action(),
        any::<usize>(),
        prop::bool::weighted(0.85),
        0..SIGNERS.len(),
    )
        .prop_map(|(action, pick, rightful, anyone)| Step {
            action,
            pick,
            rightful,
            anyone,
        })
}

fn quantity(n: Decimal) -> Option<Quantity> {
    Quantity::from_decimal(n).ok()
}

fn admin_of(org: &OrgId) -> u8 {
    match org.as_str() {
        "sme-a" => SME_A,
        "sme-b" => SME_B,
        "bank-a" => BANK_A,
        "bank-b" => BANK_B,
        "wh-b" => WH_B,
        _ => WH,
    }
}

/// The transaction a step makes in the world as it is, and who signs it;
/// `None` for a step that waits.
#[expect(
    clippy::too_many_lines,
    clippy::many_single_char_names,
    reason = "one arm per action reads best as one table"
)]
fn step_tx(w: &World, s: &Step, fresh: &mut usize) -> Option<(u8, ReceiptsTx)> {
    let mut new_id = || {
        *fresh += 1;
        rid(&format!("wr-{:06}", *fresh))
    };
    let ids: Vec<&Receipt> = w.r().receipts.values().collect();
    let picked = ids.get(s.pick % ids.len().max(1)).copied();
    let id = picked.map_or_else(|| rid("wr-missing"), |r| r.id.clone());
    let holder = picked.map_or(SME_A, |r| admin_of(&r.holder));
    let (right, tx) = match &s.action {
        Action::Wait { .. } => return None,
        Action::Draft {
            lot,
            quantity: n,
            pieces,
        } => {
            let id = new_id();
            let signer = if s.pick.is_multiple_of(2) {
                WH_OFFICER
            } else {
                WH_BOTH
            };
            (
                signer,
                ReceiptsTx::Draft(DraftReceipt {
                    number: ReceiptNumber::parse(&format!("N-{id}").to_uppercase()).ok()?,
                    receipt: id,
                    lot: rid(LOTS[*lot]),
                    quantity: quantity(Decimal::from(*n))?,
                    pieces: *pieces,
                    terms: terms(),
                }),
            )
        }
        Action::Issue => {
            let signer = if picked.is_some_and(|r| r.drafted_by.as_str() == "wh-a.both") {
                WH_APPROVER
            } else {
                WH_BOTH
            };
            (signer, ReceiptsTx::Issue(ReceiptRef { receipt: id }))
        }
        Action::Discard => (
            WH,
            ReceiptsTx::Discard(DiscardDraft {
                receipt: id,
                reason: text("wrong lot"),
            }),
        ),
        Action::Endorse { to } => (
            holder,
            ReceiptsTx::Endorse(Endorse {
                receipt: id,
                to: org(HOLDERS[*to]),
            }),
        ),
        Action::Countersign => (WH, ReceiptsTx::Countersign(ReceiptRef { receipt: id })),
        Action::Cancel => (
            holder,
            ReceiptsTx::CancelRequest(ReceiptRef { receipt: id }),
        ),
        Action::Split { cut, off } => {
            let parent = picked?;
            let first = Decimal::from(*cut)
                .min(parent.quantity - Decimal::ONE)
                .max(Decimal::ONE);
            let rest = parent.quantity - first + if *off { Decimal::ONE } else { Decimal::ZERO };
            let p1 = parent.pieces / 2;
            (
                holder,
                ReceiptsTx::Split(Split {
                    receipt: id,
                    parts: vec![
                        Part {
                            receipt: new_id(),
                            quantity: quantity(first)?,
                            pieces: p1,
                        },
                        Part {
                            receipt: new_id(),
                            quantity: quantity(rest)?,
                            pieces: parent.pieces - p1,
                        },
                    ],
                }),
            )
        }
        Action::Merge { other } => {
            let other = ids
                .get(other % ids.len().max(1))
                .map_or_else(|| rid("wr-missing"), |r| r.id.clone());
            (
                holder,
                ReceiptsTx::Merge(Merge {
                    receipts: vec![id, other],
                    into: new_id(),
                }),
            )
        }
        Action::Redeem { quantity: n, all } => {
            let r = picked?;
            let (q, p) = if *all {
                (r.quantity, r.pieces)
            } else {
                (Decimal::from(*n), 0)
            };
            (
                holder,
                ReceiptsTx::RequestRedemption(RequestRedemption {
                    receipt: id,
                    quantity: quantity(q)?,
                    pieces: p,
                }),
            )
        }
        Action::Confirm => (
            WH_OFFICER,
            ReceiptsTx::ConfirmRedemption(ReceiptRef { receipt: id }),
        ),
        Action::Count { lot, counted } => (
            WH,
            ReceiptsTx::Count(CountStock {
                lot: rid(LOTS[*lot]),
                counted: Stock(Decimal::from(*counted)),
            }),
        ),
        Action::Adjust { lot, quantity: n } => {
            // Mostly what the live receipts need, so shortfalls get resolved.
            let (receipted, _) = w.r().receipted(&rid(LOTS[*lot]));
            let n = if s.pick.is_multiple_of(3) {
                Decimal::from(*n)
            } else {
                receipted + Decimal::from(*n % 20)
            };
            (
                WH,
                ReceiptsTx::Adjust(AdjustStock {
                    lot: rid(LOTS[*lot]),
                    quantity: Stock(n),
                    reason: text("recount"),
                }),
            )
        }
        Action::Encumber { bank } => (
            holder,
            ReceiptsTx::Encumber(Encumber {
                receipt: id,
                pledgee: org(["bank-a", "bank-b"][*bank]),
                reference: text("LN"),
            }),
        ),
        Action::Lift => {
            let bank = picked
                .and_then(|r| r.encumbrance.as_ref())
                .map_or(BANK_A, |e| admin_of(&e.holder));
            (bank, ReceiptsTx::Lift(ReceiptRef { receipt: id }))
        }
    };
    Some((if s.rightful { right } else { SIGNERS[s.anyone] }, tx))
}

/// Whether `signer_org` may take this step, given the state before it.
fn rightful(before: &Receipts, tx: &ReceiptsTx, signer_org: &OrgId) -> bool {
    let receipt = |id: &RecordId| before.receipts.get(id);
    let lot = |id: &RecordId| before.lots.get(id);
    match tx {
        ReceiptsTx::Draft(b) => lot(&b.lot).is_some_and(|l| l.warehouse == *signer_org),
        ReceiptsTx::Issue(ReceiptRef { receipt: id })
        | ReceiptsTx::Discard(DiscardDraft { receipt: id, .. })
        | ReceiptsTx::Countersign(ReceiptRef { receipt: id })
        | ReceiptsTx::ConfirmRedemption(ReceiptRef { receipt: id }) => {
            receipt(id).is_some_and(|r| r.warehouse == *signer_org)
        }
        ReceiptsTx::Count(CountStock { lot: id, .. })
        | ReceiptsTx::Adjust(AdjustStock { lot: id, .. }) => {
            lot(id).is_some_and(|l| l.warehouse == *signer_org)
        }
        ReceiptsTx::Endorse(Endorse { receipt: id, .. })
        | ReceiptsTx::CancelRequest(ReceiptRef { receipt: id })
        | ReceiptsTx::Split(Split { receipt: id, .. })
        | ReceiptsTx::RequestRedemption(RequestRedemption { receipt: id, .. })
        | ReceiptsTx::Encumber(Encumber { receipt: id, .. }) => {
            receipt(id).is_some_and(|r| r.holder == *signer_org)
        }
        ReceiptsTx::Merge(b) => b
            .receipts
            .iter()
            .all(|id| receipt(id).is_some_and(|r| r.holder == *signer_org)),
        ReceiptsTx::Lift(b) => receipt(&b.receipt)
            .and_then(|r| r.encumbrance.as_ref())
            .is_some_and(|e| e.holder == *signer_org),
        ReceiptsTx::Receive(_) | ReceiptsTx::Certify(_) => true,
    }
}

fn live_total(r: &Receipts) -> Decimal {
    r.receipts
        .values()
        .filter(|r| r.status == ReceiptStatus::Live)
        .map(|r| r.quantity)
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_histories_keep_every_receipt_invariant(steps in prop::collection::vec(step(), 1..120)) {
        let mut w = World::new();
        w.run(WH_OFFICER, receive(LOTS[0], "sme-a", "100", 40)).unwrap();
        w.run(WH_OFFICER, receive(LOTS[1], "sme-b", "80", 0)).unwrap();
        let mut fresh = 0;
        for s in &steps {
            if let Action::Wait { days } = s.action {
                w.time += i64::from(days) * DAY;
                continue;
            }
            let Some((signer, tx)) = step_tx(&w, s, &mut fresh) else { continue };
            let before = w.state.clone();
            let signer_org = before.membership.keys.get(&key(signer).public_key().to_bytes())
                .and_then(|k| before.membership.users.get(&k.user)).map(|u| u.org.clone()).unwrap();
            let result = w.run(signer, tx.clone());
            let after = &w.state;
            if result.is_err() {
                prop_assert_eq!(&before, after, "a refusal changed the state: {:?}", tx);
            } else {
                // The right party, for every action.
                prop_assert!(rightful(&before.receipts, &tx, &signer_org), "{} signed {:?}", signer_org, tx);
                // Quantity is conserved under split and merge, and moves
                // only by issue (+) and redemption (−).
                let (b, a) = (live_total(&before.receipts), live_total(&after.receipts));
                match &tx {
                    ReceiptsTx::Issue(_) => prop_assert!(a > b),
                    ReceiptsTx::ConfirmRedemption(_) => prop_assert!(a < b),
                    _ => prop_assert_eq!(a, b, "{:?} changed the live quantity", tx),
                }
            }
            // The lot-quantity invariant.
            for lot in after.receipts.lots.values() {
                let (q, p) = after.receipts.receipted(&lot.id);
                prop_assert!(q <= lot.on_hand, "lot {} holds {} under receipts but {} on hand", lot.id, q, lot.on_hand);
                prop_assert!(p <= u64::from(lot.pieces));
            }
            // At most one encumbrance: one is never replaced without a lift,
            // and an encumbered receipt keeps its holder, quantity and status.
            for (id, r) in &after.receipts.receipts {
                if let (Some(old), Some(new)) = (before.receipts.receipts.get(id), r.encumbrance.as_ref())
                    && let Some(was) = &old.encumbrance
                {
                    prop_assert_eq!(was, new, "an encumbrance on {} was replaced", id);
                    prop_assert_eq!((&old.holder, old.quantity, old.status), (&r.holder, r.quantity, r.status));
                }
            }
        }
        // Replay from genesis gives the same state.
        prop_assert_eq!(w.replayed(), w.state);
    }
}
