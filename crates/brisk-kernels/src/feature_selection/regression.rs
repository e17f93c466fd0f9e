//! The F test of a univariate linear regression per feature: scikit-learn's `f_regression`.

use ndarray::{ArrayView1, ArrayView2};
use rayon::prelude::*;

use super::{check_finite, check_finite_target, f_sf, mean_of, power_of_two_scale, FScores};
use crate::error::{KernelError, Result};
use crate::numeric::{two_sum, CompensatedSum};

/// The F statistic of the regression of `y` on each column of `x` alone (with an intercept) and
/// its p-value, as `sklearn.feature_selection.f_regression(x, y)` with its defaults
/// `center=True, force_finite=True`.
///
/// With Pearson's correlation `r` between the column and `y` and `n` rows:
///
/// `F = r² / (1 − r²) · (n − 2) = SS_regression / (SS_residual / (n − 2))`, and
/// `p = P(F(1, n − 2) > F)` ([`f_sf`]).
///
/// The residual sum of squares is `Σ(y − ȳ)² − SS_regression` while `1 − r² ≥ 1/16` (at most four
/// bits lost to cancellation); closer to a perfect fit it is summed from the residuals themselves,
/// formed in double-double arithmetic, so that a nearly perfect fit keeps its digits.
///
/// As scikit-learn's `force_finite`: a constant column, or a constant `y`, has no correlation and
/// gets `F = 0`, `p = 1`; a perfect fit (`F = ∞`) gets `F = f64::MAX`, `p = 0`. A fit counts as
/// perfect when its residual sum of squares is at most 2⁻⁵² of `Σ(y − ȳ)²`, that is when `1 − r²`
/// is below the resolution of `f64`, where scikit-learn's `r` rounds to ±1 (exactly linear data
/// whose residuals are rounding noise).
///
/// # Errors
/// [`KernelError::ShapeMismatch`] when `y` is not one value per row; [`KernelError::TooFewRows`]
/// for fewer than 3 rows; [`KernelError::InvalidParameter`] for a NaN or infinite value.
///
/// ```
/// use brisk_kernels::feature_selection::f_regression;
/// use ndarray::array;
/// let x = array![[1.0], [2.0], [3.0], [4.0]];
/// let y = array![1.0, 3.0, 2.0, 4.0];
/// let fit = f_regression(x.view(), y.view())?;
/// // r = 0.8, so F = 0.64 / 0.36 · 2.
/// assert!((fit.scores[0] - 0.64 / 0.36 * 2.0).abs() < 1e-12);
/// assert!((fit.p_values[0] - 0.2).abs() < 1e-12); // = 1 − r for n = 4
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
pub fn f_regression(x: ArrayView2<'_, f64>, y: ArrayView1<'_, f64>) -> Result<FScores> {
    let n = x.nrows();
    if y.len() != n {
        return Err(KernelError::ShapeMismatch(format!(
            "f_regression: x has {n} rows but y has {} values",
            y.len()
        )));
    }
    if n < 3 {
        return Err(KernelError::TooFewRows {
            what: "f_regression",
            needed: 3,
            got: n,
        });
    }
    check_finite(x)?;
    check_finite_target(y)?;
    let target = Centred::new(y);
    let df = (n - 2) as f64;
    let columns: Vec<(f64, f64)> = (0..x.ncols())
        .into_par_iter()
        .map(
            |j| match regression_f(&Centred::new(x.column(j)), &target, df) {
                Fit::Undefined => (0.0, 1.0),
                Fit::Perfect => (f64::MAX, 0.0),
                Fit::F(f) => (f, f_sf(f, 1.0, df)),
            },
        )
        .collect();
    let (scores, p_values) = columns.into_iter().unzip();
    Ok(FScores { scores, p_values })
}

/// A vector's deviations from its mean, scaled by a power of two, each as an exact pair
/// `high + low`, and the (tiny) mean of those deviations.
struct Centred {
    high: Vec<f64>,
    low: Vec<f64>,
    offset: f64,
}

impl Centred {
    fn new(values: ArrayView1<'_, f64>) -> Centred {
        let mean = mean_of(values.iter().copied());
        let max_deviation = values.iter().fold(0.0f64, |m, &v| m.max((v - mean).abs()));
        let scale = power_of_two_scale(max_deviation);
        let (high, low): (Vec<f64>, Vec<f64>) = values
            .iter()
            .map(|&v| {
                let (h, l) = two_sum(v, -mean);
                (h * scale, l * scale)
            })
            .unzip();
        let mut sum = CompensatedSum::new();
        for (&h, &l) in high.iter().zip(&low) {
            sum.add(h);
            sum.add(l);
        }
        let offset = sum.value() / high.len() as f64;
        Centred { high, low, offset }
    }

    /// The centred value of row `i`, rounded.
    fn value(&self, i: usize) -> f64 {
        (self.high[i] - self.offset) + self.low[i]
    }
}

enum Fit {
    /// A constant feature or target: scikit-learn forces `r = 0`.
    Undefined,
    /// `1 − r²` below the resolution of `f64`.
    Perfect,
    F(f64),
}

fn regression_f(x: &Centred, y: &Centred, df: f64) -> Fit {
    let n = x.high.len();
    let (mut sxx, mut syy, mut sxy) = (
        CompensatedSum::new(),
        CompensatedSum::new(),
        CompensatedSum::new(),
    );
    for i in 0..n {
        let (u, v) = (x.value(i), y.value(i));
        sxx.add(u * u);
        syy.add(v * v);
        sxy.add(u * v);
    }
    let (sxx, syy, sxy) = (sxx.value(), syy.value(), sxy.value());
    if sxx == 0.0 || syy == 0.0 {
        return Fit::Undefined;
    }
    let slope = sxy / sxx;
    let explained = slope * sxy;
    // With 1 − r² ≥ 1/16, `syy − explained` loses at most four bits to cancellation; only fits
    // closer to perfect need the residuals summed one by one.
    if syy - explained >= syy / 16.0 {
        return Fit::F(df * explained / (syy - explained));
    }
    // Residuals e_i = (y_i − ȳ) − slope·(x_i − x̄) in double-double arithmetic: the products are
    // split exactly by a fused multiply-add, the differences by TwoSum.
    let intercept_correction = slope * x.offset - y.offset;
    let mut residual = CompensatedSum::new();
    for i in 0..n {
        let product = slope * x.high[i];
        let product_error = slope.mul_add(x.high[i], -product);
        let (difference, difference_error) = two_sum(y.high[i], -product);
        let e = difference
            + (difference_error + y.low[i] - product_error - slope * x.low[i]
                + intercept_correction);
        residual.add(e * e);
    }
    let residual = residual.value();
    if residual <= f64::EPSILON * syy {
        return Fit::Perfect;
    }
    Fit::F(df * explained / residual)
}
