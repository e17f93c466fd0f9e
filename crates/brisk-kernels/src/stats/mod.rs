//! Descriptive statistics: mergeable moment accumulators, exact and sketched quantiles, the
//! per-column summary of a matrix, and association measures (Spearman's rank correlation, the χ²
//! test of a contingency table, Cramér's V).

mod blocked;
mod bracket;
mod chi_squared;
mod contingency;
mod describe;
mod key_histogram;
mod moments;
mod pairwise;
mod quantile;
mod radix;
mod rank;
mod sketch;
#[cfg(test)]
mod test_values;

pub use blocked::BlockedMoments;
pub use bracket::{BracketMismatch, InputChanged, QuantileBracket};
pub use chi_squared::chi2_sf;
pub use contingency::{chi2_contingency, cramers_v, Chi2Test};
pub use describe::{compute_statistics, Statistics};
pub use key_histogram::{KeyHistogram, KeySpan};
pub use moments::{ddof, Convention, Moments};
pub use pairwise::pearson_pairwise;
pub use quantile::{
    exact_quantiles, interpolate, interpolate_found, lerp, needed_ranks, quantile_position,
};
pub use rank::{average_ranks, spearman, spearman_matrix};
pub use sketch::QuantileSketch;
