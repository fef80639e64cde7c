//! The Godown node's schema, for SQLite and PostgreSQL alike.
//!
//! Each migration has a working `down`, tested up → down → up on both.

mod m20261122_000001_ledger;
mod m20261122_000002_membership;
mod m20261122_000003_sessions;
mod m20261201_000004_receipts;
mod m20261202_000005_financing;
mod m20261203_000006_cosignatures;
mod m20261204_000007_proposals;
mod m20261207_000008_lot_events;
mod steps;

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

/// Runs the migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_ledger::Migration),
            Box::new(m20261122_000002_membership::Migration),
            Box::new(m20261122_000003_sessions::Migration),
            Box::new(m20261201_000004_receipts::Migration),
            Box::new(m20261202_000005_financing::Migration),
            Box::new(m20261203_000006_cosignatures::Migration),
            Box::new(m20261204_000007_proposals::Migration),
            Box::new(m20261207_000008_lot_events::Migration),
        ]
    }
}
