//! [`KeyHistogram`]: exact counts of values per range of their order keys, the first pass of an
//! exact selection past the memory limit.
//!
//! Every `f64` maps to a `u64` key whose unsigned order is [`f64::total_cmp`]'s (the radix
//! sort's key). Negative values, the two zeros and positive values are counted apart, each
//! nonzero sign in `2¹²` buckets of `2^shift` consecutive keys over a window that follows the
//! data: a value outside it widens the window (`shift` grows, neighbouring buckets merge) or
//! slides it. Bucket edges are multiples of `2^shift` keys, so a wider window merges whole
//! buckets and every count stays exact. Within a sign the key is close to a logarithmic scale,
//! and apart from the zeros (whose keys lie a thousand binades from any usual value), a window
//! from 10⁻³ to 10³ resolves about 1/128 of each binade.
//!
//! `2¹²` buckets (32 KiB of counts a sign) keep a column's counts in the processor's nearest
//! caches while every other figure of a pass is computed beside them: at `2¹⁶` buckets the
//! increments missed the cache, and the 1 GB report took about 10% longer. The coarser buckets
//! cost the second pass only the few more values it keeps per bucket.
//!
//! From the counts, the bucket holding any rank is known exactly, with the number of values
//! below it: a second pass keeps only the values of that bucket
//! ([`QuantileBracket`](super::QuantileBracket)). Adding a value is one key computation and one
//! increment, where a sorting sketch pays a sort for every value.

use serde::{Deserialize, Serialize};

use super::radix::{key, value};

/// log₂ of the buckets of a histogram.
const BUCKET_BITS: u32 = 12;
const BUCKETS: usize = 1 << BUCKET_BITS;

/// Exact counts of values per bucket of consecutive order keys; mergeable.
///
/// ```
/// use brisk_kernels::stats::KeyHistogram;
/// let mut h = KeyHistogram::new();
/// h.add_slice(&[3.0, 1.0, 2.0, 2.0]);
/// assert_eq!(h.count(), 4);
/// // Rank 1 (the second smallest) lies in a bucket with one value below it.
/// let span = h.span(1, 1);
/// assert_eq!(span.below, 1);
/// assert!(span.lo <= 2.0 && 2.0 <= span.hi);
/// ```
///
/// A histogram is a partial state: it is read back (deserialized) only when its counts are
/// consistent (windows inside the key range, counts summing to the total), so a corrupt state
/// is an error, never a panic later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "KeyHistogramState")]
pub struct KeyHistogram {
    /// Negative values, −0.0 and +0.0, positive values: the key order.
    parts: [Buckets; 3],
    count: u64,
}

/// A histogram as read, before its counts are checked.
#[derive(Deserialize)]
struct KeyHistogramState {
    parts: [Buckets; 3],
    count: u64,
}

impl TryFrom<KeyHistogramState> for KeyHistogram {
    type Error = String;

    fn try_from(state: KeyHistogramState) -> Result<Self, String> {
        let lens = [BUCKETS, 2, BUCKETS];
        let mut total = 0u64;
        for (part, len) in state.parts.iter().zip(lens) {
            let fits = part.len == len
                && part.shift < 64
                && (part.counts.is_empty() || part.counts.len() == len)
                && part
                    .first
                    .checked_add(len as u64 - 1)
                    .is_some_and(|last| last <= u64::MAX >> part.shift);
            if !fits {
                return Err("a histogram's buckets lie outside the key range".into());
            }
            for &c in &part.counts {
                total = total
                    .checked_add(c)
                    .ok_or("a histogram's counts overflow")?;
            }
        }
        if total != state.count {
            return Err(format!(
                "a histogram's counts sum to {total}, not its total {}",
                state.count
            ));
        }
        Ok(KeyHistogram {
            parts: state.parts,
            count: state.count,
        })
    }
}

/// Counts over a window of buckets of `2^shift` consecutive keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Buckets {
    /// Keys per bucket: `2^shift`.
    shift: u32,
    /// The bucket index (`key >> shift`) of `counts[0]`.
    first: u64,
    /// Empty until the first value, then `len` counts.
    counts: Vec<u64>,
    len: usize,
}

/// Where a run of ranks lies: the values with keys in `lo..=hi` (as values), how many values lie
/// below `lo` and how many between.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KeySpan {
    /// The lowest value of the span's buckets (clamped to −∞).
    pub lo: f64,
    /// The highest value of the span's buckets (clamped to +∞).
    pub hi: f64,
    /// Values below `lo`.
    pub below: u64,
    /// Values from `lo` to `hi`, both included.
    pub inside: u64,
    pub(crate) lo_key: u64,
    pub(crate) hi_key: u64,
}

impl Default for KeyHistogram {
    fn default() -> Self {
        Self::new()
    }
}

/// The key of −0.0, and +0.0's (the next).
const NEGATIVE_ZERO: u64 = (1 << 63) - 1;

/// The part a key is counted in: 0 for negative values, 1 for the zeros, 2 for positive ones.
#[inline(always)]
fn part_of(k: u64) -> usize {
    usize::from(k >= NEGATIVE_ZERO) + usize::from(k > NEGATIVE_ZERO + 1)
}

/// The index of a key's bucket in a window `(shift, first)`: `(key >> shift) − first`, past the
/// window's counts (wrapping below it) when the key lies outside.
#[inline(always)]
fn bucket_index((shift, first): (u32, u64), k: u64) -> usize {
    (k >> shift).wrapping_sub(first) as usize
}

impl KeyHistogram {
    /// An empty histogram (each sign allocates its 32 KiB of counts at its first value).
    pub fn new() -> Self {
        KeyHistogram {
            parts: [
                Buckets::new(BUCKETS),
                Buckets::new(2),
                Buckets::new(BUCKETS),
            ],
            count: 0,
        }
    }

    /// The number of values added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds one value; NaN must be filtered out first.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.add_key(key(x), 1);
    }

    /// Adds values; NaN must be filtered out first.
    ///
    /// Each part's window is held in locals while the values fall inside it, and the total is
    /// counted once: a count kept in memory would chain every increment through a store.
    pub fn add_slice(&mut self, values: &[f64]) {
        self.count += values.len() as u64;
        let mut rest = values;
        while !rest.is_empty() {
            let [negative, zeros, positive] = &mut self.parts;
            let windows = [negative.window(), zeros.window(), positive.window()];
            let counts = [
                &mut negative.counts[..],
                &mut zeros.counts[..],
                &mut positive.counts[..],
            ];
            let mut added = 0;
            for &x in rest {
                let k = key(x);
                let part = part_of(k);
                match counts[part].get_mut(bucket_index(windows[part], k)) {
                    Some(count) => *count += 1,
                    None => break,
                }
                added += 1;
            }
            // The value that left its window (if any) moves the window, then the walk goes on.
            if let Some(&x) = rest.get(added) {
                let k = key(x);
                self.parts[part_of(k)].add(k, 1);
                added += 1;
            }
            rest = &rest[added..];
        }
    }

    /// Adds `n` copies of a value.
    pub(crate) fn add_count(&mut self, x: f64, n: u64) {
        self.add_key(key(x), n);
    }

    #[inline]
    fn add_key(&mut self, k: u64, n: u64) {
        self.parts[part_of(k)].add(k, n);
        self.count += n;
    }

    /// Folds in another histogram's counts (of other values).
    pub fn merge(&mut self, other: &KeyHistogram) {
        for (part, theirs) in self.parts.iter_mut().zip(&other.parts) {
            part.merge(theirs);
        }
        self.count += other.count;
    }

    /// One-pass estimates of quantiles `qs` (NumPy's linear interpolation between order
    /// statistics), with the bound on their rank error as a fraction of the count.
    ///
    /// Each order statistic is placed in the bucket that holds its rank, at the fraction of the
    /// bucket's key range that its rank has of the bucket's count (the values are taken as
    /// spread evenly over the bucket), then clamped to `[min, max]`. Any value of that bucket
    /// has a rank between the values below it and those below and in it, so the estimate's rank
    /// is off by at most the bucket's count: the bound is the largest such count over the
    /// ranks used, divided by the count (a bucket of a single value gives that value, exact).
    /// `None` without values.
    ///
    /// ```
    /// use brisk_kernels::stats::KeyHistogram;
    /// let mut h = KeyHistogram::new();
    /// h.add_slice(&(1..=1000).map(f64::from).collect::<Vec<_>>());
    /// let (median, bound) = h.estimate_quantiles(&[0.5], 1.0, 1000.0).unwrap();
    /// assert!((median[0] - 500.5).abs() <= bound * 1000.0);
    /// assert!(bound <= 0.01);
    /// ```
    pub fn estimate_quantiles(&self, qs: &[f64], min: f64, max: f64) -> Option<(Vec<f64>, f64)> {
        let n = self.count;
        if n == 0 {
            return None;
        }
        let mut worst = 0u64;
        let mut at = |rank: u64| {
            let span = self.span(rank, rank);
            if span.lo_key == span.hi_key {
                // A bucket of one key holds one value: the order statistic itself.
                return span.lo;
            }
            worst = worst.max(span.inside);
            let (lo, hi) = (span.lo.max(min), span.hi.min(max));
            let fraction = ((rank - span.below) as f64 + 0.5) / span.inside as f64;
            (lo + (hi - lo) * fraction).clamp(min, max)
        };
        let estimates = qs
            .iter()
            .map(|&q| {
                let (k, t) = super::quantile_position(n as usize, q);
                let a = at(k as u64);
                if t > 0.0 && (k as u64) + 1 < n {
                    super::lerp(a, at(k as u64 + 1), t)
                } else {
                    a
                }
            })
            .collect();
        Some((estimates, worst as f64 / n as f64))
    }

    /// The buckets holding the order statistics of ranks `first..=last` (0-based, `last <
    /// count`): their key range, the values below it and the values in it.
    ///
    /// # Panics
    /// If `first > last` or `last ≥ count`.
    pub fn span(&self, first: u64, last: u64) -> KeySpan {
        assert!(first <= last && last < self.count, "ranks out of range");
        // Every bucket of the three parts, in key order, with its count.
        let mut buckets = self.parts.iter().flat_map(|part| {
            part.counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(move |(i, &c)| (part, i, c))
        });
        let mut below = 0u64;
        let (part, i, c) = loop {
            let (part, i, c) = buckets.next().expect("ranks below the count");
            if below + c > first {
                break (part, i, c);
            }
            below += c;
        };
        let lo_key = part.bucket_keys(i, i).0;
        let mut through = below + c;
        let mut hi_key = part.bucket_keys(i, i).1;
        while through <= last {
            let (part, j, c) = buckets.next().expect("ranks below the count");
            through += c;
            hi_key = part.bucket_keys(j, j).1;
        }
        let lo_key = lo_key.max(key(f64::NEG_INFINITY));
        let hi_key = hi_key.min(key(f64::INFINITY));
        KeySpan {
            lo: value(lo_key),
            hi: value(hi_key),
            below,
            inside: through - below,
            lo_key,
            hi_key,
        }
    }
}

impl Buckets {
    fn new(len: usize) -> Self {
        Buckets {
            shift: 0,
            first: 0,
            counts: Vec::new(),
            len,
        }
    }

    /// The window's `(shift, first)`, for [`bucket_index`].
    fn window(&self) -> (u32, u64) {
        (self.shift, self.first)
    }

    #[inline]
    fn add(&mut self, k: u64, n: u64) {
        let b = bucket_index(self.window(), k);
        if b < self.counts.len() {
            self.counts[b] += n;
        } else {
            self.cover(k, k, 0);
            let b = bucket_index(self.window(), k);
            self.counts[b] += n;
        }
    }

    fn merge(&mut self, other: &Buckets) {
        let Some((lo, hi)) = other.occupied() else {
            return;
        };
        // Buckets at least as wide as the other's, so that each of its buckets falls in one.
        self.cover(lo, hi, other.shift);
        let window = self.window();
        for (i, &c) in other.counts.iter().enumerate().filter(|(_, &c)| c > 0) {
            let k = (other.first + i as u64) << other.shift;
            self.counts[bucket_index(window, k)] += c;
        }
    }

    /// The lowest and highest key of the occupied buckets.
    fn occupied(&self) -> Option<(u64, u64)> {
        let first = self.counts.iter().position(|&c| c > 0)?;
        let last = self.counts.iter().rposition(|&c| c > 0)?;
        Some(self.bucket_keys(first, last))
    }

    /// The first key of bucket `first` and the last key of bucket `last`.
    fn bucket_keys(&self, first: usize, last: usize) -> (u64, u64) {
        let lo = (self.first + first as u64) << self.shift;
        let hi = ((self.first + last as u64) << self.shift) | ((1u64 << self.shift) - 1);
        (lo, hi)
    }

    /// Widens or slides the window (or makes the first one) so that it holds the keys `lo..=hi`
    /// beside those counted, with room to spare on both sides, in buckets of at least
    /// `2^min_shift` keys.
    fn cover(&mut self, lo: u64, hi: u64, min_shift: u32) {
        let (lo, hi) = match self.occupied() {
            Some((a, b)) => (lo.min(a), hi.max(b)),
            None => (lo, hi),
        };
        let len = self.len as u64;
        let mut shift = self.shift.max(min_shift);
        while (hi >> shift) - (lo >> shift) >= len {
            shift += 1;
        }
        let span = (hi >> shift) - (lo >> shift);
        let slack = (len - 1 - span) / 2;
        let last_bucket = u64::MAX >> shift;
        let first = (lo >> shift)
            .saturating_sub(slack)
            .min(last_bucket - (len - 1));
        let mut counts = vec![0u64; self.len];
        for (i, &c) in self.counts.iter().enumerate().filter(|(_, &c)| c > 0) {
            let k = (self.first + i as u64) << self.shift;
            counts[bucket_index((shift, first), k)] += c;
        }
        self.shift = shift;
        self.first = first;
        self.counts = counts;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_values;

    /// The plain reference: the sorted values and the ranks inside `lo..=hi`.
    fn check_span(values: &[f64], h: &KeyHistogram, first: u64, last: u64) {
        let span = h.span(first, last);
        let below = values
            .iter()
            .filter(|x| x.total_cmp(&span.lo).is_lt())
            .count() as u64;
        let inside = values
            .iter()
            .filter(|x| x.total_cmp(&span.lo).is_ge() && x.total_cmp(&span.hi).is_le())
            .count() as u64;
        assert_eq!((span.below, span.inside), (below, inside));
        assert!(span.below <= first && last < span.below + span.inside);
    }

    #[test]
    fn spans_hold_their_ranks_exactly() {
        for (n, distinct, scale) in [
            (1, 10, 1.0),
            (7, 3, 0.5),
            (10_000, 1 << 40, 1e-9),
            (100_000, 1 << 30, 1e3),
            (50_000, 5, 1.0),
        ] {
            let mut values = test_values::seeded(n, n as u64, distinct, scale);
            values.push(1e300);
            values.push(-0.0);
            values.push(0.0);
            values.push(f64::NEG_INFINITY);
            let mut h = KeyHistogram::new();
            h.add_slice(&values);
            let n = values.len() as u64;
            for q in [0.0, 0.1, 0.25, 0.5, 0.75, 1.0] {
                let r = ((n - 1) as f64 * q) as u64;
                check_span(&values, &h, r, (r + 1).min(n - 1));
            }
        }
    }

    #[test]
    fn merging_in_any_split_counts_the_same_spans() {
        let values = test_values::seeded(60_000, 11, 1 << 35, 1e-6);
        let mut whole = KeyHistogram::new();
        whole.add_slice(&values);
        for parts in [2, 3, 17] {
            let mut merged = KeyHistogram::new();
            for chunk in values.chunks(values.len().div_ceil(parts)) {
                let mut part = KeyHistogram::new();
                // A far value in one part widens that part's window only.
                part.add_slice(chunk);
                merged.merge(&part);
            }
            assert_eq!(merged.count(), whole.count());
            for r in [0, 15_000, 30_000, 59_999] {
                let (a, b) = (merged.span(r, r), whole.span(r, r));
                assert!(a.below <= r && r < a.below + a.inside);
                check_span(&values, &merged, r, r);
                assert_eq!((a.lo, a.hi), (b.lo, b.hi), "parts {parts} rank {r}");
            }
        }
    }

    #[test]
    fn a_wide_histogram_merges_into_a_narrow_one_and_back() {
        // The narrow part's buckets are finer than the wide part's: merging either into the
        // other must re-bucket the narrow counts at the wider width.
        let narrow: Vec<f64> = test_values::seeded(20_000, 5, 1 << 40, 1e-9)
            .iter()
            .map(|x| 1e9 + x)
            .collect();
        let mut wide = test_values::seeded(20_000, 6, 1 << 40, 1e-9);
        wide.extend([1e-300, 1e300, 0.0]);
        let all: Vec<f64> = narrow.iter().chain(&wide).copied().collect();
        let histogram = |values: &[f64]| {
            let mut h = KeyHistogram::new();
            h.add_slice(values);
            h
        };
        for (first, second) in [(&narrow, &wide), (&wide, &narrow)] {
            let mut merged = histogram(first);
            merged.merge(&histogram(second));
            assert_eq!(merged.count(), all.len() as u64);
            for r in [0, 5_000, 19_999, 20_000, 30_000, 40_002] {
                check_span(&all, &merged, r, r);
            }
        }
    }

    #[test]
    fn add_slice_counts_as_adding_one_by_one() {
        // Signs mixed, zeros of both signs, and values that move the windows mid-slice.
        for (seed, distinct, scale) in [(1, 1 << 40, 1e-9), (2, 7, 1.0), (3, 1 << 30, 1e6)] {
            let mut values = test_values::seeded(20_000, seed, distinct, scale);
            values.extend([0.0, -0.0, 1e300, -1e-300, f64::INFINITY, f64::NEG_INFINITY]);
            values.extend(test_values::seeded(
                5_000,
                seed + 10,
                distinct,
                scale * 1e-12,
            ));
            let mut one_by_one = KeyHistogram::new();
            values.iter().for_each(|&x| one_by_one.add(x));
            let mut sliced = KeyHistogram::new();
            values.chunks(777).for_each(|c| sliced.add_slice(c));
            assert_eq!(sliced, one_by_one, "seed {seed}");
        }
    }

    #[test]
    fn a_narrow_cluster_keeps_fine_buckets() {
        // Values near 1e9 that differ in their last bits: every key its own bucket.
        let values: Vec<f64> = (0..1000).map(|i| 1e9 + i as f64 * 1.2e-7).collect();
        let mut h = KeyHistogram::new();
        h.add_slice(&values);
        let span = h.span(500, 500);
        assert_eq!(span.inside, 1);
        assert_eq!(span.lo, span.hi);
    }
}
