//! Free text on the ledger: names, reasons, device labels. Bounded, and free
//! of control characters and of the invisible format characters (bidi
//! overrides and isolates, zero-width marks, tag characters…) that would make
//! a text display differently from what was signed. Every free text the
//! contracts accept is a [`Name`] or a [`Text`], so this is the one parser.

use crate::error::ContractError;

/// Unicode's format characters (general category Cf) and the line and
/// paragraph separators: invisible, or reordering what follows them. Written
/// out rather than taken from a Unicode table crate, since the set is small
/// and changes rarely; Chinese, and every letter, digit, mark and symbol,
/// stays welcome.
const HIDDEN: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// The first character (1-based position) that is a control or a hidden
/// format character.
fn first_hidden(text: &str) -> Option<(usize, char)> {
    text.chars().enumerate().find_map(|(i, c)| {
        let code = u32::from(c);
        (c.is_control() || HIDDEN.iter().any(|(lo, hi)| (*lo..=*hi).contains(&code)))
            .then_some((i + 1, c))
    })
}

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses the text: 1 to the limit of characters, no control
            /// characters, no leading or trailing spaces.
            pub fn parse(text: &str) -> Result<Self, ContractError> {
                let count = text.chars().count();
                if count == 0 || count > $max {
                    return Err(ContractError::BadRequest(format!(
                        "a {} must have 1 to {} characters, not {count}",
                        $what, $max
                    )));
                }
                if let Some((at, c)) = first_hidden(text) {
                    return Err(ContractError::BadRequest(format!(
                        "a {} must not contain control or invisible format characters: U+{:04X} at character {at}",
                        $what,
                        u32::from(c)
                    )));
                }
                if text.trim() != text {
                    return Err(ContractError::BadRequest(format!(
                        "a {} must not begin or end with spaces",
                        $what
                    )));
                }
                Ok(Self(text.to_owned()))
            }
        }

        string_newtype!($name);
    };
}

bounded_text!(
    /// A person's or an organisation's name.
    Name, "name", 200
);
bounded_text!(
    /// A reason or a label.
    Text, "text", 500
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_bounded_and_free_of_control_characters() {
        assert!(Name::parse("联合银行 Lianhe Bank").is_ok());
        assert!(Name::parse("").is_err());
        assert!(Name::parse(" padded").is_err());
        assert!(Name::parse("line\nbreak").is_err());
        assert!(Name::parse(&"名".repeat(200)).is_ok());
        assert!(Name::parse(&"名".repeat(201)).is_err());
    }

    #[test]
    fn text_that_would_display_otherwise_than_signed_is_refused_with_its_position() {
        // A right-to-left override (U+202E) before "fdp.exe" makes it read as "exe.pdf".
        for (text, code, at) in [
            ("invoice\u{202E}fdp.exe", "202E", 8),
            ("铜\u{2066}阴极", "2066", 2),
            ("zero\u{200B}width", "200B", 5),
            ("\u{FEFF}bom", "FEFF", 1),
            ("tag\u{E0041}", "E0041", 4),
            ("soft\u{00AD}hyphen", "00AD", 5),
            ("line\u{2028}break", "2028", 5),
            ("bell\u{7}", "0007", 5),
        ] {
            let err = Text::parse(text).unwrap_err();
            assert_eq!(err.code(), "BAD_REQUEST", "{text:?}");
            let message = err.to_string();
            assert!(
                message.contains(&format!("U+{code} at character {at}")),
                "{text:?}: {message}"
            );
        }
        // Chinese, other scripts, marks and symbols stay welcome.
        for text in [
            "阴极铜 Cu-CATH-1 ≥99.99%",
            "Ünïcødé café",
            "ロット №5 – 出库",
            "🔩 bolts",
        ] {
            assert!(Text::parse(text).is_ok(), "{text:?}");
        }
    }
}
