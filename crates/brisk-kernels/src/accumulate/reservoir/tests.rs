use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, merge_randomly};

/// Row `r`'s values: `[r, −r, r/2, …]`.
fn row(r: u64, p: usize) -> Vec<f64> {
    (0..p).map(|j| r as f64 * [1.0, -1.0, 0.5][j % 3]).collect()
}

/// The definition: the `k` rows of smallest priority, by increasing index.
fn reference(rows: &[u64], k: usize, p: usize, seed: u64) -> (Vec<u64>, Array2<f64>) {
    let mut by_priority: Vec<u64> = rows.to_vec();
    by_priority.sort_unstable_by_key(|&r| priority(seed, r));
    by_priority.truncate(k);
    by_priority.sort_unstable();
    let values = Array2::from_shape_fn((by_priority.len(), p), |(i, j)| row(by_priority[i], p)[j]);
    (by_priority, values)
}

#[test]
fn keeps_the_rows_of_smallest_priority() {
    for (n, k, p, seed) in [
        (0, 3, 2, 1),
        (5, 10, 3, 2),
        (1000, 7, 1, 3),
        (20_000, 300, 4, 4),
    ] {
        let rows: Vec<u64> = (0..n).collect();
        let mut sample = Reservoir::new(k, p, seed);
        for &r in &rows {
            sample.add(r, &row(r, p)).unwrap();
        }
        assert_eq!(sample.len(), k.min(n as usize));
        assert_eq!(sample.seen(), n);
        assert_eq!(sample.finish(), reference(&rows, k, p, seed));
    }
}

#[test]
fn every_row_is_equally_likely() {
    // 2000 seeds, 10 of 50 rows: each row is kept 400 times on average (sd 17.9).
    let mut kept = [0u32; 50];
    for seed in 0..2000 {
        let mut sample = Reservoir::new(10, 0, seed);
        (0..50).for_each(|r| sample.add(r, &[]).unwrap());
        sample
            .finish()
            .0
            .iter()
            .for_each(|&r| kept[r as usize] += 1);
    }
    assert!(kept.iter().all(|&c| (300..=500).contains(&c)), "{kept:?}");
}

#[test]
fn blocks_in_either_memory_order_give_the_rows_sample() {
    use ndarray::ShapeBuilder;
    let (k, p, seed) = (50, 3, 9);
    // Every third row of 0..3000, in blocks of 128 rows.
    let rows: Vec<u64> = (0..3000).step_by(3).collect();
    let mut by_rows = Reservoir::new(k, p, seed);
    let (mut c_order, mut f_order) = (by_rows.clone(), by_rows.clone());
    for block in rows.chunks(128) {
        let x = Array2::from_shape_fn((block.len(), p), |(i, j)| row(block[i], p)[j]);
        let mut f = Array2::zeros((block.len(), p).f());
        f.assign(&x);
        c_order.add_rows(block, x.view()).unwrap();
        f_order.add_rows(block, f.view()).unwrap();
        for (i, &r) in block.iter().enumerate() {
            by_rows.add(r, x.row(i).as_slice().unwrap()).unwrap();
        }
    }
    assert_eq!(c_order, by_rows);
    assert_eq!(f_order, by_rows);
    assert_eq!(by_rows.finish(), reference(&rows, k, p, seed));
    let x = Array2::zeros((2, p));
    assert!(matches!(
        c_order.add_rows(&[1], x.view()),
        Err(KernelError::ShapeMismatch(_))
    ));
}

#[test]
fn empty_samples_and_bad_shapes() {
    let mut none = Reservoir::new(0, 2, 5);
    none.add(3, &[1.0, 2.0]).unwrap();
    assert!(none.is_empty() && none.seen() == 1);
    let (rows, values) = none.finish();
    assert!(rows.is_empty() && values.dim() == (0, 2));
    let mut sample = Reservoir::new(3, 2, 5);
    assert!(matches!(
        sample.add(0, &[1.0]),
        Err(KernelError::ShapeMismatch(_))
    ));
    for other in [
        Reservoir::new(4, 2, 5),
        Reservoir::new(3, 1, 5),
        Reservoir::new(3, 2, 6),
    ] {
        assert!(sample.merge(&other).is_err());
    }
    let before = sample.clone();
    sample.merge(&Reservoir::new(3, 2, 5)).unwrap();
    assert_eq!(sample, before);
}

#[test]
fn a_state_survives_serialization() {
    let mut sample = Reservoir::new(4, 2, 9);
    (0..100).for_each(|r| sample.add(r, &row(r, 2)).unwrap());
    let text = serde_json::to_string(&sample).unwrap();
    let back: Reservoir = serde_json::from_str(&text).unwrap();
    assert_eq!(back, sample);
    // The threshold is rebuilt: the state keeps sampling as before.
    let (mut a, mut b) = (back, sample.clone());
    for r in 100..300 {
        a.add(r, &row(r, 2)).unwrap();
        b.add(r, &row(r, 2)).unwrap();
    }
    assert_eq!(a.finish(), b.finish());
    let bad = r#"{"k": 1, "p": 2, "seed": 9, "seen": 2, "rows": [1, 2], "values": [1, 2, 3, 4]}"#;
    assert!(serde_json::from_str::<Reservoir>(bad).is_err());
    assert!(sample.heap_bytes() >= 4 * size_of::<Kept>() + 8 * 8);
}

proptest! {
    #[test]
    fn any_split_merged_in_any_order_gives_the_same_sample(
        n in 0u64..400,
        k in 0usize..30,
        p in 0usize..3,
        seed in any::<u64>(),
        cuts in prop::collection::vec(0usize..400, 0..6),
        order in 0u32..1000,
        shuffle in 0u32..1000,
    ) {
        // The rows arrive in a shuffled order, as from threads reading blocks.
        let mut rows: Vec<u64> = (0..n).collect();
        let permutation = crate::random::Mt19937::new(shuffle).permutation(rows.len());
        rows = permutation.iter().map(|&i| rows[i]).collect();
        let parts: Vec<Reservoir> = chunks(rows.len(), &cuts)
            .into_iter()
            .map(|range| {
                let mut part = Reservoir::new(k, p, seed);
                rows[range].iter().for_each(|&r| part.add(r, &row(r, p)).unwrap());
                part
            })
            .collect();
        let merged = merge_randomly(parts, order, |a, b| a.merge(b).unwrap());
        prop_assert_eq!(merged.seen(), n);
        prop_assert_eq!(merged.finish(), reference(&rows, k, p, seed));
    }
}

#[test]
fn columns_in_batches_give_the_rows_sample() {
    let (k, p, seed) = (40, 3, 9);
    let rows = 1_000u64;
    let columns: Vec<Vec<f64>> = (0..p)
        .map(|j| (0..rows).map(|r| row(r, p)[j]).collect())
        .collect();
    for batch in [1usize, 7, 250, 1_000] {
        let mut by_columns = Reservoir::new(k, p, seed);
        for start in (0..rows as usize).step_by(batch) {
            let end = (start + batch).min(rows as usize);
            let slices: Vec<&[f64]> = columns.iter().map(|c| &c[start..end]).collect();
            by_columns.add_columns(start as u64, &slices).unwrap();
        }
        assert_eq!(by_columns.seen(), rows);
        let all: Vec<u64> = (0..rows).collect();
        assert_eq!(
            by_columns.finish(),
            reference(&all, k, p, seed),
            "batches of {batch}"
        );
    }
    let mut sample = Reservoir::new(k, p, seed);
    assert!(sample
        .add_columns(0, &[&[1.0], &[2.0, 3.0], &[4.0]])
        .is_err());
    assert!(sample.add_columns(0, &[&[1.0]]).is_err());
}
