use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, close, merge_randomly};
use crate::random::Mt19937;

/// Seeded rows: a label out of `classes` (unequal frequencies) and `p` features with a class
/// effect, on different scales (one constant feature when `p > 2`).
fn rows(n: usize, p: usize, classes: usize, seed: u32) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut rng = Mt19937::new(seed);
    let labels: Vec<String> = (0..n)
        .map(|i| {
            let u = rng.random_sample();
            let c = if i < classes {
                i
            } else {
                (u * u * classes as f64) as usize
            };
            format!("class {c}")
        })
        .collect();
    let columns = (0..p)
        .map(|j| {
            labels
                .iter()
                .map(|l| {
                    let effect = l.len() as f64 + l.as_bytes()[l.len() - 1] as f64 * 0.01;
                    let noise = rng.random_sample() - 0.5;
                    match j % 4 {
                        0 => effect + noise,
                        1 => 1e6 + 0.1 * effect + noise,
                        2 => 2.5,
                        _ => 1e-7 * (noise + effect),
                    }
                })
                .collect()
        })
        .collect();
    (labels, columns)
}

fn accumulate(
    labels: &[String],
    columns: &[Vec<f64>],
    range: std::ops::Range<usize>,
) -> ClassMoments {
    let mut state = ClassMoments::new(columns.len());
    let ids: Vec<u32> = labels[range.clone()]
        .iter()
        .map(|l| state.class_id(l.as_bytes()))
        .collect();
    let slices: Vec<&[f64]> = columns.iter().map(|c| &c[range.clone()]).collect();
    state.add_block(&ids, &slices).unwrap();
    state
}

/// The moments of each class's values, class by class in label order.
fn by_label(state: &ClassMoments) -> Vec<(Vec<u8>, u64, Vec<Moments>)> {
    let mut classes: Vec<(Vec<u8>, u64, Vec<Moments>)> = state
        .labels()
        .enumerate()
        .map(|(c, l)| {
            let id = c as u32;
            (
                l.to_vec(),
                state.rows(id),
                state.moments(id).unwrap().to_vec(),
            )
        })
        .collect();
    classes.sort_by(|a, b| a.0.cmp(&b.0));
    classes
}

#[test]
fn each_class_gets_the_moments_of_its_values() {
    let (labels, columns) = rows(500, 4, 5, 1);
    let state = accumulate(&labels, &columns, 0..500);
    assert_eq!(state.classes(), 5);
    for (label, count, moments) in by_label(&state) {
        let members: Vec<usize> = (0..500)
            .filter(|&r| labels[r].as_bytes() == label)
            .collect();
        assert_eq!(count, members.len() as u64);
        for (j, m) in moments.iter().enumerate() {
            let values: Vec<f64> = members.iter().map(|&r| columns[j][r]).collect();
            let want = Moments::from_slice(&values);
            assert_eq!(m.count(), want.count());
            let (a, b) = (m.mean().unwrap(), want.mean().unwrap());
            assert!(close(a, b, 1e-15, b.abs()), "mean {a} vs {b}");
            let (a, b) = (m.variance(0.0).unwrap(), want.variance(0.0).unwrap());
            assert!(close(a, b, 1e-12, b.abs()), "variance {a} vs {b}");
        }
    }
}

#[test]
fn merging_matches_classes_by_label() {
    let mut left = ClassMoments::new(1);
    let (a, b) = (left.class_id(b"a"), left.class_id(b"b"));
    left.add_block(&[a, b, b], &[&[1.0, 10.0, 12.0]]).unwrap();
    let mut right = ClassMoments::new(1);
    let (c, b2, a2) = (
        right.class_id(b"c"),
        right.class_id(b"b"),
        right.class_id(b"a"),
    );
    right.add_block(&[c, b2, a2], &[&[5.0, 14.0, 3.0]]).unwrap();
    left.merge(&right).unwrap();
    let labels: Vec<&[u8]> = left.labels().collect();
    assert_eq!(labels, [b"a".as_slice(), b"b", b"c"]);
    assert_eq!(
        (left.rows(0), left.rows(1), left.rows(2), left.rows(7)),
        (2, 3, 1, 0)
    );
    assert_eq!(left.moments(1).unwrap()[0].mean(), Some(12.0));
    assert_eq!(left.moments(0).unwrap()[0].mean(), Some(2.0));
    assert!(left.moments(3).is_none());
}

#[test]
fn bad_blocks_are_refused() {
    let mut state = ClassMoments::new(2);
    let a = state.class_id(b"a");
    assert!(matches!(
        state.add_block(&[a], &[&[1.0]]),
        Err(KernelError::ShapeMismatch(_))
    ));
    assert!(matches!(
        state.add_block(&[a, a], &[&[1.0], &[2.0]]),
        Err(KernelError::ShapeMismatch(_))
    ));
    assert!(matches!(
        state.add_block(&[a, 1], &[&[1.0, 2.0], &[2.0, 3.0]]),
        Err(KernelError::InvalidParameter { .. })
    ));
    assert!(state.merge(&ClassMoments::new(3)).is_err());
    assert_eq!(state.rows(a), 0);
}

#[test]
fn a_state_survives_serialization() {
    let (labels, columns) = rows(60, 3, 3, 2);
    let state = accumulate(&labels, &columns, 0..60);
    let text = serde_json::to_string(&state).unwrap();
    let back: ClassMoments = serde_json::from_str(&text).unwrap();
    assert_eq!(back, state);
    let mut twice: serde_json::Value = serde_json::from_str(&text).unwrap();
    twice["labels"][1] = twice["labels"][0].clone();
    assert!(serde_json::from_value::<ClassMoments>(twice).is_err());
    let mut short: serde_json::Value = serde_json::from_str(&text).unwrap();
    short["rows"] = serde_json::json!([1]);
    assert!(serde_json::from_value::<ClassMoments>(short).is_err());
    assert!(state.heap_bytes() >= 3 * 3 * size_of::<Moments>());
}

proptest! {
    #[test]
    fn any_split_merged_in_any_order_gives_the_same_class_moments(
        seed in 0u32..1000,
        n in 1usize..200,
        p in 1usize..5,
        classes in 1usize..6,
        cuts in prop::collection::vec(0usize..200, 0..6),
        order in 0u32..1000,
    ) {
        let (labels, columns) = rows(n, p, classes, seed);
        let whole = accumulate(&labels, &columns, 0..n);
        let parts: Vec<ClassMoments> = chunks(n, &cuts)
            .into_iter()
            .map(|range| accumulate(&labels, &columns, range))
            .collect();
        let merged = merge_randomly(parts, order, |a, b| a.merge(b).unwrap());
        let (got, want) = (by_label(&merged), by_label(&whole));
        prop_assert_eq!(got.len(), want.len());
        for ((label, count, moments), (want_label, want_count, want_moments)) in got.iter().zip(&want) {
            prop_assert_eq!(label, want_label);
            prop_assert_eq!(count, want_count);
            for (m, w) in moments.iter().zip(want_moments) {
                let (a, b) = (m.mean().unwrap(), w.mean().unwrap());
                prop_assert!(close(a, b, 1e-14, b.abs()), "mean {} vs {}", a, b);
                // M2 relative to the class's spread; constant classes must stay exactly 0.
                let (a, b) = (m.sum_of_squares(), w.sum_of_squares());
                prop_assert!(close(a, b, 1e-12, b.abs()) && (b != 0.0 || a == 0.0), "M2 {} vs {}", a, b);
            }
        }
    }
}
