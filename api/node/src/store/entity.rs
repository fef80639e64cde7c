//! Database rows, one module per table. Rows are mapped to domain and ledger
//! types at the edge of `store`; nothing outside it sees them.

macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

/// The ledger's identity, one row.
pub mod ledger_meta {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "ledger_meta")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub origin: String,
        pub log_vkey: String,
    }
    no_relations!();
}

/// The head of the log, one row: appends lock it.
pub mod log_head {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "log_head")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: i32,
        pub size: i64,
        pub root: Vec<u8>,
    }
    no_relations!();
}

/// Ledger entries: the leaves.
pub mod entries {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "entries")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub idx: i64,
        pub leaf: Vec<u8>,
        pub leaf_hash: Vec<u8>,
        pub tx_type: String,
        pub signer: Vec<u8>,
        pub nonce: String,
        pub time: String,
    }
    no_relations!();
}

/// Which organisations are party to which entry.
pub mod entry_parties {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "entry_parties")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub idx: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub org: String,
    }
    no_relations!();
}

/// Perfect subtrees of the Merkle tree.
pub mod tree_nodes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "tree_nodes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub level: i16,
        #[sea_orm(primary_key, auto_increment = false)]
        pub idx: i64,
        pub hash: Vec<u8>,
    }
    no_relations!();
}

/// Signed checkpoints, one per size the log reached at a commit.
pub mod checkpoints {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "checkpoints")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub size: i64,
        pub root: Vec<u8>,
        pub note: String,
    }
    no_relations!();
}

/// Witness cosignature lines the node collected, by checkpoint size.
pub mod cosignatures {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cosignatures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub size: i64,
        /// The witness's vkey, as the policy names it.
        #[sea_orm(primary_key, auto_increment = false)]
        pub witness: String,
        pub line: String,
    }
    no_relations!();
}

/// The size each witness is known to have cosigned last.
pub mod witness_heads {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "witness_heads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub witness: String,
        pub size: i64,
    }
    no_relations!();
}

/// Notifications to send once their entry has committed.
pub mod outbox {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub entry_idx: i64,
        pub kind: String,
        pub payload: String,
        pub created_ms: i64,
        pub sent_ms: Option<i64>,
        pub attempts: i32,
        pub last_error: Option<String>,
        /// Not to be tried before this time: retries back off.
        pub next_attempt_ms: i64,
        /// A sender has claimed it until this time, so no other sends it.
        pub claimed_until_ms: Option<i64>,
    }
    no_relations!();
}

/// Member organisations, as of the latest entry.
pub mod orgs {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "orgs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub name: String,
        pub kind: String,
        pub status: String,
        pub admitted_at: i64,
    }
    no_relations!();
}

/// Consortium proposals, as of the latest entry: the domain's proposal,
/// votes included, as JSON in `doc`.
pub mod proposals {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "proposals")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub status: String,
        pub opened_at: i64,
        pub doc: String,
    }
    no_relations!();
}

/// Users, as of the latest entry.
pub mod users {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "users")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub org: String,
        pub name: String,
        pub status: String,
        /// Comma-separated, in role order.
        pub roles: String,
        pub created_at: i64,
    }
    no_relations!();
}

/// Member keys, as of the latest entry.
pub mod member_keys {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "member_keys")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: Vec<u8>,
        pub user_id: String,
        pub status: String,
        pub device: Option<String>,
        pub enrolled_at: i64,
        pub activated_at: Option<i64>,
        pub revoked_at: Option<i64>,
    }
    no_relations!();
}

/// Login challenges, each good for one login.
pub mod auth_challenges {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "auth_challenges")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub challenge: String,
        pub expires_ms: i64,
        pub used: bool,
    }
    no_relations!();
}

/// Invitation tokens, kept hashed.
pub mod invitations {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "invitations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: Vec<u8>,
        pub user_id: String,
        pub email: String,
        pub entry_idx: i64,
        pub expires_ms: i64,
        pub used_ms: Option<i64>,
    }
    no_relations!();
}

/// Contact addresses, kept off the ledger.
pub mod user_contacts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_contacts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: String,
        pub email: String,
    }
    no_relations!();
}

/// Lots, as of the latest entry; `detail` holds the whole record as JSON.
pub mod lots {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lots")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub warehouse: String,
        pub depositor: String,
        pub commodity: String,
        pub received_at: i64,
        pub detail: String,
    }
    no_relations!();
}

/// Receipts and drafts, as of the latest entry: the columns queries filter
/// on, and the whole record as JSON in `detail`.
pub mod receipts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "receipts")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub lot: String,
        pub warehouse: String,
        pub number: String,
        pub depositor: String,
        pub holder: String,
        pub status: String,
        pub commodity: String,
        /// When the storage period ends, in Unix milliseconds.
        pub expires_ms: i64,
        pub encumbered_by: Option<String>,
        /// The entry that drafted or made it: the order of listings.
        pub seq: i64,
        pub detail: String,
    }
    no_relations!();
}

/// The organisations that may see each receipt and its whole history.
pub mod receipt_parties {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "receipt_parties")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub receipt: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub org: String,
    }
    no_relations!();
}

/// Which entries concern which receipt.
pub mod receipt_events {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "receipt_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub receipt: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub entry_idx: i64,
    }
    no_relations!();
}

/// Which entries concern which lot.
pub mod lot_events {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lot_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub lot: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub entry_idx: i64,
    }
    no_relations!();
}

/// Supporting documents, kept off the ledger and named by their SHA-256.
pub mod documents {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "documents")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub sha256: String,
        pub content_type: String,
        pub bytes: Vec<u8>,
        pub uploaded_by: String,
        pub org: String,
        pub uploaded_ms: i64,
    }
    no_relations!();
}

/// Loans, as of the latest entry: the columns queries filter on, and the
/// whole record as JSON in `detail`.
pub mod loans {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "loans")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub bank: String,
        pub borrower: String,
        pub status: String,
        pub currency: String,
        /// The entry that applied: the order of listings.
        pub applied_at: i64,
        pub detail: String,
    }
    no_relations!();
}

/// The organisations that may see each loan and its whole history.
pub mod loan_parties {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "loan_parties")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub loan: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub org: String,
    }
    no_relations!();
}

/// Which entries concern which loan.
pub mod loan_events {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "loan_events")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub loan: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub entry_idx: i64,
    }
    no_relations!();
}

/// The latest price per commodity and grade (`""` for any grade).
pub mod prices {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "prices")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub hs_code: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub grade: String,
        pub detail: String,
    }
    no_relations!();
}

/// Every price published, by the entry that published it.
pub mod price_history {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "price_history")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub entry_idx: i64,
        pub hs_code: String,
        pub grade: String,
        pub detail: String,
    }
    no_relations!();
}

/// Organisations other than banks designated to publish prices.
pub mod price_sources {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "price_sources")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub org: String,
    }
    no_relations!();
}

/// The reminders of time queued for each loan (maturity near, overdue), so
/// each is queued once.
pub mod loan_reminders {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "loan_reminders")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub loan: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub event: String,
        pub sent_ms: i64,
    }
    no_relations!();
}
