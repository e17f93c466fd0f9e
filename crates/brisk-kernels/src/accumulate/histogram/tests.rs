use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};

/// numpy.histogram by its definition: the bin whose half-open interval of the linspace edges
/// holds the value, the last bin closed; values outside the range or NaN are dropped.
fn reference(values: &[f64], edges: &[f64]) -> Vec<u64> {
    let bins = edges.len() - 1;
    let mut counts = vec![0; bins];
    for &x in values {
        if !(x >= edges[0] && x <= edges[bins]) {
            continue;
        }
        let index = if x == edges[bins] {
            bins - 1
        } else {
            edges.partition_point(|&e| e <= x) - 1
        };
        counts[index] += 1;
    }
    counts
}

/// `numpy.linspace(lo, hi, bins + 1)`, written out.
fn linspace(lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let step = (hi - lo) / bins as f64;
    let mut edges: Vec<f64> = (0..=bins).map(|i| i as f64 * step + lo).collect();
    edges[bins] = hi;
    edges
}

#[test]
fn values_on_the_edges_land_where_numpy_puts_them() {
    // numpy.linspace(0, 1, 11) has 0.30000000000000004 and 0.7000000000000001 as edges 3 and
    // 7, so numpy.histogram(..., 10, range=(0, 1)) puts 0.3 in bin 2, the edge itself in bin 3,
    // and 0.7 in bin 6.
    let mut h = Histogram::new(0.0, 1.0, 10).unwrap();
    h.add_slice(&[0.0, 0.1, 0.2, 0.3, 0.300_000_000_000_000_04, 0.7, 1.0]);
    assert_eq!(h.edges()[3], 0.300_000_000_000_000_04);
    assert_eq!(h.edges()[7], 0.700_000_000_000_000_1);
    assert_eq!(h.counts(), &[1, 1, 2, 1, 0, 0, 1, 0, 0, 1]);
    // Every edge goes to the bin it opens; the last closes the last bin.
    for (lo, hi, bins) in [
        (0.0, 1.0, 10),
        (-3.7, 12.1, 7),
        (1e9, 1e9 + 1e-3, 13),
        (0.1, 0.7, 3),
    ] {
        let mut h = Histogram::new(lo, hi, bins).unwrap();
        let edges = h.edges();
        assert_eq!(edges, linspace(lo, hi, bins));
        h.add_slice(&edges);
        let mut want = vec![1; bins];
        want[bins - 1] = 2;
        assert_eq!(h.counts(), want.as_slice(), "({lo}, {hi}, {bins})");
        // The double just below each edge falls in the bin before it.
        let below: Vec<f64> = edges[1..].iter().map(|e| e.next_down()).collect();
        let mut h = Histogram::new(lo, hi, bins).unwrap();
        h.add_slice(&below);
        assert_eq!(
            h.counts(),
            vec![1; bins].as_slice(),
            "({lo}, {hi}, {bins}) below"
        );
    }
}

#[test]
fn out_of_range_and_nan_are_not_counted() {
    let mut h = Histogram::new(-1.0, 1.0, 4).unwrap();
    h.add_slice(&[
        -1.0000001,
        1.0000001,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -1.0,
        1.0,
    ]);
    assert_eq!(h.counts(), &[1, 0, 0, 1]);
}

#[test]
fn an_empty_range_is_widened_as_numpy_does() {
    // numpy.histogram([5.0, 5.0], 2, range=(5, 5)) → [0, 2], edges [4.5, 5, 5.5].
    let mut h = Histogram::new(5.0, 5.0, 2).unwrap();
    h.add_slice(&[5.0, 5.0, 4.4]);
    assert_eq!(h.edges(), vec![4.5, 5.0, 5.5]);
    assert_eq!(h.counts(), &[0, 2]);
}

#[test]
fn bad_ranges_and_mismatched_edges_are_refused() {
    assert!(Histogram::new(0.0, 1.0, 0).is_err());
    assert!(Histogram::new(1.0, 0.0, 3).is_err());
    assert!(Histogram::new(f64::NAN, 1.0, 3).is_err());
    assert!(Histogram::new(0.0, f64::INFINITY, 3).is_err());
    assert!(Histogram::new(-1e308, 1e308, 3).is_err()); // the width overflows
    assert!(Histogram::new(1e17, 1e17, 3).is_err()); // ± 0.5 is below the resolution
    let mut h = Histogram::new(0.0, 1.0, 3).unwrap();
    h.add(0.5);
    for other in [(0.0, 1.0, 4), (0.0, 2.0, 3), (-1.0, 1.0, 3)] {
        let other = Histogram::new(other.0, other.1, other.2).unwrap();
        assert!(matches!(
            h.merge(&other),
            Err(KernelError::ShapeMismatch(_))
        ));
    }
    assert_eq!(h.counts(), &[0, 1, 0]);
}

#[test]
fn a_state_survives_serialization() {
    let mut h = Histogram::new(-2.0, 3.0, 5).unwrap();
    h.add_slice(&[-2.0, 0.0, 0.5, 3.0]);
    let text = serde_json::to_string(&h).unwrap();
    assert_eq!(serde_json::from_str::<Histogram>(&text).unwrap(), h);
    assert!(serde_json::from_str::<Histogram>(r#"{"lo": 1, "hi": 0, "counts": [1]}"#).is_err());
    assert!(serde_json::from_str::<Histogram>(r#"{"lo": 0, "hi": 1, "counts": []}"#).is_err());
    assert_eq!(h.heap_bytes(), 5 * 8);
}

proptest! {
    #[test]
    fn counts_equal_numpys_for_any_split(
        values in prop::collection::vec(-20.0f64..20.0, 0..300),
        grid in prop::collection::vec(-4i32..=4, 0..40),
        lo in -12.0f64..0.0,
        width in 0.0f64..15.0,
        bins in 1usize..30,
        cuts in prop::collection::vec(0usize..340, 0..6),
        order in 0u32..1000,
    ) {
        let probe = Histogram::new(lo, lo + width, bins).unwrap();
        let edges = probe.edges();
        // Values exactly on edges and their neighbours, beside random ones.
        let mut values = values;
        for (i, &g) in grid.iter().enumerate() {
            let e = edges[i % edges.len()];
            values.push(match g {
                -1 => e.next_down(),
                1 => e.next_up(),
                _ => e,
            });
        }
        let want = reference(&values, &edges);
        let parts: Vec<Histogram> = chunks(values.len(), &cuts)
            .into_iter()
            .map(|rows| {
                let mut part = probe.clone();
                part.add_slice(&values[rows]);
                part
            })
            .collect();
        let merged = merge_randomly(parts, order, |a, b| a.merge(b).unwrap());
        prop_assert_eq!(merged.counts(), want.as_slice());
    }

    #[test]
    fn the_slice_counts_equal_the_value_by_value_counts(
        values in prop::collection::vec(
            prop_oneof![
                8 => -20.0f64..20.0,
                1 => Just(f64::NAN),
                1 => Just(f64::INFINITY),
                1 => Just(f64::NEG_INFINITY),
            ],
            0..300,
        ),
        lo in -12.0f64..0.0,
        width in 0.0f64..15.0,
        bins in 1usize..30,
    ) {
        let mut slice = Histogram::new(lo, lo + width, bins).unwrap();
        let mut one_by_one = slice.clone();
        slice.add_slice(&values);
        values.iter().for_each(|&x| one_by_one.add(x));
        prop_assert_eq!(slice.counts(), one_by_one.counts());
    }
}
