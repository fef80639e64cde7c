//! The demo consortium: two banks, two warehouses, three SMEs, an
//! inspector and a regulator, each with users whose keys are enrolled
//! through the ledger like anyone's.
//!
//! Demo keys are derived from the users' ids and published by the demo node
//! so that the dashboard can offer one-click demo logins. They are public by
//! design, which is why only `godown demo` serves them, and why the
//! dashboard labels every demo login as such.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use godown_domain::membership::body::{AdminSpec, ApproveKey, EnrolKey, InviteUser, OrgSpec};
use godown_domain::{MemberKey, MembershipTx, Name, OrgId, OrgKind, Role, Text, UserId};

mod loans;
mod sign;
pub mod witnesses;

use godown_node::node::SideEffect;
use godown_node::store::sessions;
pub use sign::demo_key;
use sign::{parse, receipt_terms, submit_as, submit_with};

use godown_node::node::Node;
use godown_node::node::genesis::{GenesisFile, OperatorFile};
use godown_node::store::receipts::document_name;
use godown_web::demo::{DemoDirectory, DemoUser};

/// The demo ledger's origin.
pub const DEMO_ORIGIN: &str = "demo.godown.local/ledger";

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
            ("wh-tianjin.approver", "冯涛 Feng Tao", APPROVER),
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
        quorum: None,
    })
}

/// A demo user's e-mail address, at their organisation's demo domain (the
/// reserved `.example` TLD, so nothing could ever be delivered there).
fn demo_address(user: &str) -> String {
    let org = user.split('.').next().unwrap_or(user);
    format!("{user}@{org}.example")
}

/// Brings every demo user onto the ledger the way a real member joins: the
/// admin invites, the user's key enrols itself, the admin approves. Every
/// user has an address on file, so the demo's notices are written to its
/// mail folder as `.eml` files.
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
                // The invitation carries the address, as a real admin's does,
                // so the user's notices and the invitation itself reach them.
                let [invite, enrol, approve] = steps;
                let effect = SideEffect::Invite {
                    email: demo_address(user),
                };
                submit_with(node, invite.0, invite.1, &mut nonce, vec![effect]).await?;
                for (signer, tx) in [enrol, approve] {
                    submit_as(node, signer, tx, &mut nonce).await?;
                }
            } else {
                // A founding admin joined with the genesis entry; their
                // address is put on file the way an operator would.
                sessions::set_contact(node.db().conn(), user, &demo_address(user))
                    .await
                    .map_err(|e| anyhow::anyhow!("cannot file a demo address: {e}"))?;
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
    seed_receipts(node, &mut nonce).await?;
    loans::seed(node, &mut nonce).await?;
    seed_proposal(node, &mut nonce).await?;
    Ok(directory)
}

/// An open proposal, so that the governance page has a decision waiting: a
/// new depositor that Qingdao's warehouse proposes and Jade River Bank
/// supports, two approvals of the six that a majority of ten members needs.
async fn seed_proposal(node: &Node, nonce: &mut u32) -> anyhow::Result<()> {
    use godown_domain::RecordId;
    use godown_domain::membership::governance::{Action, CastVote, OpenProposal};
    let proposal = parse(RecordId::parse("prop-admit-sme-haiyun"))?;
    let admin = "sme-haiyun.admin";
    let open = MembershipTx::Open(OpenProposal {
        proposal: proposal.clone(),
        action: Action::Admit(OrgSpec {
            org: parse(OrgId::parse("sme-haiyun"))?,
            name: parse(Name::parse("海运贸易有限公司 Haiyun Trading Co."))?,
            kind: OrgKind::Sme,
            admin: AdminSpec {
                user: parse(UserId::parse(admin))?,
                name: parse(Name::parse("何平 He Ping"))?,
                key: MemberKey(demo_key(admin).public_key()),
            },
        }),
        reason: parse(Text::parse(
            "存货人，已通过青岛仓库的客户尽职调查 A depositor that passed Qingdao's due diligence",
        ))?,
        days: 14,
        documents: vec![],
    });
    submit_as(node, "wh-qingdao.admin", open, nonce).await?;
    let vote = MembershipTx::Vote(CastVote {
        proposal,
        approve: true,
    });
    submit_as(node, "bank-jade.admin", vote, nonce).await
}

/// The goods of the demo: the commodities of the Qingdao case (copper
/// cathode, aluminium ingot, alumina), soybeans and rebar.
struct LotPlan {
    id: &'static str,
    warehouse: &'static str,
    depositor: &'static str,
    commodity: &'static str,
    hs_code: &'static str,
    grade: &'static str,
    quantity: &'static str,
    unit: &'static str,
    packaging: &'static str,
    pieces: u32,
    marks: &'static str,
    location: &'static str,
}

const LOTS: &[LotPlan] = &[
    LotPlan {
        id: "lot-qd-cu-0001",
        warehouse: "wh-qingdao",
        depositor: "sme-tongyuan",
        commodity: "阴极铜 Copper cathode",
        hs_code: "740311",
        grade: "Cu-CATH-1, GB/T 467-2010 A级",
        quantity: "500.000",
        unit: "TNE",
        packaging: "钢带捆扎 steel-strapped bundles",
        pieces: 200,
        marks: "JCC-2026-118",
        location: "青岛港 大港区 3号库 Bay 3, Shed 2",
    },
    LotPlan {
        id: "lot-qd-al-0001",
        warehouse: "wh-qingdao",
        depositor: "sme-tongyuan",
        commodity: "铝锭 Aluminium ingot",
        hs_code: "760110",
        grade: "Al99.70, GB/T 1196-2017",
        quantity: "300.000",
        unit: "TNE",
        packaging: "捆 bundles of 54 ingots",
        pieces: 300,
        marks: "CHALCO-AL-7731",
        location: "青岛港 大港区 5号库 Shed 5",
    },
    LotPlan {
        id: "lot-qd-ao-0001",
        warehouse: "wh-qingdao",
        depositor: "sme-tongyuan",
        commodity: "氧化铝 Alumina",
        hs_code: "281820",
        grade: "AO-1, YS/T 274-1998",
        quantity: "1200.000",
        unit: "TNE",
        packaging: "吨袋 jumbo bags",
        pieces: 1200,
        marks: "AO-QD-0921",
        location: "青岛港 前湾 散货场 Qianwan bulk yard 2",
    },
    LotPlan {
        id: "lot-tj-sb-0001",
        warehouse: "wh-tianjin",
        depositor: "sme-fenghe",
        commodity: "大豆 Soybeans",
        hs_code: "120190",
        grade: "GB 1352-2009 三等 Grade 3",
        quantity: "2000.000",
        unit: "TNE",
        packaging: "散装 bulk",
        pieces: 0,
        marks: "FH-SB-2026-04",
        location: "天津港 北疆 筒仓 Silo 7",
    },
    LotPlan {
        id: "lot-tj-rb-0001",
        warehouse: "wh-tianjin",
        depositor: "sme-ganglian",
        commodity: "螺纹钢 Rebar",
        hs_code: "721420",
        grade: "HRB400E Φ25, GB/T 1499.2-2018",
        quantity: "800.000",
        unit: "TNE",
        packaging: "捆 bundles",
        pieces: 320,
        marks: "GL-HRB400E-25",
        location: "天津港 东疆 堆场 Yard C4",
    },
];

/// Lots and receipts in every state a receipt can be in on a fresh ledger:
/// drafts waiting and discarded, live, endorsed, split, merged, pledged,
/// waiting for a countersignature or a release, partly and wholly redeemed,
/// and a lot whose count found a shortfall not yet adjusted. (A receipt
/// expires only once its storage period has passed, which no fresh ledger
/// can show.)
#[expect(clippy::too_many_lines, reason = "the demo's story, told step by step")]
async fn seed_receipts(node: &Node, nonce: &mut u32) -> anyhow::Result<()> {
    use godown_domain::receipts::Stock;
    use godown_domain::receipts::body::{
        AdjustStock, CertifyLot, CountStock, DiscardDraft, DraftReceipt, Encumber, Endorse, Merge,
        Part, ReceiptRef, ReceiveGoods, RequestRedemption, Split,
    };
    use godown_domain::{DocHash, HsCode, Quantity, ReceiptNumber, ReceiptsTx, RecordId, Unit};
    for lot in LOTS {
        let tx = ReceiptsTx::Receive(ReceiveGoods {
            lot: parse(RecordId::parse(lot.id))?,
            depositor: parse(OrgId::parse(lot.depositor))?,
            commodity: parse(Name::parse(lot.commodity))?,
            hs_code: parse(HsCode::parse(lot.hs_code))?,
            grade: parse(Text::parse(lot.grade))?,
            quantity: parse(Quantity::parse(lot.quantity))?,
            unit: parse(Unit::parse(lot.unit))?,
            packaging: parse(Text::parse(lot.packaging))?,
            pieces: lot.pieces,
            marks: parse(Text::parse(lot.marks))?,
            location: parse(Text::parse(lot.location))?,
            documents: vec![parse(DocHash::parse(&document_name(
                format!("weighbridge ticket {}", lot.id).as_bytes(),
            )))?],
        });
        submit_as(node, &format!("{}.officer", lot.warehouse), tx, nonce).await?;
    }
    submit_as(
        node,
        "insp-huajian.admin",
        ReceiptsTx::Certify(CertifyLot {
            lot: parse(RecordId::parse("lot-qd-cu-0001"))?,
            grade: parse(Text::parse("A级 Grade A, Cu ≥ 99.9935%"))?,
            quantity: parse(Quantity::parse("499.870"))?,
            certificate: parse(DocHash::parse(&document_name(
                b"CIQ certificate 2026-QD-118",
            )))?,
        }),
        nonce,
    )
    .await?;
    // (receipt, lot, number, quantity, pieces, warehouse, issue it?)
    let receipts: &[(&str, &str, &str, &str, u32, &str, bool)] = &[
        (
            "wr-qd-cu-0001",
            "lot-qd-cu-0001",
            "QDWR-2026-0001",
            "100.000",
            40,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-cu-0002",
            "lot-qd-cu-0001",
            "QDWR-2026-0002",
            "150.000",
            60,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-cu-0003",
            "lot-qd-cu-0001",
            "QDWR-2026-0003",
            "50.000",
            20,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-cu-0004",
            "lot-qd-cu-0001",
            "QDWR-2026-0004",
            "25.000",
            10,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-cu-0005",
            "lot-qd-cu-0001",
            "QDWR-2026-0005",
            "25.000",
            10,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-al-0001",
            "lot-qd-al-0001",
            "QDWR-2026-0101",
            "120.000",
            120,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-al-0002",
            "lot-qd-al-0001",
            "QDWR-2026-0102",
            "80.000",
            80,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-ao-0001",
            "lot-qd-ao-0001",
            "QDWR-2026-0201",
            "600.000",
            600,
            "wh-qingdao",
            true,
        ),
        (
            "wr-qd-ao-0002",
            "lot-qd-ao-0001",
            "QDWR-2026-0202",
            "200.000",
            200,
            "wh-qingdao",
            false,
        ),
        (
            "wr-qd-ao-0003",
            "lot-qd-ao-0001",
            "QDWR-2026-0203",
            "100.000",
            100,
            "wh-qingdao",
            false,
        ),
        (
            "wr-tj-sb-0001",
            "lot-tj-sb-0001",
            "TJWR-2026-0001",
            "1000.000",
            0,
            "wh-tianjin",
            true,
        ),
        (
            "wr-tj-sb-0002",
            "lot-tj-sb-0001",
            "TJWR-2026-0002",
            "500.000",
            0,
            "wh-tianjin",
            true,
        ),
        (
            "wr-tj-rb-0001",
            "lot-tj-rb-0001",
            "TJWR-2026-0101",
            "400.000",
            160,
            "wh-tianjin",
            true,
        ),
        (
            "wr-tj-rb-0002",
            "lot-tj-rb-0001",
            "TJWR-2026-0102",
            "200.000",
            80,
            "wh-tianjin",
            true,
        ),
    ];
    for (id, lot, number, quantity, pieces, warehouse, issue) in receipts {
        let tx = ReceiptsTx::Draft(DraftReceipt {
            receipt: parse(RecordId::parse(id))?,
            lot: parse(RecordId::parse(lot))?,
            number: parse(ReceiptNumber::parse(number))?,
            quantity: parse(Quantity::parse(quantity))?,
            pieces: *pieces,
            terms: receipt_terms("2027-04-30", "1.20", Some("60000000.00"), "青岛 Qingdao")?,
        });
        submit_as(node, &format!("{warehouse}.officer"), tx, nonce).await?;
        if *issue {
            let tx = ReceiptsTx::Issue(ReceiptRef {
                receipt: parse(RecordId::parse(id))?,
            });
            submit_as(node, &format!("{warehouse}.approver"), tx, nonce).await?;
        }
    }
    let r = |id: &str| parse(RecordId::parse(id));
    let org = |id: &str| parse(OrgId::parse(id));
    let steps: Vec<(&str, ReceiptsTx)> = vec![
        // Pledged: the double-pledge fraud stops here.
        (
            "sme-tongyuan.officer",
            ReceiptsTx::Encumber(Encumber {
                receipt: r("wr-qd-cu-0001")?,
                pledgee: org("bank-jade")?,
                reference: parse(Text::parse("JR-LN-2026-0117"))?,
            }),
        ),
        (
            "sme-tongyuan.officer",
            ReceiptsTx::Encumber(Encumber {
                receipt: r("wr-qd-ao-0001")?,
                pledgee: org("bank-east")?,
                reference: parse(Text::parse("ES-PF-2026-0042"))?,
            }),
        ),
        // Endorsed and countersigned: copper sold on to Ganglian.
        (
            "sme-tongyuan.admin",
            ReceiptsTx::Endorse(Endorse {
                receipt: r("wr-qd-cu-0002")?,
                to: org("sme-ganglian")?,
            }),
        ),
        (
            "wh-qingdao.officer",
            ReceiptsTx::Countersign(ReceiptRef {
                receipt: r("wr-qd-cu-0002")?,
            }),
        ),
        // Split by the new holder; the parent is cancelled.
        (
            "sme-ganglian.admin",
            ReceiptsTx::Split(Split {
                receipt: r("wr-qd-cu-0002")?,
                parts: vec![
                    Part {
                        receipt: r("wr-qd-cu-0021")?,
                        quantity: parse(Quantity::parse("100.000"))?,
                        pieces: 40,
                    },
                    Part {
                        receipt: r("wr-qd-cu-0022")?,
                        quantity: parse(Quantity::parse("50.000"))?,
                        pieces: 20,
                    },
                ],
            }),
        ),
        // Merged: two small receipts become one.
        (
            "sme-tongyuan.officer",
            ReceiptsTx::Merge(Merge {
                receipts: vec![r("wr-qd-cu-0004")?, r("wr-qd-cu-0005")?],
                into: r("wr-qd-cu-0045")?,
            }),
        ),
        // Waiting for the warehouse to countersign a transfer.
        (
            "sme-tongyuan.officer",
            ReceiptsTx::Endorse(Endorse {
                receipt: r("wr-qd-al-0002")?,
                to: org("sme-fenghe")?,
            }),
        ),
        // Partly redeemed, then a release waiting for the warehouse.
        (
            "sme-fenghe.admin",
            ReceiptsTx::RequestRedemption(RequestRedemption {
                receipt: r("wr-tj-sb-0001")?,
                quantity: parse(Quantity::parse("250.000"))?,
                pieces: 0,
            }),
        ),
        (
            "wh-tianjin.officer",
            ReceiptsTx::ConfirmRedemption(ReceiptRef {
                receipt: r("wr-tj-sb-0001")?,
            }),
        ),
        (
            "sme-fenghe.admin",
            ReceiptsTx::RequestRedemption(RequestRedemption {
                receipt: r("wr-tj-sb-0001")?,
                quantity: parse(Quantity::parse("100.000"))?,
                pieces: 0,
            }),
        ),
        // Wholly redeemed.
        (
            "sme-fenghe.admin",
            ReceiptsTx::RequestRedemption(RequestRedemption {
                receipt: r("wr-tj-sb-0002")?,
                quantity: parse(Quantity::parse("500.000"))?,
                pieces: 0,
            }),
        ),
        (
            "wh-tianjin.officer",
            ReceiptsTx::ConfirmRedemption(ReceiptRef {
                receipt: r("wr-tj-sb-0002")?,
            }),
        ),
        // A discarded draft.
        (
            "wh-qingdao.approver",
            ReceiptsTx::Discard(DiscardDraft {
                receipt: r("wr-qd-ao-0003")?,
                reason: parse(Text::parse("数量有误 wrong quantity"))?,
            }),
        ),
        // A rebar receipt pledged, then a count that comes up short: the
        // receipts are flagged and the bank is told; not yet adjusted.
        (
            "sme-ganglian.admin",
            ReceiptsTx::Encumber(Encumber {
                receipt: r("wr-tj-rb-0001")?,
                pledgee: org("bank-jade")?,
                reference: parse(Text::parse("JR-LN-2026-0131"))?,
            }),
        ),
        (
            "wh-tianjin.officer",
            ReceiptsTx::Count(CountStock {
                lot: r("lot-tj-sb-0001")?,
                counted: parse(Stock::parse("1400.000"))?,
            }),
        ),
        (
            "wh-tianjin.admin",
            ReceiptsTx::Count(CountStock {
                lot: r("lot-tj-rb-0001")?,
                counted: parse(Stock::parse("760.000"))?,
            }),
        ),
        // An aluminium count that found a little less, adjusted with a reason.
        (
            "wh-qingdao.officer",
            ReceiptsTx::Count(CountStock {
                lot: r("lot-qd-al-0001")?,
                counted: parse(Stock::parse("299.400"))?,
            }),
        ),
        (
            "wh-qingdao.admin",
            ReceiptsTx::Adjust(AdjustStock {
                lot: r("lot-qd-al-0001")?,
                quantity: parse(Stock::parse("299.400"))?,
                reason: parse(Text::parse(
                    "称重误差 weighing tolerance, within the 0.2% allowance",
                ))?,
            }),
        ),
    ];
    for (signer, tx) in steps {
        submit_as(node, signer, tx, nonce).await?;
    }
    Ok(())
}
