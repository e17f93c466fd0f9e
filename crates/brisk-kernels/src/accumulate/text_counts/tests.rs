use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};

/// Counts and first rows by a plain ordered map.
fn reference(values: &[(String, u64)]) -> BTreeMap<String, (u64, u64)> {
    let mut map = BTreeMap::new();
    for (value, row) in values {
        let entry = map.entry(value.clone()).or_insert((0, *row));
        entry.0 += 1;
        entry.1 = entry.1.min(*row);
    }
    map
}

fn counted(values: &[(String, u64)]) -> TextCounts {
    let mut counts = TextCounts::new();
    values
        .iter()
        .for_each(|(v, r)| counts.add(v.as_bytes(), *r));
    counts
}

#[test]
fn top_ties_go_to_the_first_seen_and_mode_ties_to_the_smallest() {
    // pandas: Series(["b", "a", "a", "b", "c"]).describe() → top "b" (first in value_counts);
    // .mode() → ["a", "b"], so mode().iloc[0] is "a".
    let values: Vec<(String, u64)> = ["b", "a", "a", "b", "c"]
        .iter()
        .enumerate()
        .map(|(r, v)| (v.to_string(), r as u64 + 10))
        .collect();
    let mut counts = counted(&values);
    assert_eq!(counts.top(), Some(("b".to_string(), 2)));
    assert_eq!(counts.mode(), Some("a".to_string()));
    // A rescan may bring earlier rows later: "a" at row 3 is now the first seen.
    counts.add(b"a", 3);
    counts.add(b"b", 4);
    assert_eq!(counts.top(), Some(("a".to_string(), 3)));
    assert_eq!(
        (counts.unique(), counts.total(), counts.get(b"z")),
        (3, 7, None)
    );
    // Byte order is code-point order: "Z" < "a" < "é".
    let mut accents = TextCounts::new();
    for (r, v) in ["é", "a", "Z", "é", "a", "Z"].iter().enumerate() {
        accents.add(v.as_bytes(), r as u64);
    }
    assert_eq!(accents.mode(), Some("Z".to_string()));
    assert_eq!(accents.top(), Some(("é".to_string(), 2)));
    assert_eq!(TextCounts::new().top(), None);
    assert_eq!(TextCounts::new().mode(), None);
}

#[test]
fn serialized_states_are_sorted_text() {
    let mut counts = TextCounts::new();
    for (r, v) in ["pear", "apple", "pear", ""].iter().enumerate() {
        counts.add(v.as_bytes(), r as u64);
    }
    let text = serde_json::to_string(&counts).unwrap();
    assert_eq!(
        text,
        r#"{"":{"count":1,"first_row":3},"apple":{"count":1,"first_row":1},"pear":{"count":2,"first_row":0}}"#
    );
    assert_eq!(serde_json::from_str::<TextCounts>(&text).unwrap(), counts);
    counts.add(&[0xff, 0xfe], 9);
    assert!(serde_json::to_string(&counts).is_err());
    assert!(counts.heap_bytes() >= "pearapple".len() + 2);
}

proptest! {
    #[test]
    fn any_split_merged_in_any_order_gives_the_same_counts(
        picks in prop::collection::vec((0usize..12, 0u64..1000), 0..200),
        cuts in prop::collection::vec(0usize..200, 0..6),
        order in 0u32..1000,
    ) {
        let words = ["a", "b", "ab", "ba", "", "Ω", "z", "zz", "a b", "B", "0", "é"];
        let values: Vec<(String, u64)> =
            picks.iter().map(|&(w, r)| (words[w].to_string(), r)).collect();
        let parts: Vec<TextCounts> = chunks(values.len(), &cuts)
            .into_iter()
            .map(|rows| counted(&values[rows]))
            .collect();
        let merged = merge_randomly(parts, order, |a, b| a.merge(b));
        let want = reference(&values);
        prop_assert_eq!(&merged, &counted(&values));
        prop_assert_eq!(merged.unique(), want.len() as u64);
        prop_assert_eq!(merged.total(), values.len() as u64);
        let mut listed: Vec<(String, u64)> = merged
            .iter()
            .map(|(v, c)| (String::from_utf8(v.to_vec()).unwrap(), c))
            .collect();
        listed.sort();
        let expected: Vec<(String, u64)> = want.iter().map(|(v, t)| (v.clone(), t.0)).collect();
        prop_assert_eq!(listed, expected);
        // top: highest count, then smallest first row; mode: highest count, then smallest value.
        let top = want
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)))
            .map(|(v, t)| (v.clone(), t.0));
        let mode = want
            .iter()
            .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.0.cmp(a.0)))
            .map(|(v, _)| v.clone());
        // Equal first rows can tie for top; then any of them is pandas' answer only if rows are
        // distinct, so compare counts in that case.
        let first_rows_distinct = {
            let mut rows: Vec<u64> = want.values().map(|t| t.1).collect();
            rows.sort_unstable();
            rows.windows(2).all(|w| w[0] != w[1])
        };
        if first_rows_distinct {
            prop_assert_eq!(merged.top(), top);
        } else {
            prop_assert_eq!(merged.top().map(|t| t.1), top.map(|t| t.1));
        }
        prop_assert_eq!(merged.mode(), mode);
    }
}
