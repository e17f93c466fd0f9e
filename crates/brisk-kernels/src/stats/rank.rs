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

use ndarray::{Array2, ShapeBuilder};
use rayon::prelude::*;

use super::pairwise::pair;
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
    ranks_where(values, &order, |_| true, &mut ranks);
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
    Some(pair(&average_ranks(&x), &average_ranks(&y))).filter(|r| !r.is_nan())
}

/// The Spearman correlation of every pair of `columns` (all of one length), as pandas
/// `DataFrame.corr(method="spearman")`: entry `(i, j)` is [`spearman`] of columns `i` and `j`
/// over the rows where both are not NaN (pairwise complete), NaN where that is undefined. The
/// diagonal is exactly 1 for a column with at least 2 distinct non-NaN values, NaN otherwise.
///
/// Every column is sorted once (the columns side by side). Columns without NaN are ranked from
/// that order and the pairs among them come from one Pearson matrix of the ranks
/// ([`correlation`], a blocked `RᵀR`); a pair involving a column with NaN is ranked over its
/// complete rows, as the ranks then depend on the pair, by one walk of each side's sorted order
/// that skips the rows the other side misses: `O(n)` a pair, no sort.
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
    // Each column sorted once, the columns side by side; a pair with a NaN column then ranks
    // each side by walking that order past the rows the other side misses, in O(n) rather
    // than a sort per pair.
    let orders: Vec<Vec<usize>> = columns.par_iter().map(|c| sorted_present(c)).collect();
    let mut rho = Array2::from_elem((p, p), f64::NAN);
    if n >= 2 && !complete.is_empty() {
        let mut ranks = Array2::<f64>::zeros((n, complete.len()).f());
        for (mut column, &j) in ranks.columns_mut().into_iter().zip(&complete) {
            let column = column.as_slice_mut().expect("a column-major column");
            ranks_where(columns[j], &orders[j], |_| true, column);
        }
        let ranked = correlation(ranks.view()).expect("n ≥ 2 rows of ranks");
        for (a, &i) in complete.iter().enumerate() {
            for (b, &j) in complete.iter().enumerate() {
                rho[[i, j]] = ranked[[a, b]];
            }
        }
    }
    let with_nan = |j: usize| complete.binary_search(&j).is_err();
    let pairs: Vec<(usize, usize)> = (0..p)
        .flat_map(|i| (0..i).map(move |j| (i, j)))
        .filter(|&(i, j)| with_nan(i) || with_nan(j))
        .collect();
    let values: Vec<f64> = pairs
        .par_iter()
        .map(|&(i, j)| {
            let (x, y) = (columns[i], columns[j]);
            // Rows where a side is missing keep NaN ranks, which the correlation skips.
            let (mut rx, mut ry) = (vec![f64::NAN; n], vec![f64::NAN; n]);
            ranks_where(x, &orders[i], |r| !y[r].is_nan(), &mut rx);
            ranks_where(y, &orders[j], |r| !x[r].is_nan(), &mut ry);
            pair(&rx, &ry)
        })
        .collect();
    for (&(i, j), value) in pairs.iter().zip(values) {
        rho[[i, j]] = value;
        rho[[j, i]] = value;
    }
    for i in 0..p {
        rho[[i, i]] = if has_two_distinct(columns[i]) {
            1.0
        } else {
            f64::NAN
        };
    }
    rho
}

/// The rows of `values` that hold a number, in ascending order of their values.
fn sorted_present(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&r| !values[r].is_nan()).collect();
    order.sort_unstable_by(|&a, &b| values[a].total_cmp(&values[b]));
    order
}

/// The average ranks (from 1, ties sharing the average of the ranks they span) of `values`
/// among the rows of `order` (sorted by value) that `keep` accepts, written to those rows of
/// `ranks`, in one walk of the order.
fn ranks_where(values: &[f64], order: &[usize], keep: impl Fn(usize) -> bool, ranks: &mut [f64]) {
    let mut rank = 0usize;
    let mut start = 0;
    while start < order.len() {
        let value = values[order[start]];
        // At least one value a step: a NaN is not equal to itself.
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&r| values[r] == value)
                .count()
                .max(1);
        let tied = order[start..end].iter().filter(|&&r| keep(r)).count();
        let average = rank as f64 + (tied + 1) as f64 / 2.0;
        for &r in order[start..end].iter().filter(|&&r| keep(r)) {
            ranks[r] = average;
        }
        rank += tied;
        start = end;
    }
}

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
