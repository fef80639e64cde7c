//! The committed SDL is the contract with the dashboard and bank systems.

/// Fails when the schema in code and `api/schema.graphql` differ. Run the
/// tests with `UPDATE_SCHEMA=1` to rewrite the file after a deliberate change.
#[test]
fn the_committed_schema_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let sdl = godown_web::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &sdl).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == sdl,
        "api/schema.graphql differs from the schema in code; run `UPDATE_SCHEMA=1 cargo test --test integration schema` and review the diff"
    );
}

/// The contracts' limits the dashboard checks before anything is signed,
/// as the node has them. Fails when `api/limits.json` and the code differ;
/// `UPDATE_SCHEMA=1` rewrites it with the schema.
#[test]
fn the_committed_limits_match_the_contracts() {
    use godown_domain::financing::{
        INDICATIVE_HAIRCUT, INDICATIVE_MAX_LTV, MAX_COLLATERAL, MAX_CURE_DAYS, MAX_GRACE_DAYS,
        MAX_TENOR_DAYS,
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("limits.json");
    let limits = serde_json::json!({
        "maxTenorDays": MAX_TENOR_DAYS,
        "maxGraceDays": MAX_GRACE_DAYS,
        "maxCureDays": MAX_CURE_DAYS,
        "maxCollateral": MAX_COLLATERAL,
        "maxParts": godown_domain::receipts::MAX_PARTS,
        "maxPage": godown_node::reads::MAX_PAGE,
        "indicativeHaircut": INDICATIVE_HAIRCUT,
        "indicativeMaxLtv": INDICATIVE_MAX_LTV,
        "maxProposalDays": godown_domain::membership::governance::MAX_DAYS,
        "maxProposalDocuments": godown_domain::membership::governance::MAX_DOCUMENTS,
        "maxPolicyBytes": godown_domain::membership::governance::MAX_POLICY_BYTES,
    });
    let text = format!("{}\n", serde_json::to_string_pretty(&limits).unwrap());
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert!(
        committed == text,
        "api/limits.json differs from the contracts' limits; run `UPDATE_SCHEMA=1 cargo test --test integration schema` and review the diff"
    );
}
