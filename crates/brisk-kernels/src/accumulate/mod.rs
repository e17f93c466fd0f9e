//! Mergeable accumulators: states that summarise a chunk of rows, combine with the state of any
//! other chunk, and are finished into statistics at the end, so a table too large for memory is
//! read once, chunk by chunk, on any number of workers.
//!
//! Every state has the shape of DataFusion's `Accumulator` (add a batch, merge a state, finish):
//! an `add…` method, `merge(&mut self, other: &Self)` (returning a `Result` where two states can
//! disagree on their parameters: columns, edges, seed), finishing methods, and
//! `heap_bytes()`, an estimate of the memory it holds for memory budgets. States are plain data
//! (serde), hold no reference to their input and do no I/O; any split of the rows into chunks,
//! merged in any order, gives the same result (exactly, or to rounding far below 1e-12 relative).
//!
//! | state | summarises | finished into |
//! |---|---|---|
//! | [`Moments`] | count, mean, M2–M4 of one column | mean, variance, skewness, kurtosis |
//! | [`MinMax`] | the extremes of one column | `min`, `max` |
//! | [`CoMoments`] | count, means, centred cross products of `p` columns | covariance, correlation, [PCA](crate::decomposition::ValidPcaParams::fit_comoments), [`f_regression_from`](crate::feature_selection::f_regression_from) |
//! | [`ClassMoments`] | per-class [`Moments`] of `p` features | [`f_classif_from`](crate::feature_selection::f_classif_from) |
//! | [`Histogram`] | counts in fixed equal-width bins | `numpy.histogram` with a `range` |
//! | [`Reservoir`] | a seeded uniform sample of `k` rows | the sampled rows |
//! | [`TextCounts`] | the counts of a text column's values | `unique`, `top`, `freq`, `mode` |
//! | [`Contingency`] | the counts of pairs of labels of two text columns (capped) | the table for [`chi2_contingency`](crate::stats::chi2_contingency), [`cramers_v`](crate::stats::cramers_v) |
//! | [`HyperLogLog`] | 16,384 registers of hashed values | an estimate of the distinct values |
//! | [`Extremes`] | the `k` smallest and largest distinct values, counted | `value_counts().sort_index()`'s head and tail |
//! | [`SpaceSaving`] | `k` counters of the most frequent text values | the top values, with count bounds |
//!
//! [`count_distinct`] counts the distinct values of kept values exactly, without a state.
//!
//! Serialized states keep every bit of their floating-point numbers with a format that can hold
//! them; JSON (serde_json) has no NaN or infinity and writes them as `null`, which it cannot read
//! back, so a state holding ±∞ (a [`MinMax`] of infinite values, sampled rows with NaN) needs a
//! binary format (bincode, postcard, MessagePack).
//!
//! ```
//! use brisk_kernels::accumulate::{CoMoments, MinMax};
//! use ndarray::array;
//! let chunks = [array![[1.0, 2.0], [2.0, 4.1]], array![[3.0, 5.9], [4.0, 8.0]]];
//! let (mut moments, mut range) = (CoMoments::new(2), MinMax::new());
//! for chunk in &chunks {
//!     // On a worker: one state per chunk, sent back serialized.
//!     let mut part = CoMoments::new(2);
//!     part.add_block(chunk.view())?;
//!     let mut part_range = MinMax::new();
//!     part_range.add_slice(&chunk.column(1).to_vec());
//!     // On the driver: merge.
//!     moments.merge(&part)?;
//!     range.merge(&part_range);
//! }
//! assert_eq!(moments.count(), 4);
//! assert!(moments.correlation()[[0, 1]] > 0.99);
//! assert_eq!((range.min(), range.max()), (Some(2.0), Some(8.0)));
//! # Ok::<(), brisk_kernels::KernelError>(())
//! ```

mod class_moments;
mod comoments;
mod contingency;
mod extremes;
mod histogram;
mod hyperloglog;
mod min_max;
mod reservoir;
mod space_saving;
#[cfg(test)]
mod test_support;
mod text_counts;
mod text_key;

pub use crate::stats::Moments;
pub use class_moments::ClassMoments;
pub use comoments::CoMoments;
pub use contingency::{Contingency, LabelledTable};
pub use extremes::{Extremes, ValueCount};
pub use histogram::Histogram;
pub use hyperloglog::{count_distinct, HyperLogLog};
pub use min_max::MinMax;
pub use reservoir::Reservoir;
pub use space_saving::{SpaceSaving, TopCount};
pub use text_counts::TextCounts;
