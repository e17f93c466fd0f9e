use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};
use crate::random::Mt19937;

/// Seeded pairs of labels: `a` out of `levels_a` and `b` out of `levels_b`, dependent on each other
/// and with unequal frequencies.
fn pairs(n: usize, levels_a: usize, levels_b: usize, seed: u32) -> Vec<(String, String)> {
    let mut rng = Mt19937::new(seed);
    (0..n)
        .map(|_| {
            let u = rng.random_sample();
            let a = (u * u * levels_a as f64) as usize;
            let b = (a + (rng.random_sample() * 2.0) as usize) % levels_b;
            (format!("a{a}"), format!("b-{b}"))
        })
        .collect()
}

/// The table by definition: a sorted map of pairs to counts.
fn reference(pairs: &[(String, String)]) -> BTreeMap<(Vec<u8>, Vec<u8>), u64> {
    let mut counts = BTreeMap::new();
    for (a, b) in pairs {
        *counts
            .entry((a.as_bytes().to_vec(), b.as_bytes().to_vec()))
            .or_insert(0) += 1;
    }
    counts
}

fn accumulate(pairs: &[(String, String)], max_levels: usize) -> Contingency {
    let mut state = Contingency::new(max_levels);
    for (a, b) in pairs {
        state.add(a.as_bytes(), b.as_bytes());
    }
    state
}

/// The table's non-zero cells as a map of label pairs.
fn cells(state: &Contingency) -> BTreeMap<(Vec<u8>, Vec<u8>), u64> {
    let (rows, columns, table) = state.table().expect("not overflowed");
    assert!(rows.windows(2).all(|w| w[0] < w[1]));
    assert!(columns.windows(2).all(|w| w[0] < w[1]));
    table
        .indexed_iter()
        .filter(|(_, &count)| count != 0.0)
        .map(|((i, j), &count)| ((rows[i].clone(), columns[j].clone()), count as u64))
        .collect()
}

#[test]
fn the_table_counts_every_pair() {
    for seed in 0..5 {
        let data = pairs(500, 6, 4, seed);
        let state = accumulate(&data, 10);
        assert_eq!(cells(&state), reference(&data));
        assert_eq!(state.total(), 500);
        let (_, _, table) = state.table().unwrap();
        assert!(table.sum_axis(ndarray::Axis(0)).iter().all(|&s| s > 0.0));
        assert!(table.sum_axis(ndarray::Axis(1)).iter().all(|&s| s > 0.0));
    }
}

#[test]
fn add_count_is_repeated_add() {
    let (mut one_by_one, mut tallied) = (Contingency::new(4), Contingency::new(4));
    for _ in 0..3 {
        one_by_one.add(b"x", b"y");
    }
    tallied.add_count(b"x", b"y", 3);
    tallied.add_count(b"never", b"counted", 0);
    assert_eq!(tallied, one_by_one);
}

#[test]
fn passing_the_cap_overflows() {
    let mut state = Contingency::new(2);
    state.add(b"a", b"1");
    state.add(b"b", b"2");
    assert!(!state.is_overflowed());
    state.add(b"a", b"3");
    assert!(state.is_overflowed() && state.table().is_none());
    assert_eq!((state.total(), state.heap_bytes()), (0, 0));
    state.add(b"a", b"1");
    assert!(state.is_overflowed());

    // Two states within the cap whose labels together pass it.
    let (mut left, mut right) = (Contingency::new(2), Contingency::new(2));
    left.add(b"a", b"1");
    left.add(b"b", b"1");
    right.add(b"c", b"1");
    left.merge(&right);
    assert!(left.is_overflowed());

    // An overflowed state overflows whatever it is merged into.
    let mut fine = Contingency::new(2);
    fine.add(b"a", b"1");
    fine.merge(&state);
    assert!(fine.is_overflowed());
}

#[test]
fn heap_bytes_grows_with_the_labels() {
    let small = accumulate(&pairs(100, 2, 2, 1), 100);
    let large = accumulate(&pairs(2000, 60, 50, 1), 100);
    assert!(small.heap_bytes() > 0);
    assert!(large.heap_bytes() > small.heap_bytes());
}

#[test]
fn a_state_survives_serialization() {
    let state = accumulate(&pairs(300, 5, 3, 7), 8);
    let text = serde_json::to_string(&state).unwrap();
    let back: Contingency = serde_json::from_str(&text).unwrap();
    assert_eq!(back, state);

    let mut overflowed = Contingency::new(1);
    overflowed.add(b"a", b"1");
    overflowed.add(b"b", b"1");
    let text = serde_json::to_string(&overflowed).unwrap();
    assert_eq!(
        serde_json::from_str::<Contingency>(&text).unwrap(),
        overflowed
    );

    let original: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
    let mut twice = original.clone();
    twice["table"]["rows"][1] = twice["table"]["rows"][0].clone();
    assert!(serde_json::from_value::<Contingency>(twice).is_err());
    let mut outside = original.clone();
    outside["table"]["cells"][0][0] = serde_json::json!(99);
    assert!(serde_json::from_value::<Contingency>(outside).is_err());
    let mut over_cap = original.clone();
    over_cap["max_levels"] = serde_json::json!(2);
    assert!(serde_json::from_value::<Contingency>(over_cap).is_err());
    let mut uncounted = original;
    uncounted["table"]["rows"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!("never seen"));
    assert!(serde_json::from_value::<Contingency>(uncounted).is_err());
}

proptest! {
    #[test]
    fn any_split_merged_in_any_order_gives_the_same_table(
        n in 0usize..300,
        levels_a in 1usize..8,
        levels_b in 1usize..8,
        max_levels in 2usize..9,
        cuts in proptest::collection::vec(0usize..400, 0..6),
        seed in 0u32..1000,
    ) {
        let data = pairs(n, levels_a, levels_b, seed);
        let whole = accumulate(&data, max_levels);
        let parts: Vec<Contingency> = chunks(n, &cuts)
            .into_iter()
            .map(|range| accumulate(&data[range], max_levels))
            .collect();
        let merged = merge_randomly(parts, seed, |a, b| a.merge(b));
        prop_assert_eq!(merged.is_overflowed(), whole.is_overflowed());
        if !whole.is_overflowed() {
            prop_assert_eq!(merged.table(), whole.table());
            prop_assert_eq!(cells(&whole), reference(&data));
        }
    }
}
