//! Average ranks and Spearman's rank correlation: [`average_ranks`], [`spearman`] for one pair of
//! columns and [`spearman_matrix`] for every pair, with pandas' pairwise-complete handling of NaN.
//!
//! ```
//! use brisk_kernels::stats::{average_ranks, spearman, spearman_matrix};
//! assert_eq!(average_ranks(&[10.0, 30.0, 20.0, 30.0]), vec![1.0, 3.5, 2.0, 3.5]);
//! // A monotone relation has ρ = 1 whatever its shape; the NaN pair is left out.
//! let x = [1.0, 2.0, 3.0, 4.0, f64::NAN];
//! let y = [1.0, 8.0, 27.0, 64.0, 0.0];
//! assert_eq!(spearman(&x, &y), Some(1.0));
//! let rho = spearman_matrix(&[&x, &y]);
//! assert_eq!(rho[[0, 1]], 1.0);
//! ```

use ndarray::{Array1, Array2, ShapeBuilder};

use crate::linalg::correlation;

/// The 1-based ranks of `values`, tied values sharing the average of the ranks they span:
/// `scipy.stats.rankdata(values, method="average")`.
///
/// The values must be finite: ties are found with `==` after a total-order sort, so a NaN would
/// get a rank of its own at one end. `−0.0` and `0.0` tie.
///
/// ```
/// use brisk_kernels::stats::average_ranks;
/// // 2.0 spans ranks 2 and 3, 7.0 ranks 4 to 6.
/// let ranks = average_ranks(&[1.0, 2.0, 2.0, 7.0, 7.0, 7.0]);
/// assert_eq!(ranks, vec![1.0, 2.5, 2.5, 5.0, 5.0, 5.0]);
/// ```
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let value = values[order[start]];
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| values[i] == value)
                .count()
                .max(1);
        // Ranks start + 1 ..= end, whose average is (start + 1 + end) / 2.
        let average = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = average;
        }
        start = end;
    }
    ranks
}

/// Spearman's rank correlation of `x` and `y` over the pairs where neither is NaN: the Pearson
/// correlation of the average ranks ([`average_ranks`]) of those pairs,
///
/// `ρ = Σ (rx_i − r̄x)(ry_i − r̄y) / sqrt(Σ (rx_i − r̄x)² · Σ (ry_i − r̄y)²)`,
///
/// as pandas `Series.corr(other, method="spearman")`, and `scipy.stats.spearmanr(x, y)` when
/// there is no NaN (Spearman 1904; Kendall & Gibbons, *Rank Correlation Methods*, ch. 2).
/// Clipped to `[−1, 1]`. Infinite values are ranked like any other.
///
/// `None` where pandas gives NaN: fewer than 2 complete pairs, or a side constant over them.
///
/// # Panics
/// When `x` and `y` have different lengths.
///
/// ```
/// use brisk_kernels::stats::spearman;
/// assert_eq!(spearman(&[1.0, 2.0, 3.0], &[9.0, 4.0, 1.0]), Some(-1.0));
/// assert_eq!(spearman(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
/// assert_eq!(spearman(&[1.0, f64::NAN], &[1.0, 2.0]), None);
/// ```
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    assert_eq!(x.len(), y.len(), "spearman needs two columns of one length");
    let (x, y): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(&a, &b)| (a, b))
        .unzip();
    pearson(&average_ranks(&x), &average_ranks(&y))
}

/// The Pearson correlation of two columns without NaN (two passes: means, then centred sums),
/// `None` with fewer than 2 values or a constant column.
fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let divisor = (sxx * syy).sqrt();
    (divisor > 0.0).then(|| (sxy / divisor).clamp(-1.0, 1.0))
}

/// The Spearman correlation of every pair of `columns` (all of one length), as pandas
/// `DataFrame.corr(method="spearman")`: entry `(i, j)` is [`spearman`] of columns `i` and `j`
/// over the rows where both are not NaN (pairwise complete), NaN where that is undefined. The
/// diagonal is exactly 1 for a column with at least 2 distinct non-NaN values, NaN otherwise.
///
/// Columns without NaN are ranked once and the pairs among them come from one Pearson matrix of
/// the ranks ([`correlation`], a blocked `RᵀR`); only a pair involving a column with NaN is
/// re-ranked over its complete rows, as the ranks then depend on the pair.
///
/// # Panics
/// When the columns have different lengths.
///
/// ```
/// use brisk_kernels::stats::spearman_matrix;
/// let a = [1.0, 2.0, 3.0, 4.0];
/// let b = [4.0, 3.0, 2.0, 1.0];
/// let c = [7.0, 7.0, 7.0, 7.0];
/// let rho = spearman_matrix(&[&a, &b, &c]);
/// assert_eq!(rho[[0, 1]], -1.0);
/// assert!(rho[[0, 2]].is_nan() && rho[[2, 2]].is_nan());
/// assert_eq!(rho[[1, 1]], 1.0);
/// ```
pub fn spearman_matrix(columns: &[&[f64]]) -> Array2<f64> {
    let p = columns.len();
    let n = columns.first().map_or(0, |c| c.len());
    assert!(
        columns.iter().all(|c| c.len() == n),
        "spearman_matrix needs columns of one length"
    );
    let complete: Vec<usize> = (0..p)
        .filter(|&j| !columns[j].iter().any(|v| v.is_nan()))
        .collect();
    let mut rho = Array2::from_elem((p, p), f64::NAN);
    if n >= 2 && !complete.is_empty() {
        let ranked = complete_rank_correlation(columns, &complete, n);
        for (a, &i) in complete.iter().enumerate() {
            for (b, &j) in complete.iter().enumerate() {
                rho[[i, j]] = ranked[[a, b]];
            }
        }
    }
    let with_nan = |j: usize| complete.binary_search(&j).is_err();
    for i in 0..p {
        for j in 0..i {
            if with_nan(i) || with_nan(j) {
                let value = spearman(columns[i], columns[j]).unwrap_or(f64::NAN);
                rho[[i, j]] = value;
                rho[[j, i]] = value;
            }
        }
        rho[[i, i]] = if has_two_distinct(columns[i]) {
            1.0
        } else {
            f64::NAN
        };
    }
    rho
}

/// The Pearson correlation matrix of the ranks of the columns `which` (none holding NaN), `n ≥ 2`
/// rows; NaN rows and columns for constant columns.
fn complete_rank_correlation(columns: &[&[f64]], which: &[usize], n: usize) -> Array2<f64> {
    let mut ranks = Array2::<f64>::zeros((n, which.len()).f());
    for (mut column, &j) in ranks.columns_mut().into_iter().zip(which) {
        column.assign(&Array1::from(average_ranks(columns[j])));
    }
    correlation(ranks.view()).expect("n ≥ 2 rows of ranks")
}

/// Whether `values` holds at least two distinct non-NaN values.
fn has_two_distinct(values: &[f64]) -> bool {
    let mut finite = values.iter().filter(|v| !v.is_nan());
    match finite.next() {
        Some(first) => finite.any(|v| v != first),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::random::Mt19937;

    /// Ranks by definition: 1 + the number of smaller values + (the number of equal others) / 2.
    fn reference_ranks(values: &[f64]) -> Vec<f64> {
        values
            .iter()
            .map(|v| {
                let smaller = values.iter().filter(|w| *w < v).count() as f64;
                let equal = values.iter().filter(|w| *w == v).count() as f64;
                1.0 + smaller + (equal - 1.0) / 2.0
            })
            .collect()
    }

    /// Seeded columns of small integers (many ties), some cells NaN when `nan_rate > 0`.
    fn columns(n: usize, p: usize, nan_rate: f64, seed: u32) -> Vec<Vec<f64>> {
        let mut rng = Mt19937::new(seed);
        (0..p)
            .map(|_| {
                (0..n)
                    .map(|_| {
                        if rng.random_sample() < nan_rate {
                            f64::NAN
                        } else {
                            (rng.random_sample() * 7.0).floor() - 3.0
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn ranks_match_the_definition_on_ties() {
        for seed in 0..20 {
            let values = &columns(37, 1, 0.0, seed)[0];
            assert_eq!(average_ranks(values), reference_ranks(values));
        }
        assert_eq!(average_ranks(&[]), Vec::<f64>::new());
        assert_eq!(average_ranks(&[-0.0, 0.0, 1.0]), vec![1.5, 1.5, 3.0]);
    }

    #[test]
    fn the_matrix_is_the_pairwise_spearman() {
        for (nan_rate, seed) in [(0.0, 1), (0.15, 2), (0.4, 3)] {
            let data = columns(60, 5, nan_rate, seed);
            let views: Vec<&[f64]> = data.iter().map(Vec::as_slice).collect();
            let rho = spearman_matrix(&views);
            for i in 0..5 {
                for j in 0..5 {
                    let want = if i == j {
                        Some(1.0)
                    } else {
                        spearman(views[i], views[j])
                    };
                    let got = rho[[i, j]];
                    match want {
                        Some(w) => assert!((got - w).abs() < 1e-13, "{i},{j}: {got} vs {w}"),
                        None => assert!(got.is_nan()),
                    }
                }
            }
        }
    }

    #[test]
    fn degenerate_columns_give_nan() {
        let constant = [2.0, 2.0, 2.0];
        let all_nan = [f64::NAN; 3];
        let one_value = [f64::NAN, 5.0, f64::NAN];
        let plain = [1.0, 2.0, 3.0];
        let rho = spearman_matrix(&[&constant, &all_nan, &one_value, &plain]);
        for i in 0..3 {
            assert!(rho[[i, i]].is_nan());
            assert!(rho[[i, 3]].is_nan() && rho[[3, i]].is_nan());
        }
        assert_eq!(rho[[3, 3]], 1.0);
        assert_eq!(spearman_matrix(&[]).dim(), (0, 0));
        assert!(spearman_matrix(&[&[1.0]])[[0, 0]].is_nan());
    }

    proptest! {
        #[test]
        fn spearman_is_invariant_under_monotone_maps(seed in 0u32..10_000) {
            let data = columns(30, 2, 0.1, seed);
            let stretched: Vec<f64> = data[0].iter().map(|v| (v * 0.7).exp()).collect();
            let (a, b) = (spearman(&data[0], &data[1]), spearman(&stretched, &data[1]));
            match (a, b) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-14),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }
}
