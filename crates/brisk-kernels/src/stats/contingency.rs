//! Association of two categorical variables from their contingency table: Pearson's χ² test of
//! independence ([`chi2_contingency`], giving a [`Chi2Test`]) and the bias-corrected Cramér's V
//! ([`cramers_v`]). The table of two text columns is counted by
//! [`Contingency`](crate::accumulate::Contingency).
//!
//! ```
//! use brisk_kernels::stats::{chi2_contingency, cramers_v};
//! use ndarray::array;
//! let observed = array![[10.0, 10.0, 20.0], [20.0, 20.0, 20.0]];
//! let test = chi2_contingency(observed.view(), true)?;
//! assert_eq!(test.dof, 2);
//! assert!((test.statistic - 2.7777777777777777).abs() < 1e-14);
//! assert!((test.p_value - 0.24935220877729619).abs() < 1e-14);
//! let v = cramers_v(observed.view()).unwrap();
//! assert!(v > 0.0 && v < 0.2);
//! # Ok::<(), brisk_kernels::KernelError>(())
//! ```

use ndarray::{Array1, Array2, ArrayView2, Axis};

use super::chi2_sf;
use crate::error::{invalid, Result};

/// The result of [`chi2_contingency`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chi2Test {
    /// Pearson's χ² statistic, `Σ (O − E)² / E` (after Yates' correction where it applies).
    pub statistic: f64,
    /// `P(χ²(dof) > statistic)`, 1 when `dof` is 0.
    pub p_value: f64,
    /// The degrees of freedom, `(r − 1)(c − 1)`.
    pub dof: u64,
}

/// Pearson's χ² test of independence of the rows and columns of an `r × c` table of counts, as
/// `scipy.stats.chi2_contingency(observed, correction=correction)`:
///
/// - expected counts from the margins, `E_ij = R_i C_j / n`;
/// - `dof = (r − 1)(c − 1)`; with `dof = 0` (one row or one column) the statistic is 0 and the
///   p-value 1;
/// - with `correction` and `dof = 1` (a 2 × 2 table), Yates' continuity correction moves every
///   count toward its expected value by `min(½, |E − O|)`;
/// - `χ² = Σ (O − E)² / E`, p-value [`chi2_sf`](super::chi2_sf)`(χ², dof)`.
///
/// Reference: Pearson (1900); Yates (1934), *J. R. Stat. Soc. Suppl.* 1(2); SciPy
/// `scipy.stats.chi2_contingency`. Counts need not be integers.
///
/// # Errors
/// [`KernelError::InvalidParameter`](crate::KernelError::InvalidParameter) (`observed`) for an
/// empty table, a negative or non-finite count, or a row or column that sums to 0 (an expected
/// count of 0), as SciPy raises `ValueError` there (SciPy returns NaN for NaN counts and for an
/// all-zero table, which brisk refuses as well).
///
/// ```
/// use brisk_kernels::stats::chi2_contingency;
/// use ndarray::array;
/// let observed = array![[12.0, 3.0], [4.0, 11.0]];
/// let yates = chi2_contingency(observed.view(), true)?;
/// let plain = chi2_contingency(observed.view(), false)?;
/// assert_eq!((yates.dof, plain.dof), (1, 1));
/// assert!(yates.statistic < plain.statistic && yates.p_value > plain.p_value);
/// assert!(chi2_contingency(array![[1.0, 0.0], [2.0, 0.0]].view(), false).is_err());
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
pub fn chi2_contingency(observed: ArrayView2<'_, f64>, correction: bool) -> Result<Chi2Test> {
    let margins = Margins::of(observed)?;
    let (r, c) = observed.dim();
    let dof = ((r - 1) * (c - 1)) as u64;
    if dof == 0 {
        return Ok(Chi2Test {
            statistic: 0.0,
            p_value: 1.0,
            dof,
        });
    }
    let statistic = pearson_statistic(observed, &margins, correction && dof == 1);
    Ok(Chi2Test {
        statistic,
        p_value: chi2_sf(statistic, dof as f64),
        dof,
    })
}

/// The bias-corrected Cramér's V of Bergsma (2013), "A bias-correction for Cramér's V and
/// Tschuprow's T", *J. Korean Stat. Soc.* 42(3), 323–328, for an `r × k` table of counts:
///
/// `φ² = χ²/n` (χ² of [`chi2_contingency`] without continuity correction),
/// `φ²₊ = max(0, φ² − (k − 1)(r − 1)/(n − 1))`, `r̃ = r − (r − 1)²/(n − 1)`,
/// `k̃ = k − (k − 1)²/(n − 1)`, `V = sqrt(φ²₊ / min(k̃ − 1, r̃ − 1))`, in `[0, 1]` (clipped).
///
/// Rows and columns that sum to 0 are dropped first (they are levels that were never seen; `r`
/// and `k` count the levels present). `None` when the statistic is undefined:
/// - fewer than 2 rows or 2 columns remain (a constant variable), which also covers `n ≤ 1`;
/// - `min(k̃ − 1, r̃ − 1) ≤ 0`, which for integer counts means a variable with as many levels as
///   observations (every level seen once, an identifier), where `φ²₊` is 0 as well;
/// - a negative or non-finite count.
///
/// ydata-profiling's `_cramers_corrected_stat` computes the same formula; brisk differs where
/// it calls `chi2_contingency(..., correction=True)`, which applies Yates' correction to 2 × 2
/// tables (Bergsma's φ² has none, so ydata-profiling's V of a 2 × 2 table is smaller), and in the
/// undefined cases: ydata-profiling returns 1.0 when `min(k̃ − 1, r̃ − 1) = 0` (including a table
/// of one row or column) and 0 for an empty table, where brisk returns `None`.
///
/// ```
/// use brisk_kernels::stats::cramers_v;
/// use ndarray::array;
/// // Perfect association.
/// assert_eq!(cramers_v(array![[50.0, 0.0], [0.0, 50.0]].view()), Some(1.0));
/// // Independence: the correction pulls the small positive φ² to 0.
/// assert_eq!(cramers_v(array![[10.0, 20.0], [20.0, 40.0]].view()), Some(0.0));
/// // One column left after dropping the empty one: a constant variable.
/// assert_eq!(cramers_v(array![[3.0, 0.0], [4.0, 0.0]].view()), None);
/// ```
pub fn cramers_v(observed: ArrayView2<'_, f64>) -> Option<f64> {
    let table = without_empty_levels(observed);
    let (r, k) = table.dim();
    if r < 2 || k < 2 {
        return None;
    }
    let margins = Margins::of(table.view()).ok()?;
    let n = margins.total;
    let phi2 = pearson_statistic(table.view(), &margins, false) / n;
    let (r, k) = (r as f64, k as f64);
    let phi2_corrected = (phi2 - (k - 1.0) * (r - 1.0) / (n - 1.0)).max(0.0);
    let r_corrected = r - (r - 1.0).powi(2) / (n - 1.0);
    let k_corrected = k - (k - 1.0).powi(2) / (n - 1.0);
    let denominator = (k_corrected - 1.0).min(r_corrected - 1.0);
    (denominator > 0.0).then(|| (phi2_corrected / denominator).sqrt().min(1.0))
}

/// The row sums, column sums and total of a valid table.
struct Margins {
    rows: Array1<f64>,
    columns: Array1<f64>,
    total: f64,
}

impl Margins {
    /// The margins of `observed`, refusing an empty table, a negative or non-finite count and a
    /// zero margin.
    fn of(observed: ArrayView2<'_, f64>) -> Result<Margins> {
        if observed.is_empty() {
            return Err(invalid("observed", "the contingency table is empty"));
        }
        if let Some(((i, j), v)) = observed
            .indexed_iter()
            .find(|(_, v)| !(v.is_finite() && **v >= 0.0))
        {
            return Err(invalid(
                "observed",
                format!("count ({i}, {j}) is {v}; counts must be finite and non-negative"),
            ));
        }
        let rows = observed.sum_axis(Axis(1));
        let columns = observed.sum_axis(Axis(0));
        for (side, sums) in [("row", &rows), ("column", &columns)] {
            if let Some(at) = sums.iter().position(|&s| s == 0.0) {
                return Err(invalid(
                    "observed",
                    format!("{side} {at} sums to 0, so its expected counts are 0"),
                ));
            }
        }
        Ok(Margins {
            total: observed.sum(),
            rows,
            columns,
        })
    }
}

/// `Σ (O − E)² / E` with `E_ij = R_i C_j / n`, each count first moved toward `E` by
/// `min(½, |E − O|)` when `yates`.
fn pearson_statistic(observed: ArrayView2<'_, f64>, margins: &Margins, yates: bool) -> f64 {
    let mut statistic = 0.0;
    for ((i, j), &count) in observed.indexed_iter() {
        let expected = margins.rows[i] * margins.columns[j] / margins.total;
        let count = if yates {
            let difference = expected - count;
            count + difference.signum() * difference.abs().min(0.5)
        } else {
            count
        };
        statistic += (count - expected).powi(2) / expected;
    }
    statistic
}

/// `observed` without its rows and columns that sum to 0.
fn without_empty_levels(observed: ArrayView2<'_, f64>) -> Array2<f64> {
    let kept = |axis: Axis| -> Vec<usize> {
        let sums = observed.sum_axis(axis);
        (0..sums.len()).filter(|&i| sums[i] != 0.0).collect()
    };
    let (rows, columns) = (kept(Axis(1)), kept(Axis(0)));
    observed.select(Axis(0), &rows).select(Axis(1), &columns)
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn refuses_what_scipy_refuses() {
        let empty = Array2::<f64>::zeros((0, 3));
        assert!(chi2_contingency(empty.view(), true).is_err());
        assert!(chi2_contingency(array![[1.0, -1.0], [2.0, 3.0]].view(), true).is_err());
        assert!(chi2_contingency(array![[1.0, f64::NAN], [2.0, 3.0]].view(), true).is_err());
        assert!(chi2_contingency(array![[0.0, 0.0], [2.0, 3.0]].view(), true).is_err());
        assert!(chi2_contingency(array![[0.0, 0.0], [0.0, 0.0]].view(), true).is_err());
        // Zero margins are refused before the one-row shortcut, as in SciPy.
        assert!(chi2_contingency(array![[1.0, 0.0, 2.0]].view(), true).is_err());
    }

    #[test]
    fn one_row_or_column_has_no_degrees_of_freedom() {
        let row = chi2_contingency(array![[1.0, 5.0, 2.0]].view(), true).unwrap();
        assert_eq!(
            row,
            Chi2Test {
                statistic: 0.0,
                p_value: 1.0,
                dof: 0
            }
        );
        let column = chi2_contingency(array![[1.0], [5.0]].view(), false).unwrap();
        assert_eq!(column.dof, 0);
    }

    #[test]
    fn yates_never_overshoots_the_expected_count() {
        // E = 1.5, 1.5 / 0.5, 0.5: differences of 0.5, so the corrected counts equal E.
        let observed = array![[2.0, 1.0], [0.0, 1.0]];
        let test = chi2_contingency(observed.view(), true).unwrap();
        assert_eq!(test.statistic, 0.0);
        assert_eq!(test.p_value, 1.0);
    }

    #[test]
    fn statistic_is_the_definition() {
        let observed = array![[5.0, 1.0, 7.0], [2.0, 9.0, 4.0], [6.0, 6.0, 3.0]];
        let n: f64 = observed.sum();
        let mut want = 0.0;
        for i in 0..3 {
            for j in 0..3 {
                let e = observed.row(i).sum() * observed.column(j).sum() / n;
                want += (observed[[i, j]] - e).powi(2) / e;
            }
        }
        let test = chi2_contingency(observed.view(), true).unwrap();
        assert!((test.statistic - want).abs() < 1e-13 * want);
        assert_eq!(test.dof, 4);
    }

    #[test]
    fn cramers_v_edge_cases() {
        assert_eq!(cramers_v(Array2::<f64>::zeros((0, 0)).view()), None);
        assert_eq!(cramers_v(array![[4.0, 6.0]].view()), None);
        assert_eq!(cramers_v(array![[1.0, 0.0], [0.0, 0.0]].view()), None);
        // Every row seen once: r̃ − 1 = 0.
        assert_eq!(cramers_v(array![[1.0, 0.0], [0.0, 1.0]].view()), None);
        assert_eq!(
            cramers_v(array![[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]].view()),
            None
        );
        assert_eq!(cramers_v(array![[1.0, -2.0], [3.0, 4.0]].view()), None);
        // Dropping an empty row and column does not change V.
        let plain = array![[8.0, 2.0], [3.0, 9.0]];
        let padded = array![[8.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 9.0]];
        assert_eq!(cramers_v(plain.view()), cramers_v(padded.view()));
        assert!(cramers_v(plain.view()).unwrap() > 0.4);
    }
}
