//! Chunking and merging helpers for the accumulators' merge-invariance tests.

use std::ops::Range;

use crate::random::Mt19937;

/// `0..len` cut at `cuts` (taken modulo `len + 1`, sorted; repeated cuts give empty chunks).
pub(crate) fn chunks(len: usize, cuts: &[usize]) -> Vec<Range<usize>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (len + 1)).collect();
    cuts.sort_unstable();
    let mut start = 0;
    let mut ranges = Vec::new();
    for end in cuts.into_iter().chain(std::iter::once(len)) {
        ranges.push(start..end);
        start = end;
    }
    ranges
}

/// Merges `states` into one in a random binary tree: two random states at a time, the second
/// merged into the first, until one is left. Empty states take part like any other.
pub(crate) fn merge_randomly<T>(
    mut states: Vec<T>,
    seed: u32,
    mut merge: impl FnMut(&mut T, &T),
) -> T {
    assert!(!states.is_empty());
    let mut rng = Mt19937::new(seed);
    while states.len() > 1 {
        let i = rng.interval(states.len() as u64 - 1) as usize;
        let other = states.swap_remove(i);
        let j = rng.interval(states.len() as u64 - 1) as usize;
        merge(&mut states[j], &other);
    }
    states.remove(0)
}

/// `|a − b| ≤ rel · scale`, NaN matching NaN and infinities matching exactly.
pub(crate) fn close(a: f64, b: f64, rel: f64, scale: f64) -> bool {
    if a.is_nan() || b.is_nan() || a.is_infinite() || b.is_infinite() {
        return a.is_nan() && b.is_nan() || a == b;
    }
    (a - b).abs() <= rel * scale
}
