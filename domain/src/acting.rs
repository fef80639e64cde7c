//! Who acts for whom: the one place that says which signer may act for an
//! organisation (an admin, officer or approver, never a viewer), act as an
//! organisation of a kind, hold a role, or name a counterparty. Every
//! contract asks here.

use crate::error::ContractError;
use crate::ids::{OrgId, OrgKind, Role};
use crate::membership::{Membership, Org, OrgStatus, Signer};

/// The roles that act for an organisation in business: not a viewer.
const ACTING: [Role; 3] = [Role::Admin, Role::Officer, Role::Approver];

pub(crate) fn acts_for(
    signer: &Signer<'_>,
    org: &OrgId,
    action: &str,
) -> Result<(), ContractError> {
    if ACTING.iter().any(|r| signer.holds(*r, org)) {
        Ok(())
    } else if signer.user.org == *org {
        Err(ContractError::Forbidden(format!(
            "{action} needs an officer, approver or admin of {org}; {} only views",
            signer.user.id
        )))
    } else {
        Err(ContractError::Forbidden(format!(
            "{action} is for {org}; {} belongs to {}",
            signer.user.id, signer.user.org
        )))
    }
}

/// Who may hold a receipt (and deposit goods): SMEs and banks.
pub(crate) const HOLDER_KINDS: &[OrgKind] = &[OrgKind::Sme, OrgKind::Bank];

/// Requires the signer to act for its own organisation, which must be of
/// `kind`; returns that organisation.
pub(crate) fn acting_as(
    signer: &Signer<'_>,
    kind: OrgKind,
    action: &str,
) -> Result<OrgId, ContractError> {
    let org = signer.user.org.clone();
    if signer.org.kind != kind {
        return Err(ContractError::Forbidden(format!(
            "{action} is for a {kind}; {org} is a {}",
            signer.org.kind
        )));
    }
    acts_for(signer, &org, action)?;
    Ok(org)
}

/// The organisation a transaction names as a counterparty: a member of one
/// of `kinds`, not suspended.
pub(crate) fn counterparty<'a>(
    members: &'a Membership,
    id: &OrgId,
    kinds: &[OrgKind],
    what: &str,
) -> Result<&'a Org, ContractError> {
    let org = members.org(id)?;
    if !kinds.contains(&org.kind) {
        let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        return Err(ContractError::BadRequest(format!(
            "{what} must be a {}; {id} is a {}",
            names.join(" or "),
            org.kind
        )));
    }
    if org.status == OrgStatus::Suspended {
        return Err(ContractError::OrgSuspended(id.to_string()));
    }
    Ok(org)
}
