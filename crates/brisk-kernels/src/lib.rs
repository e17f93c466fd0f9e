//! brisk's numerical kernels, on ndarray views, with no I/O.
//!
//! - [`stats`]: [`Moments`](stats::Moments) (Welford/Chan/Pébay accumulators with `add`, `merge` and
//!   a vectorised two-pass `from_slice`), exact quantiles by selection, a quantile sketch with a
//!   guaranteed rank-error bound, and [`compute_statistics`](stats::compute_statistics) (exercise C.1).
//!
//! ```
//! use brisk_kernels::stats::{Convention, Moments};
//! let mut m = Moments::from_slice(&[1.0, 2.0, 3.0]);
//! m.merge(&Moments::from_slice(&[4.0, 5.0]));
//! assert_eq!(m.mean(), Some(3.0));
//! assert_eq!(m.std(Convention::Sample), Some(2.5f64.sqrt()));
//! ```

#![warn(missing_docs)]

pub mod stats;
