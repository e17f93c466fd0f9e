//! brisk's numerical kernels, on ndarray views, with no I/O.
//!
//! - [`stats`]: [`Moments`](stats::Moments) (Welford/Chan/Pébay accumulators with `add`, `merge` and
//!   a vectorised two-pass `from_slice`), exact quantiles by selection, exact quantiles past the
//!   memory limit (a histogram of order keys, then a pass that keeps one bucket), a quantile sketch
//!   with a guaranteed rank-error bound, and [`compute_statistics`](stats::compute_statistics) (exercise C.1).
//! - [`linalg`]: [`covariance`](linalg::covariance) and [`correlation`](linalg::correlation)
//!   (C.4), [`pairwise_distances`](linalg::pairwise_distances) (C.6a), [`solve`](linalg::solve)
//!   (A.9), on faer's GEMM, LU and eigen-solvers.
//! - [`preprocessing`]: [`row_normalize`](preprocessing::row_normalize), z-scores and min-max (B.3).
//! - [`softmax`]: stable softmax, log-softmax and log-sum-exp.
//! - [`decomposition`]: [`Pca`](decomposition::Pca); [`cluster`]: [`KMeans`](cluster::KMeans)
//!   (C.6), with scikit-learn's semantics and [`random::Mt19937`] for its seeds.
//! - [`accumulate`]: mergeable states for reading a table chunk by chunk —
//!   [`CoMoments`](accumulate::CoMoments) (covariance, correlation, PCA, `f_regression`),
//!   [`ClassMoments`](accumulate::ClassMoments) (`f_classif`), [`MinMax`](accumulate::MinMax),
//!   [`Histogram`](accumulate::Histogram), [`Reservoir`](accumulate::Reservoir) (a seeded sample)
//!   and [`TextCounts`](accumulate::TextCounts), each with `add`, `merge` and serde.
//! - [`numeric`]: [`CompensatedSum`](numeric::CompensatedSum), [`two_sum`](numeric::two_sum) and
//!   [`canonical_zero`](numeric::canonical_zero).
//!
//! ```
//! use brisk_kernels::stats::{Convention, Moments};
//! let mut m = Moments::from_slice(&[1.0, 2.0, 3.0]);
//! m.merge(&Moments::from_slice(&[4.0, 5.0]));
//! assert_eq!(m.mean(), Some(3.0));
//! assert_eq!(m.std(Convention::Sample), Some(2.5f64.sqrt()));
//! ```

#![warn(missing_docs)]

pub mod accumulate;
mod buffer;
pub mod cluster;
pub mod decomposition;
pub mod error;
pub mod feature_selection;
pub mod layout;
pub mod linalg;
pub mod numeric;
pub mod preprocessing;
pub mod random;
pub mod simd;
pub mod softmax;
pub mod stats;

pub use error::KernelError;
