//! Steps 2 to 4 of the cleaning over the rows left by step 1: the medians and modes that fill
//! the nulls, the lowercasing count, and the outlier bounds of step 5 — as a [`CleanPlan`].
//!
//! The median of a numeric column is exact: its values are kept while the memory budget allows,
//! and past it a sketch brackets the middle ranks for one more pass ([`MedianPass`]). The bounds
//! come from the column's moments after the fill: the non-null values' [`Moments`] merged with
//! those of the filled copies of the median (Chan's formula), so no pass sees the filled column.

use brisk_kernels::accumulate::TextCounts;
use brisk_kernels::numeric::canonical_zero;
use brisk_kernels::stats::{Convention, InputChanged, Moments, QuantileBracket, QuantileSketch};
use hashbrown::HashMap;

use super::dedupe::Duplicates;
use super::roles::{Role, Roles};
use crate::batch::{Batch, BatchColumn, ColumnTypes};
use crate::frame::{median, CleanReport, FillValue, Named};

#[derive(Debug)]
enum Values {
    Kept(Vec<f64>),
    Sketched(QuantileSketch),
}

#[derive(Debug)]
enum Fill {
    Keep,
    Median {
        nulls: u64,
        moments: Moments,
        values: Values,
    },
    NumberMode {
        nulls: u64,
        counts: HashMap<u64, u64>,
    },
    TextMode {
        nulls: u64,
        counts: TextCounts,
        /// Non-null values that lowercasing changes.
        changed: u64,
    },
}

/// The running state of steps 2 to 4 over the distinct rows.
#[derive(Debug)]
pub(crate) struct FillState {
    fills: Vec<Fill>,
    budget: u64,
}

impl FillState {
    pub(crate) fn new(roles: &Roles, budget: u64) -> Self {
        let fills = roles
            .roles
            .iter()
            .map(|role| match role {
                Role::Keep => Fill::Keep,
                Role::Median => Fill::Median {
                    nulls: 0,
                    moments: Moments::new(),
                    values: Values::Kept(Vec::new()),
                },
                Role::NumberMode => Fill::NumberMode {
                    nulls: 0,
                    counts: HashMap::new(),
                },
                Role::TextMode => Fill::TextMode {
                    nulls: 0,
                    counts: TextCounts::new(),
                    changed: 0,
                },
            })
            .collect();
        FillState { fills, budget }
    }

    /// Folds in the rows of a batch that are not duplicates.
    pub(crate) fn add(&mut self, batch: &Batch, duplicates: &Duplicates) {
        let first = batch.first_row();
        let kept: Vec<usize> = (0..batch.rows())
            .filter(|&r| !duplicates.contains(first + r as u64))
            .collect();
        let kept_bytes: u64 = self
            .fills
            .iter()
            .map(|f| match f {
                Fill::Median {
                    values: Values::Kept(v),
                    ..
                } => (v.len() + kept.len()) as u64 * 8,
                _ => 0,
            })
            .sum();
        if kept_bytes > self.budget {
            self.start_sketching();
        }
        let mut scratch = Vec::with_capacity(kept.len());
        for (fill, column) in self.fills.iter_mut().zip(batch.columns()) {
            match (fill, column) {
                (Fill::Keep, _) => {}
                (
                    Fill::Median {
                        nulls,
                        moments,
                        values,
                    },
                    BatchColumn::Numeric(c),
                ) => {
                    scratch.clear();
                    scratch.extend(kept.iter().filter_map(|&r| c.get(r)));
                    *nulls += (kept.len() - scratch.len()) as u64;
                    moments.merge(&Moments::from_slice(&scratch));
                    match values {
                        Values::Kept(v) => v.extend_from_slice(&scratch),
                        Values::Sketched(s) => scratch.iter().for_each(|&x| s.add(x)),
                    }
                }
                (Fill::NumberMode { nulls, counts }, BatchColumn::Numeric(c)) => {
                    for &r in &kept {
                        match c.get(r) {
                            Some(x) => *counts.entry(canonical_zero(x).to_bits()).or_insert(0) += 1,
                            None => *nulls += 1,
                        }
                    }
                }
                (
                    Fill::TextMode {
                        nulls,
                        counts,
                        changed,
                    },
                    BatchColumn::Text(c),
                ) => {
                    for &r in &kept {
                        match c.get(r) {
                            Some(v) => {
                                counts.add(v, first + r as u64);
                                *changed += u64::from(lowercase_changes(v));
                            }
                            None => *nulls += 1,
                        }
                    }
                }
                // The roles come from the same types as the batches.
                _ => {}
            }
        }
    }

    fn start_sketching(&mut self) {
        for fill in &mut self.fills {
            if let Fill::Median { values, .. } = fill {
                if let Values::Kept(kept) = values {
                    let mut sketch = QuantileSketch::new(QuantileSketch::DEFAULT_K);
                    kept.iter().for_each(|&x| sketch.add(x));
                    *values = Values::Sketched(sketch);
                }
            }
        }
    }

    /// The pass that finds the exact medians of sketched columns, if any column needs it.
    pub(crate) fn median_pass(&self) -> Option<MedianPass> {
        let brackets: Vec<Option<QuantileBracket>> = self
            .fills
            .iter()
            .map(|f| match f {
                Fill::Median {
                    values: Values::Sketched(s),
                    ..
                } => Some(QuantileBracket::new(s, &[0.5])),
                _ => None,
            })
            .collect();
        brackets
            .iter()
            .any(Option::is_some)
            .then_some(MedianPass { brackets })
    }

    /// The plan: fill values and bounds, and the report's counts so far.
    pub(crate) fn finish(
        self,
        roles: &Roles,
        types: &ColumnTypes,
        sigma: f64,
        medians: Option<MedianPass>,
    ) -> Result<CleanPlan, InputChanged> {
        let mut brackets = medians.map(|m| m.brackets);
        let mut columns = Vec::with_capacity(self.fills.len());
        let names = types.names();
        let mut report = CleanReport {
            rows_in: 0,
            duplicates_removed: 0,
            numeric_filled: Named::default(),
            categorical_filled: Named::default(),
            fill_values: Named::default(),
            values_lowercased: 0,
            outlier_rows_removed: 0,
            bounds: Named::default(),
            rows_out: 0,
            sigma,
            numeric_columns: roles.numeric.iter().map(|&j| names[j].clone()).collect(),
            categorical_columns: roles
                .categorical
                .iter()
                .map(|&j| names[j].clone())
                .collect(),
        };
        let mut fills: Vec<(usize, FillValue, u64, bool)> = Vec::new();
        for (j, fill) in self.fills.into_iter().enumerate() {
            let bracket = brackets.as_mut().and_then(|b| b[j].take());
            let planned = match fill {
                Fill::Keep => PlannedColumn::Keep,
                Fill::Median {
                    nulls,
                    moments,
                    values,
                } => {
                    let m = match (values, bracket) {
                        (_, Some(bracket)) => bracket.median()?,
                        (Values::Kept(kept), None) => median(kept),
                        (Values::Sketched(_), None) => unreachable!("a bracket per sketch"),
                    };
                    let filled = if m.is_some() { nulls } else { 0 };
                    let after = filled_moments(moments, m, filled);
                    let mean = after.mean().unwrap_or(f64::NAN);
                    let limit = sigma * after.std(Convention::Sample).unwrap_or(f64::NAN);
                    let bound = |x: f64| x.is_finite().then_some(x);
                    report
                        .bounds
                        .0
                        .push((names[j].clone(), [bound(mean - limit), bound(mean + limit)]));
                    fills.push((j, FillValue::Number(m), filled, true));
                    PlannedColumn::Numbers {
                        fill: m,
                        bounds: Some((mean, limit)),
                    }
                }
                Fill::NumberMode { nulls, counts } => {
                    let mode = counts
                        .iter()
                        .map(|(&bits, &n)| (f64::from_bits(bits), n))
                        .max_by(|(a, ca), (b, cb)| ca.cmp(cb).then_with(|| b.total_cmp(a)))
                        .map(|(x, _)| x);
                    let filled = if mode.is_some() { nulls } else { 0 };
                    fills.push((j, FillValue::Number(mode), filled, false));
                    PlannedColumn::Numbers {
                        fill: mode,
                        bounds: None,
                    }
                }
                Fill::TextMode {
                    nulls,
                    counts,
                    changed,
                } => {
                    let mode = counts.mode();
                    let filled = if mode.is_some() { nulls } else { 0 };
                    let mode_changes = mode
                        .as_deref()
                        .is_some_and(|m| lowercase_changes(m.as_bytes()));
                    report.values_lowercased += changed + if mode_changes { filled } else { 0 };
                    fills.push((j, FillValue::Text(mode.clone()), filled, false));
                    PlannedColumn::Text {
                        fill: mode.map(|m| m.to_lowercase()),
                    }
                }
            };
            columns.push(planned);
        }
        // The report lists columns as the options list them.
        let listed = |j: usize| {
            roles
                .numeric
                .iter()
                .chain(&roles.categorical)
                .position(|&c| c == j)
        };
        fills.sort_by_key(|(j, ..)| listed(*j));
        for (j, value, filled, numeric) in fills {
            let name = names[j].clone();
            if numeric {
                report.numeric_filled.0.push((name.clone(), filled));
            } else {
                report.categorical_filled.0.push((name.clone(), filled));
            }
            report.fill_values.0.push((name, value));
        }
        Ok(CleanPlan { columns, report })
    }
}

/// The moments of a column after `copies` nulls are filled with `fill`.
fn filled_moments(mut moments: Moments, fill: Option<f64>, copies: u64) -> Moments {
    let Some(fill) = fill else { return moments };
    const BLOCK: u64 = 1 << 16;
    let block = vec![fill; copies.min(BLOCK) as usize];
    let mut left = copies;
    while left > 0 {
        let n = left.min(BLOCK) as usize;
        moments.merge(&Moments::from_slice(&block[..n]));
        left -= n as u64;
    }
    moments
}

/// Whether lowercasing changes a text (full Unicode lowercasing, as `str.lower()`).
fn lowercase_changes(text: &[u8]) -> bool {
    if text.is_ascii() {
        return text.iter().any(u8::is_ascii_uppercase);
    }
    let text = String::from_utf8_lossy(text);
    text.to_lowercase() != text
}

/// The extra pass for exact medians past the memory budget.
#[derive(Debug)]
pub(crate) struct MedianPass {
    brackets: Vec<Option<QuantileBracket>>,
}

impl MedianPass {
    pub(crate) fn add(&mut self, batch: &Batch, duplicates: &Duplicates) {
        let first = batch.first_row();
        for (bracket, column) in self.brackets.iter_mut().zip(batch.columns()) {
            if let (Some(bracket), BatchColumn::Numeric(c)) = (bracket, column) {
                for (r, &x) in c.values().iter().enumerate() {
                    if !x.is_nan() && !duplicates.contains(first + r as u64) {
                        bracket.add(x);
                    }
                }
            }
        }
    }
}

/// What happens to each column's cells.
#[derive(Debug, Clone)]
pub(crate) enum PlannedColumn {
    Keep,
    Numbers {
        fill: Option<f64>,
        /// The mean and `sigma · std` of the filled column, for the outlier rule.
        bounds: Option<(f64, f64)>,
    },
    Text {
        /// The mode, lowercased.
        fill: Option<String>,
    },
}

/// Fill values and bounds of every column, and the report so far.
#[derive(Debug, Clone)]
pub struct CleanPlan {
    pub(crate) columns: Vec<PlannedColumn>,
    pub(crate) report: CleanReport,
}
