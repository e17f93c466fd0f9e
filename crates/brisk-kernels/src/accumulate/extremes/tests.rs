use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};

/// `value_counts().sort_index()` by a plain ordered map of the values' bits; head and tail.
fn reference(values: &[f64], k: usize) -> [Vec<(f64, u64)>; 2] {
    let mut counts: BTreeMap<i64, (f64, u64)> = BTreeMap::new();
    for &x in values.iter().filter(|x| !x.is_nan()) {
        let x = if x == 0.0 { 0.0 } else { x };
        // Ordered keys for finite and infinite values alike.
        let bits = x.to_bits() as i64;
        let key = bits ^ (((bits >> 63) as u64) >> 1) as i64;
        counts.entry(key).or_insert((x, 0)).1 += 1;
    }
    let sorted: Vec<(f64, u64)> = counts.into_values().collect();
    let head = sorted.iter().take(k).copied().collect();
    let tail = sorted[sorted.len().saturating_sub(k)..].to_vec();
    [head, tail]
}

fn pairs(entries: &[ValueCount]) -> Vec<(f64, u64)> {
    entries.iter().map(|e| (e.value, e.count)).collect()
}

fn extremes(values: &[f64], k: usize) -> Extremes {
    let mut state = Extremes::new(k);
    state.add_slice(values);
    state
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (-20i32..20).prop_map(f64::from),
        2 => -1e9f64..1e9,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(-0.0),
    ]
}

#[test]
fn pandas_extreme_values() {
    // pandas: s = Series([5, 1, 1, 2, 8, 8, 8, nan, 3, 4, 9, -inf]);
    // s.value_counts().sort_index().head(3) → -inf: 1, 1: 2, 2: 1; .tail(3) → 5: 1, 8: 3, 9: 1.
    let values = [
        5.0,
        1.0,
        1.0,
        2.0,
        8.0,
        8.0,
        8.0,
        f64::NAN,
        3.0,
        4.0,
        9.0,
        f64::NEG_INFINITY,
    ];
    let state = extremes(&values, 3);
    assert_eq!(
        pairs(state.smallest()),
        [(f64::NEG_INFINITY, 1), (1.0, 2), (2.0, 1)]
    );
    assert_eq!(pairs(state.largest()), [(5.0, 1), (8.0, 3), (9.0, 1)]);
    // Fewer distinct values than k: both ends hold them all; -0.0 is 0.0.
    let few = extremes(&[0.0, -0.0, 2.0], 5);
    assert_eq!(pairs(few.smallest()), [(0.0, 2), (2.0, 1)]);
    assert_eq!(few.smallest(), few.largest());
    assert!(few.smallest()[0].value.is_sign_positive());
    assert!(extremes(&[f64::NAN], 5).smallest().is_empty());
    assert!(extremes(&[1.0], 0).largest().is_empty());
}

#[test]
fn skipped_blocks_lose_nothing() {
    // Many blocks of values between the ends, with new extremes and NaN arriving late.
    let mut rng = crate::random::Mt19937::new(9);
    let mut values: Vec<f64> = (0..20_000)
        .map(|_| (rng.random_sample() * 1_000.0).round())
        .collect();
    values[15_000] = -5.0;
    values[17_777] = 2_000.0;
    values[300..800].fill(f64::NAN);
    let state = extremes(&values, 5);
    let [head, tail] = reference(&values, 5);
    assert_eq!(pairs(state.smallest()), head);
    assert_eq!(pairs(state.largest()), tail);
}

#[test]
fn states_round_trip() {
    let state = extremes(&[1.0, 2.0, 2.0, 7.5], 2);
    let text = serde_json::to_string(&state).unwrap();
    assert_eq!(serde_json::from_str::<Extremes>(&text).unwrap(), state);
    assert!(state.heap_bytes() >= 4 * std::mem::size_of::<ValueCount>());
}

proptest! {
    #[test]
    fn matches_value_counts_sorted_by_value(
        values in prop::collection::vec(value(), 0..300),
        k in 0usize..8,
    ) {
        let state = extremes(&values, k);
        let [head, tail] = reference(&values, k);
        prop_assert_eq!(pairs(state.smallest()), head);
        prop_assert_eq!(pairs(state.largest()), tail);
    }

    #[test]
    fn any_split_merged_in_any_order_gives_the_same_state(
        values in prop::collection::vec(value(), 0..300),
        cuts in prop::collection::vec(0usize..300, 0..6),
        k in 1usize..6,
        seed in any::<u32>(),
    ) {
        let parts = chunks(values.len(), &cuts)
            .into_iter()
            .map(|range| extremes(&values[range], k))
            .collect();
        let merged = merge_randomly(parts, seed, |a, b| a.merge(b));
        let whole = extremes(&values, k);
        prop_assert_eq!(pairs(merged.smallest()), pairs(whole.smallest()));
        prop_assert_eq!(pairs(merged.largest()), pairs(whole.largest()));
    }
}
