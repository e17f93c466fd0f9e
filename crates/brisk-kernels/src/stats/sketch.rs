//! A one-pass quantile sketch with a guaranteed rank-error bound: `--approx`'s quantiles.
//!
//! [`QuantileSketch`] is a stack of deterministic compactors (Manku, Rajagopalan & Lindsay 1998; the
//! building block of KLL, Karnin, Lang & Liberty 2016): level `h` holds up to `k` items of weight
//! `2^h`; a full level is sorted and every other item moves up with double weight, starting at
//! alternating offsets. One compaction at level `h` moves any rank estimate by at most `2^h`, so the
//! sum over the compactions done is a hard bound on the absolute rank error — no probability. With
//! `k = 4096` and ten million values that bound is under 0.3 % of the count. Exact quantiles past the memory limit take a
//! [`KeyHistogram`](super::KeyHistogram) and a [`QuantileBracket`](super::QuantileBracket) instead.

use super::quantile::interpolate;
use super::radix::sort_total;

/// A mergeable-in-order quantile summary with a deterministic rank-error bound.
#[derive(Debug, Clone)]
pub struct QuantileSketch {
    k: usize,
    levels: Vec<Vec<f64>>,
    odd_offset: Vec<bool>,
    count: u64,
    rank_error: u64,
    /// The radix sort's keys, kept between compactions.
    sort_scratch: Vec<u64>,
    /// The buffer a level is merged into, kept between compactions.
    merge_scratch: Vec<f64>,
}

impl QuantileSketch {
    /// The default compactor capacity.
    pub const DEFAULT_K: usize = 4096;

    /// A sketch whose levels hold `k ≥ 2` items each.
    pub fn new(k: usize) -> Self {
        QuantileSketch {
            k: k.max(2),
            levels: vec![Vec::with_capacity(k)],
            odd_offset: vec![false],
            count: 0,
            rank_error: 0,
            sort_scratch: Vec::new(),
            merge_scratch: Vec::new(),
        }
    }

    /// Adds one value; NaN must be filtered out first.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.count += 1;
        self.levels[0].push(x);
        if self.levels[0].len() >= self.k {
            self.compact(0);
        }
    }

    /// Compacts a full level. Level 0 is sorted first; every level above is kept sorted, each
    /// promoted run merged into it (linear), so only the new values pay for a sort.
    fn compact(&mut self, level: usize) {
        if level + 1 == self.levels.len() {
            self.levels.push(Vec::with_capacity(self.k));
            self.odd_offset.push(false);
        }
        let mut items = std::mem::take(&mut self.levels[level]);
        if level == 0 {
            sort_total(&mut items, &mut self.sort_scratch);
        }
        let leftover = (items.len() % 2 == 1).then(|| items.pop()).flatten();
        let offset = usize::from(self.odd_offset[level]);
        self.odd_offset[level] = !self.odd_offset[level];
        let promoted = items.iter().skip(offset).step_by(2).copied();
        let above = std::mem::take(&mut self.levels[level + 1]);
        let mut merged = std::mem::take(&mut self.merge_scratch);
        merge_total(&above, promoted, &mut merged);
        self.levels[level + 1] = merged;
        self.merge_scratch = above;
        items.clear();
        // The largest item stays: the level is still sorted.
        items.extend(leftover);
        self.levels[level] = items;
        self.rank_error += 1 << level;
        if self.levels[level + 1].len() >= self.k {
            self.compact(level + 1);
        }
    }

    /// The number of values added.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// A hard bound on `|estimated rank − true rank|` for any value.
    pub fn rank_error(&self) -> u64 {
        self.rank_error
    }

    /// The rank-error bound as a fraction of the count (0 when empty).
    pub fn normalized_rank_error(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.rank_error as f64 / self.count as f64
        }
    }

    /// The retained items sorted, each with its cumulative weight (the estimated number of values
    /// `≤` it).
    fn cumulative(&self) -> Vec<(f64, u64)> {
        let mut items: Vec<(f64, u64)> = self
            .levels
            .iter()
            .enumerate()
            .flat_map(|(h, level)| level.iter().map(move |&x| (x, 1u64 << h)))
            .collect();
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut total = 0;
        for item in &mut items {
            total += item.1;
            item.1 = total;
        }
        items
    }

    /// Approximate quantiles with NumPy's linear interpolation between estimated order statistics;
    /// each order statistic's rank is off by at most [`rank_error`](Self::rank_error).
    ///
    /// ```
    /// use brisk_kernels::stats::QuantileSketch;
    /// let mut s = QuantileSketch::new(64);
    /// (0..10_000).for_each(|i| s.add(i as f64));
    /// let median = s.quantiles(&[0.5]).unwrap()[0];
    /// assert!((median - 4999.5).abs() <= s.rank_error() as f64 + 1.0);
    /// ```
    pub fn quantiles(&self, qs: &[f64]) -> Option<Vec<f64>> {
        if self.count == 0 {
            return None;
        }
        let items = self.cumulative();
        let order_statistic = |rank: usize| {
            let i = items.partition_point(|&(_, cum)| cum <= rank as u64);
            items[i.min(items.len() - 1)].0
        };
        Some(interpolate(self.count as usize, qs, order_statistic))
    }
}

/// `sorted` and the ascending `run` merged into `out` (cleared first) in the order of
/// [`f64::total_cmp`], `sorted`'s items first among equals.
fn merge_total(sorted: &[f64], run: impl Iterator<Item = f64>, out: &mut Vec<f64>) {
    out.clear();
    let mut i = 0;
    for x in run {
        while i < sorted.len() && sorted[i].total_cmp(&x).is_le() {
            out.push(sorted[i]);
            i += 1;
        }
        out.push(x);
    }
    out.extend_from_slice(&sorted[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::test_values;

    /// The compactor stack as first written: every level sorted when it compacts.
    fn sorted_at_every_level(values: &[f64], k: usize) -> Vec<(u64, u64)> {
        let mut levels: Vec<Vec<f64>> = vec![Vec::new()];
        let mut odd = vec![false];
        for &x in values {
            levels[0].push(x);
            let mut h = 0;
            while levels[h].len() >= k {
                if h + 1 == levels.len() {
                    levels.push(Vec::new());
                    odd.push(false);
                }
                let mut items = std::mem::take(&mut levels[h]);
                items.sort_by(f64::total_cmp);
                let leftover = (items.len() % 2 == 1).then(|| items.pop()).flatten();
                let offset = usize::from(odd[h]);
                odd[h] = !odd[h];
                let promoted: Vec<f64> = items.iter().skip(offset).step_by(2).copied().collect();
                levels[h + 1].extend(promoted);
                levels[h] = leftover.into_iter().collect();
                h += 1;
            }
        }
        let mut items: Vec<(u64, u64)> = levels
            .iter()
            .enumerate()
            .flat_map(|(h, l)| l.iter().map(move |x| (x.to_bits(), 1u64 << h)))
            .collect();
        items.sort_unstable();
        items
    }

    #[test]
    fn merged_levels_keep_the_items_of_sorted_ones() {
        for (n, k, distinct) in [
            (10_000, 16, 1 << 40),
            (50_000, 64, 7),
            (300_000, 4096, 1 << 30),
        ] {
            let values = test_values::seeded(n, k as u64, distinct, 0.5);
            let mut sketch = QuantileSketch::new(k);
            values.iter().for_each(|&x| sketch.add(x));
            for level in &sketch.levels[1..] {
                assert!(level.windows(2).all(|w| w[0].total_cmp(&w[1]).is_le()));
            }
            let mut items: Vec<(u64, u64)> = sketch
                .levels
                .iter()
                .enumerate()
                .flat_map(|(h, l)| l.iter().map(move |x| (x.to_bits(), 1u64 << h)))
                .collect();
            items.sort_unstable();
            assert_eq!(items, sorted_at_every_level(&values, k), "n={n} k={k}");
        }
    }

    #[test]
    fn the_bound_holds_for_every_rank() {
        let values = test_values::seeded(50_000, 7, 1 << 30, 0.5);
        let mut sketch = QuantileSketch::new(64);
        values.iter().for_each(|&x| sketch.add(x));
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let items = sketch.cumulative();
        for &(x, est) in &items {
            let truth = sorted.partition_point(|&v| v <= x) as u64;
            assert!(est.abs_diff(truth) <= sketch.rank_error(), "x={x}");
        }
        assert!(sketch.normalized_rank_error() < 0.25);
    }
}
