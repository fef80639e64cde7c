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
