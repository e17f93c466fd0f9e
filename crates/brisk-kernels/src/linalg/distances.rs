//! Pairwise Euclidean distances through one matrix product (exercise C.6a, notebook §4.2).

use faer::linalg::matmul::{matmul, triangular};
use faer::{Accum, Par};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, ShapeBuilder};

use super::{as_faer, as_faer_mut, column_means};
use crate::error::{KernelError, Result};

/// Squared distances below this fraction of `‖x‖² + ‖y‖²` lost most of their digits to
/// cancellation in the expansion; they are recomputed directly.
const CANCELLATION: f64 = 1e-6;

/// The Euclidean distance between every row of `x` and every row of `y` (of `x` itself when `y`
/// is `None`), as `scipy.spatial.distance.cdist(x, y)`.
///
/// `D_ij² = ‖x_i‖² + ‖y_j‖² − 2 x_i·y_j`: one GEMM for all the dot products. Both sides are first
/// shifted by the same vector (the mean of `x`), which changes no distance but shrinks the norms
/// the expansion cancels; squared distances are clamped at 0 before the square root, so rounding
/// never yields NaN; pairs whose squared distance is under 10⁻⁶ of their squared norms are
/// recomputed as `Σ (x − y)²`, so near-duplicates keep their digits. Self-distances are exactly 0
/// and the self matrix is exactly symmetric.
///
/// # Errors
/// [`KernelError::ShapeMismatch`] when `x` and `y` have different numbers of columns.
///
/// ```
/// use ndarray::array;
/// let x = array![[0.0, 0.0], [3.0, 4.0]];
/// let d = brisk_kernels::linalg::pairwise_distances(x.view(), None).unwrap();
/// assert_eq!(d, array![[0.0, 5.0], [5.0, 0.0]]);
/// ```
pub fn pairwise_distances(
    x: ArrayView2<'_, f64>,
    y: Option<ArrayView2<'_, f64>>,
) -> Result<Array2<f64>> {
    if let Some(y) = y {
        if y.ncols() != x.ncols() {
            return Err(KernelError::ShapeMismatch(format!(
                "x has {} columns but y has {}",
                x.ncols(),
                y.ncols()
            )));
        }
    }
    let shift = Some(column_means(x))
        .filter(|m| x.nrows() > 0 && m.iter().all(|v| v.is_finite()))
        .unwrap_or_else(|| Array1::zeros(x.ncols()));
    let xs = &x - &shift;
    let ys = y.map(|y| &y - &shift);
    let x_norms = squared_norms(xs.view());
    let mut d = match &ys {
        None => {
            let mut g = Array2::<f64>::zeros((x.nrows(), x.nrows()).f());
            triangular::matmul(
                as_faer_mut(g.view_mut()),
                triangular::BlockStructure::TriangularLower,
                Accum::Replace,
                as_faer(xs.view()),
                triangular::BlockStructure::Rectangular,
                as_faer(xs.t()),
                triangular::BlockStructure::Rectangular,
                1.0,
                Par::Seq,
            );
            g
        }
        Some(ys) => {
            let mut g = Array2::<f64>::zeros((x.nrows(), ys.nrows()).f());
            matmul(
                as_faer_mut(g.view_mut()),
                Accum::Replace,
                as_faer(xs.view()),
                as_faer(ys.t()),
                1.0,
                Par::Seq,
            );
            g
        }
    };
    let y_norms = ys.as_ref().map(|ys| squared_norms(ys.view()));
    let (yv, yn) = match (y, &y_norms) {
        (Some(y), Some(n)) => (y, n.view()),
        _ => (x, x_norms.view()),
    };
    let is_self = ys.is_none();
    for j in 0..d.ncols() {
        let first = if is_self { j } else { 0 };
        for i in first..d.nrows() {
            let scale = x_norms[i] + yn[j];
            let mut sq = scale - 2.0 * d[[i, j]];
            // Also where the expansion overflowed (inf − inf): the direct sum gives inf.
            if sq.is_nan() || sq < CANCELLATION * scale {
                sq = squared_distance(x.row(i), yv.row(j));
            }
            // `max` would turn a NaN coordinate's NaN into 0; NaN stays NaN, as in SciPy's cdist.
            d[[i, j]] = if sq < 0.0 { 0.0 } else { sq.sqrt() };
        }
    }
    if is_self {
        for i in 0..d.nrows() {
            d[[i, i]] = 0.0;
            for j in 0..i {
                d[[j, i]] = d[[i, j]];
            }
        }
    }
    Ok(d.as_standard_layout().into_owned())
}

fn squared_norms(x: ArrayView2<'_, f64>) -> Array1<f64> {
    x.map_axis(Axis(1), |row| row.dot(&row))
}

fn squared_distance(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}
