//! The statements the migrations share, said once: create a table, index
//! it, link a record to the organisations that may see it and to the
//! entries that concern it, and drop tables on the way down.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string};

/// Creates one table.
pub(crate) async fn create(
    manager: &SchemaManager<'_>,
    table: &mut TableCreateStatement,
) -> Result<(), DbErr> {
    manager.create_table(table.to_owned()).await
}

/// Creates each named index on `table`, over its columns in order.
pub(crate) async fn indexes<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    each: &[(&str, &[T])],
) -> Result<(), DbErr> {
    for (name, columns) in each {
        let mut index = Index::create();
        index.name(*name).table(table);
        for column in *columns {
            index.col(*column);
        }
        manager.create_index(index).await?;
    }
    Ok(())
}

/// A link table of two columns, keyed by both.
async fn link<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    (a, a_column): (T, ColumnDef),
    (b, b_column): (T, ColumnDef),
) -> Result<(), DbErr> {
    create(
        manager,
        Table::create()
            .table(table)
            .col(a_column)
            .col(b_column)
            .primary_key(Index::create().col(a).col(b)),
    )
    .await
}

/// Which organisations may see each record of a kind: one row per
/// (record, organisation), read by organisation for "what may this member
/// see".
pub(crate) async fn parties<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    record: T,
    org: T,
    by_org: &str,
) -> Result<(), DbErr> {
    link(manager, table, (record, string(record)), (org, string(org))).await?;
    indexes(manager, table, &[(by_org, &[org])]).await
}

/// Which entries concern each record of a kind: one row per (record, entry
/// index), so that a record's history is read without scanning the log.
pub(crate) async fn events<T: IntoIden + Copy + 'static>(
    manager: &SchemaManager<'_>,
    table: T,
    record: T,
    entry: T,
) -> Result<(), DbErr> {
    link(
        manager,
        table,
        (record, string(record)),
        (entry, big_integer(entry)),
    )
    .await
}

/// Drops the tables in the order given: dependants first.
pub(crate) async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(table).to_owned())
            .await?;
    }
    Ok(())
}
