use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};

/// `value_counts()` by a plain map: counts, largest first, ties to the value seen first.
fn reference(values: &[(String, u64)]) -> Vec<(String, u64)> {
    let mut counts: HashMap<&str, (u64, u64)> = HashMap::new();
    for (value, row) in values {
        let entry = counts.entry(value).or_insert((0, *row));
        entry.0 += 1;
        entry.1 = entry.1.min(*row);
    }
    let mut sorted: Vec<(&str, (u64, u64))> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
    sorted
        .into_iter()
        .map(|(v, (count, _))| (v.to_string(), count))
        .collect()
}

fn summary(values: &[(String, u64)], capacity: usize) -> SpaceSaving {
    let mut summary = SpaceSaving::new(capacity);
    values
        .iter()
        .for_each(|(v, row)| summary.add(v.as_bytes(), *row));
    summary
}

fn pairs(top: &[TopCount]) -> Vec<(String, u64)> {
    top.iter().map(|t| (t.value.clone(), t.count)).collect()
}

/// Rows of a skewed column: value `i` about `1 / (i + 1)` as often as value 0.
fn skewed(words: u32) -> impl Strategy<Value = Vec<(String, u64)>> {
    prop::collection::vec(1u32..10_000, 0..400).prop_map(move |draws| {
        draws
            .into_iter()
            .enumerate()
            .map(|(row, d)| (format!("w{}", (10_000 / d - 1).min(words)), row as u64))
            .collect()
    })
}

/// The bounds every state keeps: `count − error ≤ true ≤ count`, and every value occurring
/// more than `N / k` times is monitored.
fn check_bounds(state: &SpaceSaving, values: &[(String, u64)]) -> Result<(), TestCaseError> {
    let truth = reference(values);
    let top = state.top(usize::MAX);
    let n = values.len() as u64;
    prop_assert_eq!(state.total(), n);
    for t in &top {
        let exact = truth.iter().find(|(v, _)| *v == t.value).map_or(0, |e| e.1);
        prop_assert!(
            t.count - t.error <= exact && exact <= t.count,
            "{:?} {}",
            t,
            exact
        );
    }
    for (value, count) in &truth {
        if *count * state.capacity as u64 > n {
            prop_assert!(
                top.iter().any(|t| &t.value == value),
                "{value} ({count}) lost"
            );
        }
    }
    Ok(())
}

#[test]
fn exact_while_the_values_fit() {
    // pandas: Series(list("bcabca d")).value_counts() → b 2, c 2, a 2, " " 1, d 1 (stable:
    // ties keep the order of first appearance).
    let values: Vec<(String, u64)> = "bcabca d"
        .chars()
        .enumerate()
        .map(|(row, c)| (c.to_string(), row as u64))
        .collect();
    let state = summary(&values, 5);
    assert!(state.is_exact());
    assert_eq!(pairs(&state.top(10)), reference(&values));
    assert_eq!(state.top(10).iter().map(|t| t.error).max(), Some(0));
    let past = summary(&values, 4);
    assert!(!past.is_exact());
    assert_eq!(SpaceSaving::new(3).top(5), []);
}

#[test]
fn states_round_trip() {
    let values: Vec<(String, u64)> = ["a", "b", "a", "c", "d", "a"]
        .iter()
        .enumerate()
        .map(|(r, v)| (v.to_string(), r as u64))
        .collect();
    let state = summary(&values, 3);
    let text = serde_json::to_string(&state).unwrap();
    let back: SpaceSaving = serde_json::from_str(&text).unwrap();
    assert_eq!(back.top(3), state.top(3));
    assert_eq!((back.total(), back.is_exact()), (6, false));
    assert!(state.heap_bytes() > 0);
}

proptest! {
    #[test]
    fn exact_states_match_value_counts_for_any_split(
        values in skewed(30),
        cuts in prop::collection::vec(0usize..400, 0..6),
        seed in any::<u32>(),
    ) {
        let parts = chunks(values.len(), &cuts)
            .into_iter()
            .map(|range| summary(&values[range], 64))
            .collect();
        let merged = merge_randomly(parts, seed, |a, b| a.merge(b));
        prop_assert!(merged.is_exact());
        prop_assert_eq!(pairs(&merged.top(usize::MAX)), reference(&values));
        prop_assert_eq!(merged.top(usize::MAX), summary(&values, 64).top(usize::MAX));
    }

    #[test]
    fn a_summary_of_exact_counts_keeps_the_bounds_as_rows_follow(
        values in skewed(200),
        split in 0usize..400,
        capacity in 2usize..12,
    ) {
        let split = split.min(values.len());
        let mut counts = crate::accumulate::TextCounts::new();
        values[..split].iter().for_each(|(v, row)| counts.add(v.as_bytes(), *row));
        let mut state = SpaceSaving::from_counts(capacity, counts.iter_first_seen());
        values[split..].iter().for_each(|(v, row)| state.add(v.as_bytes(), *row));
        check_bounds(&state, &values)?;
        if counts.unique() as usize <= capacity && split == values.len() {
            prop_assert!(state.is_exact());
            prop_assert_eq!(pairs(&state.top(usize::MAX)), reference(&values));
        }
    }

    #[test]
    fn bounded_states_keep_their_bounds_for_any_split(
        values in skewed(200),
        cuts in prop::collection::vec(0usize..400, 0..6),
        capacity in 2usize..12,
        seed in any::<u32>(),
    ) {
        check_bounds(&summary(&values, capacity), &values)?;
        let parts = chunks(values.len(), &cuts)
            .into_iter()
            .map(|range| summary(&values[range], capacity))
            .collect();
        let merged = merge_randomly(parts, seed, |a, b| a.merge(b));
        check_bounds(&merged, &values)?;
    }
}
