//! Numerically stable softmax, log-softmax and log-sum-exp (notebook §5).
//!
//! Every lane is shifted by its maximum first, `softmax(x) = exp(x − m) / Σ exp(x − m)`, so the
//! largest exponent is `exp(0) = 1`: `[1000, 1001, 1002]` neither overflows nor loses precision.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1, Axis, Zip};

/// `exp(x − m) / Σ exp(x − m)` along `axis` (`Axis(1)`: each row sums to 1), as
/// `scipy.special.softmax(x, axis)`.
///
/// ```
/// use ndarray::{array, Axis};
/// let p = brisk_kernels::softmax::softmax(array![[1000.0, 1000.0]].view(), Axis(1));
/// assert_eq!(p, array![[0.5, 0.5]]);
/// ```
pub fn softmax(x: ArrayView2<'_, f64>, axis: Axis) -> Array2<f64> {
    map_lanes(x, axis, |mut lane| {
        let max = lane_max(lane.view());
        lane.mapv_inplace(|v| (v - max).exp());
        let sum = lane.sum();
        lane.mapv_inplace(|v| v / sum);
    })
}

/// `(x − m) − log Σ exp(x − m)` along `axis`, as `scipy.special.log_softmax(x, axis)`: exact
/// where `log(softmax(x))` would round tiny probabilities to `log 0 = −∞`.
///
/// ```
/// use ndarray::{array, Axis};
/// let l = brisk_kernels::softmax::log_softmax(array![[0.0, -1000.0]].view(), Axis(1));
/// assert_eq!(l, array![[0.0, -1000.0]]);
/// ```
pub fn log_softmax(x: ArrayView2<'_, f64>, axis: Axis) -> Array2<f64> {
    map_lanes(x, axis, |mut lane| {
        let max = lane_max(lane.view());
        lane.mapv_inplace(|v| v - max);
        let log_sum = lane.fold(0.0, |s, &v| s + v.exp()).ln();
        lane.mapv_inplace(|v| v - log_sum);
    })
}

/// `m + log Σ exp(x − m)` of every lane along `axis`, as `scipy.special.logsumexp(x, axis)`.
///
/// ```
/// use ndarray::{array, Axis};
/// let s = brisk_kernels::softmax::logsumexp(array![[1000.0, 1000.0]].view(), Axis(1));
/// assert_eq!(s, array![1000.0 + 2f64.ln()]);
/// ```
pub fn logsumexp(x: ArrayView2<'_, f64>, axis: Axis) -> Array1<f64> {
    x.map_axis(axis, |lane| {
        let max = lane_max(lane);
        max + lane.fold(0.0, |s, &v| s + (v - max).exp()).ln()
    })
}

fn map_lanes(
    x: ArrayView2<'_, f64>,
    axis: Axis,
    f: impl Fn(ArrayViewMut1<'_, f64>) + Sync + Send,
) -> Array2<f64> {
    let mut out = x.as_standard_layout().into_owned();
    Zip::from(out.lanes_mut(axis)).par_for_each(f);
    out
}

/// The lane's maximum; 0 for an empty lane (which then stays empty).
fn lane_max(lane: ArrayView1<'_, f64>) -> f64 {
    let max = lane.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    if max.is_finite() {
        max
    } else {
        0.0
    }
}
