//! Free text on the ledger: names, reasons, device labels. Bounded, and free
//! of control characters, so it displays safely everywhere.

use crate::error::ContractError;

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
                if text.chars().any(char::is_control) || text.trim() != text {
                    return Err(ContractError::BadRequest(format!(
                        "a {} must not contain control characters or surrounding spaces",
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
}
