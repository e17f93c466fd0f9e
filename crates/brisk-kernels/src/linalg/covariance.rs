//! Covariance and correlation of a matrix's columns, with the centring fused into a blocked
//! symmetric product (exercise C.4, notebook §8).

use faer::linalg::matmul::triangular::{self, BlockStructure};
use faer::{Accum, Par};
use ndarray::{s, Array1, Array2, ArrayView2, ShapeBuilder, Zip};
use rayon::prelude::*;

use super::{as_faer, as_faer_mut};
use crate::error::{KernelError, Result};

/// At most this many independent partial sums: a fixed partition of the rows, so results do not
/// depend on the number of threads.
const MAX_GROUPS: usize = 16;

/// Rows per centred block: about 512 KiB of `f64`, so a block stays in cache between the centring
/// and the product (also the blocks `Pca::transform` projects).
pub(crate) fn block_rows(cols: usize) -> usize {
    (65_536 / cols.max(1)).clamp(64, 8_192)
}

/// The sample (`ddof = 1`) or population (`ddof = 0`) covariance of the columns of `x`:
/// `C = X̄ᵀX̄ / (n − ddof)` with `X̄ = X − 1μᵀ`, as `numpy.cov(x, rowvar=False, ddof=ddof)`.
///
/// The centring is never materialised: blocks of rows are centred into a cache-sized buffer and
/// added into the lower triangle of `X̄ᵀX̄` by faer's triangular GEMM, so the work is one pass for
/// `μ` and one for the product, `n·d²` multiply-adds, and the extra memory one block. Any memory
/// order (C, Fortran, sliced) is read in place.
///
/// Reference: NumPy `numpy.cov`; Golub & Van Loan, *Matrix Computations* §1.
///
/// # Errors
/// [`KernelError::TooFewRows`] when `n ≤ ddof`.
///
/// ```
/// use ndarray::array;
/// let x = array![[1.0, 2.0], [2.0, 4.0], [3.0, 7.0]];
/// let c = brisk_kernels::linalg::covariance(x.view(), 1).unwrap();
/// assert_eq!(c, array![[1.0, 2.5], [2.5, 6.333333333333333]]);
/// ```
pub fn covariance(x: ArrayView2<'_, f64>, ddof: usize) -> Result<Array2<f64>> {
    let n = x.nrows();
    if n <= ddof {
        return Err(KernelError::TooFewRows {
            what: "a covariance",
            needed: ddof + 1,
            got: n,
        });
    }
    let (_, mut gram) = centred_gram(x);
    let scale = 1.0 / (n - ddof) as f64;
    gram.mapv_inplace(|v| v * scale);
    Ok(gram)
}

/// Pearson correlation of the columns of `x`, as `numpy.corrcoef(x, rowvar=False)`:
/// `R_ij = C_ij / (σ_i σ_j)` from the covariance `C`, clipped to `[−1, 1]`. A constant column has
/// no correlation: its row and column are NaN, as in NumPy.
///
/// # Errors
/// [`KernelError::TooFewRows`] with fewer than two rows.
///
/// ```
/// use ndarray::array;
/// let x = array![[1.0, 10.0], [2.0, 8.0], [3.0, 6.0]];
/// let r = brisk_kernels::linalg::correlation(x.view()).unwrap();
/// assert_eq!(r, array![[1.0, -1.0], [-1.0, 1.0]]);
/// ```
pub fn correlation(x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
    let mut c = covariance(x, 1)?;
    let std: Array1<f64> = c.diag().mapv(f64::sqrt);
    for ((i, j), v) in c.indexed_iter_mut() {
        *v = (*v / std[i] / std[j]).clamp(-1.0, 1.0);
    }
    Ok(c)
}

/// The mean of each column, `μ_j = Σ_i x_ij / n` (NaN for an empty matrix).
///
/// Summed in blocks of rows whose partial sums are then added in a fixed order, so the rounding
/// error grows with the number of blocks rather than rows and the result is the same on any
/// number of threads.
///
/// ```
/// use ndarray::array;
/// let x = array![[1.0, 2.0], [3.0, 6.0]];
/// assert_eq!(brisk_kernels::linalg::column_means(x.view()), array![2.0, 4.0]);
/// ```
pub fn column_means(x: ArrayView2<'_, f64>) -> Array1<f64> {
    let (n, d) = x.dim();
    let block = block_rows(d);
    let partials = for_each_group(n, block, |rows| block_sums(x.slice(s![rows, ..]), block));
    let mut sums = Array1::zeros(d);
    for partial in &partials {
        sums += partial;
    }
    sums / n as f64
}

/// Column sums of `x`, added block by block.
fn block_sums(x: ArrayView2<'_, f64>, block: usize) -> Array1<f64> {
    let (n, d) = x.dim();
    let mut total = Array1::zeros(d);
    let mut part = Array1::<f64>::zeros(d);
    for r0 in (0..n).step_by(block) {
        let rows = x.slice(s![r0..(r0 + block).min(n), ..]);
        part.fill(0.0);
        if x.strides()[0] == 1 {
            // Column-major: every column of the block is contiguous.
            Zip::from(&mut part)
                .and(rows.columns())
                .for_each(|p, col| *p = col.sum());
        } else {
            for row in rows.rows() {
                part += &row;
            }
        }
        total += &part;
    }
    total
}

/// The column means `μ` and `X̄ᵀX̄` with `X̄ = X − 1μᵀ` (symmetric), computed block by block (see
/// [`covariance`]).
///
/// Two passes with the correction of Chan, Golub & LeVeque (1983): the first pass's mean `m` is
/// off by its rounding error `δ`, which for columns far from zero (`1e9 ± 1e-3`) is not small
/// against their spread. The second pass accumulates `s = Σ(x − m)` beside the product, so that
/// `μ = m + s/n` and `X̄ᵀX̄ = Σ(x − m)(x − m)ᵀ − s sᵀ/n` are exact to rounding.
pub(crate) fn centred_gram(x: ArrayView2<'_, f64>) -> (Array1<f64>, Array2<f64>) {
    let mean = column_means(x);
    let (n, d) = x.dim();
    let block = block_rows(d);
    let column_major = x.strides()[0] == 1 && d > 1;
    let partials = for_each_group(n, block, |rows| {
        let x = x.slice(s![rows, ..]);
        let mut gram = Array2::<f64>::zeros((d, d).f());
        let mut sums = Array1::<f64>::zeros(d);
        let mut buffer = Array2::<f64>::zeros((block.min(x.nrows()), d).set_f(column_major));
        for r0 in (0..x.nrows()).step_by(block) {
            let r1 = (r0 + block).min(x.nrows());
            let mut centred = buffer.slice_mut(s![..r1 - r0, ..]);
            Zip::from(&mut centred)
                .and(x.slice(s![r0..r1, ..]))
                .and_broadcast(&mean)
                .for_each(|c, &v, &m| *c = v - m);
            sums += &block_sums(centred.view(), block);
            triangular::matmul(
                as_faer_mut(gram.view_mut()),
                BlockStructure::TriangularLower,
                Accum::Add,
                as_faer(centred.t()),
                BlockStructure::Rectangular,
                as_faer(centred.view()),
                BlockStructure::Rectangular,
                1.0,
                Par::Seq,
            );
        }
        (sums, gram)
    });
    let mut gram = Array2::<f64>::zeros((d, d));
    let mut sums = Array1::<f64>::zeros(d);
    for (s, g) in &partials {
        sums += s;
        gram += g;
    }
    for i in 0..d {
        for j in 0..=i {
            gram[[i, j]] -= sums[i] * sums[j] / n as f64;
            gram[[j, i]] = gram[[i, j]];
        }
    }
    (mean + sums / n as f64, gram)
}

/// Runs `work` on a fixed partition of `0..n` into at most [`MAX_GROUPS`] runs of whole blocks,
/// in parallel, and returns the results in order.
fn for_each_group<T: Send>(
    n: usize,
    block: usize,
    work: impl Fn(std::ops::Range<usize>) -> T + Sync,
) -> Vec<T> {
    let blocks = n.div_ceil(block).max(1);
    let groups = blocks.min(MAX_GROUPS);
    (0..groups)
        .into_par_iter()
        .map(|g| {
            let start = (g * blocks / groups * block).min(n);
            let end = ((g + 1) * blocks / groups * block).min(n);
            work(start..end)
        })
        .collect()
}
