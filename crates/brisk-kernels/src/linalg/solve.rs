//! Square linear systems by LU with partial pivoting, with a residual and a condition estimate
//! (exercise A.9, notebook §6.2): never through the inverse.

use faer::linalg::matmul::matmul;
use faer::linalg::solvers::{PartialPivLu, Solve};
use faer::{Accum, Mat, MatRef, Par};
use ndarray::{Array2, ArrayView2};

use super::as_faer;
use crate::error::{KernelError, Result};

/// Systems whose estimated condition number exceeds `1/ε` are refused: their solution has no
/// correct digit.
const NEAR_SINGULAR: f64 = 1.0 / f64::EPSILON;

/// Iterations of Hager's estimator; it usually stops after two.
const ESTIMATOR_STEPS: usize = 5;

/// The solution of `AX = B` and how much to trust it.
#[derive(Debug, Clone)]
pub struct Solution {
    /// `X`, with as many columns as `B`.
    pub x: Array2<f64>,
    /// `‖AX − B‖_F`.
    pub residual_norm: f64,
    /// `‖AX − B‖_F / ‖B‖_F` (NaN when `B = 0`).
    pub relative_residual: f64,
    /// The normwise backward error `‖AX − B‖_F / (‖A‖_F ‖X‖_F + ‖B‖_F)`: of the order of ε for
    /// a backward-stable solve.
    pub backward_error: f64,
    /// An estimate of the 1-norm condition number `κ₁(A) = ‖A‖₁ ‖A⁻¹‖₁` (a lower bound, usually
    /// within a factor of 3).
    pub condition: f64,
}

/// Solves `AX = B` for a square `A` by LU factorisation with partial pivoting, `PA = LU`, then two
/// triangular solves — as `numpy.linalg.solve` (LAPACK `gesv`), and never by forming `A⁻¹`.
///
/// The condition number is estimated from the same factors by Hager's method as refined by
/// Higham (LAPACK `gecon`): a few solves with `A` and `Aᵀ`, no inverse.
///
/// Reference: Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §9 and §15.3.
///
/// # Errors
/// [`KernelError::ShapeMismatch`] when `A` is not square or `B` has another number of rows;
/// [`KernelError::Singular`] when a pivot is exactly zero; [`KernelError::NearSingular`] when the
/// estimated condition number exceeds `1/ε ≈ 4.5·10¹⁵`.
///
/// ```
/// use ndarray::array;
/// let a = array![[3.0, 1.0], [1.0, 2.0]];
/// let b = array![[9.0], [8.0]];
/// let s = brisk_kernels::linalg::solve(a.view(), b.view()).unwrap();
/// assert!((s.x[[0, 0]] - 2.0).abs() < 1e-15 && (s.x[[1, 0]] - 3.0).abs() < 1e-15);
/// assert!(s.backward_error < 1e-16 && s.condition > 1.0);
/// ```
pub fn solve(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> Result<Solution> {
    let n = a.nrows();
    if a.ncols() != n {
        return Err(KernelError::ShapeMismatch(format!(
            "A must be square, it is {}×{}",
            a.nrows(),
            a.ncols()
        )));
    }
    if b.nrows() != n {
        return Err(KernelError::ShapeMismatch(format!(
            "A is {n}×{n} but B has {} rows",
            b.nrows()
        )));
    }
    if n == 0 {
        return Err(KernelError::ShapeMismatch("A is empty".into()));
    }
    let a = as_faer(a);
    let lu = a.partial_piv_lu();
    if let Some(pivot) = (0..n).find(|&i| lu.U()[(i, i)] == 0.0) {
        return Err(KernelError::Singular { pivot });
    }
    let condition = operator_norm_l1(a) * inverse_norm_l1(&lu, n);
    if condition.is_nan() || condition > NEAR_SINGULAR {
        return Err(KernelError::NearSingular { condition });
    }
    let b = as_faer(b);
    let mut x = b.to_owned();
    lu.solve_in_place(x.as_mut());
    let mut residual = b.to_owned();
    matmul(residual.as_mut(), Accum::Add, a, x.as_ref(), -1.0, Par::Seq);
    let residual_norm = residual.norm_l2();
    Ok(Solution {
        residual_norm,
        relative_residual: residual_norm / b.norm_l2(),
        backward_error: residual_norm / (a.norm_l2() * x.norm_l2() + b.norm_l2()),
        condition,
        x: to_ndarray(x.as_ref()),
    })
}

/// Hager–Higham estimate of `‖A⁻¹‖₁` from the LU factors of `A`.
fn inverse_norm_l1(lu: &PartialPivLu<f64>, n: usize) -> f64 {
    let mut x = Mat::<f64>::from_fn(n, 1, |_, _| 1.0 / n as f64);
    let mut estimate = 0.0f64;
    let mut last = usize::MAX;
    for _ in 0..ESTIMATOR_STEPS {
        let mut y = x.clone();
        lu.solve_in_place(y.as_mut());
        let norm = y.norm_l1();
        if norm <= estimate {
            break;
        }
        estimate = norm;
        let mut z = Mat::<f64>::from_fn(n, 1, |i, _| if y[(i, 0)] >= 0.0 { 1.0 } else { -1.0 });
        lu.solve_transpose_in_place(z.as_mut());
        let (j, zj) = (0..n)
            .map(|i| (i, z[(i, 0)].abs()))
            .fold((0, -1.0), |best, c| if c.1 > best.1 { c } else { best });
        let ztx: f64 = (0..n).map(|i| z[(i, 0)] * x[(i, 0)]).sum();
        if j == last || zj <= ztx {
            break;
        }
        last = j;
        x = Mat::<f64>::from_fn(n, 1, |i, _| f64::from(u8::from(i == j)));
    }
    // Higham's safeguard: an alternating vector catches the cases the iteration misses.
    let mut alt = Mat::<f64>::from_fn(n, 1, |i, _| {
        let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
        sign * (1.0 + i as f64 / (n.max(2) - 1) as f64)
    });
    lu.solve_in_place(alt.as_mut());
    estimate.max(2.0 * alt.norm_l1() / (3.0 * n as f64))
}

/// `‖A‖₁ = max_j Σ_i |a_ij|`, the largest column sum.
fn operator_norm_l1(a: MatRef<'_, f64>) -> f64 {
    (0..a.ncols())
        .map(|j| (0..a.nrows()).map(|i| a[(i, j)].abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

fn to_ndarray(m: MatRef<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((m.nrows(), m.ncols()), |(i, j)| m[(i, j)])
}
