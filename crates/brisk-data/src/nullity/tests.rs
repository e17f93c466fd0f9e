use std::path::PathBuf;

use proptest::prelude::*;

use super::*;
use crate::batch::{NumericColumn, TextColumn};

/// A batch of rows `rows` of a table given by its null masks (one per column): even columns are
/// numeric, odd ones text.
fn batch(masks: &[Vec<bool>], rows: std::ops::Range<usize>) -> Batch {
    let columns = masks
        .iter()
        .enumerate()
        .map(|(j, mask)| {
            let mask = &mask[rows.clone()];
            if j % 2 == 0 {
                let values = mask.iter().map(|&null| if null { f64::NAN } else { 1.0 });
                BatchColumn::Numeric(NumericColumn::new(values.collect()))
            } else {
                let mut column = TextColumn::default();
                mask.iter()
                    .for_each(|&null| column.push((!null).then_some(&b"x"[..])));
                BatchColumn::Text(column)
            }
        })
        .collect();
    Batch::from_columns(rows.start as u64, columns)
}

/// The counts of a table read in batches cut at `cuts`.
fn counts(masks: &[Vec<bool>], cuts: &[usize]) -> NullityCounts {
    let rows = masks.first().map_or(0, Vec::len);
    let mut counts = NullityCounts::new(masks.len());
    let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&c| c < rows).collect();
    bounds.extend([0, rows]);
    bounds.sort_unstable();
    bounds.dedup();
    for pair in bounds.windows(2) {
        counts.add(&batch(masks, pair[0]..pair[1]));
    }
    counts
}

/// Null masks of `rows × columns`, column `j` null with probability `j / columns` (so the first
/// column has no null), from a seeded generator.
fn random_masks(rows: usize, columns: usize, seed: u64) -> Vec<Vec<bool>> {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..columns)
        .map(|j| {
            (0..rows)
                .map(|_| next() < j as f64 / columns as f64)
                .collect()
        })
        .collect()
}

/// The definition: Pearson's correlation of the 0/1 indicators, from their means and centred
/// sums, over the columns whose indicator varies.
fn reference_correlation(masks: &[Vec<bool>]) -> Option<(Vec<usize>, Array2<f64>)> {
    let indicator =
        |j: usize| -> Vec<f64> { masks[j].iter().map(|&b| f64::from(u8::from(b))).collect() };
    let varies = |j: usize| masks[j].iter().any(|&b| b) && masks[j].iter().any(|&b| !b);
    let columns: Vec<usize> = (0..masks.len()).filter(|&j| varies(j)).collect();
    if columns.len() < 2 {
        return None;
    }
    let centred: Vec<Vec<f64>> = columns
        .iter()
        .map(|&j| {
            let x = indicator(j);
            let mean = x.iter().sum::<f64>() / x.len() as f64;
            x.iter().map(|v| v - mean).collect()
        })
        .collect();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let m = columns.len();
    let matrix = Array2::from_shape_fn((m, m), |(a, b)| {
        let (x, y) = (&centred[a], &centred[b]);
        dot(x, y) / (dot(x, x) * dot(y, y)).sqrt()
    });
    Some((columns, matrix))
}

fn assert_close(got: &Array2<f64>, want: &Array2<f64>, tolerance: f64) {
    assert_eq!(got.dim(), want.dim());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tolerance, "{g} against {w}");
    }
}

#[test]
fn counts_and_correlation_match_the_definition() {
    for (rows, columns, seed) in [
        (0, 3, 1),
        (1, 4, 2),
        (63, 5, 3),
        (64, 2, 4),
        (1000, 9, 5),
        (5000, 7, 6),
    ] {
        let masks = random_masks(rows, columns, seed);
        let nullity = counts(&masks, &[]).finish();
        assert_eq!(nullity.rows, rows as u64);
        for (j, mask) in masks.iter().enumerate() {
            assert_eq!(nullity.nulls[j], mask.iter().filter(|&&b| b).count() as u64);
        }
        match (nullity.correlation, reference_correlation(&masks)) {
            (None, None) => {}
            (Some(got), Some((columns, matrix))) => {
                assert_eq!(got.columns, columns);
                assert_close(&got.matrix, &matrix, 1e-12);
            }
            (got, want) => panic!("{got:?} against {want:?}"),
        }
    }
}

#[test]
fn pairs_count_rows_where_both_are_null() {
    let masks = random_masks(777, 6, 11);
    // Column 5 all null, column 4 with one null: the shortcuts for full and single columns.
    let mut masks = masks;
    masks[5] = vec![true; 777];
    masks[4] = (0..777).map(|i| i == 300).collect();
    let counts = counts(&masks, &[64, 100, 500]);
    for i in 0..6 {
        for j in 0..6 {
            let both = (0..777).filter(|&r| masks[i][r] && masks[j][r]).count() as u64;
            assert_eq!(counts.both_null(i, j), both, "({i}, {j})");
        }
    }
}

#[test]
fn fewer_than_two_varying_columns_have_no_correlation() {
    // One varying column, one without nulls, one all null.
    let masks = vec![vec![true, false, true], vec![false; 3], vec![true; 3]];
    let nullity = counts(&masks, &[]).finish();
    assert_eq!(nullity.nulls, [2, 0, 3]);
    assert_eq!(nullity.correlation, None);
}

#[test]
fn pair_index_numbers_the_upper_triangle() {
    for p in 0..7 {
        let indices: Vec<usize> = (0..p)
            .flat_map(|i| (i + 1..p).map(move |j| pair_index(p, i, j)))
            .collect();
        assert_eq!(
            indices,
            (0..p * p.saturating_sub(1) / 2).collect::<Vec<_>>()
        );
    }
}

#[test]
fn golden_pandas_isnull_corr() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/nullity/expected.json");
    let text = std::fs::read_to_string(path).unwrap();
    let fixture: serde_json::Value = serde_json::from_str(&text).unwrap();
    let masks: Vec<Vec<bool>> = fixture["nulls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().bytes().map(|b| b == b'1').collect())
        .collect();
    let names: Vec<&str> = fixture["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let nullity = counts(&masks, &[100]).finish();
    assert_eq!(nullity.rows, fixture["rows"].as_u64().unwrap());
    let want_counts: Vec<u64> = serde_json::from_value(fixture["null_counts"].clone()).unwrap();
    assert_eq!(nullity.nulls, want_counts);
    let correlation = nullity.correlation.unwrap();
    let kept: Vec<String> = correlation
        .columns
        .iter()
        .map(|&j| names[j].to_owned())
        .collect();
    let want_kept: Vec<String> = serde_json::from_value(fixture["heatmap"].clone()).unwrap();
    assert_eq!(kept, want_kept);
    let rows: Vec<Vec<f64>> = serde_json::from_value(fixture["corr"].clone()).unwrap();
    let want = Array2::from_shape_fn((rows.len(), rows.len()), |(a, b)| rows[a][b]);
    assert_close(&correlation.matrix, &want, 1e-14);
}

#[test]
fn serialized_counts_read_back() {
    let counts = counts(&random_masks(300, 4, 9), &[70]);
    let text = serde_json::to_string(&counts).unwrap();
    assert_eq!(
        serde_json::from_str::<NullityCounts>(&text).unwrap(),
        counts
    );
    assert!(counts.heap_bytes() >= (4 + 6) * 8);
    let nullity = counts.finish();
    let text = serde_json::to_string(&nullity).unwrap();
    assert_eq!(serde_json::from_str::<Nullity>(&text).unwrap(), nullity);
}

proptest! {
    #[test]
    fn any_split_merged_in_any_order_gives_the_same_counts(
        seed in any::<u64>(),
        rows in 0usize..400,
        columns in 1usize..6,
        cuts in prop::collection::vec(0usize..400, 0..6),
        order in any::<u64>(),
    ) {
        let masks = random_masks(rows, columns, seed);
        let whole = counts(&masks, &[]);
        // One state per piece, merged in an order drawn from `order`.
        let mut bounds: Vec<usize> = cuts.iter().copied().filter(|&c| c < rows).collect();
        bounds.extend([0, rows]);
        bounds.sort_unstable();
        bounds.dedup();
        let mut pieces: Vec<NullityCounts> = bounds
            .windows(2)
            .map(|w| {
                let mut piece = NullityCounts::new(columns);
                piece.add(&batch(&masks, w[0]..w[1]));
                piece
            })
            .collect();
        let mut merged = NullityCounts::new(columns);
        let mut draw = order;
        while !pieces.is_empty() {
            let piece = pieces.swap_remove((draw % pieces.len() as u64) as usize);
            draw = draw.rotate_left(7) ^ 0x9e37_79b9;
            merged.merge(&piece);
        }
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(counts(&masks, &cuts), whole);
    }
}
