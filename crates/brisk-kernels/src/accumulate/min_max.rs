//! The smallest and largest value of a column.

use serde::{Deserialize, Serialize};

/// The minimum and maximum of the non-NaN values seen (infinities included), as `numpy.nanmin`
/// and `numpy.nanmax` (pandas' `min` and `max`, which skip NaN). Merging takes the smaller
/// minimum and the larger maximum, so any chunking gives the same result exactly.
///
/// ```
/// use brisk_kernels::accumulate::MinMax;
/// let mut a = MinMax::new();
/// a.add_slice(&[3.0, f64::NAN, -1.5]);
/// let mut b = MinMax::new();
/// b.add(f64::INFINITY);
/// a.merge(&b);
/// assert_eq!((a.min(), a.max()), (Some(-1.5), Some(f64::INFINITY)));
/// assert_eq!(MinMax::new().min(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MinMax {
    /// `(min, max)`, none before the first non-NaN value.
    range: Option<(f64, f64)>,
}

impl Default for MinMax {
    fn default() -> Self {
        MinMax::new()
    }
}

impl MinMax {
    /// The empty state.
    pub fn new() -> Self {
        MinMax { range: None }
    }

    /// Adds one value; NaN is skipped.
    #[inline]
    pub fn add(&mut self, x: f64) {
        if x.is_nan() {
            return;
        }
        self.range = Some(match self.range {
            Some((lo, hi)) => (lo.min(x), hi.max(x)),
            None => (x, x),
        });
    }

    /// Adds a slice of values; NaN is skipped (`f64::min` and `f64::max` skip NaN themselves).
    pub fn add_slice(&mut self, values: &[f64]) {
        self.add_extremes(values, false);
    }

    /// Adds the finite values of a slice; NaN and ±∞ are skipped (the range of
    /// `numpy.histogram`'s bins, which must be finite).
    pub fn add_finite_slice(&mut self, values: &[f64]) {
        self.add_extremes(values, true);
    }

    /// The extremes of `values` folded in independent lanes, so that the folds vectorise
    /// (compiled for AVX2 where the processor has it, which also vectorises `is_finite`:
    /// [`with_avx2`](crate::simd::with_avx2)); with `finite_only` a non-finite value is replaced
    /// by the neutral bounds, without a branch. Minima and maxima do not depend on the order.
    fn add_extremes(&mut self, values: &[f64], finite_only: bool) {
        let (low, high) = crate::simd::with_avx2(
            #[inline(always)]
            || lane_extremes(values, finite_only),
        );
        let lo = low.into_iter().fold(f64::INFINITY, f64::min);
        let hi = high.into_iter().fold(f64::NEG_INFINITY, f64::max);
        // An empty or all-NaN slice leaves (∞, −∞); a slice of +∞ alone gives (∞, ∞).
        if lo <= hi {
            self.merge(&MinMax {
                range: Some((lo, hi)),
            });
        }
    }

    /// Adds the values summarised by `other`.
    pub fn merge(&mut self, other: &MinMax) {
        self.range = match (self.range, other.range) {
            (Some((a, b)), Some((c, d))) => Some((a.min(c), b.max(d))),
            (mine, None) => mine,
            (None, theirs) => theirs,
        };
    }

    /// The smallest value; `None` before any non-NaN value.
    pub fn min(&self) -> Option<f64> {
        self.range.map(|(lo, _)| lo)
    }

    /// The largest value; `None` before any non-NaN value.
    pub fn max(&self) -> Option<f64> {
        self.range.map(|(_, hi)| hi)
    }

    /// The heap memory held, in bytes: none.
    pub fn heap_bytes(&self) -> usize {
        0
    }
}

/// Lanes of the fold in [`MinMax::add_extremes`].
const LANES: usize = 8;

/// Each lane's `(min, max)` over `values`.
#[inline(always)]
fn lane_extremes(values: &[f64], finite_only: bool) -> ([f64; LANES], [f64; LANES]) {
    let bounds = |x: f64| {
        if finite_only && !x.is_finite() {
            (f64::INFINITY, f64::NEG_INFINITY)
        } else {
            (x, x)
        }
    };
    let (mut low, mut high) = ([f64::INFINITY; LANES], [f64::NEG_INFINITY; LANES]);
    let mut chunks = values.chunks_exact(LANES);
    for chunk in &mut chunks {
        for lane in 0..LANES {
            let (lo, hi) = bounds(chunk[lane]);
            low[lane] = low[lane].min(lo);
            high[lane] = high[lane].max(hi);
        }
    }
    for &x in chunks.remainder() {
        let (lo, hi) = bounds(x);
        low[0] = low[0].min(lo);
        high[0] = high[0].max(hi);
    }
    (low, high)
}

#[cfg(test)]
mod tests;
