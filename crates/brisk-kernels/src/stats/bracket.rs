//! [`QuantileBracket`]: exact order statistics in a pass after a [`KeyHistogram`] located them.
//!
//! The histogram says which buckets of order keys hold the wanted ranks and how many values lie
//! below them. A pass over the same values counts those below each window (a check that the
//! input did not change) and keeps only the values inside it, as sorted distinct values with
//! their counts: ties cost nothing, and a window whose bucket holds a single key keeps nothing.
//! When a window holds more distinct values than its share of memory, it counts them in a
//! histogram of its own instead, and one more pass ([`QuantileBracket::another_pass`]) keeps
//! the values of a bucket of that finer histogram. Each such pass narrows the window by a
//! factor of about `2¹¹`, so a few passes at most resolve any input; common data need one.

use serde::{Deserialize, Serialize};

use super::key_histogram::{KeyHistogram, KeySpan};
use super::quantile::{interpolate_found, needed_ranks, quantile_position};
use super::radix::{key, sort_total, value};

/// Values counted together before those inside a window are looked for.
const SCAN_CHUNK: usize = 256;

/// The key of +∞: a positive NaN's key lies above it.
const POSITIVE_INFINITY_KEY: u64 = 0xfff0_0000_0000_0000;
/// The key of −∞: a negative NaN's key lies below it.
const NEGATIVE_INFINITY_KEY: u64 = 0x000f_ffff_ffff_ffff;

/// NaN values, and those of them with the sign bit set, that a scan saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct NanCount {
    all: u64,
    negative: u64,
}

/// For each window `(lo, width)` of `windows`, counts into `counts[i]` the values whose keys lie
/// below `lo` and those whose keys lie in `lo..=lo + width`, and passes the latter to
/// `inside(i, xs)` in order, a chunk's at a time. A NaN's key lies beyond ±∞'s, outside every window; the NaN are
/// counted apart.
///
/// A chunk of [`SCAN_CHUNK`] values at a time: their keys are computed once into a buffer that
/// stays in the first-level cache, every window counts over it without a branch (compiled for
/// AVX2 where the processor has it: [`with_avx2`](crate::simd::with_avx2)), and only a window
/// with values inside the chunk sweeps it again for them.
fn scan_windows(
    values: &[f64],
    windows: &[(u64, u64)],
    counts: &mut [(u64, u64)],
    inside: impl FnMut(usize, &[f64]),
) -> NanCount {
    crate::simd::with_avx2(
        #[inline(always)]
        || scan(values, windows, counts, inside),
    )
}

#[inline(always)]
fn scan(
    values: &[f64],
    windows: &[(u64, u64)],
    counts: &mut [(u64, u64)],
    mut on_inside: impl FnMut(usize, &[f64]),
) -> NanCount {
    let mut nan = NanCount::default();
    let mut buffer = [0u64; SCAN_CHUNK];
    // One cell more than a chunk, for the branch-free compaction.
    let mut found = [0.0; SCAN_CHUNK + 1];
    for chunk in values.chunks(SCAN_CHUNK) {
        let keys = &mut buffer[..chunk.len()];
        let (mut above, mut beneath) = (0u64, 0u64);
        for (k, &x) in keys.iter_mut().zip(chunk) {
            *k = key(x);
            above += u64::from(*k > POSITIVE_INFINITY_KEY);
            beneath += u64::from(*k < NEGATIVE_INFINITY_KEY);
        }
        nan.all += above + beneath;
        nan.negative += beneath;
        for (i, (&(lo, width), count)) in windows.iter().zip(counts.iter_mut()).enumerate() {
            let is_inside = |k: u64| k.wrapping_sub(lo) <= width;
            let (mut below, mut inside) = (0u64, 0u64);
            for &k in keys.iter() {
                below += u64::from(k < lo);
                inside += u64::from(is_inside(k));
            }
            if inside > 0 {
                let mut end = 0;
                for (&k, &x) in keys.iter().zip(chunk) {
                    found[end] = x;
                    end += usize::from(is_inside(k));
                }
                on_inside(i, &found[..end]);
            }
            count.0 += below;
            count.1 += inside;
        }
    }
    nan
}

/// The fewest values a window keeps before it counts them instead.
const MIN_KEPT: usize = 1 << 12;

/// The exact order statistics of chosen ranks, found in passes over the values a
/// [`KeyHistogram`] counted.
///
/// ```
/// use brisk_kernels::stats::{KeyHistogram, QuantileBracket};
/// let values: Vec<f64> = (0..100_000).map(|i| ((i * 7919) % 100_000) as f64).collect();
/// let mut histogram = KeyHistogram::new();
/// histogram.add_slice(&values);
/// let mut bracket = QuantileBracket::new(&histogram, &[0.25, 0.5, 0.75], 1 << 20);
/// values.iter().for_each(|&x| bracket.add(x));
/// assert!(!bracket.needs_another_pass());
/// assert_eq!(bracket.quantiles(), Ok(Some(vec![24999.75, 49999.5, 74999.25])));
/// ```
///
/// A bracket is also a partial state: each partition of the values passes over its own copy of
/// the bracket as made (or as [`QuantileBracket::another_pass`] left it), and the copies
/// [`merge`](QuantileBracket::merge) in any order into the pass over all of them.
///
/// A bracket is read back (deserialized) only when consistent: every window's ranks inside its
/// span and the count, and its kept or counted values as many as it counted inside.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "BracketState")]
pub struct QuantileBracket {
    qs: Vec<f64>,
    count: u64,
    seen: u64,
    /// Values a window may keep (its share of the memory) before it counts them instead.
    kept_limit: usize,
    windows: Vec<Window>,
    #[serde(skip)]
    scratch: Vec<u64>,
}

/// The pass over the values saw other values than the histogram did: the input changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputChanged;

/// A bracket as read, before it is checked.
#[derive(Deserialize)]
struct BracketState {
    qs: Vec<f64>,
    count: u64,
    seen: u64,
    kept_limit: usize,
    windows: Vec<Window>,
}

impl TryFrom<BracketState> for QuantileBracket {
    type Error = &'static str;

    fn try_from(state: BracketState) -> Result<Self, &'static str> {
        let consistent = |w: &Window| {
            let kept = match &w.values {
                Inside::Single => Some(w.inside),
                Inside::Kept { runs, tail } => runs
                    .iter()
                    .try_fold(tail.len() as u64, |sum, &(_, n)| sum.checked_add(n)),
                Inside::Counted(h) => Some(h.count()),
            };
            w.span.below <= w.first_rank
                && w.first_rank <= w.last_rank
                && w.last_rank < state.count
                && w.span.inside > 0
                && w.span
                    .below
                    .checked_add(w.span.inside)
                    .is_some_and(|end| w.last_rank < end)
                && w.span.lo_key <= w.span.hi_key
                && (matches!(w.values, Inside::Single) == (w.span.lo_key == w.span.hi_key)
                    || w.done)
                && kept == Some(w.inside)
        };
        if state.windows.iter().all(consistent) && state.qs.iter().all(|q| (0.0..=1.0).contains(q))
        {
            Ok(QuantileBracket {
                qs: state.qs,
                count: state.count,
                seen: state.seen,
                kept_limit: state.kept_limit.max(MIN_KEPT),
                windows: state.windows,
                scratch: Vec::new(),
            })
        } else {
            Err("a quantile bracket's windows do not fit its counts")
        }
    }
}

/// Two brackets that were not copies of one: they cannot merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BracketMismatch;

/// One run of wanted ranks and the values of the keys that hold it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Window {
    first_rank: u64,
    last_rank: u64,
    span: KeySpan,
    /// Counted in this pass, to check against the span.
    below: u64,
    inside: u64,
    values: Inside,
    /// Resolved in an earlier pass: later passes skip it.
    done: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Inside {
    /// The window is one key: every value inside it is that value.
    Single,
    /// Sorted distinct values with their counts, and values not yet sorted in.
    Kept {
        runs: Vec<(f64, u64)>,
        tail: Vec<f64>,
    },
    /// More distinct values than the window may keep: counted, for another pass.
    Counted(Box<KeyHistogram>),
}

impl Inside {
    fn of(span: &KeySpan) -> Self {
        if span.lo_key == span.hi_key {
            Inside::Single
        } else {
            Inside::Kept {
                runs: Vec::new(),
                tail: Vec::new(),
            }
        }
    }
}

impl QuantileBracket {
    /// Prepares a pass for quantiles `qs` (NumPy's linear interpolation) of the values
    /// `histogram` counted; the values kept take at most about `memory` bytes.
    pub fn new(histogram: &KeyHistogram, qs: &[f64], memory: u64) -> Self {
        let n = histogram.count();
        let windows: Vec<Window> = if n == 0 {
            Vec::new()
        } else {
            qs.iter()
                .map(|&q| {
                    let (k, t) = quantile_position(n as usize, q);
                    let first = k as u64;
                    let last = if t > 0.0 && first + 1 < n {
                        first + 1
                    } else {
                        first
                    };
                    let span = histogram.span(first, last);
                    Window {
                        first_rank: first,
                        last_rank: last,
                        values: Inside::of(&span),
                        span,
                        below: 0,
                        inside: 0,
                        done: false,
                    }
                })
                .collect()
        };
        // A kept value costs 8 bytes in the tail and up to 16 in the runs.
        let share = memory / (16 * windows.len().max(1) as u64);
        QuantileBracket {
            qs: qs.to_vec(),
            count: n,
            seen: 0,
            kept_limit: usize::try_from(share).unwrap_or(usize::MAX).max(MIN_KEPT),
            windows,
            scratch: Vec::new(),
        }
    }

    /// The values between which the order statistics of quantile `qs[i]` surely lie, both
    /// included, before the first pass.
    pub fn range(&self, i: usize) -> Option<(f64, f64)> {
        self.windows.get(i).map(|w| (w.span.lo, w.span.hi))
    }

    /// Sees one value of a pass (the same values as the histogram's, in any order; no NaN).
    pub fn add(&mut self, x: f64) {
        self.add_slice(std::slice::from_ref(&x));
    }

    /// Sees values of a pass, as [`QuantileBracket::add`] does each, skipping NaN; a window at a
    /// time, so that the test of each value against its ends does not branch.
    pub fn add_slice(&mut self, values: &[f64]) {
        let open: Vec<usize> = (0..self.windows.len())
            .filter(|&i| !self.windows[i].done)
            .collect();
        let bounds: Vec<(u64, u64)> = open
            .iter()
            .map(|&i| {
                let span = &self.windows[i].span;
                (span.lo_key, span.hi_key - span.lo_key)
            })
            .collect();
        let mut counts = vec![(0, 0); open.len()];
        let (windows, kept_limit, scratch) =
            (&mut self.windows, self.kept_limit, &mut self.scratch);
        let nan = scan_windows(values, &bounds, &mut counts, |i, xs| {
            keep(&mut windows[open[i]].values, xs, kept_limit, scratch);
        });
        self.seen += values.len() as u64 - nan.all;
        for (&i, &(below, inside)) in open.iter().zip(&counts) {
            let w = &mut self.windows[i];
            w.inside += inside;
            // A negative NaN's key lies below −∞'s.
            w.below += below - nan.negative;
        }
    }

    /// Folds in the pass of another copy of this bracket over other values (another partition):
    /// counts add, kept values merge (and are counted instead past the window's share).
    ///
    /// # Errors
    /// [`BracketMismatch`] when `other` was not made from the same histogram and pass.
    pub fn merge(&mut self, other: &QuantileBracket) -> Result<(), BracketMismatch> {
        let same_window = |(a, b): (&Window, &Window)| {
            (
                a.first_rank,
                a.last_rank,
                a.span.lo_key,
                a.span.hi_key,
                a.done,
            ) == (
                b.first_rank,
                b.last_rank,
                b.span.lo_key,
                b.span.hi_key,
                b.done,
            )
        };
        let same = self.qs == other.qs
            && self.count == other.count
            && self.windows.len() == other.windows.len()
            && self.windows.iter().zip(&other.windows).all(same_window);
        if !same {
            return Err(BracketMismatch);
        }
        self.seen += other.seen;
        let limit = self.kept_limit;
        // A window resolved in an earlier pass holds the same values in every copy (the merge
        // of that pass): it is kept once, not added again.
        let open = self.windows.iter_mut().zip(&other.windows);
        for (w, theirs) in open.filter(|(w, _)| !w.done) {
            w.below += theirs.below;
            w.inside += theirs.inside;
            let mine = std::mem::replace(&mut w.values, Inside::Single);
            w.values = merge_inside(mine, &theirs.values, limit, &mut self.scratch)?;
        }
        Ok(())
    }

    /// Whether some window held too many distinct values and needs another pass.
    pub fn needs_another_pass(&self) -> bool {
        self.windows
            .iter()
            .any(|w| matches!(w.values, Inside::Counted(_)))
    }

    /// Ends a pass that left windows to narrow and prepares the next one, over the same values.
    ///
    /// # Errors
    /// [`InputChanged`] when the pass did not see the values the histogram counted.
    pub fn another_pass(&mut self) -> Result<(), InputChanged> {
        self.check()?;
        for w in self.windows.iter_mut().filter(|w| !w.done) {
            if let Inside::Counted(h) = &w.values {
                let below = w.span.below;
                let mut span = h.span(w.first_rank - below, w.last_rank - below);
                span.below += below;
                w.values = Inside::of(&span);
                w.span = span;
                w.below = 0;
                w.inside = 0;
            } else {
                w.done = true;
            }
        }
        self.seen = 0;
        Ok(())
    }

    /// The pass saw every value the histogram counted, each window's below and inside.
    fn check(&self) -> Result<(), InputChanged> {
        let fits = |w: &Window| w.done || (w.below, w.inside) == (w.span.below, w.span.inside);
        if self.seen == self.count && self.windows.iter().all(fits) {
            Ok(())
        } else {
            Err(InputChanged)
        }
    }

    /// The exact quantiles; `None` when there were no values.
    ///
    /// # Errors
    /// [`InputChanged`] when the pass did not see the histogram's values (or another pass was
    /// needed and not made).
    pub fn quantiles(mut self) -> Result<Option<Vec<f64>>, InputChanged> {
        self.finish()?;
        if self.count == 0 {
            return Ok(None);
        }
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
    /// As [`QuantileBracket::quantiles`].
    pub fn median(self) -> Result<Option<f64>, InputChanged> {
        Ok(self.quantiles_and_median()?.map(|(_, m)| m))
    }

    /// The exact quantiles and `numpy.median`'s median, from a bracket whose `qs` include 0.5;
    /// `None` when there were no values.
    ///
    /// # Errors
    /// As [`QuantileBracket::quantiles`].
    pub fn quantiles_and_median(mut self) -> Result<Option<(Vec<f64>, f64)>, InputChanged> {
        self.finish()?;
        if self.count == 0 {
            return Ok(None);
        }
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

    /// Checks the last pass and sorts every window's kept values into runs.
    fn finish(&mut self) -> Result<(), InputChanged> {
        self.check()?;
        if self.needs_another_pass() {
            return Err(InputChanged);
        }
        for w in &mut self.windows {
            if let Inside::Kept { .. } = w.values {
                w.values = compact(
                    std::mem::replace(&mut w.values, Inside::Single),
                    usize::MAX,
                    &mut self.scratch,
                );
            }
        }
        Ok(())
    }

    /// The order statistic of `rank` from a finished window that holds it.
    fn order_statistic(&self, rank: u64) -> Option<f64> {
        let w = self
            .windows
            .iter()
            .find(|w| w.first_rank <= rank && rank <= w.last_rank)?;
        let mut offset = rank.checked_sub(w.span.below)?;
        match &w.values {
            Inside::Single => Some(value(w.span.lo_key)),
            Inside::Kept { runs, .. } => runs.iter().find_map(|&(x, n)| {
                if offset < n {
                    Some(x)
                } else {
                    offset -= n;
                    None
                }
            }),
            Inside::Counted(_) => None,
        }
    }
}

/// Values inside a window: kept, or counted.
fn keep(values: &mut Inside, xs: &[f64], limit: usize, scratch: &mut Vec<u64>) {
    match values {
        Inside::Single => {}
        Inside::Kept { runs, tail } => {
            if runs.len() > FEW_RUNS {
                tail.extend_from_slice(xs);
            } else {
                for &x in xs {
                    if !count_in(runs, x) {
                        tail.push(x);
                    }
                }
            }
            // A first look early: a window of a few distinct values counts them from then on.
            if tail.len() >= limit || (runs.is_empty() && tail.len() >= FIRST_LOOK) {
                *values = compact(std::mem::replace(values, Inside::Single), limit, scratch);
            }
        }
        Inside::Counted(h) => xs.iter().for_each(|&x| h.add(x)),
    }
}

/// The values two copies of a window kept or counted, together.
fn merge_inside(
    mine: Inside,
    theirs: &Inside,
    limit: usize,
    scratch: &mut Vec<u64>,
) -> Result<Inside, BracketMismatch> {
    let count_into = |h: &mut KeyHistogram, runs: &[(f64, u64)], tail: &[f64]| {
        runs.iter().for_each(|&(x, n)| h.add_count(x, n));
        tail.iter().for_each(|&x| h.add(x));
    };
    Ok(match (mine, theirs) {
        (Inside::Single, Inside::Single) => Inside::Single,
        (Inside::Kept { runs, mut tail }, Inside::Kept { runs: r, tail: t }) => {
            tail.extend_from_slice(t);
            let runs = merge_runs(runs, r);
            compact(Inside::Kept { runs, tail }, limit, scratch)
        }
        (Inside::Counted(mut h), Inside::Kept { runs, tail }) => {
            count_into(&mut h, runs, tail);
            Inside::Counted(h)
        }
        (Inside::Kept { runs, tail }, Inside::Counted(h)) => {
            let mut h = h.clone();
            count_into(&mut h, &runs, &tail);
            Inside::Counted(h)
        }
        (Inside::Counted(mut h), Inside::Counted(theirs)) => {
            h.merge(theirs);
            Inside::Counted(h)
        }
        _ => return Err(BracketMismatch),
    })
}

/// Two sorted run lists as one, the counts of equal values added.
fn merge_runs(a: Vec<(f64, u64)>, b: &[(f64, u64)]) -> Vec<(f64, u64)> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.iter().copied().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.0.total_cmp(&y.0) {
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
                std::cmp::Ordering::Equal => {
                    let (x, n) = a.next().unwrap_or_default();
                    b.next().map(|(_, m)| (x, n + m))
                }
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => return merged,
        };
        merged.extend(next);
    }
}

/// Values a window keeps before its first compaction, which tells whether it holds only a few
/// distinct values (a column of small integers, whose window is often one repeated value).
const FIRST_LOOK: usize = 1 << 10;

/// The most runs a window counts its values in directly, instead of keeping them to sort.
const FEW_RUNS: usize = 16;

/// Adds one to the count of `x`'s run, if `runs` (sorted by `f64::total_cmp`) has one.
fn count_in(runs: &mut [(f64, u64)], x: f64) -> bool {
    match runs.binary_search_by(|(y, _)| y.total_cmp(&x)) {
        Ok(i) => {
            runs[i].1 += 1;
            true
        }
        Err(_) => false,
    }
}

/// The window's tail sorted into its runs; counted instead when the runs pass half of `limit`.
fn compact(values: Inside, limit: usize, scratch: &mut Vec<u64>) -> Inside {
    let Inside::Kept { runs, mut tail } = values else {
        return values;
    };
    sort_total(&mut tail, scratch);
    let mut merged: Vec<(f64, u64)> = Vec::with_capacity(runs.len() + tail.len().min(1024));
    let mut push = |x: f64, n: u64| match merged.last_mut() {
        Some((last, count)) if last.to_bits() == x.to_bits() => *count += n,
        _ => merged.push((x, n)),
    };
    let mut old = runs.into_iter().peekable();
    for x in tail.drain(..) {
        while let Some(&(y, n)) = old.peek() {
            if y.total_cmp(&x).is_gt() {
                break;
            }
            push(y, n);
            old.next();
        }
        push(x, 1);
    }
    old.for_each(|(y, n)| push(y, n));
    if merged.len() > limit / 2 {
        let mut histogram = KeyHistogram::new();
        merged.iter().for_each(|&(x, n)| histogram.add_count(x, n));
        return Inside::Counted(Box::new(histogram));
    }
    Inside::Kept { runs: merged, tail }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::exact_quantiles;
    use crate::stats::test_values;

    #[test]
    fn the_window_scan_is_the_plain_loop() {
        let mut values = test_values::seeded(3000, 11, 40, 10.0);
        values.extend([
            f64::NAN,
            -f64::NAN,
            -f64::NAN,
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]);
        values.rotate_right(700);
        let keys: Vec<u64> = values.iter().map(|&x| key(x)).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        let windows = [
            (sorted[0], 0),
            (sorted[500], sorted[900] - sorted[500]),
            (0, u64::MAX),
            (sorted[2999], sorted[2999] - sorted[2999]),
        ];
        let mut got = vec![Vec::new(); windows.len()];
        let mut counts = vec![(0, 0); windows.len()];
        let nan = scan_windows(&values, &windows, &mut counts, |i, xs| {
            got[i].extend(xs.iter().map(|x| x.to_bits()))
        });
        assert_eq!(
            nan,
            NanCount {
                all: 3,
                negative: 2
            }
        );
        for (i, &(lo, width)) in windows.iter().enumerate() {
            let want: Vec<u64> = values
                .iter()
                .filter(|&&x| key(x).wrapping_sub(lo) <= width)
                .map(|x| x.to_bits())
                .collect();
            let below = keys.iter().filter(|&&k| k < lo).count() as u64;
            assert_eq!(counts[i], (below, want.len() as u64));
            assert_eq!(got[i], want);
        }
    }

    /// Passes over `values` (reversed, to show the order does not matter) until resolved.
    fn resolve(
        values: &[f64],
        qs: &[f64],
        memory: u64,
    ) -> (Result<Option<Vec<f64>>, InputChanged>, usize) {
        let mut histogram = KeyHistogram::new();
        histogram.add_slice(values);
        let mut bracket = QuantileBracket::new(&histogram, qs, memory);
        let mut passes = 1;
        values.iter().rev().for_each(|&x| bracket.add(x));
        while bracket.needs_another_pass() {
            bracket.another_pass().unwrap();
            values.iter().for_each(|&x| bracket.add(x));
            passes += 1;
        }
        (bracket.quantiles(), passes)
    }

    /// Passes over `values` cut into `parts` partitions, each on its own copy of the bracket
    /// (made from merged histograms), the copies merged in a shuffled order through JSON.
    fn resolve_in_parts(
        values: &[f64],
        qs: &[f64],
        memory: u64,
        parts: usize,
    ) -> (Result<Option<Vec<f64>>, InputChanged>, usize) {
        let pieces: Vec<&[f64]> = values.chunks(values.len().div_ceil(parts)).collect();
        let mut histogram = KeyHistogram::new();
        for piece in &pieces {
            let mut part = KeyHistogram::new();
            part.add_slice(piece);
            histogram.merge(&part);
        }
        let mut plan = QuantileBracket::new(&histogram, qs, memory);
        let mut passes = 0;
        loop {
            passes += 1;
            let mut copies: Vec<QuantileBracket> = pieces
                .iter()
                .map(|piece| {
                    let text = serde_json::to_string(&plan).unwrap();
                    let mut copy: QuantileBracket = serde_json::from_str(&text).unwrap();
                    copy.add_slice(piece);
                    copy
                })
                .collect();
            // A fixed shuffle: every third copy first, then the rest backwards.
            let mut merged = copies.swap_remove(copies.len() / 3);
            while let Some(copy) = copies.pop() {
                merged.merge(&copy).unwrap();
            }
            if !merged.needs_another_pass() {
                return (merged.quantiles(), passes);
            }
            merged.another_pass().unwrap();
            plan = merged;
        }
    }

    #[test]
    fn copies_of_a_bracket_over_partitions_merge_to_the_exact_quantiles() {
        let qs = [0.0, 0.25, 0.5, 0.75, 1.0];
        for (n, distinct) in [(5, 3), (999, 2), (100_000, 5), (100_000, 1 << 40)] {
            let values = test_values::seeded(n, n as u64 + 1, distinct, 0.5);
            let want = exact_quantiles(&mut values.clone(), &qs);
            for parts in [1, 2, 7, 64] {
                let (got, passes) = resolve_in_parts(&values, &qs, 1 << 20, parts);
                assert_eq!(
                    got,
                    Ok(want.clone()),
                    "n={n} distinct={distinct} parts={parts}"
                );
                assert_eq!(passes, 1);
            }
        }
        // A crowded window: more passes, each over every partition.
        let mut values: Vec<f64> = test_values::seeded(200_000, 5, 1 << 40, 0.5)
            .iter()
            .map(|x| 1e9 + x * 1e-9)
            .collect();
        values.extend([1e-300, 0.0, -0.0]);
        let want = exact_quantiles(&mut values.clone(), &qs);
        for parts in [2, 7] {
            let (got, passes) = resolve_in_parts(&values, &qs, 0, parts);
            assert_eq!(got, Ok(want.clone()), "crowded, parts={parts}");
            assert!(passes > 1, "{passes}");
        }
    }

    #[test]
    fn a_window_resolved_early_is_not_counted_again_by_each_partition() {
        // The lower quartile among spread values, resolved in the first pass; the median and
        // the upper quartile in a crowded cluster, which takes more passes. Each partition's
        // copy of the later passes carries the resolved window as the merge left it.
        let mut values: Vec<f64> = (0..40_000).map(|i| (f64::from(i) * 5e-4).exp()).collect();
        values.extend(
            test_values::seeded(60_000, 5, 1 << 40, 0.5)
                .iter()
                .map(|x| 1e9 + x * 1e-9),
        );
        values.push(1e-300);
        let qs = [0.25, 0.5, 0.75];
        let want = exact_quantiles(&mut values.clone(), &qs);
        for parts in [2, 7] {
            let (got, passes) = resolve_in_parts(&values, &qs, 0, parts);
            assert_eq!(got, Ok(want.clone()), "parts={parts}");
            assert!(passes > 1, "{passes}");
        }
    }

    #[test]
    fn brackets_of_other_plans_do_not_merge() {
        let values = test_values::seeded(1000, 3, 1 << 30, 0.5);
        let mut histogram = KeyHistogram::new();
        histogram.add_slice(&values);
        let mut median = QuantileBracket::new(&histogram, &[0.5], 1 << 20);
        let quartile = QuantileBracket::new(&histogram, &[0.25], 1 << 20);
        assert_eq!(median.merge(&quartile), Err(BracketMismatch));
        histogram.add(1.0);
        let more = QuantileBracket::new(&histogram, &[0.5], 1 << 20);
        assert_eq!(median.merge(&more), Err(BracketMismatch));
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
            let values = test_values::seeded(n, n as u64, distinct, 0.5);
            let want = exact_quantiles(&mut values.clone(), &qs);
            let (got, passes) = resolve(&values, &qs, 1 << 20);
            assert_eq!(got, Ok(want), "n={n} distinct={distinct}");
            assert_eq!(passes, 1);
        }
    }

    #[test]
    fn a_window_of_few_values_counts_them_and_takes_new_ones_late() {
        // Small integers in random order, then values no first look saw: ±0.0 and fractions.
        let mut values: Vec<f64> = test_values::seeded(20_000, 5, 4, 0.5)
            .iter()
            .map(|x| x.abs().round())
            .collect();
        values.extend([2.5, -0.0, 0.0, 1.25, 3.0, 2.5, -0.0].repeat(300));
        let qs: Vec<f64> = (0..=20).map(|i| f64::from(i) / 20.0).collect();
        let want = exact_quantiles(&mut values.clone(), &qs);
        let mut histogram = KeyHistogram::new();
        histogram.add_slice(&values);
        let mut bracket = QuantileBracket::new(&histogram, &qs, 1 << 20);
        values.chunks(97).for_each(|c| bracket.add_slice(c));
        assert!(!bracket.needs_another_pass());
        assert_eq!(bracket.quantiles(), Ok(want));
    }

    #[test]
    fn a_crowded_window_takes_more_passes_and_stays_exact() {
        // One far value widens the buckets until the cluster near 1e9 shares one of them; the
        // least memory then forces finer passes.
        let mut values: Vec<f64> = test_values::seeded(200_000, 5, 1 << 40, 0.5)
            .iter()
            .map(|x| 1e9 + x * 1e-9)
            .collect();
        values.push(1e-300);
        values.push(0.0);
        values.push(-0.0);
        let qs = [0.25, 0.5, 0.75];
        let want = exact_quantiles(&mut values.clone(), &qs);
        let (got, passes) = resolve(&values, &qs, 0);
        assert_eq!(got, Ok(want));
        assert!(passes > 1, "{passes}");
    }

    #[test]
    fn a_slice_at_a_time_is_a_value_at_a_time() {
        let mut values = test_values::seeded(20_000, 9, 1 << 20, 0.5);
        values[17] = f64::NAN;
        values[99] = -f64::NAN;
        let finite: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
        let mut histogram = KeyHistogram::new();
        histogram.add_slice(&finite);
        let qs = [0.1, 0.5, 0.9];
        let mut one = QuantileBracket::new(&histogram, &qs, 0);
        finite.iter().for_each(|&x| one.add(x));
        let mut sliced = QuantileBracket::new(&histogram, &qs, 0);
        values.chunks(777).for_each(|c| sliced.add_slice(c));
        let want = exact_quantiles(&mut finite.clone(), &qs);
        assert_eq!(one.quantiles(), Ok(want.clone()));
        assert_eq!(sliced.quantiles(), Ok(want));
    }

    #[test]
    fn the_median_is_numpys() {
        let values = [1.0, 2.0, 4.0, 8.0];
        let mut histogram = KeyHistogram::new();
        histogram.add_slice(&values);
        let mut bracket = QuantileBracket::new(&histogram, &[0.5], 0);
        values.iter().for_each(|&x| bracket.add(x));
        assert_eq!(bracket.median(), Ok(Some(3.0)));
    }

    #[test]
    fn other_values_in_a_pass_are_an_error_not_a_panic() {
        let values = test_values::seeded(10_000, 3, 1 << 30, 0.5);
        let mut histogram = KeyHistogram::new();
        histogram.add_slice(&values);
        let mut shifted = QuantileBracket::new(&histogram, &[0.5], 1 << 20);
        values.iter().for_each(|&x| shifted.add(x + 1e12));
        assert_eq!(shifted.quantiles(), Err(InputChanged));
        let mut fewer = QuantileBracket::new(&histogram, &[0.5], 1 << 20);
        values[1..].iter().for_each(|&x| fewer.add(x));
        assert_eq!(fewer.quantiles(), Err(InputChanged));
        let mut moved = QuantileBracket::new(&histogram, &[0.5], 1 << 20);
        // The largest value moved below the median: as many values, other counts below it.
        let mut other = values.clone();
        let largest = (0..other.len())
            .max_by(|&a, &b| other[a].total_cmp(&other[b]))
            .unwrap();
        other[largest] = -1e300;
        other.iter().for_each(|&x| moved.add(x));
        assert_eq!(moved.quantiles(), Err(InputChanged));
    }
}
