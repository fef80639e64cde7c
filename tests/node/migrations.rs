//! Migrations go up, down and up again on both databases.

use godown_migrations::{Migrator, MigratorTrait as _};
use godown_node::store::Database;
use sea_orm::{ConnectionTrait as _, Statement};

use crate::support::Backend;
use crate::support::postgres::TestDb;

async fn tables(db: &Database) -> Vec<String> {
    let conn = db.conn();
    let sql = match db.backend() {
        sea_orm::DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1",
    };
    conn.query_all_raw(Statement::from_string(db.backend(), sql))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "name").unwrap())
        .filter(|name| name != "seaql_migrations" && !name.starts_with("sqlite_"))
        .collect()
}

async fn up_down_up(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let pg = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => match TestDb::create().await {
            Some(db) => Some(db),
            None => return,
        },
    };
    let db = match &pg {
        Some(pg) => Database::open_postgres(&pg.url).await.unwrap(),
        None => Database::open_sqlite(&dir.path().join("m.db"))
            .await
            .unwrap(),
    };
    db.migrate().await.unwrap();
    let all = tables(&db).await;
    for table in [
        "entries",
        "tree_nodes",
        "log_head",
        "checkpoints",
        "outbox",
        "orgs",
        "users",
        "member_keys",
        "invitations",
    ] {
        assert!(
            all.iter().any(|t| t == table),
            "{table} missing after up: {all:?}"
        );
    }
    Migrator::down(db.conn(), None).await.unwrap();
    assert_eq!(
        tables(&db).await,
        Vec::<String>::new(),
        "down leaves tables behind"
    );
    Migrator::up(db.conn(), None).await.unwrap();
    assert_eq!(tables(&db).await, all);
    if let Some(pg) = &pg {
        pg.drop_now().await;
    }
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again_on_sqlite() {
    up_down_up(Backend::Sqlite).await;
}

#[tokio::test]
async fn migrations_go_up_down_and_up_again_on_postgres() {
    up_down_up(Backend::Postgres).await;
}
