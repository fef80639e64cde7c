//! Signing as a demo user: every demo step is a transaction signed with the
//! user's own (public, derived) demo key and sequenced like anyone's.

use godown_domain::{Name, Text, Tx};
use godown_ledger::{PrivateKey, Transaction};
use godown_node::node::Node;
use sha2::{Digest as _, Sha256};

/// A demo user's key: derived from the user id, public by design.
pub fn demo_key(user: &str) -> PrivateKey {
    let seed: [u8; 32] = Sha256::digest(format!("godown-demo-key/v1\n{user}").as_bytes()).into();
    PrivateKey::from_seed(&seed)
}

pub(super) fn parse<T>(result: Result<T, godown_domain::ContractError>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("the demo plan is malformed: {e}"))
}

/// Signs `tx` with `signer`'s demo key and waits for it to land.
pub(super) async fn submit_as(
    node: &Node,
    signer: &str,
    tx: impl Into<Tx>,
    nonce: &mut u32,
) -> anyhow::Result<()> {
    submit_with(node, signer, tx, nonce, vec![]).await
}

/// Like [`submit_as`], with side effects off the ledger (an invitation's
/// address).
pub(super) async fn submit_with(
    node: &Node,
    signer: &str,
    tx: impl Into<Tx>,
    nonce: &mut u32,
    side_effects: Vec<godown_node::node::SideEffect>,
) -> anyhow::Result<()> {
    let tx: Tx = tx.into();
    *nonce += 1;
    let signer_key = demo_key(signer);
    let transaction = Transaction::new(
        node.origin(),
        tx.tx_type(),
        &format!("demo-{nonce}"),
        tx.body(),
    )
    .map_err(|e| anyhow::anyhow!("a demo transaction is malformed: {e}"))?;
    let signature = signer_key.sign(&transaction.signing_bytes());
    node.submit(
        transaction,
        signature,
        signer_key.public_key(),
        side_effects,
    )
    .await
    .map_err(|e| {
        anyhow::anyhow!(
            "seeding the demo failed at {} by {signer}: {e}",
            tx.tx_type()
        )
    })?;
    Ok(())
}

/// The demo's receipt terms: stored from 2026-11-01 until `until` at `fee`
/// per tonne per day, insured with PICC for `insured` if given, issued at
/// `place`.
pub(super) fn receipt_terms(
    until: &str,
    fee: &str,
    insured: Option<&str>,
    place: &str,
) -> anyhow::Result<godown_domain::receipts::body::Terms> {
    use godown_domain::receipts::body::{Insurance, Terms};
    use godown_domain::{Currency, Date, Fraction, Money};
    Ok(Terms {
        loss_allowance: parse(Fraction::parse("0.002"))?,
        storage_from: parse(Date::parse("2026-11-01"))?,
        storage_until: parse(Date::parse(until))?,
        storage_fee: parse(Money::parse(Currency::Cny, fee))?,
        fee_basis: parse(Text::parse("每吨每天 per tonne per day"))?,
        insurance: insured
            .map(|amount| -> anyhow::Result<Insurance> {
                Ok(Insurance {
                    insurer: parse(Name::parse("中国人民财产保险 PICC P&C"))?,
                    amount: parse(Money::parse(Currency::Cny, amount))?,
                    from: parse(Date::parse("2026-11-01"))?,
                    until: parse(Date::parse("2027-10-31"))?,
                })
            })
            .transpose()?,
        issue_place: parse(Text::parse(place))?,
    })
}
