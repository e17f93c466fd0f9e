use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};
use crate::random::Mt19937;

/// The registers by the definition: the register is the hash's first 14 bits, the rank the
/// position of the first 1 among the other 50, counted bit by bit (51 when all are 0).
fn reference_registers(values: &[f64]) -> Vec<u8> {
    let mut registers = vec![0u8; REGISTERS];
    for &x in values {
        let x = if x == 0.0 { 0.0 } else { x };
        let hash = mix(x.to_bits() ^ SEED);
        let register = (hash / (1 << 50)) as usize;
        let rank = (1..=50)
            .find(|&i| hash & (1 << (50 - i)) != 0)
            .unwrap_or(51);
        registers[register] = registers[register].max(rank as u8);
    }
    registers
}

fn sketch(values: &[f64]) -> HyperLogLog {
    let mut sketch = HyperLogLog::new();
    sketch.add_slice(values);
    sketch
}

#[test]
fn estimates_lie_within_four_standard_errors_of_the_distinct_count() {
    let mut rng = Mt19937::new(14);
    for n in [1usize, 10, 1_000, 20_000, 100_000, 400_000] {
        // Each value repeated up to three times: repeats must not count.
        let values: Vec<f64> = (0..n)
            .flat_map(|i| std::iter::repeat_n(i as f64 * 0.37, 1 + rng.interval(2) as usize))
            .collect();
        let estimate = sketch(&values).estimate();
        let error = (estimate - n as f64).abs() / n as f64;
        assert!(
            error <= 4.0 * HyperLogLog::RELATIVE_ERROR,
            "{n} distinct values estimated as {estimate}"
        );
    }
    assert_eq!(HyperLogLog::new().estimate(), 0.0);
    // Short texts and numbers close in their high bytes spread over the registers.
    let words: Vec<String> = (0..5_000).map(|i| format!("w{i}")).collect();
    let mut text = HyperLogLog::new();
    words.iter().for_each(|w| text.add_bytes(w.as_bytes()));
    assert!((text.estimate() - 5_000.0).abs() < 5_000.0 * 4.0 * HyperLogLog::RELATIVE_ERROR);
}

#[test]
fn text_and_signed_zeros() {
    let mut text = HyperLogLog::new();
    for word in ["a", "b", "a", "Ab", "é", ""] {
        text.add_bytes(word.as_bytes());
    }
    assert_eq!(text.estimate().round(), 5.0);
    assert_eq!(sketch(&[0.0, -0.0]), sketch(&[0.0]));
    assert_eq!(text.heap_bytes(), 16_384);
}

#[test]
fn states_round_trip_and_bad_states_are_refused() {
    let state = sketch(&[1.0, 2.5, f64::INFINITY]);
    let text = serde_json::to_string(&state).unwrap();
    assert_eq!(serde_json::from_str::<HyperLogLog>(&text).unwrap(), state);
    assert!(serde_json::from_str::<HyperLogLog>("[1,2,3]").is_err());
    let too_high = format!("[{}]", vec!["52"; REGISTERS].join(","));
    assert!(serde_json::from_str::<HyperLogLog>(&too_high).is_err());
}

proptest! {
    #[test]
    fn registers_match_the_definition(
        values in prop::collection::vec(prop_oneof![-1e6f64..1e6, Just(0.0), Just(-0.0)], 0..300),
    ) {
        let fast = sketch(&values);
        prop_assert_eq!(fast.registers.to_vec(), reference_registers(&values));
        let exact = values.iter().map(|x| (x + 0.0).to_bits()).collect::<HashSet<_>>().len();
        // Linear counting is near exact this far below m.
        prop_assert!((fast.estimate() - exact as f64).abs() <= 0.02 * exact as f64 + 1.0);
    }

    #[test]
    fn any_split_merged_in_any_order_gives_the_same_registers(
        values in prop::collection::vec(-1e3f64..1e3, 0..400),
        cuts in prop::collection::vec(0usize..400, 0..6),
        seed in any::<u32>(),
    ) {
        let parts = chunks(values.len(), &cuts)
            .into_iter()
            .map(|range| sketch(&values[range]))
            .collect();
        let merged = merge_randomly(parts, seed, |a, b| a.merge(b));
        prop_assert_eq!(merged, sketch(&values));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn count_distinct_counts_as_a_sorted_dedup(
        values in prop::collection::vec(prop_oneof![
            4 => (-50i32..50).prop_map(f64::from),
            2 => -1e9f64..1e9,
            1 => Just(-0.0),
            1 => Just(f64::INFINITY),
        ], 0..2_000),
        spread in 0usize..80_000,
    ) {
        // Past 2^16 distinct values the count goes through the groups.
        let mut values = values;
        values.extend((0..spread).map(|i| i as f64 * 0.5));
        let mut sorted: Vec<u64> = values.iter().map(|x| (x + 0.0).to_bits()).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let mut reordered = values.clone();
        prop_assert_eq!(count_distinct(&mut reordered), sorted.len() as u64);
        let mut a = values.clone();
        a.sort_by(f64::total_cmp);
        reordered.sort_by(f64::total_cmp);
        prop_assert_eq!(a, reordered); // only reordered
    }
}
