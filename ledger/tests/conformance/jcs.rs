//! The RFC 8785 input and output pairs of cyberphone/json-canonicalization.

use godown_ledger::jcs::{self, JcsError};

use crate::vectors;

fn pairs() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let dir = vectors().join("jcs");
    let mut names: Vec<String> = std::fs::read_dir(dir.join("input"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let input = std::fs::read(dir.join("input").join(&name)).unwrap();
            let output = std::fs::read(dir.join("output").join(&name)).unwrap();
            (name, input, output)
        })
        .collect()
}

#[test]
fn every_jcs_input_canonicalises_to_its_expected_output() {
    let pairs = pairs();
    assert_eq!(pairs.len(), 6);
    for (name, input, output) in pairs {
        let value: serde_json::Value = serde_json::from_slice(&input).unwrap();
        assert_eq!(
            String::from_utf8(jcs::rfc8785(&value)).unwrap(),
            String::from_utf8(output).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn godown_accepts_the_float_free_jcs_outputs_as_canonical_and_refuses_the_rest() {
    for (name, _, output) in pairs() {
        let result = jcs::parse_canonical(&output);
        match name.as_str() {
            // This one carries JSON floats, which Godown never signs.
            "values.json" => {
                assert!(
                    matches!(result, Err(JcsError::Float { .. })),
                    "{name}: {result:?}"
                );
            }
            _ => assert!(result.is_ok(), "{name}: {result:?}"),
        }
    }
}
