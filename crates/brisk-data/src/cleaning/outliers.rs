//! Step 5's count, made in the pass that finds the medians: the report's cleaning section needs
//! how many rows the outlier rule removes, and its bounds `mean ± sigma · std` of each filled
//! column depend on the median that fills the nulls, which a sketched column only knows after
//! that pass.
//!
//! What is known before it is enough for almost every row. Filling `k` nulls with `m` gives a
//! mean linear in `m` and a variance `(M₂ + n k/(n + k) (m − x̄)²)/(n + k − 1)`, a convex
//! function of `m` smallest at the non-null mean `x̄`; over the median's bracket `[a, b]` the mean
//! thus lies between its values at `a` and `b`, and the standard deviation between its value at
//! `clamp(x̄, a, b)` and the larger of its values at `a` and `b`. A value inside the narrowest
//! bounds survives whatever the median, one outside the widest is removed, and only a row with a
//! value between the two (or a null whose fill may land there) waits, kept aside, for the final
//! bounds. A margin covers the rounding of the final bounds: the plan's are correctly rounded,
//! pandas' come from NumPy's summation order and can differ in the last bits
//! ([`RoundingBand`]). When a row kept aside lies so close to a final bound that pandas' rounding
//! could move it across, the count waits for pandas' own bounds (see
//! [`super::bounds`]). If the rows kept aside outgrow their budget, the count is given up and the
//! caller counts in a pass of its own.

use brisk_kernels::stats::{Convention, Moments};

use super::fill::{filled_moments, CleanPlan, PlannedColumn};
use crate::batch::{Batch, BatchColumn};
use crate::frame::is_outlier;

/// What is known of a cell before the final bounds; a row's verdict is its cells' greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
enum Verdict {
    Kept,
    Undecided,
    Removed,
}

/// One bounded column: the values surely kept, those surely removed, and the verdict on a null.
#[derive(Debug, Clone)]
struct Band {
    column: usize,
    /// `[lo, hi]`: kept whatever the median.
    kept: (f64, f64),
    /// Outside `[lo, hi]`: removed whatever the median.
    removed: (f64, f64),
    null: Verdict,
    /// How far pandas' mean and limit can be from the plan's.
    rounding: RoundingBand,
}

/// A bound on how far pandas' mean and `sigma · std` of a filled column (NumPy's pairwise sums)
/// can be from the correctly rounded ones.
///
/// A sum in a tree of height `h` errs by at most `γ_h Σ|x|` (Higham, *Accuracy and Stability of
/// Numerical Algorithms*, 2nd ed., §4.2): NumPy's leaves add up to 25 times along a path, its
/// splits `⌈log₂ n⌉` more, and a cast sum one more per buffer of 8192. `Σ|x| ≤ n √(x̄² + M₂/n)`
/// (Cauchy–Schwarz) bounds the sum from the moments alone. The squares are positive, so their
/// sum errs relatively by `γ_h`, and pandas' own mean shifts it by `n δ²/M₂`. Doubled, for the
/// divisions, the square root and the products.
#[derive(Debug, Clone, Copy)]
struct RoundingBand {
    mean: f64,
    limit_relative: f64,
}

impl RoundingBand {
    fn new(filled: &Moments, integer: bool) -> Self {
        let n = filled.count() as f64;
        let unit = f64::EPSILON / 2.0;
        let mut height = 32.0 + n.max(1.0).log2().ceil();
        if integer {
            height += (n / 8192.0).ceil();
        }
        let mean = filled.mean().unwrap_or(0.0);
        let spread = filled.variance(0.0).unwrap_or(0.0);
        let m2 = spread * n;
        let magnitude = (mean * mean + spread).sqrt();
        let delta = 2.0 * (height * unit * magnitude + unit * mean.abs());
        let shift = if m2 > 0.0 {
            n * delta * delta / m2
        } else {
            0.0
        };
        RoundingBand {
            mean: delta,
            limit_relative: 2.0 * ((height + 8.0) * unit + shift),
        }
    }

    /// Whether pandas' rule could judge `x` otherwise than `|x − mean| > limit` does.
    fn straddles(&self, x: f64, mean: f64, limit: f64) -> bool {
        let distance = (x - mean).abs();
        let slack =
            self.mean + self.limit_relative * limit.abs() + f64::EPSILON * (distance + limit.abs());
        (distance - limit).abs() <= slack || !slack.is_finite()
    }
}

impl Band {
    /// The band of a column with non-null `moments`, `nulls` to fill with a median in `median`
    /// (`integer`: pandas reads it as `int64`).
    fn new(
        column: usize,
        moments: &Moments,
        nulls: u64,
        median: (f64, f64),
        sigma: f64,
        integer: bool,
    ) -> Self {
        let (a, b) = median;
        let at = |m: f64| {
            let filled = filled_moments(*moments, Some(m), nulls);
            let mean = filled.mean().unwrap_or(f64::NAN);
            (mean, filled.std(Convention::Sample).unwrap_or(f64::NAN))
        };
        let (mean_a, std_a) = at(a);
        let (mean_b, std_b) = at(b);
        let vertex = moments.mean().unwrap_or(a).clamp(a, b);
        let (_, std_vertex) = at(vertex);
        let (mean_lo, mean_hi) = (mean_a.min(mean_b), mean_a.max(mean_b));
        let (std_lo, std_hi) = (std_vertex.min(std_a).min(std_b), std_a.max(std_b));
        // Room for the rounding of the final mean and standard deviation, pandas' included.
        let rounding = RoundingBand::new(&filled_moments(*moments, Some(a), nulls), integer);
        let margin = 1024.0 * ulp(mean_lo.abs().max(mean_hi.abs()))
            + 1e-9 * sigma * std_hi
            + 4.0 * (rounding.mean + rounding.limit_relative * sigma * std_hi);
        let kept = (
            mean_hi - sigma * std_lo + margin,
            mean_lo + sigma * std_lo - margin,
        );
        let removed = (
            mean_lo - sigma * std_hi - margin,
            mean_hi + sigma * std_hi + margin,
        );
        let mut band = Band {
            column,
            kept,
            removed,
            null: Verdict::Kept,
            rounding,
        };
        // The fill is the median itself: a null is decided when the whole bracket is.
        let below = |x: f64| x < band.removed.0;
        let above = |x: f64| x > band.removed.1;
        band.null = if band.verdict(a) == Verdict::Kept && band.verdict(b) == Verdict::Kept {
            Verdict::Kept
        } else if (below(a) && below(b)) || (above(a) && above(b)) {
            Verdict::Removed
        } else {
            Verdict::Undecided
        };
        // Undefined bounds (one value, or none) remove nothing; a bad margin decides nothing.
        if !(std_hi.is_finite() && mean_lo.is_finite() && mean_hi.is_finite()) {
            band.kept = (f64::NEG_INFINITY, f64::INFINITY);
            band.null = Verdict::Kept;
        }
        band
    }

    /// [`Band::verdict`] of a cell, the null's for NaN, as a number, without a branch (so that a
    /// column's cells are judged in SIMD registers; 64 bits wide, as the comparisons of doubles).
    #[inline(always)]
    fn verdict_code(&self, x: f64) -> u64 {
        let kept = (x >= self.kept.0) & (x <= self.kept.1);
        let removed = (x < self.removed.0) | (x > self.removed.1);
        // 0 kept, else 2 removed or 1 undecided.
        let code = u64::from(!kept).wrapping_neg() & (1 + u64::from(removed));
        if x.is_nan() {
            self.null as u64
        } else {
            code
        }
    }

    /// Raises each row's verdict in `verdicts` to its cell's in `values`: eight cells judged at a
    /// time into 64-bit codes, then narrowed (about three times as fast as judging each cell into
    /// its byte).
    #[inline(always)]
    fn fold_into(&self, verdicts: &mut [u8], values: &[f64]) {
        const CELLS: usize = 8;
        let mut rows = verdicts.chunks_exact_mut(CELLS);
        let mut cells = values.chunks_exact(CELLS);
        for (rows, cells) in (&mut rows).zip(&mut cells) {
            let mut codes = [0u64; CELLS];
            for (code, &x) in codes.iter_mut().zip(cells) {
                *code = self.verdict_code(x);
            }
            for (verdict, code) in rows.iter_mut().zip(codes) {
                *verdict = (*verdict).max(code as u8);
            }
        }
        let rest = rows.into_remainder().iter_mut().zip(cells.remainder());
        for (verdict, &x) in rest {
            *verdict = (*verdict).max(self.verdict_code(x) as u8);
        }
    }

    #[inline]
    fn verdict(&self, x: f64) -> Verdict {
        if x >= self.kept.0 && x <= self.kept.1 {
            Verdict::Kept
        } else if x < self.removed.0 || x > self.removed.1 {
            Verdict::Removed
        } else {
            Verdict::Undecided
        }
    }
}

/// The distance from `x` to the next larger float (of its magnitude).
fn ulp(x: f64) -> f64 {
    if x.is_finite() {
        f64::from_bits(x.to_bits() + 1) - x
    } else {
        f64::NAN
    }
}

/// The outlier rule's count over every row (no row repeats another), made before its bounds are
/// final.
#[derive(Debug)]
pub(crate) struct OutlierCount {
    bands: Vec<Band>,
    removed: u64,
    /// The bounded columns' values of each undecided row, row after row (NaN for a null).
    undecided: Vec<f64>,
    /// The most values `undecided` may hold.
    capacity: usize,
    /// The undecided rows outgrew `capacity`: the count is given up.
    overflowed: bool,
    /// Each row's verdict as its `u8`.
    verdicts: Vec<u8>,
}

impl OutlierCount {
    /// A count for the median-filled columns: `(column, non-null moments, nulls, median range,
    /// int64 in pandas)` each, with the rule's `sigma`; the undecided rows may take `budget`
    /// bytes.
    pub(crate) fn new(
        columns: impl IntoIterator<Item = (usize, Moments, u64, (f64, f64), bool)>,
        sigma: f64,
        budget: u64,
    ) -> Self {
        let bands: Vec<Band> = columns
            .into_iter()
            .map(|(j, moments, nulls, median, integer)| {
                Band::new(j, &moments, nulls, median, sigma, integer)
            })
            .collect();
        OutlierCount {
            bands,
            removed: 0,
            undecided: Vec::new(),
            capacity: usize::try_from(budget / 8).unwrap_or(usize::MAX),
            overflowed: false,
            verdicts: Vec::new(),
        }
    }

    /// Folds in a batch: its surely removed rows counted, its undecided rows kept aside.
    pub(crate) fn add(&mut self, batch: &Batch) {
        if self.overflowed {
            return;
        }
        self.verdicts.clear();
        self.verdicts.resize(batch.rows(), Verdict::Kept as u8);
        for band in &self.bands {
            let BatchColumn::Numeric(values) = batch.column(band.column) else {
                continue;
            };
            let verdicts = &mut self.verdicts;
            brisk_kernels::simd::with_avx2(
                #[inline(always)]
                || band.fold_into(verdicts, values.values()),
            );
        }
        for (r, &verdict) in self.verdicts.iter().enumerate() {
            if verdict == Verdict::Removed as u8 {
                self.removed += 1;
            } else if verdict == Verdict::Undecided as u8 {
                for band in &self.bands {
                    let x = match batch.column(band.column) {
                        BatchColumn::Numeric(values) => values.values()[r],
                        BatchColumn::Text(_) => f64::NAN,
                    };
                    self.undecided.push(x);
                }
            }
        }
        if self.undecided.len() > self.capacity {
            self.overflowed = true;
            self.undecided = Vec::new();
        }
    }

    /// The final rules, one per band: the fill, the mean and the limit.
    fn rules(&self, plan: &CleanPlan) -> Vec<(Option<f64>, f64, f64)> {
        self.bands
            .iter()
            .map(|band| match &plan.columns[band.column] {
                PlannedColumn::Numbers {
                    fill,
                    bounds: Some((mean, limit)),
                } => (*fill, *mean, *limit),
                _ => (None, f64::NAN, f64::NAN),
            })
            .collect()
    }

    /// The columns, among those not `settled`, where a row kept aside lies so close to a final
    /// bound of the plan's that pandas' rounding of the bound could judge it otherwise.
    pub(crate) fn straddling(&self, plan: &CleanPlan, settled: &[bool]) -> Vec<usize> {
        if self.overflowed || self.bands.is_empty() {
            return Vec::new();
        }
        let rules = self.rules(plan);
        let width = self.bands.len();
        let mut columns = Vec::new();
        for ((k, band), &(fill, mean, limit)) in self.bands.iter().enumerate().zip(&rules) {
            if settled[band.column] {
                continue;
            }
            let close = self.undecided.chunks_exact(width).any(|row| {
                let x = if row[k].is_nan() { fill } else { Some(row[k]) };
                x.is_some_and(|x| band.rounding.straddles(x, mean, limit))
            });
            if close {
                columns.push(band.column);
            }
        }
        columns
    }

    /// The rows the rule removes, with the plan's final bounds; `None` when the count was given
    /// up. Exact when no row kept aside straddles a bound that is not settled
    /// ([`OutlierCount::straddling`]).
    pub(crate) fn finish(&self, plan: &CleanPlan) -> Option<u64> {
        if self.overflowed {
            return None;
        }
        let width = self.bands.len();
        if width == 0 {
            return Some(self.removed);
        }
        let rules = self.rules(plan);
        let removed_later = self
            .undecided
            .chunks_exact(width)
            .filter(|row| {
                row.iter().zip(&rules).any(|(&x, &(fill, mean, limit))| {
                    let x = if x.is_nan() { fill } else { Some(x) };
                    x.is_some_and(|x| is_outlier(x, mean, limit))
                })
            })
            .count() as u64;
        Some(self.removed + removed_later)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_kernels::random::Mt19937;

    /// The branch-free code, and its fold into rows, are the plain verdict (the null's for NaN),
    /// on seeded values around a band's four bounds, the bounds themselves, their neighbours, ±∞
    /// and NaN.
    #[test]
    fn verdict_code_is_the_plain_verdict() {
        let mut rng = Mt19937::new(11);
        let mut uniform = || rng.random_sample();
        let values: Vec<f64> = (0..500).map(|_| uniform() * 10.0 - 5.0).collect();
        let moments = Moments::from_slice(&values);
        for (nulls, median) in [(0, (0.1, 0.1)), (40, (-0.5, 4.9)), (400, (-5.0, 5.0))] {
            let band = Band::new(0, &moments, nulls, median, 1.0, false);
            let bounds = [band.kept.0, band.kept.1, band.removed.0, band.removed.1];
            let mut cells: Vec<f64> = (0..2_000).map(|_| uniform() * 12.0 - 6.0).collect();
            for b in bounds {
                cells.extend([b, b.next_down(), b.next_up()]);
            }
            // 2,017 cells: the fold has a remainder past its groups of eight.
            cells.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN, -0.0, 7.5]);
            let plain: Vec<u8> = cells
                .iter()
                .map(|&x| if x.is_nan() { band.null } else { band.verdict(x) } as u8)
                .collect();
            for (&x, &p) in cells.iter().zip(&plain) {
                assert_eq!(band.verdict_code(x), u64::from(p), "{x} in {bounds:?}");
            }
            // Folded into rows already judged: each row keeps the greater verdict.
            let before: Vec<u8> = (0..cells.len()).map(|i| (i % 3) as u8).collect();
            let mut folded = before.clone();
            band.fold_into(&mut folded, &cells);
            let expected: Vec<u8> = before.iter().zip(&plain).map(|(&a, &b)| a.max(b)).collect();
            assert_eq!(folded, expected);
        }
    }
}
