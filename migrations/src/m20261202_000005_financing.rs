//! Projections of the financing contract: loans, who may see each loan,
//! which entries concern it, the latest prices, every price published, and
//! the organisations designated to publish prices; and which reminders of
//! time (maturity near, overdue) were queued for each loan.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string, text};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
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

#[derive(DeriveIden)]
enum LoanParties {
    Table,
    Loan,
    Org,
}

#[derive(DeriveIden)]
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

#[derive(DeriveIden)]
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
    #[expect(
        clippy::too_many_lines,
        reason = "one statement per table, read top to bottom"
    )]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Loans::Table)
                    .col(string(Loans::Id).primary_key())
                    .col(string(Loans::Bank))
                    .col(string(Loans::Borrower))
                    .col(string(Loans::Status))
                    .col(string(Loans::Currency))
                    .col(big_integer(Loans::AppliedAt))
                    .col(text(Loans::Detail))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("loans_bank", Loans::Bank),
            ("loans_borrower", Loans::Borrower),
            ("loans_status", Loans::Status),
            ("loans_applied_at", Loans::AppliedAt),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Loans::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(LoanParties::Table)
                    .col(string(LoanParties::Loan))
                    .col(string(LoanParties::Org))
                    .primary_key(Index::create().col(LoanParties::Loan).col(LoanParties::Org))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("loan_parties_org")
                    .table(LoanParties::Table)
                    .col(LoanParties::Org)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoanEvents::Table)
                    .col(string(LoanEvents::Loan))
                    .col(big_integer(LoanEvents::EntryIdx))
                    .primary_key(
                        Index::create()
                            .col(LoanEvents::Loan)
                            .col(LoanEvents::EntryIdx),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Prices::Table)
                    .col(string(Prices::HsCode))
                    .col(string(Prices::Grade))
                    .col(text(Prices::Detail))
                    .primary_key(Index::create().col(Prices::HsCode).col(Prices::Grade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PriceHistory::Table)
                    .col(big_integer(PriceHistory::EntryIdx).primary_key())
                    .col(string(PriceHistory::HsCode))
                    .col(string(PriceHistory::Grade))
                    .col(text(PriceHistory::Detail))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("price_history_commodity")
                    .table(PriceHistory::Table)
                    .col(PriceHistory::HsCode)
                    .col(PriceHistory::Grade)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PriceSources::Table)
                    .col(string(PriceSources::Org).primary_key())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoanReminders::Table)
                    .col(string(LoanReminders::Loan))
                    .col(string(LoanReminders::Event))
                    .col(big_integer(LoanReminders::SentMs))
                    .primary_key(
                        Index::create()
                            .col(LoanReminders::Loan)
                            .col(LoanReminders::Event),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LoanReminders::Table.into_iden(),
            PriceSources::Table.into_iden(),
            PriceHistory::Table.into_iden(),
            Prices::Table.into_iden(),
            LoanEvents::Table.into_iden(),
            LoanParties::Table.into_iden(),
            Loans::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
