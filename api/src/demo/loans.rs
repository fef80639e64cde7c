//! The demo's financing story: copper and rebar in bonded warehouses,
//! price history for every commodity, and loans in every state a loan can
//! be in on a fresh ledger, so that the queues and charts are alive on
//! first start. (A loan becomes overdue, or a margin call expires, only as
//! days pass, which no fresh ledger can show; a margin call and defaults on
//! the liquidation level can, and are here.)

use godown_domain::financing::body::{
    Apply, Decline, Disburse, Enforce, Enforcement, Haircut, LoanReason, LoanReceipts, LoanRef,
    LoanTerms, PledgeRef, Propose, PublishPrice, Register, Repay,
};
use godown_domain::financing::interest::DayCount;
use godown_domain::receipts::body::{DraftReceipt, ReceiptRef, ReceiveGoods};
use godown_domain::{
    Currency, Date, DocHash, FinancingTx, Fraction, HsCode, Money, Name, OrgId, Quantity,
    ReceiptNumber, ReceiptsTx, RecordId, Text, Unit,
};

use super::sign::{parse, receipt_terms, submit_as};
use godown_node::node::Node;
use godown_node::store::receipts::document_name;

const COPPER: &str = "740311";
const REBAR: &str = "721420";
const SOYBEANS: &str = "120190";

fn r(id: &str) -> anyhow::Result<RecordId> {
    parse(RecordId::parse(id))
}

fn cny(value: &str) -> anyhow::Result<Money> {
    parse(Money::parse(Currency::Cny, value))
}

fn text(value: &str) -> anyhow::Result<Text> {
    parse(Text::parse(value))
}

fn fraction(value: &str) -> anyhow::Result<Fraction> {
    parse(Fraction::parse(value))
}

/// Goods received and receipted to their depositor: `count` receipts of
/// `each` tonnes, numbered from `first`.
struct Stock {
    lot: &'static str,
    warehouse: &'static str,
    depositor: &'static str,
    commodity: &'static str,
    hs_code: &'static str,
    grade: &'static str,
    location: &'static str,
    receipt_prefix: &'static str,
    number_prefix: &'static str,
    first: u32,
    count: u32,
    each: u32,
}

const STOCK: &[Stock] = &[
    Stock {
        lot: "lot-qd-cu-0002",
        warehouse: "wh-qingdao",
        depositor: "sme-tongyuan",
        commodity: "阴极铜 Copper cathode",
        hs_code: COPPER,
        grade: "Cu-CATH-1, GB/T 467-2010 A级",
        location: "青岛港 大港区 4号库 Shed 4",
        receipt_prefix: "wr-qd-cu-",
        number_prefix: "QDWR-2026-F",
        first: 101,
        count: 15,
        each: 100,
    },
    Stock {
        lot: "lot-tj-rb-0002",
        warehouse: "wh-tianjin",
        depositor: "sme-ganglian",
        commodity: "螺纹钢 Rebar",
        hs_code: REBAR,
        grade: "HRB400E Φ20, GB/T 1499.2-2018",
        location: "天津港 东疆 堆场 Yard C6",
        receipt_prefix: "wr-tj-rb-",
        number_prefix: "TJWR-2026-F",
        first: 201,
        count: 5,
        each: 200,
    },
    Stock {
        lot: "lot-tj-sb-0002",
        warehouse: "wh-tianjin",
        depositor: "sme-fenghe",
        commodity: "大豆 Soybeans",
        hs_code: SOYBEANS,
        grade: "GB 1352-2009 二等 Grade 2",
        location: "天津港 北疆 筒仓 Silo 9",
        receipt_prefix: "wr-tj-sb-",
        number_prefix: "TJWR-2026-F",
        first: 301,
        count: 3,
        each: 500,
    },
];

async fn receive_and_issue(node: &Node, nonce: &mut u32) -> anyhow::Result<()> {
    for s in STOCK {
        let total = s.count * s.each;
        let tx = ReceiptsTx::Receive(ReceiveGoods {
            lot: r(s.lot)?,
            depositor: parse(OrgId::parse(s.depositor))?,
            commodity: parse(Name::parse(s.commodity))?,
            hs_code: parse(HsCode::parse(s.hs_code))?,
            grade: text(s.grade)?,
            quantity: parse(Quantity::parse(&format!("{total}.000")))?,
            unit: Unit::Tonne,
            packaging: text("捆 bundles")?,
            pieces: s.count * 40,
            marks: text(&format!("{}-2026", s.lot.to_uppercase()))?,
            location: text(s.location)?,
            documents: vec![parse(DocHash::parse(&document_name(
                format!("weighbridge ticket {}", s.lot).as_bytes(),
            )))?],
        });
        submit_as(node, &format!("{}.officer", s.warehouse), tx, nonce).await?;
        for n in s.first..s.first + s.count {
            let id = format!("{}{n:04}", s.receipt_prefix);
            let tx = ReceiptsTx::Draft(DraftReceipt {
                receipt: r(&id)?,
                lot: r(s.lot)?,
                number: parse(ReceiptNumber::parse(&format!("{}{n:04}", s.number_prefix)))?,
                quantity: parse(Quantity::parse(&format!("{}.000", s.each)))?,
                pieces: 40,
                terms: receipt_terms(
                    "2027-10-31",
                    "1.20",
                    Some("8000000.00"),
                    if s.warehouse == "wh-qingdao" {
                        "青岛 Qingdao"
                    } else {
                        "天津 Tianjin"
                    },
                )?,
            });
            submit_as(node, &format!("{}.officer", s.warehouse), tx, nonce).await?;
            let tx = ReceiptsTx::Issue(ReceiptRef { receipt: r(&id)? });
            submit_as(node, &format!("{}.approver", s.warehouse), tx, nonce).await?;
        }
    }
    Ok(())
}

async fn publish(
    node: &Node,
    nonce: &mut u32,
    bank: &str,
    hs: &str,
    prices: &[&str],
) -> anyhow::Result<()> {
    for price in prices {
        let tx = FinancingTx::Publish(PublishPrice {
            hs_code: parse(HsCode::parse(hs))?,
            grade: None,
            unit: Unit::Tonne,
            price: cny(price)?,
        });
        submit_as(node, &format!("{bank}.officer"), tx, nonce).await?;
    }
    Ok(())
}

/// A loan's plan: who borrows what from whom, against which receipts, and
/// how far it gets.
struct Plan {
    loan: &'static str,
    borrower: &'static str,
    bank: &'static str,
    warehouse: &'static str,
    receipts: &'static [&'static str],
    amount: &'static str,
    purpose: &'static str,
    hs: &'static str,
    haircut: &'static str,
    max_ltv: &'static str,
    margin_call_ltv: &'static str,
    liquidation_ltv: &'static str,
    days: i64,
    stop: Stop,
}

/// How far a plan goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Stop {
    Applied,
    Declined,
    Confirmed,
    Proposed,
    Rejected,
    Approved,
    Disbursed,
}

const PLANS: &[Plan] = &[
    Plan {
        loan: "ln-demo-0001",
        borrower: "sme-tongyuan",
        bank: "bank-jade",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0103"],
        amount: "3000000.00",
        purpose: "采购电解铜原料 buying copper feedstock",
        hs: COPPER,
        haircut: "0.25",
        max_ltv: "0.75",
        margin_call_ltv: "0.85",
        liquidation_ltv: "0.92",
        days: 90,
        stop: Stop::Applied,
    },
    Plan {
        loan: "ln-demo-0002",
        borrower: "sme-tongyuan",
        bank: "bank-east",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0104"],
        amount: "3000000.00",
        purpose: "流动资金 working capital",
        hs: COPPER,
        haircut: "0.30",
        max_ltv: "0.70",
        margin_call_ltv: "0.80",
        liquidation_ltv: "0.90",
        days: 90,
        stop: Stop::Declined,
    },
    Plan {
        loan: "ln-demo-0003",
        borrower: "sme-tongyuan",
        bank: "bank-jade",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0105"],
        amount: "4000000.00",
        purpose: "支付进口关税 paying import duties",
        hs: COPPER,
        haircut: "0.25",
        max_ltv: "0.75",
        margin_call_ltv: "0.85",
        liquidation_ltv: "0.92",
        days: 120,
        stop: Stop::Confirmed,
    },
    Plan {
        loan: "ln-demo-0004",
        borrower: "sme-tongyuan",
        bank: "bank-jade",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0106"],
        amount: "3800000.00",
        purpose: "采购电解铜原料 buying copper feedstock",
        hs: COPPER,
        haircut: "0.25",
        max_ltv: "0.75",
        margin_call_ltv: "0.85",
        liquidation_ltv: "0.92",
        days: 90,
        stop: Stop::Proposed,
    },
    Plan {
        loan: "ln-demo-0005",
        borrower: "sme-tongyuan",
        bank: "bank-east",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0107"],
        amount: "3200000.00",
        purpose: "扩建厂房 expanding the plant",
        hs: COPPER,
        haircut: "0.30",
        max_ltv: "0.70",
        margin_call_ltv: "0.80",
        liquidation_ltv: "0.90",
        days: 360,
        stop: Stop::Rejected,
    },
    Plan {
        loan: "ln-demo-0006",
        borrower: "sme-tongyuan",
        bank: "bank-jade",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0108"],
        amount: "3600000.00",
        purpose: "采购电解铜原料 buying copper feedstock",
        hs: COPPER,
        haircut: "0.25",
        max_ltv: "0.75",
        margin_call_ltv: "0.85",
        liquidation_ltv: "0.92",
        days: 90,
        stop: Stop::Approved,
    },
    Plan {
        loan: "ln-demo-0007",
        borrower: "sme-tongyuan",
        bank: "bank-jade",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0109", "wr-qd-cu-0110"],
        amount: "6000000.00",
        purpose: "季节性备货 seasonal stock",
        hs: COPPER,
        haircut: "0.25",
        max_ltv: "0.75",
        margin_call_ltv: "0.85",
        liquidation_ltv: "0.92",
        days: 180,
        stop: Stop::Disbursed,
    },
    Plan {
        loan: "ln-demo-0008",
        borrower: "sme-tongyuan",
        bank: "bank-east",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0111"],
        amount: "3400000.00",
        purpose: "流动资金 working capital",
        hs: COPPER,
        haircut: "0.30",
        max_ltv: "0.70",
        margin_call_ltv: "0.80",
        liquidation_ltv: "0.90",
        days: 90,
        stop: Stop::Disbursed,
    },
    Plan {
        loan: "ln-demo-0009",
        borrower: "sme-tongyuan",
        bank: "bank-jade",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0112"],
        amount: "1000000.00",
        purpose: "过桥资金 bridge finance",
        hs: COPPER,
        haircut: "0.25",
        max_ltv: "0.75",
        margin_call_ltv: "0.85",
        liquidation_ltv: "0.92",
        days: 30,
        stop: Stop::Disbursed,
    },
    Plan {
        loan: "ln-demo-0010",
        borrower: "sme-tongyuan",
        bank: "bank-jade",
        warehouse: "wh-qingdao",
        receipts: &["wr-qd-cu-0113"],
        amount: "1000000.00",
        purpose: "过桥资金 bridge finance",
        hs: COPPER,
        haircut: "0.25",
        max_ltv: "0.75",
        margin_call_ltv: "0.85",
        liquidation_ltv: "0.92",
        days: 30,
        stop: Stop::Disbursed,
    },
    // An agricultural bulk: a wider haircut and a lower LTV than metals.
    Plan {
        loan: "ln-demo-0015",
        borrower: "sme-fenghe",
        bank: "bank-jade",
        warehouse: "wh-tianjin",
        receipts: &["wr-tj-sb-0301", "wr-tj-sb-0302"],
        amount: "1600000.00",
        purpose: "收购新季大豆 buying the new-season crop",
        hs: SOYBEANS,
        haircut: "0.35",
        max_ltv: "0.60",
        margin_call_ltv: "0.70",
        liquidation_ltv: "0.80",
        days: 120,
        stop: Stop::Disbursed,
    },
    Plan {
        loan: "ln-demo-0011",
        borrower: "sme-ganglian",
        bank: "bank-east",
        warehouse: "wh-tianjin",
        receipts: &["wr-tj-rb-0201"],
        amount: "360000.00",
        purpose: "钢材贸易周转 rebar trade turnover",
        hs: REBAR,
        haircut: "0.30",
        max_ltv: "0.70",
        margin_call_ltv: "0.78",
        liquidation_ltv: "0.85",
        days: 90,
        stop: Stop::Disbursed,
    },
    Plan {
        loan: "ln-demo-0012",
        borrower: "sme-ganglian",
        bank: "bank-east",
        warehouse: "wh-tianjin",
        receipts: &["wr-tj-rb-0202"],
        amount: "360000.00",
        purpose: "钢材贸易周转 rebar trade turnover",
        hs: REBAR,
        haircut: "0.30",
        max_ltv: "0.70",
        margin_call_ltv: "0.78",
        liquidation_ltv: "0.85",
        days: 90,
        stop: Stop::Disbursed,
    },
    Plan {
        loan: "ln-demo-0013",
        borrower: "sme-ganglian",
        bank: "bank-east",
        warehouse: "wh-tianjin",
        receipts: &["wr-tj-rb-0203"],
        amount: "360000.00",
        purpose: "钢材贸易周转 rebar trade turnover",
        hs: REBAR,
        haircut: "0.30",
        max_ltv: "0.70",
        margin_call_ltv: "0.78",
        liquidation_ltv: "0.85",
        days: 90,
        stop: Stop::Disbursed,
    },
    Plan {
        loan: "ln-demo-0014",
        borrower: "sme-ganglian",
        bank: "bank-east",
        warehouse: "wh-tianjin",
        receipts: &["wr-tj-rb-0204"],
        amount: "360000.00",
        purpose: "钢材贸易周转 rebar trade turnover",
        hs: REBAR,
        haircut: "0.30",
        max_ltv: "0.70",
        margin_call_ltv: "0.78",
        liquidation_ltv: "0.85",
        days: 90,
        stop: Stop::Disbursed,
    },
];

fn borrower_user(borrower: &str) -> String {
    if borrower == "sme-tongyuan" {
        "sme-tongyuan.officer".to_owned()
    } else {
        format!("{borrower}.admin")
    }
}

async fn run_plan(node: &Node, nonce: &mut u32, plan: &Plan, today: Date) -> anyhow::Result<()> {
    let loan = r(plan.loan)?;
    let officer = format!("{}.officer", plan.bank);
    let approver = format!("{}.approver", plan.bank);
    let tx = FinancingTx::Apply(Apply {
        loan: loan.clone(),
        bank: parse(OrgId::parse(plan.bank))?,
        amount: cny(plan.amount)?,
        tenor_days: u32::try_from(plan.days).unwrap_or(90),
        purpose: text(plan.purpose)?,
        receipts: plan
            .receipts
            .iter()
            .map(|id| r(id))
            .collect::<Result<_, _>>()?,
    });
    submit_as(node, &borrower_user(plan.borrower), tx, nonce).await?;
    let warehouse = format!("{}.officer", plan.warehouse);
    if plan.stop == Stop::Applied {
        return Ok(());
    }
    if plan.stop == Stop::Declined {
        let tx = FinancingTx::Decline(Decline {
            loan,
            receipt: r(plan.receipts.first().copied().unwrap_or_default())?,
            reason: text(
                "库位复核未完成，暂不能代行监管 the location audit is not finished; we cannot hold the goods for the bank yet",
            )?,
        });
        return submit_as(node, &warehouse, tx, nonce).await;
    }
    for receipt in plan.receipts {
        let tx = FinancingTx::Confirm(PledgeRef {
            loan: loan.clone(),
            receipt: r(receipt)?,
        });
        submit_as(node, &warehouse, tx, nonce).await?;
    }
    if plan.stop == Stop::Confirmed {
        return Ok(());
    }
    let tx = FinancingTx::Propose(Propose {
        loan: loan.clone(),
        terms: LoanTerms {
            principal: cny(plan.amount)?,
            annual_rate: fraction("0.0435")?,
            day_count: DayCount::Act360,
            maturity: today.plus_days(plan.days),
            grace_days: 3,
            penalty_rate: fraction("0.0650")?,
            haircuts: vec![Haircut {
                hs_code: parse(HsCode::parse(plan.hs))?,
                haircut: fraction(plan.haircut)?,
            }],
            max_ltv: fraction(plan.max_ltv)?,
            margin_call_ltv: fraction(plan.margin_call_ltv)?,
            liquidation_ltv: fraction(plan.liquidation_ltv)?,
            cure_days: 5,
        },
    });
    submit_as(node, &officer, tx, nonce).await?;
    if plan.stop == Stop::Proposed {
        return Ok(());
    }
    if plan.stop == Stop::Rejected {
        let tx = FinancingTx::Reject(LoanReason {
            loan,
            reason: text(
                "用途超出动产质押融资范围 the purpose is outside the scope of pledge financing",
            )?,
        });
        return submit_as(node, &approver, tx, nonce).await;
    }
    submit_as(
        node,
        &approver,
        FinancingTx::Approve(LoanRef { loan: loan.clone() }),
        nonce,
    )
    .await?;
    let tx = FinancingTx::Register(Register {
        loan: loan.clone(),
        reference: text(&format!(
            "ZDJ-2026-{}",
            plan.loan.trim_start_matches("ln-demo-")
        ))?,
        date: today,
    });
    submit_as(node, &officer, tx, nonce).await?;
    if plan.stop == Stop::Approved {
        return Ok(());
    }
    let tx = FinancingTx::Disburse(Disburse {
        loan,
        reference: text(&format!("FT-{}", plan.loan.to_uppercase()))?,
    });
    submit_as(node, &officer, tx, nonce).await
}

/// Seeds the financing story after the receipts'.
#[expect(clippy::too_many_lines, reason = "the demo's story, told step by step")]
pub(crate) async fn seed(node: &Node, nonce: &mut u32) -> anyhow::Result<()> {
    receive_and_issue(node, nonce).await?;
    let today = Date::of(node.now());
    // Price history before the loans: copper climbs, the rest steady.
    publish(
        node,
        nonce,
        "bank-jade",
        COPPER,
        &[
            "66200.00", "66850.00", "67400.00", "67100.00", "67900.00", "68600.00", "69350.00",
            "69900.00", "70250.00", "70000.00",
        ],
    )
    .await?;
    publish(
        node,
        nonce,
        "bank-east",
        REBAR,
        &["3650.00", "3690.00", "3700.00"],
    )
    .await?;
    publish(
        node,
        nonce,
        "bank-jade",
        "760110",
        &["19850.00", "20120.00"],
    )
    .await?;
    publish(node, nonce, "bank-jade", "281820", &["3180.00", "3210.00"]).await?;
    publish(node, nonce, "bank-east", SOYBEANS, &["4310.00", "4280.00"]).await?;
    for plan in PLANS {
        run_plan(node, nonce, plan, today).await?;
    }
    let jade = "bank-jade.officer";
    // Repaid, and repaid and released.
    for loan in ["ln-demo-0009", "ln-demo-0010"] {
        let tx = FinancingTx::Repay(Repay {
            loan: r(loan)?,
            amount: cny("1000000.00")?,
            reference: text(&format!("RP-{}", loan.to_uppercase()))?,
        });
        submit_as(node, jade, tx, nonce).await?;
    }
    let tx = FinancingTx::Release(LoanReceipts {
        loan: r("ln-demo-0010")?,
        receipts: vec![r("wr-qd-cu-0113")?],
    });
    submit_as(node, jade, tx, nonce).await?;
    // Copper falls: bank-east's loan at its maximum LTV gets a margin call.
    publish(
        node,
        nonce,
        "bank-jade",
        COPPER,
        &[
            "69400.00", "68200.00", "66900.00", "65300.00", "63800.00", "62500.00", "61200.00",
            "60400.00",
        ],
    )
    .await?;
    // A partial repayment on the healthy loan.
    let tx = FinancingTx::Repay(Repay {
        loan: r("ln-demo-0007")?,
        amount: cny("500000.00")?,
        reference: text("RP-LN-DEMO-0007-1")?,
    });
    submit_as(node, jade, tx, nonce).await?;
    // Rebar slumps past the liquidation level: defaults, then enforcement.
    publish(
        node,
        nonce,
        "bank-east",
        REBAR,
        &["3480.00", "3260.00", "3050.00", "2900.00"],
    )
    .await?;
    let east = "bank-east.approver";
    for loan in [
        "ln-demo-0011",
        "ln-demo-0012",
        "ln-demo-0013",
        "ln-demo-0014",
    ] {
        let tx = FinancingTx::Default(LoanReason {
            loan: r(loan)?,
            reason: text("质押率超过平仓线 loan-to-value past the liquidation level")?,
        });
        submit_as(node, east, tx, nonce).await?;
    }
    for loan in ["ln-demo-0012", "ln-demo-0013"] {
        let tx = FinancingTx::Enforce(Enforce {
            loan: r(loan)?,
            enforcement: Enforcement::Take {
                value: cny("300000.00")?,
            },
        });
        submit_as(node, east, tx, nonce).await?;
    }
    let tx = FinancingTx::WriteOff(LoanReason {
        loan: r("ln-demo-0013")?,
        reason: text("借款人无其他可执行财产 no other assets to recover from")?,
    });
    submit_as(node, east, tx, nonce).await?;
    let tx = FinancingTx::Enforce(Enforce {
        loan: r("ln-demo-0014")?,
        enforcement: Enforcement::Sale {
            buyer: parse(OrgId::parse("sme-fenghe"))?,
            proceeds: cny("420000.00")?,
        },
    });
    submit_as(node, east, tx, nonce).await
}
