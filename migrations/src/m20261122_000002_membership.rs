//! Projections of the membership contract: organisations, users and keys as
//! of the latest entry. `godown verify` replays the log and compares them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, blob, string, text_null};

use crate::steps::{create, drop_tables, indexes};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orgs {
    Table,
    Id,
    Name,
    Kind,
    Status,
    AdmittedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    Id,
    Org,
    Name,
    Status,
    Roles,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MemberKeys {
    Table,
    Key,
    UserId,
    Status,
    Device,
    EnrolledAt,
    ActivatedAt,
    RevokedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table(Orgs::Table)
                .col(string(Orgs::Id).primary_key())
                .col(string(Orgs::Name))
                .col(string(Orgs::Kind))
                .col(string(Orgs::Status))
                .col(big_integer(Orgs::AdmittedAt)),
        )
        .await?;
        create(
            manager,
            Table::create()
                .table(Users::Table)
                .col(string(Users::Id).primary_key())
                .col(string(Users::Org))
                .col(string(Users::Name))
                .col(string(Users::Status))
                .col(string(Users::Roles))
                .col(big_integer(Users::CreatedAt)),
        )
        .await?;
        indexes(manager, Users::Table, &[("users_org", &[Users::Org])]).await?;
        create(
            manager,
            Table::create()
                .table(MemberKeys::Table)
                .col(blob(MemberKeys::Key).primary_key())
                .col(string(MemberKeys::UserId))
                .col(string(MemberKeys::Status))
                .col(text_null(MemberKeys::Device))
                .col(big_integer(MemberKeys::EnrolledAt))
                .col(ColumnDef::new(MemberKeys::ActivatedAt).big_integer().null())
                .col(ColumnDef::new(MemberKeys::RevokedAt).big_integer().null()),
        )
        .await?;
        indexes(
            manager,
            MemberKeys::Table,
            &[("member_keys_user", &[MemberKeys::UserId])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                MemberKeys::Table.into_iden(),
                Users::Table.into_iden(),
                Orgs::Table.into_iden(),
            ],
        )
        .await
    }
}
