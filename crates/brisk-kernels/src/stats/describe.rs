//! `compute_statistics`: the per-column statistics of a matrix (exercise C.1).

use ndarray::{Array1, ArrayView2, Axis};

use super::moments::{Convention, Moments};
use super::quantile::exact_quantiles;

/// Per-column statistics of a matrix, each an array of length `n_features`; NaN where a value is
/// undefined (no values, std of one value, skewness of a constant column).
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    /// Non-NaN values per column.
    pub count: Array1<f64>,
    /// Arithmetic mean.
    pub mean: Array1<f64>,
    /// Standard deviation (ddof 1 for [`Convention::Sample`], 0 for population).
    pub std: Array1<f64>,
    /// Minimum.
    pub min: Array1<f64>,
    /// First quartile (linear interpolation).
    pub q25: Array1<f64>,
    /// Median.
    pub median: Array1<f64>,
    /// Third quartile.
    pub q75: Array1<f64>,
    /// Maximum.
    pub max: Array1<f64>,
    /// Skewness (G1 or g1, see [`Moments::skewness`]).
    pub skewness: Array1<f64>,
    /// Excess kurtosis (G2 or g2, see [`Moments::kurtosis`]).
    pub kurtosis: Array1<f64>,
}

/// The statistics of each column of `x` (`n_samples × n_features`), skipping NaN as pandas does.
///
/// Mean and central moments by the compensated two-pass algorithm ([`Moments::from_slice`]),
/// quantiles exact with NumPy's linear interpolation ([`exact_quantiles`]). The columns are visited
/// here, so the caller writes no loop over them.
///
/// ```
/// use brisk_kernels::stats::{compute_statistics, Convention};
/// use ndarray::array;
/// let x = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let stats = compute_statistics(x.view(), Convention::Sample);
/// assert_eq!(stats.mean, array![3.0, 4.0]);
/// assert_eq!(stats.median, array![3.0, 4.0]);
/// assert_eq!(stats.std, array![2.0, 2.0]);
/// assert_eq!(stats.skewness, array![0.0, 0.0]);
/// ```
pub fn compute_statistics(x: ArrayView2<f64>, convention: Convention) -> Statistics {
    let columns: Vec<ColumnSummary> = x
        .axis_iter(Axis(1))
        .map(|column| {
            let mut values: Vec<f64> = column.iter().copied().filter(|v| !v.is_nan()).collect();
            ColumnSummary::of(&mut values, convention)
        })
        .collect();
    let pick = |f: fn(&ColumnSummary) -> f64| columns.iter().map(f).collect::<Array1<f64>>();
    Statistics {
        count: pick(|c| c.count),
        mean: pick(|c| c.mean),
        std: pick(|c| c.std),
        min: pick(|c| c.quantiles[0]),
        q25: pick(|c| c.quantiles[1]),
        median: pick(|c| c.quantiles[2]),
        q75: pick(|c| c.quantiles[3]),
        max: pick(|c| c.quantiles[4]),
        skewness: pick(|c| c.skewness),
        kurtosis: pick(|c| c.kurtosis),
    }
}

struct ColumnSummary {
    count: f64,
    mean: f64,
    std: f64,
    quantiles: [f64; 5],
    skewness: f64,
    kurtosis: f64,
}

impl ColumnSummary {
    fn of(values: &mut [f64], convention: Convention) -> Self {
        let m = Moments::from_slice(values);
        let quantiles = exact_quantiles(values, &[0.0, 0.25, 0.5, 0.75, 1.0])
            .map_or([f64::NAN; 5], |q| [q[0], q[1], q[2], q[3], q[4]]);
        ColumnSummary {
            count: m.count() as f64,
            mean: m.mean().unwrap_or(f64::NAN),
            std: m.std(convention).unwrap_or(f64::NAN),
            quantiles,
            skewness: m.skewness(convention).unwrap_or(f64::NAN),
            kurtosis: m.kurtosis(convention).unwrap_or(f64::NAN),
        }
    }
}

#[cfg(test)]
mod tests;
