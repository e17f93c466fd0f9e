use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};

/// The extremes by a plain loop over the non-NaN values.
fn reference(values: &[f64]) -> Option<(f64, f64)> {
    let kept: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    let first = *kept.first()?;
    Some(kept.iter().fold((first, first), |(lo, hi), &v| {
        (if v < lo { v } else { lo }, if v > hi { v } else { hi })
    }))
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => -1e9f64..1e9,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(1e9 + 1e-3),
    ]
}

#[test]
fn nan_is_skipped_and_infinities_count() {
    let mut m = MinMax::new();
    m.add_slice(&[f64::NAN, f64::NAN]);
    assert_eq!((m.min(), m.max()), (None, None));
    m.add_slice(&[f64::INFINITY]);
    assert_eq!(
        (m.min(), m.max()),
        (Some(f64::INFINITY), Some(f64::INFINITY))
    );
    m.add(f64::NAN);
    m.add(-3.0);
    assert_eq!((m.min(), m.max()), (Some(-3.0), Some(f64::INFINITY)));
    assert_eq!(m.heap_bytes(), 0);
    let text = serde_json::to_string(&MinMax::new()).unwrap();
    assert_eq!(
        serde_json::from_str::<MinMax>(&text).unwrap(),
        MinMax::new()
    );
    let mut finite = MinMax::new();
    finite.add_slice(&[2.5, -1e300]);
    let text = serde_json::to_string(&finite).unwrap();
    assert_eq!(serde_json::from_str::<MinMax>(&text).unwrap(), finite);
}

proptest! {
    #[test]
    fn finite_slices_give_the_extremes_of_the_finite_values(
        values in prop::collection::vec(value(), 0..200),
    ) {
        let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
        let mut m = MinMax::new();
        m.add_finite_slice(&values);
        prop_assert_eq!(m.min().zip(m.max()), reference(&finite));
    }

    #[test]
    fn any_split_merged_in_any_order_gives_the_extremes(
        values in prop::collection::vec(value(), 0..200),
        cuts in prop::collection::vec(0usize..200, 0..6),
        order in 0u32..1000,
    ) {
        let parts: Vec<MinMax> = chunks(values.len(), &cuts)
            .into_iter()
            .enumerate()
            .map(|(k, rows)| {
                let mut part = MinMax::new();
                if k % 2 == 0 {
                    part.add_slice(&values[rows]);
                } else {
                    values[rows].iter().for_each(|&v| part.add(v));
                }
                part
            })
            .collect();
        let merged = merge_randomly(parts, order, |a, b| a.merge(b));
        let want = reference(&values);
        prop_assert_eq!(merged.min(), want.map(|w| w.0));
        prop_assert_eq!(merged.max(), want.map(|w| w.1));
    }
}
