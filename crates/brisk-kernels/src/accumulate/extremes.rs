//! The `k` smallest and `k` largest distinct values of a column with their counts: ydata-profiling's
//! "extreme values".

use serde::{Deserialize, Serialize};

use super::MinMax;

/// The values [`Extremes::add_slice`] checks at once.
const BLOCK: usize = 256;

/// A distinct value and how often it occurs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ValueCount {
    /// The value (`0.0` for both zeros).
    pub value: f64,
    /// Its occurrences.
    pub count: u64,
}

/// The `k` smallest and the `k` largest distinct non-NaN values seen, each with its count:
/// pandas' `s.value_counts().sort_index().head(k)` and `.tail(k)` (infinities included, NaN
/// skipped, `−0.0` counted as `0.0`).
///
/// Each end is a sorted list of at most `k` entries; a value past the list's far end when the
/// list is full is skipped in one comparison, and a block of such values in one range check. Merging adds the other state's entries with
/// their counts. The result is exact for any split: a value among the `k` smallest of all rows
/// is among the `k` smallest of every chunk it occurs in (a chunk has no more smaller values
/// than the whole), so every chunk counted all its occurrences.
///
/// ```
/// use brisk_kernels::accumulate::{Extremes, ValueCount};
/// let mut a = Extremes::new(2);
/// a.add_slice(&[3.0, 1.0, 3.0, f64::NAN, 7.0]);
/// let mut b = Extremes::new(2);
/// b.add_slice(&[1.0, 9.0, -0.0]);
/// a.merge(&b);
/// let pairs = |v: &[ValueCount]| v.iter().map(|e| (e.value, e.count)).collect::<Vec<_>>();
/// assert_eq!(pairs(a.smallest()), [(0.0, 1), (1.0, 2)]);
/// assert_eq!(pairs(a.largest()), [(7.0, 1), (9.0, 1)]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extremes {
    k: usize,
    /// Ascending.
    smallest: Vec<ValueCount>,
    /// Ascending.
    largest: Vec<ValueCount>,
}

impl Extremes {
    /// The empty state keeping `k` values at each end.
    pub fn new(k: usize) -> Self {
        Extremes {
            k,
            smallest: Vec::with_capacity(k + 1),
            largest: Vec::with_capacity(k + 1),
        }
    }

    /// Adds one value; NaN is skipped.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.add_count(x, 1);
    }

    /// Adds a slice of values; NaN is skipped. A block of values within both full ends'
    /// bounds is skipped after one vectorised range check.
    pub fn add_slice(&mut self, values: &[f64]) {
        for block in values.chunks(BLOCK) {
            let mut range = MinMax::new();
            range.add_slice(block);
            let Some((lo, hi)) = range.min().zip(range.max()) else {
                continue; // all NaN
            };
            if !self.holds_between(lo, hi) {
                block.iter().for_each(|&x| self.add(x));
            }
        }
    }

    /// Whether both ends are full and every value in `lo..=hi` lies strictly between them, so
    /// none of them changes either end.
    fn holds_between(&self, lo: f64, hi: f64) -> bool {
        let full = self.k > 0 && self.smallest.len() == self.k && self.largest.len() == self.k;
        full && lo > self.smallest[self.k - 1].value && hi < self.largest[0].value
    }

    /// Adds `count` occurrences of `x`.
    #[inline]
    pub fn add_count(&mut self, x: f64, count: u64) {
        if x.is_nan() || count == 0 || self.k == 0 {
            return;
        }
        let x = x + 0.0;
        let small_full = self.smallest.len() == self.k;
        if !(small_full && x > self.smallest[self.k - 1].value) {
            insert(&mut self.smallest, x, count);
            if self.smallest.len() > self.k {
                self.smallest.pop();
            }
        }
        let large_full = self.largest.len() == self.k;
        if !(large_full && x < self.largest[0].value) {
            insert(&mut self.largest, x, count);
            if self.largest.len() > self.k {
                self.largest.remove(0);
            }
        }
    }

    /// Folds in the values seen by `other` (which should keep the same `k`; the smaller wins).
    pub fn merge(&mut self, other: &Extremes) {
        self.k = self.k.min(other.k);
        self.smallest.truncate(self.k);
        let drop = self.largest.len().saturating_sub(self.k);
        self.largest.drain(..drop);
        // A value at both ends of `other` is one value: add it once.
        let at_small_end = |x: f64| {
            other
                .smallest
                .binary_search_by(|e| e.value.total_cmp(&x))
                .is_ok()
        };
        let large_only = other.largest.iter().filter(|e| !at_small_end(e.value));
        for entry in other.smallest.iter().chain(large_only) {
            self.add_count(entry.value, entry.count);
        }
    }

    /// The smallest distinct values, ascending, with their counts.
    pub fn smallest(&self) -> &[ValueCount] {
        &self.smallest
    }

    /// The largest distinct values, ascending, with their counts.
    pub fn largest(&self) -> &[ValueCount] {
        &self.largest
    }

    /// The heap memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        (self.smallest.capacity() + self.largest.capacity()) * std::mem::size_of::<ValueCount>()
    }
}

/// Adds `count` to `x`'s entry of the ascending list, or inserts it in order.
fn insert(list: &mut Vec<ValueCount>, value: f64, count: u64) {
    match list.binary_search_by(|e| e.value.total_cmp(&value)) {
        Ok(i) => list[i].count += count,
        Err(i) => list.insert(i, ValueCount { value, count }),
    }
}

#[cfg(test)]
mod tests;
