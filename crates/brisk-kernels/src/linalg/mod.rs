//! Dense linear algebra on ndarray views, through faer: covariance and correlation (exercise C.4),
//! pairwise distances (C.6a), and linear solves by LU with partial pivoting (A.9).

mod covariance;
mod distances;
mod solve;
#[cfg(test)]
mod tests;

pub(crate) use covariance::{block_rows, centred_gram};
pub use covariance::{column_means, correlation, covariance};
pub use distances::pairwise_distances;
pub use solve::{solve, Solution};

use faer::{MatMut, MatRef};
use ndarray::{ArrayView2, ArrayViewMut2};

/// A faer view of the same memory as an ndarray view (any strides).
pub(crate) fn as_faer(x: ArrayView2<'_, f64>) -> MatRef<'_, f64> {
    let (rows, cols) = x.dim();
    let [row_stride, col_stride] = [x.strides()[0], x.strides()[1]];
    // SAFETY: the pointer, shape and strides come from a live ndarray view of the same lifetime,
    // so every (i, j) with i < rows and j < cols addresses an initialised f64 inside it.
    unsafe { MatRef::from_raw_parts(x.as_ptr(), rows, cols, row_stride, col_stride) }
}

/// A mutable faer view of the same memory as an ndarray view (any strides).
pub(crate) fn as_faer_mut(mut x: ArrayViewMut2<'_, f64>) -> MatMut<'_, f64> {
    let (rows, cols) = x.dim();
    let [row_stride, col_stride] = [x.strides()[0], x.strides()[1]];
    // SAFETY: as in `as_faer`, and the view is unique for its lifetime.
    unsafe { MatMut::from_raw_parts_mut(x.as_mut_ptr(), rows, cols, row_stride, col_stride) }
}
