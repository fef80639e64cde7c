//! The demo consortium: two banks, two warehouses, three SMEs, an
//! inspector and a regulator, each with users whose keys are enrolled
//! through the ledger like anyone's.
//!
//! Demo keys are derived from the users' ids and published by the demo node
//! so that the dashboard can offer one-click demo logins. They are public by
//! design, which is why only `godown demo` serves them, and why the
//! dashboard labels every demo login as such.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use godown_domain::membership::body::{AdminSpec, ApproveKey, EnrolKey, InviteUser, OrgSpec};
use godown_domain::{MemberKey, MembershipTx, Name, OrgId, OrgKind, Role, Text, UserId};
use godown_ledger::{PrivateKey, Transaction};
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::error::ApiError;
use crate::http::AppState;
use crate::node::Node;
use crate::node::genesis::{GenesisFile, OperatorFile};

/// The demo ledger's origin.
pub const DEMO_ORIGIN: &str = "demo.godown.local/ledger";

/// A demo user, with the demo key the dashboard signs in with.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoUser {
    /// The user id.
    pub user: String,
    /// Their name.
    pub name: String,
    /// Their organisation's id.
    pub org: String,
    /// Their organisation's name.
    pub org_name: String,
    /// What their organisation is.
    pub org_kind: String,
    /// Their roles.
    pub roles: Vec<String>,
    /// Standard base64 of the PKCS#8 DER of their public demo key.
    pub pkcs8: String,
}

/// Every demo user.
#[derive(Debug, Clone, Default)]
pub struct DemoDirectory {
    /// The users, organisation by organisation.
    pub users: Vec<DemoUser>,
}

struct OrgPlan {
    id: &'static str,
    name: &'static str,
    kind: OrgKind,
    /// The admin first, then the others with their roles.
    users: &'static [(&'static str, &'static str, &'static [Role])],
}

const ADMIN: &[Role] = &[Role::Admin];
const OFFICER: &[Role] = &[Role::Officer];
const APPROVER: &[Role] = &[Role::Approver];
const VIEWER: &[Role] = &[Role::Viewer];

const PLAN: &[OrgPlan] = &[
    OrgPlan {
        id: "operator",
        name: "仓单通运营中心 Godown Operations",
        kind: OrgKind::Operator,
        users: &[("operator.admin", "周敏 Zhou Min", ADMIN)],
    },
    OrgPlan {
        id: "bank-jade",
        name: "玉河银行 Jade River Bank",
        kind: OrgKind::Bank,
        users: &[
            ("bank-jade.admin", "王磊 Wang Lei", ADMIN),
            ("bank-jade.officer", "李娜 Li Na", OFFICER),
            ("bank-jade.approver", "陈刚 Chen Gang", APPROVER),
        ],
    },
    OrgPlan {
        id: "bank-east",
        name: "东岸商业银行 East Shore Commercial Bank",
        kind: OrgKind::Bank,
        users: &[
            ("bank-east.admin", "赵静 Zhao Jing", ADMIN),
            ("bank-east.officer", "孙浩 Sun Hao", OFFICER),
            ("bank-east.approver", "马丽 Ma Li", APPROVER),
        ],
    },
    OrgPlan {
        id: "wh-qingdao",
        name: "青港仓储 Qinggang Warehousing",
        kind: OrgKind::Warehouse,
        users: &[
            ("wh-qingdao.admin", "刘洋 Liu Yang", ADMIN),
            ("wh-qingdao.officer", "黄伟 Huang Wei", OFFICER),
            ("wh-qingdao.approver", "吴芳 Wu Fang", APPROVER),
        ],
    },
    OrgPlan {
        id: "wh-tianjin",
        name: "津北物流仓 Jinbei Logistics Warehouse",
        kind: OrgKind::Warehouse,
        users: &[
            ("wh-tianjin.admin", "郑强 Zheng Qiang", ADMIN),
            ("wh-tianjin.officer", "何敏 He Min", OFFICER),
        ],
    },
    OrgPlan {
        id: "sme-tongyuan",
        name: "铜源贸易 Tongyuan Copper Trading",
        kind: OrgKind::Sme,
        users: &[
            ("sme-tongyuan.admin", "林峰 Lin Feng", ADMIN),
            ("sme-tongyuan.officer", "郭霞 Guo Xia", OFFICER),
        ],
    },
    OrgPlan {
        id: "sme-fenghe",
        name: "丰禾粮业 Fenghe Grain",
        kind: OrgKind::Sme,
        users: &[("sme-fenghe.admin", "罗军 Luo Jun", ADMIN)],
    },
    OrgPlan {
        id: "sme-ganglian",
        name: "钢联实业 Ganglian Steel Industrial",
        kind: OrgKind::Sme,
        users: &[("sme-ganglian.admin", "梁晨 Liang Chen", ADMIN)],
    },
    OrgPlan {
        id: "insp-huajian",
        name: "华检认证 Huajian Inspection",
        kind: OrgKind::Inspector,
        users: &[("insp-huajian.admin", "谢婷 Xie Ting", ADMIN)],
    },
    OrgPlan {
        id: "reg-local",
        name: "地方金融监督管理局 Local Financial Regulatory Bureau",
        kind: OrgKind::Regulator,
        users: &[
            ("reg-local.admin", "韩冰 Han Bing", ADMIN),
            ("reg-local.viewer", "曹雪 Cao Xue", VIEWER),
        ],
    },
];

/// A demo user's key: derived from the user id, public by design.
pub fn demo_key(user: &str) -> PrivateKey {
    let seed: [u8; 32] = Sha256::digest(format!("godown-demo-key/v1\n{user}").as_bytes()).into();
    PrivateKey::from_seed(&seed)
}

fn parse<T>(result: Result<T, godown_domain::ContractError>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("the demo plan is malformed: {e}"))
}

fn admin_spec(user: &str, name: &str) -> anyhow::Result<AdminSpec> {
    Ok(AdminSpec {
        user: parse(UserId::parse(user))?,
        name: parse(Name::parse(name))?,
        key: MemberKey(demo_key(user).public_key()),
    })
}

/// The demo genesis: the operator and every organisation with its admin.
pub fn genesis() -> anyhow::Result<GenesisFile> {
    let mut founders = Vec::new();
    let mut operator = None;
    for org in PLAN {
        let Some((admin, admin_name, _)) = org.users.first() else {
            continue;
        };
        let spec = admin_spec(admin, admin_name)?;
        if org.kind == OrgKind::Operator {
            operator = Some(OperatorFile {
                org: parse(OrgId::parse(org.id))?,
                name: parse(Name::parse(org.name))?,
                admin: spec,
            });
        } else {
            founders.push(OrgSpec {
                org: parse(OrgId::parse(org.id))?,
                name: parse(Name::parse(org.name))?,
                kind: org.kind,
                admin: spec,
            });
        }
    }
    Ok(GenesisFile {
        origin: DEMO_ORIGIN.to_owned(),
        operator: operator.ok_or_else(|| anyhow::anyhow!("the demo plan has no operator"))?,
        founders,
    })
}

/// Brings every demo user onto the ledger the way a real member joins: the
/// admin invites, the user's key enrols itself, the admin approves.
pub async fn seed(node: &Node) -> anyhow::Result<DemoDirectory> {
    let mut directory = DemoDirectory::default();
    let mut nonce = 0u32;
    for org in PLAN {
        let Some((admin, _, _)) = org.users.first() else {
            continue;
        };
        for (i, (user, name, roles)) in org.users.iter().enumerate() {
            if i > 0 {
                let user_id = parse(UserId::parse(user))?;
                let key = MemberKey(demo_key(user).public_key());
                let steps = [
                    (
                        *admin,
                        MembershipTx::Invite(InviteUser {
                            org: parse(OrgId::parse(org.id))?,
                            user: user_id.clone(),
                            name: parse(Name::parse(name))?,
                            roles: roles.to_vec(),
                        }),
                    ),
                    (
                        *user,
                        MembershipTx::Enrol(EnrolKey {
                            user: user_id.clone(),
                            key,
                            device: parse(Text::parse("demo key"))?,
                        }),
                    ),
                    (
                        *admin,
                        MembershipTx::Approve(ApproveKey { user: user_id, key }),
                    ),
                ];
                for (signer, tx) in steps {
                    nonce += 1;
                    let signer_key = demo_key(signer);
                    let transaction = Transaction::new(
                        node.origin(),
                        tx.tx_type(),
                        &format!("demo-{nonce}"),
                        tx.body(),
                    )
                    .map_err(|e| anyhow::anyhow!("a demo transaction is malformed: {e}"))?;
                    let signature = signer_key.sign(&transaction.signing_bytes());
                    node.submit(transaction, signature, signer_key.public_key(), vec![])
                        .await
                        .map_err(|e| anyhow::anyhow!("seeding the demo failed at {user}: {e}"))?;
                }
            }
            let der = demo_key(user)
                .to_pkcs8_der()
                .map_err(|e| anyhow::anyhow!("cannot encode a demo key: {e}"))?;
            directory.users.push(DemoUser {
                user: (*user).to_owned(),
                name: (*name).to_owned(),
                org: org.id.to_owned(),
                org_name: org.name.to_owned(),
                org_kind: org.kind.as_str().to_owned(),
                roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
                pkcs8: STANDARD.encode(der),
            });
        }
    }
    Ok(directory)
}

/// `GET /demo/users`: only a demo node answers.
pub async fn users(State(app): State<AppState>) -> Result<Json<Vec<DemoUser>>, ApiError> {
    match &app.demo {
        Some(directory) => Ok(Json(directory.users.clone())),
        None => Err(ApiError::not_found("this node is not a demo node")),
    }
}

/// The directory, shared.
pub type SharedDirectory = Arc<DemoDirectory>;
