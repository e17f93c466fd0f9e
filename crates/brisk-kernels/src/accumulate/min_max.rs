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

    /// Adds a slice of values; NaN is skipped. (`f64::min` and `f64::max` skip NaN themselves, so
    /// the fold needs no test and vectorises.)
    pub fn add_slice(&mut self, values: &[f64]) {
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            });
        // An empty or all-NaN slice leaves (∞, −∞); a slice of +∞ alone gives (∞, ∞).
        if lo <= hi {
            self.merge(&MinMax {
                range: Some((lo, hi)),
            });
        }
    }

    /// Adds the finite values of a slice; NaN and ±∞ are skipped (the range of
    /// `numpy.histogram`'s bins, which must be finite). Each value is replaced by a neutral
    /// bound when not finite, so the fold has no branch.
    pub fn add_finite_slice(&mut self, values: &[f64]) {
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                let finite = x.is_finite();
                (
                    lo.min(if finite { x } else { f64::INFINITY }),
                    hi.max(if finite { x } else { f64::NEG_INFINITY }),
                )
            });
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

#[cfg(test)]
mod tests;
