//! Consortium proposals and their votes, as of the latest entry: one row
//! per proposal, its votes carried in the row's document, since a proposal
//! is read whole and members vote on few of them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string, text};

use crate::steps::{create, drop_tables, indexes};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Proposals {
    Table,
    Id,
    Status,
    OpenedAt,
    Doc,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table(Proposals::Table)
                .col(string(Proposals::Id).primary_key())
                .col(string(Proposals::Status))
                .col(big_integer(Proposals::OpenedAt))
                .col(text(Proposals::Doc)),
        )
        .await?;
        indexes(
            manager,
            Proposals::Table,
            &[("proposals_by_opened_at", &[Proposals::OpenedAt])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, [Proposals::Table.into_iden()]).await
    }
}
