//! Rescaling rows or columns (exercise B.3, notebook §3): unit L2 norm, z-scores, min-max.

use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut1, Axis, Zip};

/// How [`normalize`] rescales each lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Divide by the Euclidean norm; zero lanes stay zero (`sklearn.preprocessing.normalize`).
    L2,
    /// Subtract the mean, divide by the population standard deviation (ddof 0); constant lanes
    /// become 0 (`sklearn.preprocessing.StandardScaler`).
    ZScore,
    /// Map the minimum to 0 and the maximum to 1; constant lanes become 0
    /// (`sklearn.preprocessing.MinMaxScaler`).
    MinMax,
}

impl Method {
    /// The axis scikit-learn reduces over by default: 1 (each row) for L2, 0 (each column) for
    /// the scalers.
    pub fn default_axis(self) -> Axis {
        match self {
            Method::L2 => Axis(1),
            Method::ZScore | Method::MinMax => Axis(0),
        }
    }
}

/// Each row of `x` scaled to unit Euclidean norm, `x_i / ‖x_i‖₂`; rows of zeros stay zeros.
///
/// Reference: `sklearn.preprocessing.normalize(x, norm="l2")`.
///
/// ```
/// use ndarray::array;
/// let x = array![[3.0, 4.0], [0.0, 0.0]];
/// let n = brisk_kernels::preprocessing::row_normalize(x.view());
/// assert_eq!(n, array![[0.6, 0.8], [0.0, 0.0]]);
/// ```
pub fn row_normalize(x: ArrayView2<'_, f64>) -> Array2<f64> {
    normalize(x, Method::L2, Axis(1))
}

/// Rescales every lane of `x` along `axis` (`Axis(0)`: each column, over the rows; `Axis(1)`:
/// each row) by `method`, with scikit-learn's formulas:
///
/// - L2: `x / ‖x‖₂` (a zero norm is treated as 1);
/// - z-score: `(x − μ) / σ` with `σ² = Σ(x − μ)²/n`, computed in two passes with the rounding
///   correction of Chan, Golub & LeVeque; a lane whose variance is at most `(n·μ·ε)²` is constant
///   and gets `σ = 1`;
/// - min-max: `x·s − min·s` with `s = 1 / (max − min)` (a range under `10ε` is treated as 1).
///
/// ```
/// use ndarray::{array, Axis};
/// use brisk_kernels::preprocessing::{normalize, Method};
/// let x = array![[1.0, 5.0], [3.0, 5.0]];
/// assert_eq!(normalize(x.view(), Method::ZScore, Axis(0)), array![[-1.0, 0.0], [1.0, 0.0]]);
/// assert_eq!(normalize(x.view(), Method::MinMax, Axis(0)), array![[0.0, 0.0], [1.0, 0.0]]);
/// ```
pub fn normalize(x: ArrayView2<'_, f64>, method: Method, axis: Axis) -> Array2<f64> {
    let mut out = x.as_standard_layout().into_owned();
    Zip::from(out.lanes_mut(axis)).par_for_each(|lane| match method {
        Method::L2 => scale_l2(lane),
        Method::ZScore => standardise(lane),
        Method::MinMax => min_max(lane),
    });
    out
}

fn scale_l2(mut lane: ArrayViewMut1<'_, f64>) {
    let norm = lane.dot(&lane).sqrt();
    let norm = if norm == 0.0 { 1.0 } else { norm };
    lane.mapv_inplace(|v| v / norm);
}

fn standardise(mut lane: ArrayViewMut1<'_, f64>) {
    let n = lane.len() as f64;
    let (mean, var) = mean_and_variance(lane.view());
    let constant = var <= n * f64::EPSILON * var + (n * mean * f64::EPSILON).powi(2);
    let scale = if constant { 1.0 } else { var.sqrt() };
    lane.mapv_inplace(|v| (v - mean) / scale);
}

/// Mean and population variance in two passes, with the first pass's rounding removed from the
/// second (Chan, Golub & LeVeque 1983).
fn mean_and_variance(lane: ArrayView1<'_, f64>) -> (f64, f64) {
    let n = lane.len() as f64;
    let mean = lane.sum() / n;
    let (sum, sum_sq) = lane.fold((0.0, 0.0), |(s, q), &v| {
        let d = v - mean;
        (s + d, q + d * d)
    });
    (mean, (sum_sq - sum * sum / n) / n)
}

fn min_max(mut lane: ArrayViewMut1<'_, f64>) {
    let (lo, hi) = lane.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
        (lo.min(v), hi.max(v))
    });
    let range = hi - lo;
    let range = if range < 10.0 * f64::EPSILON {
        1.0
    } else {
        range
    };
    let scale = 1.0 / range;
    let offset = -lo * scale;
    lane.mapv_inplace(|v| v * scale + offset);
}
