//! Descriptive statistics: mergeable moment accumulators, exact and sketched quantiles, and the
//! per-column summary of a matrix.

mod blocked;
mod bracket;
mod describe;
mod key_histogram;
mod moments;
mod quantile;
mod radix;
mod sketch;
#[cfg(test)]
mod test_values;

pub use blocked::BlockedMoments;
pub use bracket::{InputChanged, QuantileBracket};
pub use describe::{compute_statistics, Statistics};
pub use key_histogram::{KeyHistogram, KeySpan};
pub use moments::{ddof, Convention, Moments};
pub use quantile::{
    exact_quantiles, interpolate, interpolate_found, lerp, needed_ranks, quantile_position,
};
pub use sketch::QuantileSketch;
