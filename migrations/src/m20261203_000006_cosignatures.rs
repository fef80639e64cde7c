//! Witness cosignatures the node collected, by checkpoint size and
//! witness, and the size each witness is known to have cosigned last (so
//! that the next request starts from it).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string, text};

use crate::steps::{create, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cosignatures {
    Table,
    Size,
    Witness,
    Line,
}

#[derive(DeriveIden)]
enum WitnessHeads {
    Table,
    Witness,
    Size,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table(Cosignatures::Table)
                .col(big_integer(Cosignatures::Size))
                .col(string(Cosignatures::Witness))
                .col(text(Cosignatures::Line))
                .primary_key(
                    Index::create()
                        .col(Cosignatures::Size)
                        .col(Cosignatures::Witness),
                ),
        )
        .await?;
        create(
            manager,
            Table::create()
                .table(WitnessHeads::Table)
                .col(string(WitnessHeads::Witness).primary_key())
                .col(big_integer(WitnessHeads::Size)),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                WitnessHeads::Table.into_iden(),
                Cosignatures::Table.into_iden(),
            ],
        )
        .await
    }
}
