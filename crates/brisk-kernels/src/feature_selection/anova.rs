//! One-way analysis of variance per feature: scikit-learn's `f_classif`.

use ndarray::{ArrayView1, ArrayView2};
use rayon::prelude::*;

use super::{check_finite, f_sf, mean_of, power_of_two_scale, FScores};
use crate::error::{invalid, KernelError, Result};
use crate::numeric::CompensatedSum;

/// The ANOVA F statistic of every column of `x` (`n_samples × n_features`) between the classes
/// given by `labels`, and its p-value, as `sklearn.feature_selection.f_classif(x, labels)`.
///
/// For a column with class sizes `n_k`, class means `x̄_k` and grand mean `x̄` (Fisher's one-way
/// ANOVA):
///
/// `F = (SS_between / (k − 1)) / (SS_within / (n − k))`, with
/// `SS_between = Σ_k n_k (x̄_k − x̄)²` and `SS_within = Σ_k Σ_{i ∈ k} (x_i − x̄_k)²`,
///
/// and `p = P(F(k − 1, n − k) > F)` ([`f_sf`]). The classes are the distinct values of `labels`
/// (any ids; they need not be `0..k`). The sums are taken on centred, compensated values, so a
/// column with a mean of 10⁶ and a spread of 1 keeps all its digits; scikit-learn's raw power
/// sums lose most of them there.
///
/// Degenerate columns follow scikit-learn: a constant column gives `F = NaN` and `p = NaN`
/// (0/0); a column that is constant within every class but differs between them gives
/// `F = +∞` and `p = 0`; a column whose class means are all equal gives `F = 0` and `p = 1`.
///
/// # Errors
/// [`KernelError::ShapeMismatch`] when `labels` is not one per row; [`KernelError::InvalidParameter`]
/// for fewer than 2 classes or a NaN or infinite value in `x`; [`KernelError::TooFewRows`] when
/// there are not more rows than classes.
///
/// ```
/// use brisk_kernels::feature_selection::f_classif;
/// use ndarray::array;
/// let x = array![[1.0, 7.0], [3.0, 7.0], [5.0, 7.0], [7.0, 7.0], [9.0, 7.0], [11.0, 7.0]];
/// let anova = f_classif(x.view(), &[4, 4, 4, 9, 9, 9])?;
/// // Class means 3 and 9 around 6: SS_between = 2·3·3² = 54, SS_within = 2·(4 + 0 + 4) = 16.
/// assert!((anova.scores[0] - 54.0 / (16.0 / 4.0)).abs() < 1e-12);
/// // scipy.special.fdtrc(1, 4, 13.5) = 0.021311641128756713
/// assert!((anova.p_values[0] - 0.021_311_641_128_756_713).abs() < 1e-15);
/// assert!(anova.scores[1].is_nan() && anova.p_values[1].is_nan()); // a constant column
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
pub fn f_classif(x: ArrayView2<'_, f64>, labels: &[usize]) -> Result<FScores> {
    let n = x.nrows();
    if labels.len() != n {
        return Err(KernelError::ShapeMismatch(format!(
            "f_classif: x has {n} rows but there are {} labels",
            labels.len()
        )));
    }
    let (class_of, classes) = class_indices(labels);
    if classes < 2 {
        return Err(invalid(
            "target",
            format!(
                "f_classif needs at least 2 classes, the labels hold {classes}; \
                 use a target with more than one distinct value"
            ),
        ));
    }
    if n <= classes {
        return Err(KernelError::TooFewRows {
            what: "f_classif (more rows than classes)",
            needed: classes + 1,
            got: n,
        });
    }
    check_finite(x)?;
    let mut class_sizes = vec![0usize; classes];
    for &c in &class_of {
        class_sizes[c] += 1;
    }
    let (df_between, df_within) = ((classes - 1) as f64, (n - classes) as f64);
    let columns: Vec<(f64, f64)> = (0..x.ncols())
        .into_par_iter()
        .map(|j| {
            let (between, within) = sums_of_squares(x.column(j), &class_of, &class_sizes);
            let f = (between / df_between) / (within / df_within);
            (f, f_sf(f, df_between, df_within))
        })
        .collect();
    let (scores, p_values) = columns.into_iter().unzip();
    Ok(FScores { scores, p_values })
}

/// Each label's class index (classes numbered in increasing label order) and the class count.
fn class_indices(labels: &[usize]) -> (Vec<usize>, usize) {
    let mut distinct = labels.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let index = labels
        .iter()
        .map(|label| distinct.binary_search(label).unwrap_or_default())
        .collect();
    (index, distinct.len())
}

/// `(SS_between, SS_within)` of one column, on deviations from the column's mean scaled by a
/// power of two (the scale cancels in F).
fn sums_of_squares(column: ArrayView1<'_, f64>, class_of: &[usize], sizes: &[usize]) -> (f64, f64) {
    let mean = mean_of(column.iter().copied());
    let max_deviation = column.iter().fold(0.0f64, |m, &v| m.max((v - mean).abs()));
    let scale = power_of_two_scale(max_deviation);
    let deviations: Vec<f64> = column.iter().map(|&v| (v - mean) * scale).collect();

    // Class means of the deviations, each clamped into its class's range so that a class of
    // equal values has exactly that value as mean.
    let classes = sizes.len();
    let mut sums = vec![CompensatedSum::new(); classes];
    let mut lows = vec![f64::INFINITY; classes];
    let mut highs = vec![f64::NEG_INFINITY; classes];
    for (&d, &c) in deviations.iter().zip(class_of) {
        sums[c].add(d);
        lows[c] = lows[c].min(d);
        highs[c] = highs[c].max(d);
    }
    let class_means: Vec<f64> = (0..classes)
        .map(|c| (sums[c].value() / sizes[c] as f64).clamp(lows[c], highs[c]))
        .collect();

    // The grand mean of the deviations (zero up to rounding), from the class means.
    let mut weighted = CompensatedSum::new();
    for (&m, &size) in class_means.iter().zip(sizes) {
        weighted.add(m * size as f64);
    }
    let (low, high) = class_means
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &m| {
            (l.min(m), h.max(m))
        });
    let grand = (weighted.value() / class_of.len() as f64).clamp(low, high);

    let mut between = CompensatedSum::new();
    for (&m, &size) in class_means.iter().zip(sizes) {
        between.add(size as f64 * (m - grand) * (m - grand));
    }
    let mut within = CompensatedSum::new();
    for (&d, &c) in deviations.iter().zip(class_of) {
        let r = d - class_means[c];
        within.add(r * r);
    }
    (between.value(), within.value())
}
