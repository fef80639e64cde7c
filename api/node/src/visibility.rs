//! Who sees what. This module is the only place the rule is written; every
//! query, subscription and route asks it.
//!
//! - A member sees the payload of an entry (its type, signer, time, bytes
//!   and proof) when its organisation is a party to the entry.
//! - The regulator sees every payload.
//! - Every signed-in user sees every entry's index and leaf hash, the
//!   checkpoints and the consistency proofs, so anyone can check that the log
//!   only grows.
//! - The directory of organisations is visible to every signed-in user; an
//!   organisation's users and keys to its own members, the operator and the
//!   regulator.
//! - A receipt, with its whole signed history (every entry of it and of the
//!   receipts it was split or merged from, with their proofs), is visible
//!   to its parties: its warehouse, every holder it has had, an endorsee
//!   waiting, and its encumbrance holder; a draft to its warehouse alone.
//!   So an endorsee sees the chain before it, as the law of endorsement
//!   expects.
//! - A lot is visible to its warehouse, its depositor, the parties of its
//!   receipts, and to inspectors (who certify lots the warehouse names).
//! - Anyone holding a receipt's id may check it (`receiptCheck`): genuine,
//!   live, encumbered or not (never by whom), its quantity, and the entries
//!   that made it, which say no more than that.
//! - A loan, with its whole signed history, is visible to its borrower, its
//!   bank and the warehouses holding its collateral; prices to every
//!   member; a bank's portfolio to the bank and the regulator.
//! - Consortium proposals, their votes and the documents they name are
//!   visible to every member: every member may vote, so every member sees
//!   what it votes on.

use godown_domain::financing::Loan;
use godown_domain::receipts::{Lot, Receipt};
use godown_domain::{OrgId, OrgKind};

use crate::error::ApiError;
use crate::session::{Scope, Viewer};

/// Entry types whose payload every member sees, whoever its parties: the
/// prices every member sees already, so that a member re-running the
/// contracts over its entries values collateral as the node did.
const PUBLIC_TYPES: &[&str] = &["price.publish", "price.designate"];

/// Whether `viewer` may see the payload of an entry of `tx_type` with these
/// parties.
pub fn may_see_entry<'a>(
    viewer: &Viewer,
    tx_type: &str,
    mut parties: impl Iterator<Item = &'a OrgId>,
) -> bool {
    viewer.scope == Scope::Full
        && (viewer.org_kind == OrgKind::Regulator
            || PUBLIC_TYPES.contains(&tx_type)
            || parties.any(|p| *p == viewer.org))
}

/// Whether `viewer` may see the consortium's proposals and their documents.
pub fn may_see_proposals(viewer: &Viewer) -> bool {
    viewer.scope == Scope::Full
}

/// Whether `viewer` may see the users and keys of `org`.
pub fn may_see_members(viewer: &Viewer, org: &OrgId) -> bool {
    viewer.scope == Scope::Full
        && (viewer.org == *org || matches!(viewer.org_kind, OrgKind::Regulator | OrgKind::Operator))
}

/// Whether `viewer` sees every record, whoever its parties.
pub fn sees_everything(viewer: &Viewer) -> bool {
    viewer.scope == Scope::Full && viewer.org_kind == OrgKind::Regulator
}

/// Whether `viewer` may see a receipt and its whole history.
pub fn may_see_receipt(viewer: &Viewer, receipt: &Receipt) -> bool {
    viewer.scope == Scope::Full
        && (sees_everything(viewer) || receipt.parties().contains(&viewer.org))
}

/// Whether `viewer` may see a loan and its whole history: its borrower,
/// its bank, the warehouses holding its collateral, and the regulator.
pub fn may_see_loan(viewer: &Viewer, loan: &Loan) -> bool {
    viewer.scope == Scope::Full && (sees_everything(viewer) || loan.parties().contains(&viewer.org))
}

/// Whether `viewer` may see a lot, given its receipts.
pub fn may_see_lot(viewer: &Viewer, lot: &Lot, receipts: &[Receipt]) -> bool {
    viewer.scope == Scope::Full
        && (sees_everything(viewer)
            || viewer.org_kind == OrgKind::Inspector
            || lot.warehouse == viewer.org
            || lot.depositor == viewer.org
            || receipts.iter().any(|r| may_see_receipt(viewer, r)))
}

/// Whose portfolio `viewer` may see, asked for `bank`: the regulator any
/// bank's, or every bank's together when it names none; a bank its own
/// only; anyone else none.
pub fn portfolio_of(viewer: &Viewer, bank: Option<String>) -> Result<Option<String>, ApiError> {
    require_full(viewer)?;
    if sees_everything(viewer) {
        Ok(bank)
    } else if viewer.org_kind == OrgKind::Bank {
        if bank.as_deref().is_some_and(|b| b != viewer.org.as_str()) {
            return Err(ApiError::forbidden("a bank sees its own portfolio only"));
        }
        Ok(Some(viewer.org.to_string()))
    } else {
        Err(ApiError::forbidden(
            "portfolios are for banks and the regulator",
        ))
    }
}

/// Requires a full session: an enrolment session only enrols its key.
pub fn require_full(viewer: &Viewer) -> Result<(), ApiError> {
    if viewer.scope == Scope::Full {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "this session may only enrol its key; sign in once an admin has approved it",
        ))
    }
}

#[cfg(test)]
mod tests {
    use godown_domain::ErrorCode;
    use godown_ledger::PrivateKey;

    use super::*;

    fn viewer(org: &str, kind: OrgKind, scope: Scope) -> Viewer {
        Viewer {
            user: godown_domain::UserId::parse("some.user").unwrap(),
            org: OrgId::parse(org).unwrap(),
            org_kind: kind,
            key: PrivateKey::from_seed(&[1; 32]).public_key(),
            scope,
        }
    }

    fn orgs(ids: &[&str]) -> Vec<OrgId> {
        ids.iter().map(|id| OrgId::parse(id).unwrap()).collect()
    }

    #[test]
    fn a_member_sees_entries_its_organisation_is_party_to_and_no_others() {
        let bank = viewer("bank-a", OrgKind::Bank, Scope::Full);
        assert!(may_see_entry(
            &bank,
            "loan.apply",
            orgs(&["bank-a", "wh-a"]).iter()
        ));
        assert!(!may_see_entry(
            &bank,
            "loan.apply",
            orgs(&["bank-b", "wh-a"]).iter()
        ));
    }

    #[test]
    fn every_member_sees_the_prices_published_whoever_the_parties() {
        let bank = viewer("bank-a", OrgKind::Bank, Scope::Full);
        for tx_type in ["price.publish", "price.designate"] {
            assert!(may_see_entry(&bank, tx_type, orgs(&["bank-b"]).iter()));
        }
        let enrolling = viewer("bank-a", OrgKind::Bank, Scope::Enrol);
        assert!(!may_see_entry(
            &enrolling,
            "price.publish",
            orgs(&[]).iter()
        ));
    }

    #[test]
    fn the_regulator_sees_every_entry() {
        let regulator = viewer("reg", OrgKind::Regulator, Scope::Full);
        assert!(may_see_entry(
            &regulator,
            "loan.apply",
            orgs(&["bank-b"]).iter()
        ));
    }

    #[test]
    fn an_enrolment_session_sees_no_payloads() {
        let enrolling = viewer("bank-a", OrgKind::Bank, Scope::Enrol);
        assert!(!may_see_entry(
            &enrolling,
            "user.invite",
            orgs(&["bank-a"]).iter()
        ));
        assert!(require_full(&enrolling).is_err());
    }

    #[test]
    fn members_of_an_organisation_are_visible_to_it_the_operator_and_the_regulator() {
        let bank_a = OrgId::parse("bank-a").unwrap();
        assert!(may_see_members(
            &viewer("bank-a", OrgKind::Bank, Scope::Full),
            &bank_a
        ));
        assert!(may_see_members(
            &viewer("operator", OrgKind::Operator, Scope::Full),
            &bank_a
        ));
        assert!(may_see_members(
            &viewer("reg", OrgKind::Regulator, Scope::Full),
            &bank_a
        ));
        assert!(!may_see_members(
            &viewer("bank-b", OrgKind::Bank, Scope::Full),
            &bank_a
        ));
    }

    #[test]
    fn a_bank_sees_its_own_portfolio_the_regulator_any_and_no_one_else_one() {
        let bank = viewer("bank-a", OrgKind::Bank, Scope::Full);
        assert_eq!(portfolio_of(&bank, None), Ok(Some("bank-a".to_owned())));
        assert_eq!(
            portfolio_of(&bank, Some("bank-a".to_owned())),
            Ok(Some("bank-a".to_owned()))
        );
        let other = portfolio_of(&bank, Some("bank-b".to_owned())).unwrap_err();
        assert_eq!(other.code, ErrorCode::Forbidden);
        let regulator = viewer("reg", OrgKind::Regulator, Scope::Full);
        assert_eq!(portfolio_of(&regulator, None), Ok(None));
        assert_eq!(
            portfolio_of(&regulator, Some("bank-b".to_owned())),
            Ok(Some("bank-b".to_owned()))
        );
        for (org, kind) in [("sme-a", OrgKind::Sme), ("wh-a", OrgKind::Warehouse)] {
            let refused = portfolio_of(&viewer(org, kind, Scope::Full), None).unwrap_err();
            assert_eq!(refused.code, ErrorCode::Forbidden);
        }
        let enrolling = viewer("bank-a", OrgKind::Bank, Scope::Enrol);
        assert!(portfolio_of(&enrolling, None).is_err());
    }
}
