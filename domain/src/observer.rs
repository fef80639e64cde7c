//! The contracts re-run by a member over the part of the log it may see.
//!
//! A member sees the entries its organisation is a party to and the
//! histories of the records it may see, not the whole log. Re-running the
//! contracts over that part, in log order, tells it what those entries
//! imply about its receipts and loans, so it can compare what the node says
//! with what was signed. Two things it cannot know from its part alone are
//! taken as the node states them:
//!
//! - who a signing key belongs to, when the member did not see the key
//!   enrolled (another organisation's user): the signer is taken as a user
//!   of the organisation the node names, allowed every role, since whether
//!   the signer held the role is the node's decision, and the full replay
//!   (`godown verify`, the regulator) checks it;
//! - that the entries it does not see happened: gaps in the indices are
//!   skipped.
//!
//! Everything else is the contracts' own code deciding, so a refusal here
//! means that the entries a member was shown do not make the history the
//! node claims, or that they depend on entries the member may not see.

use std::collections::BTreeSet;

use godown_ledger::PublicKey;

use crate::error::ContractError;
use crate::ids::{OrgId, Role, UserId};
use crate::membership::{KeyRecord, KeyStatus, User, UserStatus};
use crate::text::Name;
use crate::time::Timestamp;
use crate::{Context, Outcome, State, Tx};

/// Who the node says signed an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The signing key's user.
    pub user: UserId,
    /// The user's organisation.
    pub org: OrgId,
}

/// The contracts' state as far as a member's entries make it.
#[derive(Debug, Clone, Default)]
pub struct Observer {
    /// The state the seen entries make.
    pub state: State,
}

impl Observer {
    /// Applies the entry at `index` (entries before it that the member did
    /// not see are skipped), its signer attributed as the node says when
    /// the state does not know the key.
    pub fn apply(
        &mut self,
        index: u64,
        time: Timestamp,
        signer: &PublicKey,
        attribution: Option<&Attribution>,
        tx: &Tx,
    ) -> Result<Outcome, ContractError> {
        if index < self.state.size {
            return Err(ContractError::InvalidState(format!(
                "entry {index} comes after entry {}: entries are re-run in log order",
                self.state.size
            )));
        }
        self.state.size = index;
        let ctx = Context {
            index,
            time,
            signer,
        };
        match self.state.apply(&ctx, tx) {
            // A key the member never saw enrolled: taken as the node
            // attributes it, and decided again. (A key that enrols itself
            // is unknown until its own entry, so it is tried as it is first.)
            Err(ContractError::KeyNotActive(_))
                if attribution.is_some()
                    && !self.state.membership.keys.contains_key(&signer.to_bytes()) =>
            {
                if let Some(who) = attribution {
                    self.attribute(index, signer, who)?;
                }
                self.state.apply(&ctx, tx)
            }
            decided => decided,
        }
    }

    /// Makes an unknown key an active key of `who`, a user of an
    /// organisation the member knows of, with every role.
    fn attribute(
        &mut self,
        index: u64,
        signer: &PublicKey,
        who: &Attribution,
    ) -> Result<(), ContractError> {
        let members = &mut self.state.membership;
        if members.keys.contains_key(&signer.to_bytes()) || !members.orgs.contains_key(&who.org) {
            return Ok(());
        }
        if !members.users.contains_key(&who.user) {
            members.users.insert(
                who.user.clone(),
                User {
                    id: who.user.clone(),
                    org: who.org.clone(),
                    name: Name::parse(who.user.as_str())?,
                    status: UserStatus::Active,
                    roles: Role::ALL.iter().copied().collect::<BTreeSet<_>>(),
                    created_at: index,
                },
            );
        }
        members.keys.insert(
            signer.to_bytes(),
            KeyRecord {
                key: *signer,
                user: who.user.clone(),
                status: KeyStatus::Active,
                device: None,
                enrolled_at: index,
                activated_at: Some(index),
                revoked_at: None,
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipts::ReceiptsTx;
    use crate::testkit::{
        BANK_B, SME_A, World, encumber, endorse, key, org, refer, rid, with_receipt,
    };

    /// Every accepted transaction of `w` with its index, parties and who
    /// signed it, as the node would know them.
    #[expect(clippy::type_complexity, reason = "a test's one log shape")]
    fn log(w: &World) -> Vec<(u64, u8, Tx, i64, BTreeSet<OrgId>, Option<Attribution>)> {
        let mut state = State::default();
        let mut out = Vec::new();
        for (signer, tx, time) in &w.accepted {
            let public = key(*signer).public_key();
            let index = state.size;
            let outcome = state
                .apply(
                    &Context {
                        index,
                        time: Timestamp::from_unix_millis(*time),
                        signer: &public,
                    },
                    tx,
                )
                .unwrap();
            let who = state
                .membership
                .keys
                .get(&public.to_bytes())
                .and_then(|k| state.membership.users.get(&k.user))
                .map(|u| Attribution {
                    user: u.id.clone(),
                    org: u.org.clone(),
                });
            // A receipt's history is its parties' to see, as the node
            // serves it: the entries that touched it, from its draft on.
            let mut parties = outcome.parties;
            for t in &outcome.touched {
                if let crate::Touched::Receipt(id) = t
                    && let Some(r) = w.state.receipts.receipts.get(id)
                {
                    parties.extend(r.parties());
                }
            }
            out.push((index, *signer, tx.clone(), *time, parties, who));
        }
        out
    }

    /// What `member` re-runs: the genesis, every entry it is a party to, and
    /// the histories of the receipts it may see.
    fn observe(w: &World, member: &str) -> (Observer, Vec<(u64, ContractError)>) {
        let mut observer = Observer::default();
        let mut refused = Vec::new();
        for (index, signer, tx, time, parties, who) in log(w) {
            if index != 0 && !parties.contains(&org(member)) {
                continue;
            }
            let public = key(signer).public_key();
            if let Err(e) = observer.apply(
                index,
                Timestamp::from_unix_millis(time),
                &public,
                who.as_ref(),
                &tx,
            ) {
                refused.push((index, e));
            }
        }
        (observer, refused)
    }

    #[test]
    fn a_member_re_running_its_entries_makes_its_receipt_as_the_node_did() {
        let mut w = with_receipt();
        w.run(SME_A, endorse("wr-000001", "bank-b")).unwrap();
        w.run(
            crate::testkit::WH,
            ReceiptsTx::Countersign(refer("wr-000001")),
        )
        .unwrap();
        w.run(BANK_B, encumber("wr-000001", "bank-a")).unwrap();
        let (observer, refused) = observe(&w, "sme-a");
        assert!(refused.is_empty(), "{refused:?}");
        let seen = &observer.state.receipts.receipts[&rid("wr-000001")];
        let node = w.receipt("wr-000001");
        // sme-a is a party up to the transfer: it sees the receipt leave it.
        assert_eq!(seen.holder, node.holder);
        assert_eq!(seen.quantity, node.quantity);
        assert_eq!(seen.status, node.status);
    }

    #[test]
    fn an_entry_whose_history_the_member_did_not_see_is_refused_and_changes_nothing() {
        let mut w = with_receipt();
        w.run(SME_A, endorse("wr-000001", "bank-b")).unwrap();
        w.run(
            crate::testkit::WH,
            ReceiptsTx::Countersign(refer("wr-000001")),
        )
        .unwrap();
        // Pledged to bank-a and lifted again: bank-a may no longer see the
        // receipt's history, only the entries it was a party to.
        w.run(BANK_B, encumber("wr-000001", "bank-a")).unwrap();
        w.run(crate::testkit::BANK_A, ReceiptsTx::Lift(refer("wr-000001")))
            .unwrap();
        let (observer, refused) = observe(&w, "bank-a");
        let codes: Vec<&str> = refused.iter().map(|(_, e)| e.code().as_str()).collect();
        assert_eq!(codes, ["NOT_FOUND", "NOT_FOUND"], "the pledge and its lift");
        assert!(observer.state.receipts.receipts.is_empty());
    }

    #[test]
    fn entries_are_re_run_in_log_order_only() {
        let w = with_receipt();
        let entries = log(&w);
        let mut observer = Observer::default();
        let (index, signer, tx, time, _, who) = &entries[0];
        observer
            .apply(
                *index,
                Timestamp::from_unix_millis(*time),
                &key(*signer).public_key(),
                who.as_ref(),
                tx,
            )
            .unwrap();
        let again = observer.apply(
            *index,
            Timestamp::from_unix_millis(*time),
            &key(*signer).public_key(),
            who.as_ref(),
            tx,
        );
        assert_eq!(again.unwrap_err().code().as_str(), "INVALID_STATE");
    }
}
