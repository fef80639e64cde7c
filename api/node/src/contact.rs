//! E-mail addresses, which stay off the ledger: a member's address is kept
//! beside the signed invitation, in `user_contacts` and the outbox only.
//!
//! The rule is lettre's own (the mailer that will send to the address), made
//! from the same two crates it uses, `email_address` for the parts and `idna`
//! for international domains, so the web edge can refuse a bad address
//! without depending on the mailer, and the mailer never meets an address
//! the edge accepted but it cannot send to.

use std::net::IpAddr;

use email_address::EmailAddress;

use crate::error::ApiError;

/// An e-mail address that parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    /// Parses an address, ignoring surrounding white space.
    pub fn parse(text: &str) -> Result<Self, ApiError> {
        let trimmed = text.trim();
        let mut parts = trimmed.rsplitn(2, '@');
        let domain = parts.next().unwrap_or_default();
        let valid = match parts.next() {
            Some(user) => EmailAddress::is_valid_local_part(user) && valid_domain(domain),
            None => false,
        };
        if valid {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(ApiError::bad_request(format!(
                "{text:?} is not an e-mail address"
            )))
        }
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn valid_domain(domain: &str) -> bool {
    valid_ascii_domain(domain)
        || idna::domain_to_ascii(domain).is_ok_and(|ascii| valid_ascii_domain(&ascii))
}

fn valid_ascii_domain(domain: &str) -> bool {
    if EmailAddress::is_valid_domain(domain) {
        return true;
    }
    let ip = domain
        .strip_prefix('[')
        .and_then(|ip| ip.strip_suffix(']'))
        .unwrap_or(domain);
    ip.parse::<IpAddr>().is_ok()
}

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_parses_as_the_mailer_would_parse_it() {
        for good in [
            "a@example.com",
            " zhou.min@bank.example.cn ",
            "x@[127.0.0.1]",
            "仓@例子.中国",
        ] {
            assert!(Address::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "no-at",
            "@example.com",
            "a@",
            "a b@example.com",
            "a@exa mple.com",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
    }
}
