//! What an operation without a session may ask. The schema's depth and
//! complexity limits bound every operation; a caller without a session, who
//! can be anyone in any number, is held to far less: a few root fields (the
//! public ones, `ledger` and `receiptCheck`, each a read of the database)
//! and a modest number of fields in all, aliases counted as the fields they
//! repeat.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Root fields an operation without a session may select, aliases included.
pub const ANONYMOUS_ROOT_FIELDS: usize = 4;
/// Fields in all an operation without a session may select.
pub const ANONYMOUS_FIELDS: usize = 200;

/// Why an operation without a session is refused, if it is. A query that
/// does not parse is left to the schema, which says why.
pub fn anonymous_refusal(query: &str) -> Option<String> {
    let document = async_graphql::parser::parse_query(query).ok()?;
    let mut counter = Counter {
        document: &document,
        fragments: HashMap::new(),
    };
    for (_, operation) in document.operations.iter() {
        let set = &operation.node.selection_set.node;
        let roots = counter.roots(set, 0);
        if roots > ANONYMOUS_ROOT_FIELDS {
            return Some(format!(
                "an operation without a session selects at most {ANONYMOUS_ROOT_FIELDS} root fields, not {roots}; sign in for more"
            ));
        }
        let fields = counter.fields(set, 0);
        if fields > ANONYMOUS_FIELDS {
            return Some(format!(
                "an operation without a session selects at most {ANONYMOUS_FIELDS} fields, not {fields}; sign in for more"
            ));
        }
    }
    None
}

/// Fragments nest no deeper than this when counting; deeper is refused by
/// counting it as too many.
const MAX_NESTING: usize = 32;

struct Counter<'d> {
    document: &'d ExecutableDocument,
    fragments: HashMap<String, usize>,
}

impl Counter<'_> {
    /// Fields selected at this level, through fragments.
    fn roots(&mut self, set: &SelectionSet, nesting: usize) -> usize {
        if nesting > MAX_NESTING {
            return usize::MAX;
        }
        set.items.iter().fold(0usize, |n, item| {
            n.saturating_add(match &item.node {
                Selection::Field(_) => 1,
                Selection::InlineFragment(f) => self.roots(&f.node.selection_set.node, nesting + 1),
                Selection::FragmentSpread(s) => self
                    .document
                    .fragments
                    .get(&s.node.fragment_name.node)
                    .map_or(0, |f| self.roots(&f.node.selection_set.node, nesting + 1)),
            })
        })
    }

    /// Fields selected at this level and below, each fragment counted as
    /// often as it is spread (so nested spreads cannot multiply unseen).
    fn fields(&mut self, set: &SelectionSet, nesting: usize) -> usize {
        if nesting > MAX_NESTING {
            return usize::MAX;
        }
        set.items.iter().fold(0usize, |n, item| {
            n.saturating_add(match &item.node {
                Selection::Field(f) => {
                    1usize.saturating_add(self.fields(&f.node.selection_set.node, nesting + 1))
                }
                Selection::InlineFragment(f) => {
                    self.fields(&f.node.selection_set.node, nesting + 1)
                }
                Selection::FragmentSpread(s) => {
                    let name = s.node.fragment_name.node.to_string();
                    if let Some(n) = self.fragments.get(&name) {
                        *n
                    } else {
                        let n = self
                            .document
                            .fragments
                            .get(&s.node.fragment_name.node)
                            .map_or(0, |f| self.fields(&f.node.selection_set.node, nesting + 1));
                        self.fragments.insert(name, n);
                        n
                    }
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// `n` copies of `item`, the first `{}` replaced by the copy's number.
    fn repeated(n: usize, item: &str) -> String {
        (0..n).fold(String::new(), |mut out, i| {
            let _ = write!(out, " {}", item.replacen("{}", &i.to_string(), 1));
            out
        })
    }

    #[test]
    fn the_public_pages_operations_are_allowed_without_a_session() {
        assert_eq!(
            anonymous_refusal("{ ledger { origin logVkey size } }"),
            None
        );
        assert_eq!(
            anonymous_refusal(
                "query($id: String!) { receiptCheck(id: $id) { id status entries { index entry } } ledger { origin } }"
            ),
            None
        );
    }

    #[test]
    fn many_aliases_of_a_root_field_are_refused_without_a_session() {
        let wide = repeated(5, "a{}: ledger { origin }");
        let refusal = anonymous_refusal(&format!("{{{wide} }}")).unwrap();
        assert!(
            refusal.contains("at most 4 root fields, not 5"),
            "{refusal}"
        );
    }

    #[test]
    fn many_aliases_of_cheap_fields_are_refused_without_a_session() {
        let wide = repeated(300, "o{}: origin");
        let refusal = anonymous_refusal(&format!("{{ ledger {{{wide} }} }}")).unwrap();
        assert!(refusal.contains("at most 200 fields, not 301"), "{refusal}");
    }

    #[test]
    fn fragments_count_as_often_as_they_are_spread() {
        let mut query = String::from("{ ledger { ...a0 } }\n");
        // Each fragment spreads the next twice: 2^12 fields from 13 lines.
        for i in 0..12 {
            let next = i + 1;
            let _ = writeln!(
                query,
                "fragment a{i} on LedgerInfo {{ ...a{next} ...a{next} }}"
            );
        }
        query.push_str("fragment a12 on LedgerInfo { origin }\n");
        let refusal = anonymous_refusal(&query).unwrap();
        assert!(refusal.contains("at most 200 fields"), "{refusal}");
    }
}
