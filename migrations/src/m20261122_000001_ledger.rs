//! The log itself: entries, tree nodes, the head, checkpoints, and the outbox
//! that carries notifications out after an append commits.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, blob, integer, small_integer, string, text, text_null,
};

use crate::steps::{create, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LedgerMeta {
    Table,
    Id,
    Origin,
    LogVkey,
}

#[derive(DeriveIden)]
enum LogHead {
    Table,
    Id,
    Size,
    Root,
}

#[derive(DeriveIden)]
enum Entries {
    Table,
    Idx,
    Leaf,
    LeafHash,
    TxType,
    Signer,
    Nonce,
    Time,
}

#[derive(DeriveIden)]
enum EntryParties {
    Table,
    Idx,
    Org,
}

#[derive(DeriveIden)]
enum TreeNodes {
    Table,
    Level,
    Idx,
    Hash,
}

#[derive(DeriveIden)]
enum Checkpoints {
    Table,
    Size,
    Root,
    Note,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    EntryIdx,
    Kind,
    Payload,
    CreatedMs,
    SentMs,
    Attempts,
    LastError,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_head(manager).await?;
        create_entries(manager).await?;
        create_tree_and_outbox(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                Outbox::Table.into_iden(),
                Checkpoints::Table.into_iden(),
                TreeNodes::Table.into_iden(),
                EntryParties::Table.into_iden(),
                Entries::Table.into_iden(),
                LogHead::Table.into_iden(),
                LedgerMeta::Table.into_iden(),
            ],
        )
        .await
    }
}

async fn create_head(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        manager,
        Table::create()
            .table(LedgerMeta::Table)
            .col(integer(LedgerMeta::Id).primary_key())
            .col(string(LedgerMeta::Origin))
            .col(string(LedgerMeta::LogVkey)),
    )
    .await?;
    create(
        manager,
        Table::create()
            .table(LogHead::Table)
            .col(integer(LogHead::Id).primary_key())
            .col(big_integer(LogHead::Size))
            .col(blob(LogHead::Root)),
    )
    .await
}

async fn create_entries(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        manager,
        Table::create()
            .table(Entries::Table)
            .col(big_integer(Entries::Idx).primary_key())
            .col(blob(Entries::Leaf))
            .col(blob(Entries::LeafHash))
            .col(string(Entries::TxType))
            .col(blob(Entries::Signer))
            .col(string(Entries::Nonce))
            .col(string(Entries::Time)),
    )
    .await?;
    // A key never reuses a nonce: the database enforces it too.
    manager
        .create_index(
            Index::create()
                .name("entries_signer_nonce")
                .table(Entries::Table)
                .col(Entries::Signer)
                .col(Entries::Nonce)
                .unique()
                .to_owned(),
        )
        .await?;
    create(
        manager,
        Table::create()
            .table(EntryParties::Table)
            .col(big_integer(EntryParties::Idx))
            .col(string(EntryParties::Org))
            .primary_key(
                Index::create()
                    .col(EntryParties::Idx)
                    .col(EntryParties::Org),
            ),
    )
    .await?;
    manager
        .create_index(
            Index::create()
                .name("entry_parties_org")
                .table(EntryParties::Table)
                .col(EntryParties::Org)
                .col(EntryParties::Idx)
                .to_owned(),
        )
        .await
}

async fn create_tree_and_outbox(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        manager,
        Table::create()
            .table(TreeNodes::Table)
            .col(small_integer(TreeNodes::Level))
            .col(big_integer(TreeNodes::Idx))
            .col(blob(TreeNodes::Hash))
            .primary_key(Index::create().col(TreeNodes::Level).col(TreeNodes::Idx)),
    )
    .await?;
    create(
        manager,
        Table::create()
            .table(Checkpoints::Table)
            .col(big_integer(Checkpoints::Size).primary_key())
            .col(blob(Checkpoints::Root))
            .col(text(Checkpoints::Note)),
    )
    .await?;
    create(
        manager,
        Table::create()
            .table(Outbox::Table)
            .col(
                ColumnDef::new(Outbox::Id)
                    .big_integer()
                    .not_null()
                    .auto_increment()
                    .primary_key(),
            )
            .col(big_integer(Outbox::EntryIdx))
            .col(string(Outbox::Kind))
            .col(text(Outbox::Payload))
            .col(big_integer(Outbox::CreatedMs))
            .col(ColumnDef::new(Outbox::SentMs).big_integer().null())
            .col(integer(Outbox::Attempts).default(0))
            .col(text_null(Outbox::LastError)),
    )
    .await
}
