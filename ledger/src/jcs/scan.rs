//! A one-pass check that bytes are already canonical, without building a
//! JSON tree or serialising it again.
//!
//! Verifying a ledger means checking millions of entries that are, when
//! honest, canonical already. Parsing each into a `serde_json::Value` and
//! re-serialising it costs about as much as a third of a signature check;
//! scanning the bytes once costs a tenth of that. The scanner accepts exactly
//! the RFC 8785 forms of Godown data: no whitespace, members in UTF-16 order
//! without repeats, strings escaped only where JCS escapes them, integers in
//! the safe range and nothing else. Differential tests hold it to the same
//! verdicts as `serde_json` followed by `serde_json_canonicalizer`.
//!
//! It only says yes or no. On no, callers run the full parser to say why.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::ops::Range;

use super::MAX_SAFE_INTEGER;

/// Deepest nesting accepted, as `serde_json` accepts.
const MAX_DEPTH: usize = 127;

/// Members are listed for the top object and the objects directly inside
/// it (an entry and its transaction); deeper ones are only checked.
const LISTED_DEPTH: usize = 1;

/// The JSON type of a scanned value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Number,
    Literal,
}

/// One member of a scanned object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member<'a> {
    /// The member's name, unescaped.
    pub name: Cow<'a, str>,
    /// Where its value lies in the scanned bytes.
    pub value: Range<usize>,
    /// The value's type.
    pub kind: Kind,
    /// When the value is an object directly inside the top one, its members.
    pub members: Vec<Member<'a>>,
}

/// Checks that `bytes` are a canonical JSON object and lists its members,
/// and the members of the objects directly inside it.
pub(crate) fn canonical_object(bytes: &[u8]) -> Option<Vec<Member<'_>>> {
    let mut scanner = Scanner { bytes, pos: 0 };
    let mut members = Vec::new();
    scanner.object(0, Some(&mut members))?;
    (scanner.pos == bytes.len()).then_some(members)
}

/// Checks that `bytes` are one canonical JSON value of any type.
#[cfg(test)]
pub(crate) fn canonical_value(bytes: &[u8]) -> bool {
    let mut scanner = Scanner { bytes, pos: 0 };
    scanner.value(0).is_some() && scanner.pos == bytes.len()
}

/// Unescapes a canonical JSON string (with its quotes), as scanned.
pub(crate) fn string_value(quoted: &[u8]) -> Option<Cow<'_, str>> {
    let inner = quoted.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if !inner.contains(&b'\\') {
        return std::str::from_utf8(inner).ok().map(Cow::Borrowed);
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while let Some(&b) = inner.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let unescaped = match inner.get(i + 1)? {
            b'"' => b'"',
            b'\\' => b'\\',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let hex = std::str::from_utf8(inner.get(i + 2..i + 6)?).ok()?;
                let code = u8::from_str_radix(hex, 16).ok()?;
                out.push(code);
                i += 6;
                continue;
            }
            _ => return None,
        };
        out.push(unescaped);
        i += 2;
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.pos += 1)
    }

    fn value(&mut self, depth: usize) -> Option<Kind> {
        match self.peek()? {
            b'{' => self.object(depth, None).map(|()| Kind::Object),
            b'[' => self.array(depth).map(|()| Kind::Array),
            b'"' => self.string().map(|_| Kind::String),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number().map(|()| Kind::Number),
        }
    }

    /// An object, its members in strictly increasing UTF-16 order; listed
    /// into `list` when given.
    fn object(&mut self, depth: usize, mut list: Option<&mut Vec<Member<'a>>>) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        let mut previous: Option<Cow<'a, str>> = None;
        loop {
            let name_span = self.string()?;
            let bytes: &'a [u8] = self.bytes;
            let name = string_value(bytes.get(name_span)?)?;
            if previous
                .as_deref()
                .is_some_and(|p| utf16_order(p, &name) != Ordering::Less)
            {
                return None;
            }
            self.eat(b':')?;
            let start = self.pos;
            let mut members = Vec::new();
            let kind = if list.is_some() && depth < LISTED_DEPTH && self.peek() == Some(b'{') {
                self.object(depth + 1, Some(&mut members))?;
                Kind::Object
            } else {
                self.value(depth + 1)?
            };
            if let Some(list) = list.as_deref_mut() {
                list.push(Member {
                    name: name.clone(),
                    value: start..self.pos,
                    kind,
                    members,
                });
            }
            previous = Some(name);
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, depth: usize) -> Option<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            self.value(depth + 1)?;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A string in its canonical form; returns its span, quotes included.
    fn string(&mut self) -> Option<Range<usize>> {
        let start = self.pos;
        self.eat(b'"')?;
        loop {
            let b = self.peek()?;
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => self.canonical_escape()?,
                0x00..=0x1f => return None,
                _ => {}
            }
        }
        // Escapes are ASCII, so the raw bytes must be UTF-8 on their own.
        std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        Some(start..self.pos)
    }

    /// JCS escapes `"` and `\`, and control characters: the five with short
    /// forms by those, the rest as `\u00xx` in lowercase hex. Nothing else.
    fn canonical_escape(&mut self) -> Option<()> {
        let b = self.peek()?;
        self.pos += 1;
        match b {
            b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't' => Some(()),
            b'u' => {
                let hex = self.bytes.get(self.pos..self.pos + 4)?;
                self.pos += 4;
                let lower_hex = hex.iter().all(|h| matches!(h, b'0'..=b'9' | b'a'..=b'f'));
                let code = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                let short_form = matches!(code, 0x08 | 0x09 | 0x0a | 0x0c | 0x0d);
                (lower_hex && code < 0x20 && !short_form).then_some(())
            }
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<Kind> {
        let end = self.pos + word.len();
        (self.bytes.get(self.pos..end)? == word).then(|| {
            self.pos = end;
            Kind::Literal
        })
    }

    /// `0` or `-?[1-9][0-9]*` within ±(2^53 − 1); no fractions, no
    /// exponents, no `-0`.
    fn number(&mut self) -> Option<()> {
        let negative = self.eat(b'-').is_some();
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits = self.bytes.get(start..self.pos)?;
        // Nothing, a leading zero, or minus zero.
        let malformed = match digits {
            [] | [b'0', _, ..] => true,
            [b'0'] => negative,
            _ => false,
        };
        if malformed {
            return None;
        }
        if digits.len() > 16 {
            return None;
        }
        let value: u64 = std::str::from_utf8(digits).ok()?.parse().ok()?;
        (value <= MAX_SAFE_INTEGER).then_some(())
    }
}

/// RFC 8785 §3.2.3: member names sort by their UTF-16 code units.
fn utf16_order(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    use super::*;
    use crate::jcs::{parse_canonical, rfc8785};

    /// Any JSON value: safe and unsafe integers, floats, strings of any
    /// characters (control characters included), nested a few levels.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-(1i64 << 53) + 1..(1i64 << 53)).prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\\\"/a-z\u{0}-\u{1f}\u{7f}\u{2028}\u{fb33}\u{1f602}]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec(
                    (
                        "[a-zA-Z0-9\\\"\u{0}-\u{1f}\u{e9}\u{fb33}\u{1f602}]{0,4}",
                        inner
                    ),
                    0..6
                )
                .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    /// The verdict of the full path: `serde_json`, the number rule, then a
    /// byte comparison with `serde_json_canonicalizer`'s output.
    fn full_verdict(bytes: &[u8]) -> bool {
        parse_canonical(bytes).is_ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn the_scanner_agrees_with_the_full_path_on_canonical_bytes(value in json()) {
            let bytes = rfc8785(&value);
            prop_assert_eq!(canonical_value(&bytes), full_verdict(&bytes), "{}", String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn the_scanner_agrees_with_the_full_path_on_damaged_bytes(
            value in json(),
            position in any::<usize>(),
            edit in 0..4u8,
            byte in prop_oneof![
                Just(b' '), Just(b'\\'), Just(b'"'), Just(b'0'), Just(b'.'), Just(b'e'), Just(b'/'),
                Just(b'-'), Just(b'\n'), Just(b'u'), Just(b','), Just(b'}'), Just(0xc3), any::<u8>()
            ],
        ) {
            let mut bytes = rfc8785(&value);
            let at = position % (bytes.len() + 1);
            match edit {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => { bytes.remove(at); }
                2 if at < bytes.len() => bytes[at] = byte,
                _ if at + 1 < bytes.len() => bytes.swap(at, at + 1),
                _ => bytes.push(byte),
            }
            prop_assert_eq!(canonical_value(&bytes), full_verdict(&bytes), "{}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn the_scanner_agrees_with_the_full_path_on_every_escape_of_every_ascii_character() {
        for code in 0u8..0x80 {
            let c = char::from(code);
            let mut forms = vec![
                c.to_string(),
                format!("\\u{code:04x}"),
                format!("\\u{code:04X}"),
                format!("\\{c}"),
            ];
            if code == 0x7f {
                forms.push("\\u007f".into());
            }
            for form in forms {
                let bytes = format!("{{\"a\":\"{form}\"}}");
                assert_eq!(
                    canonical_value(bytes.as_bytes()),
                    full_verdict(bytes.as_bytes()),
                    "{bytes:?}"
                );
            }
        }
    }

    #[test]
    fn the_scanner_agrees_with_the_full_path_on_number_forms() {
        for number in [
            "0",
            "-0",
            "1",
            "-1",
            "01",
            "-01",
            "1.0",
            "1.5",
            "1e2",
            "1E2",
            "-",
            "+1",
            "00",
            "9007199254740991",
            "-9007199254740991",
            "9007199254740992",
            "-9007199254740992",
            "18446744073709551616",
            "12345678901234567",
            "0.0",
            "1e-7",
            "100",
        ] {
            let bytes = format!("[{number}]");
            assert_eq!(
                canonical_value(bytes.as_bytes()),
                full_verdict(bytes.as_bytes()),
                "{number}"
            );
        }
    }

    #[test]
    fn the_scanner_stops_at_the_same_nesting_depth_as_serde_json() {
        for depth in 120..135 {
            let bytes = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            assert_eq!(
                canonical_value(bytes.as_bytes()),
                full_verdict(bytes.as_bytes()),
                "depth {depth}"
            );
        }
    }

    fn accepts(bytes: &[u8]) -> bool {
        canonical_object(bytes).is_some()
    }

    #[test]
    fn canonical_objects_are_accepted_and_their_members_located() {
        let bytes = br#"{"a":[1,-2,{"x":null}],"b":"q\"\\\n\u001f","c":true}"#;
        let members = canonical_object(bytes).unwrap();
        let names: Vec<&str> = members.iter().map(|m| m.name.as_ref()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(&bytes[members[2].value.clone()], b"true");
        assert_eq!(
            string_value(&bytes[members[1].value.clone()]).unwrap(),
            "q\"\\\n\u{1f}"
        );
    }

    #[test]
    fn every_non_canonical_form_is_refused() {
        for bad in [
            &br#"{"b":1,"a":2}"#[..],
            br#"{"a":1,"a":2}"#,
            br#"{ "a":1}"#,
            br#"{"a":1.0}"#,
            br#"{"a":1e2}"#,
            br#"{"a":-0}"#,
            br#"{"a":01}"#,
            br#"{"a":9007199254740992}"#,
            br#"{"a":"\/"}"#,
            br#"{"a":"\u000a"}"#,
            br#"{"a":"\u001F"}"#,
            br#"{"a":"\u0041"}"#,
            b"{\"a\":\"\x01\"}",
            b"{\"a\":\"\xff\"}",
            br#"{"a":1}x"#,
            br#"{"a":1"#,
            b"[1]",
            br#"{"a":tru}"#,
        ] {
            assert!(!accepts(bad), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn member_names_sort_by_utf16_code_units_not_by_code_points() {
        // U+FB33 sorts after U+1F602 in UTF-16 (0xD83D < 0xFB33 is false:
        // the surrogate 0xD83D is smaller), so the emoji comes first.
        assert!(accepts("{\"\u{1F602}\":1,\"\u{FB33}\":2}".as_bytes()));
        assert!(!accepts("{\"\u{FB33}\":2,\"\u{1F602}\":1}".as_bytes()));
    }
}
