//! Off-ledger state of sessions and invitations: login challenges, invitation
//! tokens and contact addresses. None of it is part of the signed history,
//! and e-mail addresses are kept here so they never reach the ledger.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, blob, boolean, string};

use crate::steps::{create, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuthChallenges {
    Table,
    Challenge,
    ExpiresMs,
    Used,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    TokenHash,
    UserId,
    Email,
    EntryIdx,
    ExpiresMs,
    UsedMs,
}

#[derive(DeriveIden)]
enum UserContacts {
    Table,
    UserId,
    Email,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table(AuthChallenges::Table)
                .col(string(AuthChallenges::Challenge).primary_key())
                .col(big_integer(AuthChallenges::ExpiresMs))
                .col(boolean(AuthChallenges::Used)),
        )
        .await?;
        create(
            manager,
            Table::create()
                .table(Invitations::Table)
                .col(blob(Invitations::TokenHash).primary_key())
                .col(string(Invitations::UserId))
                .col(string(Invitations::Email))
                .col(big_integer(Invitations::EntryIdx))
                .col(big_integer(Invitations::ExpiresMs))
                .col(ColumnDef::new(Invitations::UsedMs).big_integer().null()),
        )
        .await?;
        create(
            manager,
            Table::create()
                .table(UserContacts::Table)
                .col(string(UserContacts::UserId).primary_key())
                .col(string(UserContacts::Email)),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                UserContacts::Table.into_iden(),
                Invitations::Table.into_iden(),
                AuthChallenges::Table.into_iden(),
            ],
        )
        .await
    }
}
