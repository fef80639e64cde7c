//! Projections of the financing contract: loans, who may see each loan,
//! which entries concern it, the latest prices, every price published, and
//! the organisations designated to publish prices; and which reminders of
//! time (maturity near, overdue) were queued for each loan.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string, text};

use crate::steps::{create, drop_tables, events, indexes, parties};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Loans {
    Table,
    Id,
    Bank,
    Borrower,
    Status,
    Currency,
    AppliedAt,
    Detail,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoanParties {
    Table,
    Loan,
    Org,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoanEvents {
    Table,
    Loan,
    EntryIdx,
}

#[derive(DeriveIden)]
enum Prices {
    Table,
    HsCode,
    Grade,
    Detail,
}

#[derive(DeriveIden, Clone, Copy)]
enum PriceHistory {
    Table,
    EntryIdx,
    HsCode,
    Grade,
    Detail,
}

#[derive(DeriveIden)]
enum LoanReminders {
    Table,
    Loan,
    Event,
    SentMs,
}

#[derive(DeriveIden)]
enum PriceSources {
    Table,
    Org,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create(
            manager,
            Table::create()
                .table(Loans::Table)
                .col(string(Loans::Id).primary_key())
                .col(string(Loans::Bank))
                .col(string(Loans::Borrower))
                .col(string(Loans::Status))
                .col(string(Loans::Currency))
                .col(big_integer(Loans::AppliedAt))
                .col(text(Loans::Detail)),
        )
        .await?;
        indexes(
            manager,
            Loans::Table,
            &[
                ("loans_bank", &[Loans::Bank]),
                ("loans_borrower", &[Loans::Borrower]),
                ("loans_status", &[Loans::Status]),
                ("loans_applied_at", &[Loans::AppliedAt]),
            ],
        )
        .await?;
        parties(
            manager,
            LoanParties::Table,
            LoanParties::Loan,
            LoanParties::Org,
            "loan_parties_org",
        )
        .await?;
        events(
            manager,
            LoanEvents::Table,
            LoanEvents::Loan,
            LoanEvents::EntryIdx,
        )
        .await?;
        create_prices(manager).await?;
        create(
            manager,
            Table::create()
                .table(LoanReminders::Table)
                .col(string(LoanReminders::Loan))
                .col(string(LoanReminders::Event))
                .col(big_integer(LoanReminders::SentMs))
                .primary_key(
                    Index::create()
                        .col(LoanReminders::Loan)
                        .col(LoanReminders::Event),
                ),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            [
                LoanReminders::Table.into_iden(),
                PriceSources::Table.into_iden(),
                PriceHistory::Table.into_iden(),
                Prices::Table.into_iden(),
                LoanEvents::Table.into_iden(),
                LoanParties::Table.into_iden(),
                Loans::Table.into_iden(),
            ],
        )
        .await
    }
}

/// The latest price per commodity and grade, every price published, and
/// who may publish.
async fn create_prices(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    create(
        manager,
        Table::create()
            .table(Prices::Table)
            .col(string(Prices::HsCode))
            .col(string(Prices::Grade))
            .col(text(Prices::Detail))
            .primary_key(Index::create().col(Prices::HsCode).col(Prices::Grade)),
    )
    .await?;
    create(
        manager,
        Table::create()
            .table(PriceHistory::Table)
            .col(big_integer(PriceHistory::EntryIdx).primary_key())
            .col(string(PriceHistory::HsCode))
            .col(string(PriceHistory::Grade))
            .col(text(PriceHistory::Detail)),
    )
    .await?;
    indexes(
        manager,
        PriceHistory::Table,
        &[(
            "price_history_commodity",
            &[PriceHistory::HsCode, PriceHistory::Grade],
        )],
    )
    .await?;
    create(
        manager,
        Table::create()
            .table(PriceSources::Table)
            .col(string(PriceSources::Org).primary_key()),
    )
    .await
}
