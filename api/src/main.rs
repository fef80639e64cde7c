//! The `godown` binary.
fn main() {}
