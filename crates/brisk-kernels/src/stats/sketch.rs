//! A one-pass quantile sketch with a guaranteed rank-error bound, and the exact selection it enables
//! in a second pass.
//!
//! [`QuantileSketch`] is a stack of deterministic compactors (Manku, Rajagopalan & Lindsay 1998; the
//! building block of KLL, Karnin, Lang & Liberty 2016): level `h` holds up to `k` items of weight
//! `2^h`; a full level is sorted and every other item moves up with double weight, starting at
//! alternating offsets. One compaction at level `h` moves any rank estimate by at most `2^h`, so the
//! sum over the compactions done is a hard bound on the absolute rank error — no probability. With
//! `k = 4096` and ten million values that bound is under 0.3 % of the count.
//!
//! [`QuantileBracket`] turns the sketch into exact order statistics: the bound says which two
//! sketch items surely enclose the wanted ranks, and a second pass over the data counts the values
//! below, keeps only those between and counts the ties at each end.

use super::quantile::{interpolate, interpolate_found, needed_ranks};
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

/// The exact order statistics of chosen ranks, found in a second pass over values a sketch saw.
///
/// ```
/// use brisk_kernels::stats::{QuantileBracket, QuantileSketch};
/// let values: Vec<f64> = (0..100_000).map(|i| ((i * 7919) % 100_000) as f64).collect();
/// let mut sketch = QuantileSketch::new(128);
/// values.iter().for_each(|&x| sketch.add(x));
/// let mut bracket = QuantileBracket::new(&sketch, &[0.25, 0.5, 0.75]);
/// values.iter().for_each(|&x| bracket.add(x));
/// assert_eq!(bracket.quantiles(), Ok(Some(vec![24999.75, 49999.5, 74999.25])));
/// ```
#[derive(Debug, Clone)]
pub struct QuantileBracket {
    qs: Vec<f64>,
    count: u64,
    seen: u64,
    windows: Vec<Window>,
}

/// The second pass saw other values than the sketch did: the input changed between the passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputChanged;

/// The values of one rank range: those below `lo` counted, those between kept, ties counted.
#[derive(Debug, Clone)]
struct Window {
    first_rank: u64,
    last_rank: u64,
    lo: Option<f64>,
    hi: Option<f64>,
    below: u64,
    at_lo: u64,
    at_hi: u64,
    between: Vec<f64>,
}

impl QuantileBracket {
    /// Prepares the second pass for quantiles `qs` of the values `sketch` summarised.
    pub fn new(sketch: &QuantileSketch, qs: &[f64]) -> Self {
        let n = sketch.count();
        let items = sketch.cumulative();
        let error = sketch.rank_error();
        let windows = qs
            .iter()
            .map(|&q| {
                let (k, t) = super::quantile::quantile_position(n as usize, q);
                let last = if t > 0.0 && (k as u64) + 1 < n {
                    k + 1
                } else {
                    k
                } as u64;
                // lo: estimated count ≤ first − error, so truly at most `first` values are ≤ lo.
                let lo_index = items.partition_point(|&(_, cum)| cum + error <= k as u64);
                let lo = lo_index.checked_sub(1).map(|i| items[i].0);
                // hi: estimated count ≥ last + 1 + error, so truly more than `last` values are ≤ hi.
                let hi_index = items.partition_point(|&(_, cum)| cum < last + 1 + error);
                let hi = items.get(hi_index).map(|item| item.0);
                Window {
                    first_rank: k as u64,
                    last_rank: last,
                    lo,
                    hi,
                    below: 0,
                    at_lo: 0,
                    at_hi: 0,
                    between: Vec::new(),
                }
            })
            .collect();
        QuantileBracket {
            qs: qs.to_vec(),
            count: n,
            seen: 0,
            windows,
        }
    }

    /// The values between which the order statistics of quantile `qs[i]` surely lie, both
    /// included, before the second pass (`None`: no bound on that side).
    pub fn range(&self, i: usize) -> (Option<f64>, Option<f64>) {
        let w = &self.windows[i];
        (w.lo, w.hi)
    }

    /// Sees one value of the second pass (the same values as the sketch's, in any order).
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.seen += 1;
        for w in &mut self.windows {
            match (w.lo, w.hi) {
                (Some(lo), _) if x < lo => w.below += 1,
                (Some(lo), _) if x == lo => w.at_lo += 1,
                (_, Some(hi)) if x == hi => w.at_hi += 1,
                (_, Some(hi)) if x > hi => {}
                _ => w.between.push(x),
            }
        }
    }

    /// The exact quantiles; `None` when there were no values.
    pub fn quantiles(mut self) -> Result<Option<Vec<f64>>, InputChanged> {
        if self.seen != self.count {
            return Err(InputChanged);
        }
        if self.count == 0 {
            return Ok(None);
        }
        self.sort_windows();
        let n = self.count as usize;
        let ranks = needed_ranks(n, &self.qs);
        let found = ranks
            .iter()
            .map(|&rank| self.order_statistic(rank as u64))
            .collect::<Option<Vec<f64>>>()
            .ok_or(InputChanged)?;
        Ok(Some(interpolate_found(n, &self.qs, &ranks, &found)))
    }

    /// The median as `numpy.median` takes it — the middle value, or the mean `(a + b) / 2` of
    /// the two middle values — from a bracket made for `qs = [0.5]`; `None` when there were no
    /// values. (Linear interpolation, `a + (b − a)/2`, can differ from it in the last bit.)
    ///
    /// # Errors
    /// [`InputChanged`] when the second pass did not see the sketch's values.
    pub fn median(self) -> Result<Option<f64>, InputChanged> {
        Ok(self.quantiles_and_median()?.map(|(_, m)| m))
    }

    /// The exact quantiles and `numpy.median`'s median, from a bracket whose `qs` include 0.5;
    /// `None` when there were no values.
    ///
    /// # Errors
    /// [`InputChanged`] when the second pass did not see the sketch's values.
    pub fn quantiles_and_median(mut self) -> Result<Option<(Vec<f64>, f64)>, InputChanged> {
        if self.seen != self.count {
            return Err(InputChanged);
        }
        if self.count == 0 {
            return Ok(None);
        }
        self.sort_windows();
        let n = self.count;
        let upper = self.order_statistic(n / 2).ok_or(InputChanged)?;
        let median = if n % 2 == 1 {
            upper
        } else {
            (self.order_statistic(n / 2 - 1).ok_or(InputChanged)? + upper) / 2.0
        };
        let ranks = needed_ranks(n as usize, &self.qs);
        let found = ranks
            .iter()
            .map(|&rank| self.order_statistic(rank as u64))
            .collect::<Option<Vec<f64>>>()
            .ok_or(InputChanged)?;
        let quantiles = interpolate_found(n as usize, &self.qs, &ranks, &found);
        Ok(Some((quantiles, median)))
    }

    /// Sorts the values kept between each window's ends.
    fn sort_windows(&mut self) {
        let mut scratch = Vec::new();
        for w in &mut self.windows {
            sort_total(&mut w.between, &mut scratch);
        }
    }

    /// The order statistic of `rank` from the window that holds it; `None` if the values seen do not
    /// fit the bracket, which only a changed input can cause.
    fn order_statistic(&self, rank: u64) -> Option<f64> {
        let w = self
            .windows
            .iter()
            .find(|w| w.first_rank <= rank && rank <= w.last_rank)?;
        let offset = rank.checked_sub(w.below)?;
        if offset < w.at_lo {
            return w.lo;
        }
        let offset = usize::try_from(offset - w.at_lo).ok()?;
        match w.between.get(offset) {
            Some(&x) => Some(x),
            None if (offset - w.between.len()) < w.at_hi as usize => w.hi,
            None => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::exact_quantiles;

    fn seeded(n: usize, seed: u64, distinct: u64) -> Vec<f64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) % distinct) as f64 * 0.5 - 100.0
            })
            .collect()
    }

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
            let values = seeded(n, k as u64, distinct);
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
        let values = seeded(50_000, 7, 1 << 30);
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

    #[test]
    fn bracket_equals_full_selection_with_and_without_ties() {
        let qs = [0.0, 0.25, 0.5, 0.75, 1.0];
        for (n, distinct) in [
            (1, 10),
            (2, 10),
            (5, 3),
            (999, 2),
            (100_000, 5),
            (100_000, 1 << 40),
        ] {
            let values = seeded(n, n as u64, distinct);
            let mut sketch = QuantileSketch::new(16);
            values.iter().for_each(|&x| sketch.add(x));
            let mut bracket = QuantileBracket::new(&sketch, &qs);
            values.iter().rev().for_each(|&x| bracket.add(x));
            let want = exact_quantiles(&mut values.clone(), &qs);
            assert_eq!(bracket.quantiles(), Ok(want), "n={n} distinct={distinct}");
        }
    }

    #[test]
    fn other_values_in_the_second_pass_are_an_error_not_a_panic() {
        let values = seeded(10_000, 3, 1 << 30);
        // Fine enough that the median's window is bounded on both sides.
        let mut sketch = QuantileSketch::new(256);
        values.iter().for_each(|&x| sketch.add(x));
        let mut shifted = QuantileBracket::new(&sketch, &[0.5]);
        values.iter().for_each(|&x| shifted.add(x + 1e12));
        assert_eq!(shifted.quantiles(), Err(InputChanged));
        let mut fewer = QuantileBracket::new(&sketch, &[0.5]);
        values[1..].iter().for_each(|&x| fewer.add(x));
        assert_eq!(fewer.quantiles(), Err(InputChanged));
    }
}
