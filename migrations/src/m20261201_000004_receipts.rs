//! Projections of the receipts contract (lots, receipts, who may see each
//! receipt, which entries concern it), supporting documents kept off the
//! ledger, and the outbox's retry schedule and claims.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, blob, string, string_null, text};

use crate::steps::{create, drop_tables, events, indexes, parties};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Lots {
    Table,
    Id,
    Warehouse,
    Depositor,
    Commodity,
    ReceivedAt,
    Detail,
}

#[derive(DeriveIden, Clone, Copy)]
enum Receipts {
    Table,
    Id,
    Lot,
    Warehouse,
    Number,
    Depositor,
    Holder,
    Status,
    Commodity,
    ExpiresMs,
    EncumberedBy,
    Seq,
    Detail,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReceiptParties {
    Table,
    Receipt,
    Org,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReceiptEvents {
    Table,
    Receipt,
    EntryIdx,
}

#[derive(DeriveIden)]
enum Documents {
    Table,
    Sha256,
    ContentType,
    Bytes,
    UploadedBy,
    Org,
    UploadedMs,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    NextAttemptMs,
    ClaimedUntilMs,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table(Lots::Table)
                .col(string(Lots::Id).primary_key())
                .col(string(Lots::Warehouse))
                .col(string(Lots::Depositor))
                .col(string(Lots::Commodity))
                .col(big_integer(Lots::ReceivedAt))
                .col(text(Lots::Detail)),
        )
        .await?;
        create(
            manager,
            Table::create()
                .table(Receipts::Table)
                .col(string(Receipts::Id).primary_key())
                .col(string(Receipts::Lot))
                .col(string(Receipts::Warehouse))
                .col(string(Receipts::Number))
                .col(string(Receipts::Depositor))
                .col(string(Receipts::Holder))
                .col(string(Receipts::Status))
                .col(string(Receipts::Commodity))
                .col(big_integer(Receipts::ExpiresMs))
                .col(string_null(Receipts::EncumberedBy))
                .col(big_integer(Receipts::Seq))
                .col(text(Receipts::Detail)),
        )
        .await?;
        indexes(
            manager,
            Receipts::Table,
            &[
                ("receipts_lot", &[Receipts::Lot]),
                ("receipts_holder", &[Receipts::Holder]),
                ("receipts_warehouse", &[Receipts::Warehouse]),
                ("receipts_seq", &[Receipts::Seq]),
            ],
        )
        .await?;
        parties(
            manager,
            ReceiptParties::Table,
            ReceiptParties::Receipt,
            ReceiptParties::Org,
            "receipt_parties_org",
        )
        .await?;
        events(
            manager,
            ReceiptEvents::Table,
            ReceiptEvents::Receipt,
            ReceiptEvents::EntryIdx,
        )
        .await?;
        create(
            manager,
            Table::create()
                .table(Documents::Table)
                .col(string(Documents::Sha256).primary_key())
                .col(string(Documents::ContentType))
                .col(blob(Documents::Bytes))
                .col(string(Documents::UploadedBy))
                .col(string(Documents::Org))
                .col(big_integer(Documents::UploadedMs)),
        )
        .await?;
        // SQLite adds one column per statement.
        for column in [
            big_integer(Outbox::NextAttemptMs).default(0).to_owned(),
            ColumnDef::new(Outbox::ClaimedUntilMs)
                .big_integer()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Outbox::ClaimedUntilMs, Outbox::NextAttemptMs] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Outbox::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        drop_tables(
            manager,
            [
                Documents::Table.into_iden(),
                ReceiptEvents::Table.into_iden(),
                ReceiptParties::Table.into_iden(),
                Receipts::Table.into_iden(),
                Lots::Table.into_iden(),
            ],
        )
        .await
    }
}
