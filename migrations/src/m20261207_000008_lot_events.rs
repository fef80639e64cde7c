//! Which entries concern each lot, so that those who may see a lot see its
//! signed history without scanning the log. A ledger written before this
//! table existed has its lots' histories filled by the node from its
//! replay when it next starts.

use sea_orm_migration::prelude::*;

use crate::steps::{drop_tables, events};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum LotEvents {
    Table,
    Lot,
    EntryIdx,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        events(
            manager,
            LotEvents::Table,
            LotEvents::Lot,
            LotEvents::EntryIdx,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [LotEvents::Table.into_iden()]).await
    }
}
