//! Counts in equal-width bins over a fixed range, as `numpy.histogram(x, bins, range=(lo, hi))`.

use serde::{Deserialize, Serialize};

use crate::error::{invalid, KernelError, Result};

/// The counts of `numpy.histogram(values, bins=bins, range=(lo, hi))`, accumulated chunk by
/// chunk. The range is fixed up front (a first pass or a [`MinMax`](super::MinMax) gives it), so
/// every chunk bins against the same edges and merging adds the counts.
///
/// NumPy's semantics (`numpy/lib/_histograms_impl.py`, uniform-bins fast path):
/// - the edges are `numpy.linspace(lo, hi, bins + 1)`: `e_i = i·((hi − lo)/bins) + lo`, with
///   `e_bins = hi` exactly;
/// - bin `i` holds `e_i ≤ x < e_{i+1}`, the last bin `e_{bins−1} ≤ x ≤ hi` (closed);
/// - values outside `[lo, hi]`, and NaN, are not counted;
/// - `lo == hi` is widened to `(lo − 0.5, hi + 0.5)`.
///
/// A value's bin is first estimated as `⌊(x − lo)/(hi − lo) · bins⌋` and then moved by one if it
/// falls on the wrong side of an edge, as NumPy does, so values sitting exactly on an edge land
/// where NumPy puts them.
///
/// ```
/// use brisk_kernels::accumulate::Histogram;
/// let mut h = Histogram::new(0.0, 1.0, 4)?;
/// h.add_slice(&[0.0, 0.25, 0.3, 1.0, 1.5, f64::NAN]);
/// let mut other = Histogram::new(0.0, 1.0, 4)?;
/// other.add(0.99);
/// h.merge(&other)?;
/// assert_eq!(h.counts(), &[1, 2, 0, 2]); // numpy.histogram(…, 4, range=(0, 1))[0]
/// assert_eq!(h.edges(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
/// assert!(h.merge(&Histogram::new(0.0, 2.0, 4)?).is_err());
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "HistogramState")]
pub struct Histogram {
    /// The first edge, after widening.
    lo: f64,
    /// The last edge, after widening.
    hi: f64,
    counts: Vec<u64>,
}

impl Histogram {
    /// An empty histogram of `bins` equal-width bins over `[lo, hi]`.
    ///
    /// # Errors
    /// [`KernelError::InvalidParameter`] when `bins` is 0, a bound is not finite, `lo > hi`, or
    /// the (widened) range has no finite, positive width (NumPy raises for the first three).
    pub fn new(lo: f64, hi: f64, bins: usize) -> Result<Histogram> {
        if bins == 0 {
            return Err(invalid("bins", "a histogram needs at least one bin"));
        }
        if !(lo.is_finite() && hi.is_finite()) || lo > hi {
            return Err(invalid(
                "range",
                format!("the range must be finite with lo ≤ hi, got ({lo}, {hi})"),
            ));
        }
        let (lo, hi) = if lo == hi {
            (lo - 0.5, hi + 0.5)
        } else {
            (lo, hi)
        };
        let width = hi - lo;
        if !(width.is_finite() && width > 0.0) {
            return Err(invalid(
                "range",
                format!("the range ({lo}, {hi}) has no finite, positive width"),
            ));
        }
        Ok(Histogram {
            lo,
            hi,
            counts: vec![0; bins],
        })
    }

    /// Counts one value if it lies in `[lo, hi]`.
    pub fn add(&mut self, x: f64) {
        if let Some(index) = self.bin(x) {
            self.counts[index] += 1;
        }
    }

    /// Counts the values of a slice that lie in `[lo, hi]`, in the bins of [`add`](Self::add).
    ///
    /// Where the processor has AVX2, four values at a time: each estimate is tested against
    /// the two edges around it, and the four values go to four interleaved sets of counts (so
    /// that values in the same bin do not wait on each other's increments). Four values of which
    /// one sits on the wrong side of an edge are counted by the walk below instead.
    pub fn add_slice(&mut self, values: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && self.counts.len() < i32::MAX as usize {
            // SAFETY: the processor has AVX2, checked just above (and every bin's index is an
            // `i32`, as the kernel converts them).
            unsafe { avx2::add_slice(self, values) };
            return;
        }
        self.add_walking(values);
    }

    /// The plain loop of [`add_slice`](Self::add_slice): the estimate multiplies by
    /// `bins/(hi − lo)` computed once, and is moved across as many edges as it is off (the
    /// edges, computed once for the slice, decide as in `add`).
    fn add_walking(&mut self, values: &[f64]) {
        let edges = self.edges();
        let last = self.counts.len() - 1;
        let (lo, hi) = (self.lo, self.hi);
        let scale = self.counts.len() as f64 / (hi - lo);
        for &x in values {
            // NaN fails both comparisons.
            if !(x >= lo && x <= hi) {
                continue;
            }
            let mut index = (((x - lo) * scale) as i64).clamp(0, last as i64) as usize;
            // `x ≥ lo = edges[0]`: the walk down stops at 0.
            while x < edges[index] {
                index -= 1;
            }
            while index < last && x >= edges[index + 1] {
                index += 1;
            }
            self.counts[index] += 1;
        }
    }

    /// The bin of `x`, `None` outside `[lo, hi]`: estimated, then moved by one across the edge
    /// it falls on the wrong side of (see the type's notes).
    #[inline]
    fn bin(&self, x: f64) -> Option<usize> {
        // NaN fails both comparisons.
        if !(x >= self.lo && x <= self.hi) {
            return None;
        }
        let bins = self.counts.len();
        let estimate = ((x - self.lo) / (self.hi - self.lo) * bins as f64) as usize;
        let mut index = estimate.min(bins - 1);
        if x < self.edge(index) {
            index -= 1;
        } else if index + 1 < bins && x >= self.edge(index + 1) {
            index += 1;
        }
        Some(index)
    }

    /// Adds the counts of `other`.
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] unless both histograms have the same range and number of
    /// bins, compared exactly (so the same edges): counts over other edges cannot be re-binned.
    pub fn merge(&mut self, other: &Histogram) -> Result<()> {
        if (self.lo, self.hi, self.counts.len()) != (other.lo, other.hi, other.counts.len()) {
            return Err(KernelError::ShapeMismatch(format!(
                "histograms over different edges: {} bins over ({}, {}) and {} bins over ({}, {})",
                self.counts.len(),
                self.lo,
                self.hi,
                other.counts.len(),
                other.lo,
                other.hi
            )));
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine += theirs;
        }
        Ok(())
    }

    /// The count of each bin.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The `bins + 1` edges, as `numpy.linspace(lo, hi, bins + 1)`.
    pub fn edges(&self) -> Vec<f64> {
        (0..=self.counts.len()).map(|i| self.edge(i)).collect()
    }

    /// The heap memory held, in bytes: one count per bin.
    pub fn heap_bytes(&self) -> usize {
        self.counts.capacity() * size_of::<u64>()
    }

    /// Edge `i`, as `numpy.linspace` computes it: `i·step + lo`, the last edge `hi` exactly.
    #[inline]
    fn edge(&self, i: usize) -> f64 {
        let bins = self.counts.len();
        if i == bins {
            self.hi
        } else {
            i as f64 * ((self.hi - self.lo) / bins as f64) + self.lo
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::Histogram;

    /// [`Histogram::add_slice`] four values at a time. The edges are computed as
    /// [`Histogram::edge`] computes them (a product, then a sum: the same bits), and a value is
    /// counted in bin `i = ⌊(x − lo)·bins/(hi − lo)⌋` only when `e_i ≤ x` and `x < e_{i+1}` (or
    /// `i` is the last bin); four values of which one is not go through the walk.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn add_slice(h: &mut Histogram, values: &[f64]) {
        let bins = h.counts.len();
        let (lo, hi) = (h.lo, h.hi);
        let step = _mm256_set1_pd((hi - lo) / bins as f64);
        let scale = _mm256_set1_pd(bins as f64 / (hi - lo));
        let last = _mm256_set1_pd((bins - 1) as f64);
        let outside = _mm256_set1_pd(bins as f64);
        let (low, high) = (_mm256_set1_pd(lo), _mm256_set1_pd(hi));
        // Four interleaved counts per bin, and one more bin for the values outside the range.
        let mut lanes = vec![[0u64; 4]; bins + 1];
        let mut slots = [0i32; 4];
        let mut quads = values.chunks_exact(4);
        for quad in &mut quads {
            // SAFETY: `quad` holds four values.
            let x = unsafe { _mm256_loadu_pd(quad.as_ptr()) };
            // NaN fails both comparisons.
            let inside = _mm256_and_pd(
                _mm256_cmp_pd::<_CMP_GE_OQ>(x, low),
                _mm256_cmp_pd::<_CMP_LE_OQ>(x, high),
            );
            let estimate = _mm256_mul_pd(_mm256_sub_pd(x, low), scale);
            // `min` takes its second operand for NaN: every lane ends in 0..=bins − 1.
            let estimate = _mm256_max_pd(_mm256_min_pd(estimate, last), _mm256_setzero_pd());
            let index = _mm256_round_pd::<{ _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC }>(estimate);
            let next = _mm256_add_pd(index, _mm256_set1_pd(1.0));
            let lower = _mm256_add_pd(_mm256_mul_pd(index, step), low);
            let upper = _mm256_blendv_pd(
                _mm256_add_pd(_mm256_mul_pd(next, step), low),
                high,
                _mm256_cmp_pd::<_CMP_EQ_OQ>(next, outside),
            );
            let below = _mm256_cmp_pd::<_CMP_LT_OQ>(x, lower);
            let above = _mm256_and_pd(
                _mm256_cmp_pd::<_CMP_GE_OQ>(x, upper),
                _mm256_cmp_pd::<_CMP_LT_OQ>(index, last),
            );
            if _mm256_movemask_pd(_mm256_and_pd(_mm256_or_pd(below, above), inside)) != 0 {
                h.add_walking(quad);
                continue;
            }
            let slot = _mm256_cvtpd_epi32(_mm256_blendv_pd(outside, index, inside));
            // SAFETY: four 32-bit integers into `slots`' 16 bytes.
            unsafe { _mm_storeu_si128(slots.as_mut_ptr().cast(), slot) };
            for (lane, &slot) in slots.iter().enumerate() {
                lanes[slot as usize][lane] += 1;
            }
        }
        h.add_walking(quads.remainder());
        for (count, lane) in h.counts.iter_mut().zip(&lanes) {
            *count += lane.iter().sum::<u64>();
        }
    }
}

/// The serialized form of [`Histogram`], checked before use.
#[derive(Deserialize)]
struct HistogramState {
    lo: f64,
    hi: f64,
    counts: Vec<u64>,
}

impl TryFrom<HistogramState> for Histogram {
    type Error = KernelError;

    fn try_from(state: HistogramState) -> Result<Histogram> {
        // The stored range is already widened, so it must have a positive width.
        if state.lo == state.hi {
            return Err(invalid("range", "a stored histogram needs lo < hi"));
        }
        let mut histogram = Histogram::new(state.lo, state.hi, state.counts.len())?;
        histogram.counts = state.counts;
        Ok(histogram)
    }
}

#[cfg(test)]
mod tests;
