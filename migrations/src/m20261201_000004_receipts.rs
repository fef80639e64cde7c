//! Projections of the receipts contract (lots, receipts, who may see each
//! receipt, which entries concern it), supporting documents kept off the
//! ledger, and the outbox's retry schedule and claims.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, blob, string, string_null, text};

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

#[derive(DeriveIden)]
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

#[derive(DeriveIden)]
enum ReceiptParties {
    Table,
    Receipt,
    Org,
}

#[derive(DeriveIden)]
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
    #[expect(
        clippy::too_many_lines,
        reason = "one statement per table, read top to bottom"
    )]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Lots::Table)
                    .col(string(Lots::Id).primary_key())
                    .col(string(Lots::Warehouse))
                    .col(string(Lots::Depositor))
                    .col(string(Lots::Commodity))
                    .col(big_integer(Lots::ReceivedAt))
                    .col(text(Lots::Detail))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
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
                    .col(text(Receipts::Detail))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("receipts_lot", Receipts::Lot),
            ("receipts_holder", Receipts::Holder),
            ("receipts_warehouse", Receipts::Warehouse),
            ("receipts_seq", Receipts::Seq),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Receipts::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ReceiptParties::Table)
                    .col(string(ReceiptParties::Receipt))
                    .col(string(ReceiptParties::Org))
                    .primary_key(
                        Index::create()
                            .col(ReceiptParties::Receipt)
                            .col(ReceiptParties::Org),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("receipt_parties_org")
                    .table(ReceiptParties::Table)
                    .col(ReceiptParties::Org)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReceiptEvents::Table)
                    .col(string(ReceiptEvents::Receipt))
                    .col(big_integer(ReceiptEvents::EntryIdx))
                    .primary_key(
                        Index::create()
                            .col(ReceiptEvents::Receipt)
                            .col(ReceiptEvents::EntryIdx),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Documents::Table)
                    .col(string(Documents::Sha256).primary_key())
                    .col(string(Documents::ContentType))
                    .col(blob(Documents::Bytes))
                    .col(string(Documents::UploadedBy))
                    .col(string(Documents::Org))
                    .col(big_integer(Documents::UploadedMs))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(big_integer(Outbox::NextAttemptMs).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Outbox::Table)
                    .add_column(ColumnDef::new(Outbox::ClaimedUntilMs).big_integer().null())
                    .to_owned(),
            )
            .await
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
        for table in [
            Documents::Table.into_iden(),
            ReceiptEvents::Table.into_iden(),
            ReceiptParties::Table.into_iden(),
            Receipts::Table.into_iden(),
            Lots::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
