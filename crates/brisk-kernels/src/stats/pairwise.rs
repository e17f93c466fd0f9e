//! Pearson correlation of every pair of columns over the rows where both hold a value: pandas'
//! `DataFrame.corr()` (its default `method="pearson"`, `min_periods=1`), whose pairs each drop
//! their own nulls, unlike the listwise [`CoMoments`](crate::accumulate::CoMoments), which reads
//! only the rows complete in every column.

use ndarray::Array2;
use rayon::prelude::*;

/// Pearson's r of every pair of `columns` (equal lengths, NaN for a null), each pair over the
/// rows where both are non-NaN:
///
/// `r = Σ (x − x̄)(y − ȳ) / sqrt(Σ (x − x̄)² · Σ (y − ȳ)²)`,
///
/// with the means taken over those rows (two passes, so that a large mean costs no precision),
/// clamped to `[−1, 1]` against rounding. NaN where fewer than two rows pair up or a side is
/// constant on them (pandas gives NaN too); the diagonal is r of a column with itself (1, or NaN
/// for a constant column). Infinite values are taken as values, as pandas does (giving NaN).
///
/// `O(p² n)`, the pairs side by side: meant for a sample or a table of moderate size.
///
/// ```
/// use brisk_kernels::stats::pearson_pairwise;
/// let x = [1.0, 2.0, 3.0, f64::NAN];
/// let y = [2.0, 4.1, 5.9, 100.0];
/// let r = pearson_pairwise(&[&x, &y]);
/// // The NaN row leaves the pair, not the table: r over the first three rows.
/// // Deviations (−1, 0, 1) and (−2, 0.1, 1.9): r = 3.9 / √(2 · 7.62).
/// assert!((r[[0, 1]] - 3.9 / 15.24f64.sqrt()).abs() < 1e-15);
/// assert_eq!(r[[0, 0]], 1.0);
/// ```
///
/// # Panics
/// Columns of different lengths.
pub fn pearson_pairwise(columns: &[&[f64]]) -> Array2<f64> {
    let p = columns.len();
    if let Some(first) = columns.first() {
        assert!(
            columns.iter().all(|c| c.len() == first.len()),
            "columns of equal length"
        );
    }
    let pairs: Vec<(usize, usize)> = (0..p).flat_map(|a| (a..p).map(move |b| (a, b))).collect();
    let values: Vec<f64> = pairs
        .par_iter()
        .map(|&(a, b)| pair(columns[a], columns[b]))
        .collect();
    let mut r = Array2::from_elem((p, p), f64::NAN);
    for (&(a, b), value) in pairs.iter().zip(values) {
        r[[a, b]] = value;
        r[[b, a]] = value;
    }
    r
}

/// Pearson's r of `x` and `y` over the rows where both are non-NaN, as [`pearson_pairwise`]
/// takes each pair (NaN where undefined).
pub(crate) fn pair(x: &[f64], y: &[f64]) -> f64 {
    let both = || x.iter().zip(y).filter(|(x, y)| !x.is_nan() && !y.is_nan());
    let (mut n, mut sx, mut sy) = (0usize, 0.0, 0.0);
    for (x, y) in both() {
        n += 1;
        sx += x;
        sy += y;
    }
    if n < 2 {
        return f64::NAN;
    }
    let (mx, my) = (sx / n as f64, sy / n as f64);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in both() {
        let (dx, dy) = (x - mx, y - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let denominator = (sxx * syy).sqrt();
    if denominator == 0.0 || !denominator.is_finite() {
        return f64::NAN;
    }
    (sxy / denominator).clamp(-1.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accumulate::CoMoments;
    use ndarray::Array2;

    #[test]
    fn without_nulls_it_is_the_listwise_correlation() {
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let columns: Vec<Vec<f64>> = (0..4)
            .map(|j| (0..300).map(|_| next() * (j + 1) as f64 + 1e6).collect())
            .collect();
        let views: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        let pairwise = pearson_pairwise(&views);
        let rows = Array2::from_shape_fn((300, 4), |(i, j)| columns[j][i]);
        let mut moments = CoMoments::new(4);
        moments.add_block(rows.view()).unwrap();
        let listwise = moments.correlation();
        for (a, b) in pairwise.iter().zip(listwise.iter()) {
            assert!((a - b).abs() < 1e-12, "{a} {b}");
        }
    }

    #[test]
    fn each_pair_drops_its_own_nulls() {
        let nan = f64::NAN;
        let x = [1.0, 2.0, nan, 4.0, 5.0];
        let y = [1.0, nan, 3.0, 4.5, 4.0];
        let c = [2.0, 2.0, 2.0, 2.0, nan];
        let r = pearson_pairwise(&[&x, &y, &c]);
        // x and y pair up in rows 0, 3, 4.
        let plain = pair(&[1.0, 4.0, 5.0], &[1.0, 4.5, 4.0]);
        assert_eq!(r[[0, 1]], plain);
        assert!(r[[0, 2]].is_nan() && r[[2, 2]].is_nan());
        assert!(pearson_pairwise(&[&[1.0], &[2.0]])[[0, 1]].is_nan());
    }
}
