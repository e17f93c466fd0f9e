//! `f_classif` and `f_regression` finished from mergeable states instead of a matrix in memory.

use super::{f_sf, FScores};
use crate::accumulate::{ClassMoments, CoMoments};
use crate::error::{invalid, KernelError, Result};
use crate::numeric::double_double::DoubleDouble;
use crate::numeric::CompensatedSum;
use crate::stats::Moments;

/// [`f_classif`](super::f_classif) of the rows summarised by `classes`: the one-way ANOVA F of
/// every feature between the classes, and its p-value, as
/// `sklearn.feature_selection.f_classif(x, labels)`.
///
/// With class counts `n_c`, class means `x̄_c`, within-class sums of squares `M2_c`, the grand
/// mean `x̄`, `k` classes and `n` rows (Fisher's one-way ANOVA):
///
/// `F = [Σ_c n_c (x̄_c − x̄)² / (k − 1)] / [Σ_c M2_c / (n − k)]`, `p = P(F(k − 1, n − k) > F)`
/// ([`f_sf`]).
///
/// The class means enter only through their differences from the first class's mean, taken from
/// the states' shifts and offsets ([`Moments`] holds its mean as `shift + offset`), so columns
/// with a mean of 10⁶ and a spread of 1 keep their digits. The degenerate columns follow
/// scikit-learn as `f_classif` does: constant → `F = NaN, p = NaN`; constant within every class
/// but not between → `F = +∞, p = 0`; equal class means → `F = 0, p = 1`. The classes are those
/// with at least one row. Unlike `f_classif`, which rescales every column first, the states
/// hold squared deviations, so deviations below about 1e-154 underflow.
///
/// # Errors
/// [`KernelError::InvalidParameter`] for fewer than 2 classes, or a feature with a NaN or
/// infinite value (its finite count differs from its class's rows); [`KernelError::TooFewRows`]
/// when there are not more rows than classes.
///
/// ```
/// use brisk_kernels::accumulate::ClassMoments;
/// use brisk_kernels::feature_selection::{f_classif, f_classif_from};
/// use ndarray::array;
/// let x = array![[1.0, 7.0], [3.0, 7.0], [5.0, 7.0], [7.0, 7.0], [9.0, 7.0], [11.0, 7.0]];
/// let mut classes = ClassMoments::new(2);
/// let ids: Vec<u32> = [b"a", b"a", b"a", b"b", b"b", b"b"]
///     .iter()
///     .map(|label| classes.class_id(*label))
///     .collect();
/// let columns: Vec<Vec<f64>> = x.columns().into_iter().map(|c| c.to_vec()).collect();
/// classes.add_block(&ids, &[&columns[0], &columns[1]])?;
/// let streamed = f_classif_from(&classes)?;
/// let in_memory = f_classif(x.view(), &[0, 0, 0, 1, 1, 1])?;
/// assert!((streamed.scores[0] - in_memory.scores[0]).abs() < 1e-12 * in_memory.scores[0]);
/// assert!(streamed.scores[1].is_nan() && in_memory.scores[1].is_nan()); // a constant column
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
pub fn f_classif_from(classes: &ClassMoments) -> Result<FScores> {
    let present: Vec<u32> = (0..classes.classes() as u32)
        .filter(|&c| classes.rows(c) > 0)
        .collect();
    let k = present.len();
    if k < 2 {
        return Err(invalid(
            "target",
            format!(
                "f_classif needs at least 2 classes, the labels hold {k}; \
                 use a target with more than one distinct value"
            ),
        ));
    }
    let n: u64 = present.iter().map(|&c| classes.rows(c)).sum();
    if n <= k as u64 {
        return Err(KernelError::TooFewRows {
            what: "f_classif (more rows than classes)",
            needed: k + 1,
            got: usize::try_from(n).unwrap_or(usize::MAX),
        });
    }
    let (df_between, df_within) = ((k - 1) as f64, (n - k as u64) as f64);
    let mut scores = Vec::with_capacity(classes.features());
    let mut p_values = Vec::with_capacity(classes.features());
    for j in 0..classes.features() {
        let column = feature_moments(classes, &present, j)?;
        let (between, within) = anova_sums(&column);
        let f = (between / df_between) / (within / df_within);
        scores.push(f);
        p_values.push(f_sf(f, df_between, df_within));
    }
    Ok(FScores { scores, p_values })
}

/// Feature `j`'s moments in each present class, refused if a value was not finite.
fn feature_moments(classes: &ClassMoments, present: &[u32], j: usize) -> Result<Vec<Moments>> {
    present
        .iter()
        .map(|&c| {
            let m = classes.moments(c).map(|m| m[j]).unwrap_or_default();
            if m.finite_count() == classes.rows(c) {
                return Ok(m);
            }
            let label = classes.labels().nth(c as usize).unwrap_or_default();
            Err(invalid(
                "x",
                format!(
                    "feature {j} holds NaN or infinite values in class {:?}; drop or impute \
                     the rows with NaN or infinite values first",
                    String::from_utf8_lossy(label)
                ),
            ))
        })
        .collect()
}

/// `(SS_between, SS_within)` from the class moments: the means as differences `δ_c` from the
/// first class's, the grand mean as their weighted average, compensated sums throughout.
fn anova_sums(column: &[Moments]) -> (f64, f64) {
    let base = &column[0];
    let deltas: Vec<(f64, f64)> = column
        .iter()
        .map(|m| (m.finite_count() as f64, m.mean_difference(base)))
        .collect();
    let n: f64 = deltas.iter().map(|(size, _)| size).sum();
    let weighted: CompensatedSum = deltas.iter().map(|(size, d)| size * d).collect();
    let grand = weighted.value() / n;
    let between: CompensatedSum = deltas
        .iter()
        .map(|(size, d)| size * (d - grand) * (d - grand))
        .collect();
    let within: CompensatedSum = column.iter().map(Moments::sum_of_squares).collect();
    (between.value(), within.value())
}

/// [`f_regression`](super::f_regression) of the rows summarised by `moments`: column `target` is
/// `y`, the other columns (in order) are the features. As
/// `sklearn.feature_selection.f_regression(x, y)` with `center=True, force_finite=True`:
///
/// `F = r²/(1 − r²)·(n − 2) = S_xy²/S_xx / ((S_yy − S_xy²/S_xx)/(n − 2))`,
/// `p = P(F(1, n − 2) > F)` ([`f_sf`]),
///
/// with `S` the centred cross products of [`CoMoments`]. They are held in double-double
/// precision, so the residual `S_yy − S_xy²/S_xx` of a nearly perfect fit keeps its digits, as
/// the in-memory kernel's residuals summed one by one do. `force_finite`: a constant feature or
/// target gets `F = 0, p = 1`; a perfect fit, a residual at most 2⁻⁵² of `S_yy`, gets
/// `F = f64::MAX, p = 0`.
///
/// # Errors
/// [`KernelError::InvalidParameter`] when `target` is not a column, or the co-moments hold NaN
/// or infinite values; [`KernelError::TooFewRows`] for fewer than 3 rows.
///
/// ```
/// use brisk_kernels::accumulate::CoMoments;
/// use brisk_kernels::feature_selection::f_regression_from;
/// let mut moments = CoMoments::new(2);
/// for row in [[1.0, 1.0], [2.0, 3.0], [3.0, 2.0], [4.0, 4.0]] {
///     moments.add_row(&row)?;
/// }
/// let fit = f_regression_from(&moments, 1)?; // y is column 1
/// // r = 0.8, so F = 0.64 / 0.36 · 2.
/// assert!((fit.scores[0] - 0.64 / 0.36 * 2.0).abs() < 1e-12);
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
pub fn f_regression_from(moments: &CoMoments, target: usize) -> Result<FScores> {
    let p = moments.columns();
    if target >= p {
        return Err(invalid(
            "target",
            format!("column {target} is not one of the {p} columns"),
        ));
    }
    let n = moments.count();
    if n < 3 {
        return Err(KernelError::TooFewRows {
            what: "f_regression",
            needed: 3,
            got: usize::try_from(n).unwrap_or(usize::MAX),
        });
    }
    let df = (n - 2) as f64;
    let syy = moments.cross_product(target, target);
    let mut scores = Vec::with_capacity(p - 1);
    let mut p_values = Vec::with_capacity(p - 1);
    for j in (0..p).filter(|&j| j != target) {
        let (sxx, sxy) = (
            moments.cross_product(j, j),
            moments.cross_product(j, target),
        );
        if !(sxx.is_finite() && sxy.is_finite() && syy.is_finite()) {
            return Err(invalid(
                "x",
                format!(
                    "the co-moments of column {j} and the target hold NaN or infinite values; \
                     add complete rows of finite values only"
                ),
            ));
        }
        let (f, p_value) = match regression_f(sxx, syy, sxy, df) {
            None => (0.0, 1.0),
            Some(f) if f == f64::INFINITY => (f64::MAX, 0.0),
            Some(f) => (f, f_sf(f, 1.0, df)),
        };
        scores.push(f);
        p_values.push(p_value);
    }
    Ok(FScores { scores, p_values })
}

/// The regression F from the centred cross products; `None` for a constant feature or target,
/// `+∞` for a perfect fit.
fn regression_f(sxx: DoubleDouble, syy: DoubleDouble, sxy: DoubleDouble, df: f64) -> Option<f64> {
    if sxx.value() <= 0.0 || syy.value() <= 0.0 {
        return None;
    }
    let explained = sxy.mul(sxy).divide(sxx);
    let residual = syy.sub(explained);
    if residual.value() <= f64::EPSILON * syy.value() {
        return Some(f64::INFINITY);
    }
    Some(df * (explained.value() / residual.value()))
}

#[cfg(test)]
mod tests;
