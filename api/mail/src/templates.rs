//! The notices' words live in files under `api/mail/templates/`, one pair
//! per notice (`<name>.zh-CN.txt`, `<name>.en.txt`: the subject, an empty
//! line, the body), with the layouts that put the two languages together as
//! text and HTML. They are compiled in, so a node never starts without them,
//! and a test renders every one in both languages.
//!
//! Filling is `{name}` → value and nothing more, written here rather than
//! taken from a template engine: a notice has no loops or conditions, and a
//! template naming a value the mailer does not give is an error, not an
//! empty string.

use godown_domain::LoanEvent;

/// Every notice's files: name, Chinese, English.
const FILES: &[(&str, &str, &str)] = &[
    (
        "alarm_fork",
        include_str!("../templates/alarm_fork.zh-CN.txt"),
        include_str!("../templates/alarm_fork.en.txt"),
    ),
    (
        "alarm_split",
        include_str!("../templates/alarm_split.zh-CN.txt"),
        include_str!("../templates/alarm_split.en.txt"),
    ),
    (
        "applied",
        include_str!("../templates/applied.zh-CN.txt"),
        include_str!("../templates/applied.en.txt"),
    ),
    (
        "approved",
        include_str!("../templates/approved.zh-CN.txt"),
        include_str!("../templates/approved.en.txt"),
    ),
    (
        "confirmation_needed",
        include_str!("../templates/confirmation_needed.zh-CN.txt"),
        include_str!("../templates/confirmation_needed.en.txt"),
    ),
    (
        "declined",
        include_str!("../templates/declined.zh-CN.txt"),
        include_str!("../templates/declined.en.txt"),
    ),
    (
        "defaulted",
        include_str!("../templates/defaulted.zh-CN.txt"),
        include_str!("../templates/defaulted.en.txt"),
    ),
    (
        "disbursed",
        include_str!("../templates/disbursed.zh-CN.txt"),
        include_str!("../templates/disbursed.en.txt"),
    ),
    (
        "enforced",
        include_str!("../templates/enforced.zh-CN.txt"),
        include_str!("../templates/enforced.en.txt"),
    ),
    (
        "invitation",
        include_str!("../templates/invitation.zh-CN.txt"),
        include_str!("../templates/invitation.en.txt"),
    ),
    (
        "margin_call",
        include_str!("../templates/margin_call.zh-CN.txt"),
        include_str!("../templates/margin_call.en.txt"),
    ),
    (
        "margin_call_cured",
        include_str!("../templates/margin_call_cured.zh-CN.txt"),
        include_str!("../templates/margin_call_cured.en.txt"),
    ),
    (
        "maturity_near",
        include_str!("../templates/maturity_near.zh-CN.txt"),
        include_str!("../templates/maturity_near.en.txt"),
    ),
    (
        "overdue",
        include_str!("../templates/overdue.zh-CN.txt"),
        include_str!("../templates/overdue.en.txt"),
    ),
    (
        "receipt_issued",
        include_str!("../templates/receipt_issued.zh-CN.txt"),
        include_str!("../templates/receipt_issued.en.txt"),
    ),
    (
        "rejected",
        include_str!("../templates/rejected.zh-CN.txt"),
        include_str!("../templates/rejected.en.txt"),
    ),
    (
        "repayment_instructed",
        include_str!("../templates/repayment_instructed.zh-CN.txt"),
        include_str!("../templates/repayment_instructed.en.txt"),
    ),
    (
        "shortfall_found",
        include_str!("../templates/shortfall_found.zh-CN.txt"),
        include_str!("../templates/shortfall_found.en.txt"),
    ),
    (
        "transfer_requested",
        include_str!("../templates/transfer_requested.zh-CN.txt"),
        include_str!("../templates/transfer_requested.en.txt"),
    ),
];

const NOTICE_TEXT: &str = include_str!("../templates/notice.txt");
const NOTICE_HTML: &str = include_str!("../templates/notice.html");
const INVITATION_TEXT: &str = include_str!("../templates/invitation.txt");

/// Which notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Something happened to a loan, or time calls for a reminder.
    Loan(LoanEvent),
    /// A receipt was issued to its depositor.
    ReceiptIssued,
    /// A holder endorsed a receipt; the warehouse countersigns.
    TransferRequested,
    /// A count found a shortfall on a lot under a pledged receipt.
    ShortfallFound,
    /// An invitation to join.
    Invitation,
    /// A witness refused a checkpoint that rewrites the log's history.
    ForkAlarm,
    /// A monitor found two histories of one log.
    SplitViewAlarm,
}

impl Template {
    /// The template's file name, without language and extension.
    pub fn name(self) -> &'static str {
        match self {
            Self::Loan(event) => event.as_str(),
            Self::ReceiptIssued => "receipt_issued",
            Self::TransferRequested => "transfer_requested",
            Self::ShortfallFound => "shortfall_found",
            Self::Invitation => "invitation",
            Self::ForkAlarm => "alarm_fork",
            Self::SplitViewAlarm => "alarm_split",
        }
    }
}

/// A notice in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The Chinese subject, ` / `, then the English one.
    pub subject: String,
    /// The Chinese body.
    pub zh: String,
    /// The English body.
    pub en: String,
}

/// Fills `template` in both languages with `values`.
pub fn render(template: Template, values: &[(&str, &str)]) -> Result<Rendered, String> {
    let name = template.name();
    let (_, zh, en) = FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .ok_or_else(|| format!("there is no mail template {name:?}"))?;
    let (zh_subject, zh) = split(name, "zh-CN", &fill(name, zh, values)?)?;
    let (en_subject, en) = split(name, "en", &fill(name, en, values)?)?;
    Ok(Rendered {
        subject: format!("{zh_subject} / {en_subject}"),
        zh,
        en,
    })
}

/// A notice as plain text: Chinese, then English, each with the link.
pub fn notice_text(r: &Rendered, link: &str) -> Result<String, String> {
    fill(
        "notice.txt",
        NOTICE_TEXT,
        &[("zh", &r.zh), ("en", &r.en), ("link", link)],
    )
}

/// A notice as HTML, every value escaped.
pub fn notice_html(r: &Rendered, link: &str) -> Result<String, String> {
    fill(
        "notice.html",
        NOTICE_HTML,
        &[
            ("zh", &escape_html(&r.zh)),
            ("en", &escape_html(&r.en)),
            ("link", &escape_html(link)),
        ],
    )
}

/// An invitation or an alarm as plain text: Chinese, then English.
pub fn invitation_text(r: &Rendered) -> Result<String, String> {
    fill(
        "invitation.txt",
        INVITATION_TEXT,
        &[("zh", &r.zh), ("en", &r.en)],
    )
}

/// Replaces each `{key}`; a placeholder left without a value is an error.
fn fill(name: &str, text: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let end = after
            .find('}')
            .ok_or_else(|| format!("mail template {name} has an unclosed {{"))?;
        let key = after.get(1..end).unwrap_or_default();
        let value = values
            .iter()
            .find(|(k, _)| *k == key)
            .ok_or_else(|| format!("mail template {name} names {{{key}}}, which is not given"))?;
        out.push_str(value.1);
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}

/// The subject (the first line) and the body (after the empty line), the
/// body's final line break dropped.
fn split(name: &str, language: &str, text: &str) -> Result<(String, String), String> {
    let (subject, body) = text.split_once("\n\n").ok_or_else(|| {
        format!("mail template {name}.{language} has no empty line after its subject")
    })?;
    Ok((
        subject.to_owned(),
        body.strip_suffix('\n').unwrap_or(body).to_owned(),
    ))
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUES: &[(&str, &str)] = &[
        ("id", "ln-1"),
        ("amount", "CNY 100.00"),
        ("borrower", "sme-a"),
        ("bank", "bank-a"),
        ("maturity", "2027-06-03"),
        ("ltv", "81.2%"),
        ("deadline", "2027-01-05"),
        ("currency", "CNY"),
        ("cure", "10.00"),
        ("owed", "110.00"),
        ("instructed", "CNY 50.00"),
        ("reference", "ref-1"),
        ("warehouse", "wh-a"),
        ("holder", "sme-a"),
        ("lot", "lot-1"),
        ("what", "25 TNE copper (WR-1)"),
        ("number", "WR-1"),
        ("name", "Zhang"),
        ("org", "bank-a"),
        ("user", "bank-a.zhang"),
        ("link", "https://godown.example/enrol?invitation=x"),
        ("origin", "godown.example/ledger"),
        ("reporter", "witness.bank-a.example/w1"),
        ("at", "2026-12-04T10:00:00.000Z"),
        (
            "why",
            "INCONSISTENT: the consistency proof from 3 to 4 does not verify",
        ),
        ("evidence", "/var/lib/witness/evidence/1-x-0.txt"),
    ];

    #[test]
    fn every_template_renders_in_both_languages() {
        let mut all: Vec<Template> = LoanEvent::ALL.iter().map(|e| Template::Loan(*e)).collect();
        all.extend([
            Template::ReceiptIssued,
            Template::TransferRequested,
            Template::ShortfallFound,
            Template::Invitation,
            Template::ForkAlarm,
            Template::SplitViewAlarm,
        ]);
        for t in all {
            let r = render(t, VALUES).unwrap();
            assert!(r.subject.contains(" / "), "{t:?}");
            assert!(!r.zh.is_empty() && !r.en.is_empty(), "{t:?}");
            assert!(
                r.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{t:?} in Chinese"
            );
        }
        assert_eq!(
            FILES.len(),
            LoanEvent::ALL.len() + 6,
            "a template no notice uses"
        );
    }

    #[test]
    fn a_notice_reads_as_it_always_did_in_text_and_html() {
        let r = render(Template::Loan(LoanEvent::Applied), VALUES).unwrap();
        assert_eq!(r.subject, "新融资申请 / New financing application: ln-1");
        assert_eq!(
            notice_text(&r, "https://x/loans/ln-1").unwrap(),
            "sme-a 以仓单质押申请融资 CNY 100.00（ln-1），请审核。\nhttps://x/loans/ln-1\n\nsme-a applies for CNY 100.00 against pledged receipts (ln-1); it waits for your review.\nhttps://x/loans/ln-1\n"
        );
        let html = notice_html(&r, "https://x/?a=1&b=<2>").unwrap();
        assert!(html.starts_with("<p>sme-a 以仓单质押申请融资"));
        assert!(html.contains("href=\"https://x/?a=1&amp;b=&lt;2&gt;\""));
    }

    #[test]
    fn a_value_the_mailer_does_not_give_is_an_error() {
        assert!(fill("t", "hello {nobody}", VALUES).is_err());
        assert!(fill("t", "unclosed {id", VALUES).is_err());
        assert_eq!(fill("t", "{id}: {bank}", VALUES).unwrap(), "ln-1: bank-a");
    }
}
