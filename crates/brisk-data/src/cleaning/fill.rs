//! Steps 2 to 4 of the cleaning over the rows left by step 1: the medians and modes that fill
//! the nulls, the lowercasing count, and the outlier bounds of step 5 — as a [`CleanPlan`].
//!
//! The median of a numeric column is exact: its values are kept while the memory budget allows,
//! and past it a histogram of their keys locates the middle ranks for one more pass
//! ([`MedianPass`]; rarely, a crowded bucket takes another). The bounds
//! come from the column's moments after the fill: the non-null values' [`Moments`] merged with
//! those of the filled copies of the median (Chan's formula), so no pass sees the filled column.

use brisk_kernels::accumulate::TextCounts;
use brisk_kernels::numeric::canonical_zero;
use brisk_kernels::stats::{Convention, InputChanged, KeyHistogram, Moments, QuantileBracket};
use hashbrown::HashMap;

use super::dedupe::Duplicates;
use super::roles::{Role, Roles};
use crate::batch::{Batch, BatchColumn, ColumnTypes};
use crate::frame::{is_outlier, median, mode_of_counts, CleanReport, FillValue};

#[derive(Debug)]
enum Values {
    Kept(Vec<f64>),
    /// Past the budget: exact counts, for the median pass.
    Counted(Box<KeyHistogram>),
    /// The caller finds the medians, and the moments and nulls (the report's statistics pass,
    /// over the same rows): see [`FillState::take_as_read`].
    Elsewhere,
}

/// Where the medians come from when the plan is made.
#[derive(Debug)]
pub(crate) enum Medians {
    /// From the kept values, or from the bracket pass of the counted ones.
    Own(Option<MedianPass>),
    /// Found by the caller, one per column (`None` for other columns).
    Given(Vec<Option<f64>>),
}

#[derive(Debug)]
enum Fill {
    Keep,
    Median {
        nulls: u64,
        moments: Moments,
        values: Values,
        /// Each distinct value's count while the column has at most [`DISCRETE_VALUES`].
        distinct: Option<HashMap<u64, u64>>,
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

/// A numeric column with at most this many distinct values is discrete (a 0/1 flag, a rating):
/// the plan warns when the outlier rule removes every row holding one of its values.
pub const DISCRETE_VALUES: usize = 20;

/// A value of a discrete column that the outlier rule removes wherever it occurs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RemovedValue {
    /// The column.
    pub column: String,
    /// The value.
    pub value: f64,
    /// Rows holding it (after the duplicates are dropped).
    pub rows: u64,
}

/// The running state of steps 2 to 4 over the distinct rows.
#[derive(Debug)]
pub(crate) struct FillState {
    fills: Vec<Fill>,
    budget: u64,
}

impl FillState {
    /// An empty state; `own_medians` false leaves the medians to the caller (see [`Medians`]).
    pub(crate) fn new(roles: &Roles, budget: u64, own_medians: bool) -> Self {
        let fills = roles
            .roles
            .iter()
            .map(|role| match role {
                Role::Keep => Fill::Keep,
                Role::Median => Fill::Median {
                    nulls: 0,
                    moments: Moments::new(),
                    values: if own_medians {
                        Values::Kept(Vec::new())
                    } else {
                        Values::Elsewhere
                    },
                    distinct: Some(HashMap::new()),
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
            self.start_counting();
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
                        distinct,
                    },
                    BatchColumn::Numeric(c),
                ) => {
                    if matches!(values, Values::Elsewhere) {
                        // Moments and nulls come from the caller; only a column that may be
                        // discrete needs its values here.
                        if distinct.is_some() {
                            count_distinct(distinct, c.present(&mut scratch));
                        }
                        continue;
                    }
                    let present: &[f64] = if kept.len() == batch.rows() {
                        c.present(&mut scratch)
                    } else {
                        scratch.clear();
                        scratch.extend(kept.iter().filter_map(|&r| c.get(r)));
                        &scratch
                    };
                    count_distinct(distinct, present);
                    *nulls += (kept.len() - present.len()) as u64;
                    moments.merge(&Moments::from_slice(present));
                    match values {
                        Values::Kept(v) => v.extend_from_slice(present),
                        Values::Counted(h) => h.add_slice(present),
                        Values::Elsewhere => {}
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
                    // Tallied by the batch's dictionary: each distinct value is counted, and
                    // lowercased, once.
                    let tally = c.codes().tally(kept.iter().copied());
                    *nulls += tally.nulls;
                    for (code, count, first_kept) in tally.held() {
                        let v = c.value_of(code);
                        counts.add_count(v, count, first + u64::from(first_kept));
                        *changed += count * u64::from(lowercase_changes(v));
                    }
                }
                // The roles come from the same types as the batches.
                _ => {}
            }
        }
    }

    fn start_counting(&mut self) {
        for fill in &mut self.fills {
            if let Fill::Median { values, .. } = fill {
                if let Values::Kept(kept) = values {
                    let mut histogram = KeyHistogram::new();
                    histogram.add_slice(kept);
                    *values = Values::Counted(Box::new(histogram));
                }
            }
        }
    }

    /// Takes the moments and nulls of the median-filled columns whose values the caller reads
    /// (`own_medians` false), one per column: the caller's pass over the same rows found them.
    ///
    /// # Errors
    /// [`InputChanged`] when a median-filled column has none.
    pub(crate) fn take_as_read(
        &mut self,
        as_read: &[Option<(Moments, u64)>],
    ) -> Result<(), InputChanged> {
        for (j, fill) in self.fills.iter_mut().enumerate() {
            if let Fill::Median {
                nulls,
                moments,
                values: Values::Elsewhere,
                ..
            } = fill
            {
                (*moments, *nulls) = as_read.get(j).copied().flatten().ok_or(InputChanged)?;
            }
        }
        Ok(())
    }

    /// The median-filled columns: each one's index, the moments of its non-null values and its
    /// nulls.
    pub(crate) fn median_columns(&self) -> impl Iterator<Item = (usize, &Moments, u64)> + '_ {
        self.fills.iter().enumerate().filter_map(|(j, f)| match f {
            Fill::Median { nulls, moments, .. } => Some((j, moments, *nulls)),
            _ => None,
        })
    }

    /// The pass that finds the exact medians of counted columns, if any column needs it.
    pub(crate) fn median_pass(&self) -> Option<MedianPass> {
        fn counted(f: &Fill) -> Option<&KeyHistogram> {
            match f {
                Fill::Median {
                    values: Values::Counted(h),
                    ..
                } => Some(h),
                _ => None,
            }
        }
        let share = self.budget / self.fills.iter().filter_map(counted).count().max(1) as u64;
        let brackets: Vec<Option<QuantileBracket>> = self
            .fills
            .iter()
            .map(|f| counted(f).map(|h| QuantileBracket::new(h, &[0.5], share)))
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
        medians: Medians,
    ) -> Result<CleanPlan, InputChanged> {
        let (mut brackets, given) = match medians {
            Medians::Own(pass) => (pass.map(|m| m.brackets), None),
            Medians::Given(given) => (None, Some(given)),
        };
        let mut columns = Vec::with_capacity(self.fills.len());
        let names = types.names();
        let listed = |columns: &[usize]| columns.iter().map(|&j| names[j].clone()).collect();
        let mut report =
            CleanReport::new(sigma, listed(&roles.numeric), listed(&roles.categorical));
        let mut fills: Vec<(usize, FillValue, u64, bool)> = Vec::new();
        let mut bounded = Vec::new();
        for (j, fill) in self.fills.into_iter().enumerate() {
            let bracket = brackets.as_mut().and_then(|b| b[j].take());
            let planned = match fill {
                Fill::Keep => PlannedColumn::Keep,
                Fill::Median {
                    nulls,
                    moments,
                    values,
                    distinct,
                } => {
                    let m = match (values, bracket) {
                        (_, Some(bracket)) => bracket.median()?,
                        (Values::Kept(kept), None) => median(kept),
                        // Counts without their bracket pass, or medians the caller lost: the
                        // passes did not see the same rows.
                        (Values::Counted(_), None) => return Err(InputChanged),
                        (Values::Elsewhere, None) => given
                            .as_ref()
                            .and_then(|g| g.get(j).copied())
                            .ok_or(InputChanged)?,
                    };
                    let filled = if m.is_some() { nulls } else { 0 };
                    let after = filled_moments(moments, m, filled);
                    let mean = after.mean().unwrap_or(f64::NAN);
                    let std = after.std(Convention::Sample).unwrap_or(f64::NAN);
                    report.bounds.0.push((names[j].clone(), [None, None]));
                    bounded.push((j, mean, std, distinct));
                    fills.push((j, FillValue::Number(m), filled, true));
                    PlannedColumn::Numbers {
                        fill: m,
                        bounds: Some((f64::NAN, f64::NAN)),
                    }
                }
                Fill::NumberMode { nulls, counts } => {
                    let mode = mode_of_counts(&counts);
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
        let mut plan = CleanPlan {
            columns,
            report,
            removed_values: Vec::new(),
            names: names.to_vec(),
            discrete: Vec::new(),
        };
        for (j, mean, std, distinct) in bounded {
            if let Some(counts) = distinct {
                plan.discrete.push((j, counts));
            }
            plan.set_bounds(j, mean, std);
        }
        Ok(plan)
    }
}

impl CleanPlan {
    /// Step 5's bounds of median-filled column `j`: `mean ± sigma · std` of the filled column.
    /// The removed values of a discrete column follow.
    pub(crate) fn set_bounds(&mut self, j: usize, mean: f64, std: f64) {
        let limit = self.report.sigma * std;
        if let Some(PlannedColumn::Numbers { bounds, .. }) = self.columns.get_mut(j) {
            *bounds = Some((mean, limit));
        }
        let name = &self.names[j];
        let finite = |x: f64| x.is_finite().then_some(x);
        if let Some((_, range)) = self.report.bounds.0.iter_mut().find(|(n, _)| n == name) {
            *range = [finite(mean - limit), finite(mean + limit)];
        }
        self.removed_values.retain(|v| &v.column != name);
        let discrete = self.discrete.iter().find(|(c, _)| *c == j).map(|(_, d)| d);
        for (value, rows) in removed(discrete, mean, limit) {
            self.removed_values.push(RemovedValue {
                column: name.clone(),
                value,
                rows,
            });
        }
        let order = |v: &RemovedValue| self.names.iter().position(|n| *n == v.column);
        self.removed_values.sort_by_key(order);
    }
}

/// Counts the distinct values of a block while there are at most [`DISCRETE_VALUES`].
fn count_distinct(distinct: &mut Option<HashMap<u64, u64>>, values: &[f64]) {
    let Some(counts) = distinct else { return };
    for &x in values {
        *counts.entry(canonical_zero(x).to_bits()).or_insert(0) += 1;
        if counts.len() > DISCRETE_VALUES {
            *distinct = None;
            return;
        }
    }
}

/// The values of a discrete column beyond `|x − mean| > limit`, smallest first, with their rows.
fn removed(distinct: Option<&HashMap<u64, u64>>, mean: f64, limit: f64) -> Vec<(f64, u64)> {
    let mut out: Vec<(f64, u64)> = distinct
        .into_iter()
        .flatten()
        .map(|(&bits, &rows)| (f64::from_bits(bits), rows))
        .filter(|&(x, _)| is_outlier(x, mean, limit))
        .collect();
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out
}

/// The moments of a column after `copies` nulls are filled with `fill`.
pub(crate) fn filled_moments(mut moments: Moments, fill: Option<f64>, copies: u64) -> Moments {
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
    /// Whether a crowded bucket needs one more pass over the same rows; call
    /// [`MedianPass::another_pass`] first.
    pub(crate) fn needs_another_pass(&self) -> bool {
        self.brackets
            .iter()
            .flatten()
            .any(QuantileBracket::needs_another_pass)
    }

    /// Ends a pass and prepares the next.
    pub(crate) fn another_pass(&mut self) -> Result<(), InputChanged> {
        self.brackets
            .iter_mut()
            .flatten()
            .try_for_each(QuantileBracket::another_pass)
    }

    /// Folds in the rows of a batch that are not duplicates.
    pub(crate) fn add(&mut self, batch: &Batch, duplicates: &Duplicates) {
        let first = batch.first_row();
        let mut distinct = Vec::new();
        for (bracket, column) in self.brackets.iter_mut().zip(batch.columns()) {
            if let (Some(bracket), BatchColumn::Numeric(c)) = (bracket, column) {
                if duplicates.count() == 0 {
                    bracket.add_slice(c.values());
                    continue;
                }
                distinct.clear();
                distinct.extend(
                    (c.values().iter().enumerate())
                        .filter(|&(r, _)| !duplicates.contains(first + r as u64))
                        .map(|(_, &x)| x),
                );
                bracket.add_slice(&distinct);
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
    /// Values of discrete columns the outlier rule removes wherever they occur.
    pub(crate) removed_values: Vec<RemovedValue>,
    /// The column names.
    names: Vec<String>,
    /// Each discrete median-filled column's distinct values (bits) and their rows.
    discrete: Vec<(usize, HashMap<u64, u64>)>,
}
