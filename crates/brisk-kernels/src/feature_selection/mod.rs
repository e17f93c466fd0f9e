//! Univariate feature scoring (exercise C.3), equal to scikit-learn's `f_classif` and
//! `f_regression`, and the F distribution's survival function behind their p-values.
//!
//! - [`f_classif`]: one-way ANOVA F of each column between the classes of a label vector
//!   (`sklearn.feature_selection.f_classif`).
//! - [`f_regression`]: F of the univariate linear regression of a target on each column
//!   (`sklearn.feature_selection.f_regression` with `center=True, force_finite=True`).
//! - [`f_sf`]: `P(F > f)` for Fisher's F distribution (`scipy.stats.f.sf`), through the regularised
//!   incomplete beta function.
//! - [`f_classif_from`] and [`f_regression_from`]: the same scores finished from mergeable states
//!   ([`ClassMoments`](crate::accumulate::ClassMoments),
//!   [`CoMoments`](crate::accumulate::CoMoments)), for tables read chunk by chunk.
//!
//! scikit-learn sums raw powers (`Σx² − (Σx)²/n`), which loses every digit on a column whose mean
//! is large next to its spread. These kernels centre every column first and accumulate with
//! compensated sums, so they give scikit-learn's figures wherever scikit-learn's own rounding is
//! small, and the exact figures where it is not.
//!
//! ```
//! use brisk_kernels::feature_selection::{f_classif, f_regression};
//! use ndarray::array;
//! let x = array![[1.0, 5.0], [2.0, 4.0], [8.0, 5.0], [9.0, 4.0]];
//! let by_class = f_classif(x.view(), &[0, 0, 1, 1])?;
//! assert!((by_class.scores[0] - 98.0).abs() < 1e-12);
//! assert_eq!(by_class.scores[1], 0.0);
//! let by_value = f_regression(x.view(), array![1.0, 2.0, 8.0, 9.0].view())?;
//! assert_eq!(by_value.scores[0], f64::MAX); // a perfect fit, as scikit-learn's force_finite
//! assert_eq!(by_value.p_values[0], 0.0);
//! # Ok::<(), brisk_kernels::KernelError>(())
//! ```

mod anova;
mod distribution;
mod from_moments;
mod regression;
mod special;
#[cfg(test)]
mod tests;

pub use anova::f_classif;
pub use distribution::f_sf;
pub use from_moments::{f_classif_from, f_regression_from};
pub use regression::f_regression;

use ndarray::{ArrayView1, ArrayView2};

use crate::error::{invalid, Result};
use crate::numeric::CompensatedSum;

/// The F statistic of every feature and its p-value, in column order.
#[derive(Debug, Clone, PartialEq)]
pub struct FScores {
    /// The F statistic of each column (NaN where it is undefined, as scikit-learn).
    pub scores: Vec<f64>,
    /// `P(F > score)` under the null hypothesis, from the F distribution's survival function.
    pub p_values: Vec<f64>,
}

/// Refuses NaN and infinities, as scikit-learn's `check_X_y` does.
fn check_finite(x: ArrayView2<'_, f64>) -> Result<()> {
    for ((row, column), value) in x.indexed_iter() {
        if !value.is_finite() {
            return Err(invalid(
                "x",
                format!(
                    "row {row}, column {column} holds {value}; drop or impute the rows with \
                     NaN or infinite values first"
                ),
            ));
        }
    }
    Ok(())
}

/// As [`check_finite`], for the target of a regression.
fn check_finite_target(y: ArrayView1<'_, f64>) -> Result<()> {
    match y.iter().position(|v| !v.is_finite()) {
        Some(row) => Err(invalid(
            "y",
            format!(
                "row {row} holds {}; drop or impute the rows with NaN or infinite values first",
                y[row]
            ),
        )),
        None => Ok(()),
    }
}

/// The mean of `values` from a compensated sum, kept inside `[min, max]` so that equal values
/// have exactly their own value as mean (deviations from it are then exactly zero).
fn mean_of(values: impl Iterator<Item = f64>) -> f64 {
    let mut sum = CompensatedSum::new();
    let (mut count, mut min, mut max) = (0usize, f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        sum.add(v);
        count += 1;
        min = min.min(v);
        max = max.max(v);
    }
    (sum.value() / count as f64).clamp(min, max)
}

/// A power of two `s` that brings `max_abs · s` to about 1: deviations multiplied by it keep every
/// bit, and their squares neither overflow nor underflow. 1 for zero, subnormal or non-finite input.
fn power_of_two_scale(max_abs: f64) -> f64 {
    if !(max_abs >= f64::MIN_POSITIVE && max_abs.is_finite()) {
        return 1.0;
    }
    let exponent = max_abs.log2().floor() as i32;
    2f64.powi(-exponent.clamp(-1000, 1000))
}
