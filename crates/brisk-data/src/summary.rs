//! Per-column statistics of a table from its batches: the figures of `brisk stats`, as the
//! report's statistics section shows them, in bounded memory.
//!
//! Each numeric column folds every batch into mergeable [`Moments`] and keeps its values for exact
//! quartiles while `value_budget` allows; past it every column counts its values in a
//! [`KeyHistogram`], and a second pass ([`QuartilePass`]) keeps only the values of the buckets that
//! hold the quartiles' ranks to select the exact order statistics (rarely, a crowded bucket needs
//! a further pass). `--approx` sketches instead ([`QuantileSketch`]), in one pass. Text columns
//! count their values exactly within a text budget ([`TableSummary::text_budget`]), past it in a
//! HyperLogLog and a SpaceSaving summary. [`TableSummary::finish_profiled`] adds each column's
//! [`ColumnProfile`] for the report. The figures do not depend on the batch size.
//!
//! ```
//! use brisk_data::batch::Batches;
//! use brisk_data::input::{Format, Input};
//! use brisk_data::stats::Summary;
//! use brisk_data::summary::TableSummary;
//! let input = Input::from_reader(&b"x,s\n1,a\n2,b\n4,a\nNA,\n"[..], "t.csv", Format::Csv).unwrap();
//! let mut batches = Batches::open(&input, 2).unwrap();
//! let mut summary = TableSummary::new(batches.types(), 1 << 20);
//! while let Some(batch) = batches.next_batch().unwrap() {
//!     summary.add(&batch, batches.types());
//! }
//! assert!(!summary.needs_second_pass());
//! let columns = summary.finish(batches.types(), None).unwrap();
//! let Summary::Numeric(x) = &columns[0].summary else { panic!() };
//! assert_eq!((x.count, x.null_count, x.median), (3, 1, Some(2.0)));
//! let Summary::Categorical(s) = &columns[1].summary else { panic!() };
//! assert_eq!((s.top.as_deref(), s.freq), (Some("a"), Some(2)));
//! ```

use brisk_kernels::stats::{
    exact_quantiles, BlockedMoments, BracketMismatch, Convention, InputChanged, KeyHistogram,
    Moments, QuantileBracket, QuantileSketch,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use brisk_kernels::accumulate::{count_distinct, HyperLogLog, MinMax};

use crate::batch::{Batch, BatchColumn, ColumnType, ColumnTypes};
use crate::profile::{ColumnProfile, Distinct, NumericFacts, TextFacts, TextTally};
use crate::stats::{
    BoolSummary, CategoricalSummary, ColumnStats, DatetimeSummary, NumericSummary, Summary,
};
use crate::timeline::PeriodCounts;

/// The quartiles every numeric column reports.
const QUARTILES: [f64; 3] = [0.25, 0.5, 0.75];
/// The least memory text columns' exact counts may take, whatever the value budget.
pub const MIN_TEXT_BUDGET: u64 = 8 << 20;

/// Where a numeric column's values go.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Values {
    /// Within the budget: the values, for exact quartiles and distinct counts.
    Kept(Vec<f64>),
    /// Past the budget: exact counts, for the quartile pass, and (profiled) the distinct
    /// values' sketch.
    Counted(Box<KeyHistogram>, Option<Box<HyperLogLog>>),
    /// `--approx`: a sketch, no second pass, and (profiled) the distinct values' sketch. Not a
    /// partial state: a summary that sketches is never written.
    #[serde(skip)]
    Sketched(Box<QuantileSketch>, Option<Box<HyperLogLog>>),
}

impl Values {
    /// The distinct values of kept values (reordering them) or their estimate.
    fn distinct(&mut self) -> Distinct {
        match self {
            Values::Kept(kept) => Distinct::exact(count_distinct(kept)),
            Values::Counted(_, Some(distinct)) | Values::Sketched(_, Some(distinct)) => {
                Distinct::estimated(distinct)
            }
            // Not profiled: the distinct values were not followed.
            Values::Counted(_, None) | Values::Sketched(_, None) => {
                Distinct::estimated(&HyperLogLog::new())
            }
        }
    }
}

impl Values {
    /// Both parts' values: kept values join while both are kept, and otherwise move to
    /// histograms that merge; `None` for a sketch (never a partial state).
    fn merge(self, other: Values) -> Option<Values> {
        Some(match (self, other) {
            (Values::Kept(mut a), Values::Kept(b)) => {
                a.extend_from_slice(&b);
                Values::Kept(a)
            }
            (Values::Counted(mut h, mut d), Values::Counted(g, e)) => {
                h.merge(&g);
                if let (Some(d), Some(e)) = (&mut d, &e) {
                    d.merge(e);
                }
                Values::Counted(h, d)
            }
            (Values::Counted(mut h, mut d), Values::Kept(kept))
            | (Values::Kept(kept), Values::Counted(mut h, mut d)) => {
                h.add_slice(&kept);
                if let Some(d) = &mut d {
                    d.add_slice(&kept);
                }
                Values::Counted(h, d)
            }
            (Values::Sketched(..), _) | (_, Values::Sketched(..)) => return None,
        })
    }
}

/// Whether two columns hold the same kind of values (numbers or text).
fn same_kind(a: &Column, b: &Column) -> bool {
    matches!(
        (a, b),
        (Column::Numeric { .. }, Column::Numeric { .. })
            | (Column::Text { .. }, Column::Text { .. })
    )
}

/// A distinct-value sketch of the values kept so far, for a profiled summary.
fn sketch_distinct(kept: &[f64], profiled: bool) -> Option<Box<HyperLogLog>> {
    profiled.then(|| {
        let mut distinct = HyperLogLog::new();
        distinct.add_slice(kept);
        Box::new(distinct)
    })
}

#[derive(Debug, Clone, Serialize, Deserialize)]
enum Column {
    Numeric {
        nulls: u64,
        /// Folded in fixed blocks of values: the figures do not depend on the batches.
        moments: BlockedMoments,
        range: MinMax,
        values: Values,
        /// A date-time column's values by calendar period.
        periods: Option<Box<PeriodCounts>>,
        /// A batch's non-null values.
        #[serde(skip)]
        scratch: Vec<f64>,
        /// Zeros, negatives and extreme values, in a profiled summary.
        facts: Option<Box<NumericFacts>>,
    },
    Text {
        nulls: u64,
        counts: TextTally,
        facts: Box<TextFacts>,
    },
}

impl Column {
    fn numeric(sketched: bool, profiled: bool) -> Self {
        let values = if sketched {
            Values::Sketched(
                Box::new(QuantileSketch::new(QuantileSketch::DEFAULT_K)),
                profiled.then(Box::default),
            )
        } else {
            Values::Kept(Vec::new())
        };
        Column::Numeric {
            nulls: 0,
            moments: BlockedMoments::new(),
            range: MinMax::new(),
            values,
            periods: None,
            scratch: Vec::new(),
            facts: profiled.then(|| Box::new(NumericFacts::new())),
        }
    }

    fn text() -> Self {
        Column::Text {
            nulls: 0,
            counts: TextTally::default(),
            facts: Box::default(),
        }
    }

    /// Folds in a batch's column; `datetime` when the pass reads it as date-times.
    fn add(&mut self, column: &BatchColumn, first_row: u64, datetime: bool) {
        if let (Column::Numeric { .. }, BatchColumn::Text(_)) = (&*self, column) {
            // The column turned to text in this pass: the job reads the input again with the
            // final types, so only the text from here on needs to be right.
            *self = Column::text();
        }
        match (self, column) {
            (
                Column::Numeric {
                    nulls,
                    moments,
                    range,
                    values,
                    periods,
                    scratch,
                    facts,
                },
                BatchColumn::Numeric(batch),
            ) => {
                let added = batch.present(scratch);
                *nulls += (batch.len() - added.len()) as u64;
                range.add_slice(added);
                moments.add_slice(added);
                if let Some(facts) = facts {
                    facts.add_slice(added);
                }
                if datetime {
                    // A column turns date-time only while null: no value was missed.
                    periods.get_or_insert_default().add_slice(added);
                }
                match values {
                    Values::Kept(kept) => kept.extend_from_slice(added),
                    Values::Counted(histogram, distinct) => {
                        histogram.add_slice(added);
                        if let Some(distinct) = distinct {
                            distinct.add_slice(added);
                        }
                    }
                    Values::Sketched(sketch, distinct) => {
                        added.iter().for_each(|&x| sketch.add(x));
                        if let Some(distinct) = distinct {
                            distinct.add_slice(added);
                        }
                    }
                }
            }
            (
                Column::Text {
                    nulls,
                    counts,
                    facts,
                },
                BatchColumn::Text(batch),
            ) => {
                // Once a distinct value of the batch, not once a row.
                let tally = batch.codes().tally(0..batch.len());
                *nulls += tally.nulls;
                for (code, count, first) in tally.held() {
                    let value = batch.value_of(code);
                    counts.add_count(value, count, first_row + u64::from(first));
                    facts.add_count(value, count);
                }
            }
            (Column::Text { nulls, .. }, BatchColumn::Numeric(batch)) => {
                // A numeric batch of a column already text can only be all nulls.
                *nulls += batch.values().iter().filter(|x| x.is_nan()).count() as u64;
            }
            (Column::Numeric { .. }, BatchColumn::Text(_)) => unreachable!("turned text above"),
        }
    }

    /// Whether the column holds no value (only nulls, or no row).
    fn is_empty(&self) -> bool {
        match self {
            Column::Numeric { moments, .. } => moments.count() == 0,
            Column::Text { counts, .. } => !counts.any(),
        }
    }

    fn nulls(&self) -> u64 {
        match self {
            Column::Numeric { nulls, .. } | Column::Text { nulls, .. } => *nulls,
        }
    }

    /// The column of both parts' rows; `None` when one holds numbers and the other text.
    fn merge(self, other: Column) -> Option<Column> {
        match (self, other) {
            (mut mine, theirs) if theirs.is_empty() && !same_kind(&mine, &theirs) => {
                mine.add_nulls(theirs.nulls());
                Some(mine)
            }
            (mine, mut theirs) if mine.is_empty() && !same_kind(&mine, &theirs) => {
                theirs.add_nulls(mine.nulls());
                Some(theirs)
            }
            (
                Column::Numeric {
                    nulls,
                    mut moments,
                    mut range,
                    values,
                    periods,
                    scratch,
                    facts,
                },
                Column::Numeric {
                    nulls: their_nulls,
                    moments: their_moments,
                    range: their_range,
                    values: their_values,
                    periods: their_periods,
                    facts: their_facts,
                    ..
                },
            ) => {
                moments.merge(&their_moments);
                range.merge(&their_range);
                let periods = match (periods, their_periods) {
                    (Some(mut a), Some(b)) => {
                        a.merge(*b);
                        Some(a)
                    }
                    (a, b) => a.or(b),
                };
                let facts = match (facts, their_facts) {
                    (Some(mut a), Some(b)) => {
                        a.merge(&b);
                        Some(a)
                    }
                    (a, b) => a.or(b),
                };
                Some(Column::Numeric {
                    nulls: nulls + their_nulls,
                    moments,
                    range,
                    values: values.merge(their_values)?,
                    periods,
                    scratch,
                    facts,
                })
            }
            (
                Column::Text {
                    nulls,
                    mut counts,
                    mut facts,
                },
                Column::Text {
                    nulls: their_nulls,
                    counts: their_counts,
                    facts: their_facts,
                },
            ) => {
                counts.merge(their_counts);
                facts.merge(&their_facts);
                Some(Column::Text {
                    nulls: nulls + their_nulls,
                    counts,
                    facts,
                })
            }
            _ => None,
        }
    }

    fn add_nulls(&mut self, more: u64) {
        match self {
            Column::Numeric { nulls, .. } | Column::Text { nulls, .. } => *nulls += more,
        }
    }

    fn kept(&self) -> Option<&Vec<f64>> {
        match self {
            Column::Numeric {
                values: Values::Kept(kept),
                ..
            } => Some(kept),
            _ => None,
        }
    }

    fn kept_mut(&mut self) -> Option<&mut Vec<f64>> {
        match self {
            Column::Numeric {
                values: Values::Kept(kept),
                ..
            } => Some(kept),
            _ => None,
        }
    }

    /// The memory of a text column's exact counts; 0 for other columns.
    fn text_bytes(&self) -> u64 {
        match self {
            Column::Text { counts, .. } => counts.exact_bytes(),
            Column::Numeric { .. } => 0,
        }
    }

    /// Past the text budget: a text column's counts move to bounded summaries.
    fn bound_text(&mut self) {
        if let Column::Text { counts, .. } = self {
            counts.bound();
        }
    }

    /// The column's profile, read as `kind`; reorders kept values to count the distinct ones.
    fn profile(&mut self, kind: ColumnType) -> ColumnProfile {
        match (self, kind) {
            (Column::Text { counts, facts, .. }, _) => {
                ColumnProfile::Text(counts.profile(std::mem::take(facts)))
            }
            (Column::Numeric { moments, nulls, .. }, ColumnType::Bool) => {
                let summary = BoolSummary::from_moments(&moments.moments(), *nulls);
                let sides = [summary.true_count, summary.count - summary.true_count];
                let distinct = sides.iter().filter(|&&n| n > 0).count() as u64;
                ColumnProfile::Bool {
                    distinct: Distinct::exact(distinct),
                }
            }
            (Column::Numeric { values, .. }, ColumnType::Datetime) => ColumnProfile::Datetime {
                distinct: values.distinct(),
            },
            (Column::Numeric { values, facts, .. }, _) => {
                let facts = facts.take().map_or_else(NumericFacts::new, |f| *f);
                ColumnProfile::Numeric(facts.finish(values.distinct()))
            }
        }
    }

    /// Past the budget: the kept values move to a histogram.
    fn start_counting(&mut self) {
        if let Column::Numeric { values, facts, .. } = self {
            if let Values::Kept(kept) = values {
                let mut histogram = KeyHistogram::new();
                histogram.add_slice(kept);
                let distinct = sketch_distinct(kept, facts.is_some());
                *values = Values::Counted(Box::new(histogram), distinct);
            }
        }
    }

    /// `--approx`: the kept values move to a sketch.
    fn start_sketching(&mut self) {
        if let Column::Numeric { values, facts, .. } = self {
            if let Values::Kept(kept) = values {
                let mut sketch = QuantileSketch::new(QuantileSketch::DEFAULT_K);
                kept.iter().for_each(|&x| sketch.add(x));
                let distinct = sketch_distinct(kept, facts.is_some());
                *values = Values::Sketched(Box::new(sketch), distinct);
            }
        }
    }
}

/// The running statistics of every column of a table (or of the columns picked by
/// [`TableSummary::select`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableSummary {
    names: Vec<String>,
    /// The table column of each summarised column.
    picked: Vec<usize>,
    columns: Vec<Column>,
    value_budget: u64,
    /// The memory all text columns' exact counts may take.
    text_budget: u64,
    rows: u64,
    convention: Convention,
    approximate: bool,
    /// Whether numeric columns follow the profile's facts (zeros, extremes, distinct values past
    /// the budget).
    profiled: bool,
    /// The rows the whole pass is expected to hold, for the first reservation of kept values.
    expected_rows: usize,
    /// The position of the first row among all rows, for ties in text columns' `top`
    /// ([`TableSummary::starting_at`]).
    origin: u64,
}

/// Two summaries of different columns: they cannot merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SummaryMismatch {
    /// The summarised columns differ (names, or which of them).
    Columns,
    /// Column `name` holds numbers in one summary and text in the other.
    Type {
        /// The column.
        name: String,
    },
    /// One summary sketches (`--approx`) or profiles and the other does not.
    Options,
}

impl TableSummary {
    /// An empty summary of a table with these columns; kept values may take `value_budget`
    /// bytes before every column moves to a histogram.
    pub fn new(types: &ColumnTypes, value_budget: u64) -> Self {
        let picked: Vec<usize> = (0..types.len()).collect();
        let mut summary = TableSummary {
            names: Vec::new(),
            picked: Vec::new(),
            columns: Vec::new(),
            value_budget,
            text_budget: value_budget.max(MIN_TEXT_BUDGET),
            rows: 0,
            convention: Convention::Sample,
            approximate: false,
            profiled: false,
            expected_rows: 0,
            origin: 0,
        };
        summary.pick(types, picked);
        summary
    }

    fn pick(&mut self, types: &ColumnTypes, picked: Vec<usize>) {
        self.columns = picked
            .iter()
            .map(|&j| {
                if types.holds_numbers(j) {
                    Column::numeric(self.approximate, self.profiled)
                } else {
                    Column::text()
                }
            })
            .collect();
        self.names = picked.iter().map(|&j| types.names()[j].clone()).collect();
        self.picked = picked;
    }

    /// Only these table columns, in this order (indices into `types`, which must be the types
    /// the summary was made with). Call before the first batch.
    pub fn select(mut self, types: &ColumnTypes, columns: Vec<usize>) -> Self {
        self.pick(types, columns);
        self
    }

    /// The memory text columns' exact value counts may take together (by default the value
    /// budget, at least [`MIN_TEXT_BUDGET`]); past it the column holding most moves to a
    /// HyperLogLog of its distinct values and a SpaceSaving summary of its most frequent ones,
    /// and its `unique` and `freq` become estimates. Call before the first batch.
    pub fn text_budget(mut self, bytes: u64) -> Self {
        self.text_budget = bytes;
        self
    }

    /// Numeric columns also follow what [`TableSummary::finish_profiled`] reports: zeros,
    /// negatives, infinities, extreme values, and their distinct values past the budget. Without
    /// it (`brisk stats`) they cost nothing. Call before the first batch.
    pub fn profiled(mut self, types: &ColumnTypes) -> Self {
        self.profiled = true;
        let picked = std::mem::take(&mut self.picked);
        self.pick(types, picked);
        if self.approximate {
            self.columns.iter_mut().for_each(Column::start_sketching);
        }
        self
    }

    /// Sample (pandas, the default) or population (NumPy/SciPy) normalisation.
    pub fn convention(mut self, convention: Convention) -> Self {
        self.convention = convention;
        self
    }

    /// One pass: every numeric column goes to a sketch from the first row, no second pass is
    /// needed, and each column reports its rank-error bound. Call before the first batch.
    pub fn approximate(mut self) -> Self {
        self.approximate = true;
        self.columns.iter_mut().for_each(Column::start_sketching);
        self
    }

    /// The rows the pass is expected to hold (e.g. estimated from the bytes read so far): the
    /// first growth of the kept values reserves for them, so vectors are not doubled past need.
    pub fn expect_rows(&mut self, rows: usize) {
        self.expected_rows = rows;
    }

    /// Its rows come after `origin` others: the first-seen positions that break ties between
    /// text values are counted from there, so that summaries of a table's partitions, each
    /// starting at its partition's position, merge to the single pass's ties. Call before the
    /// first batch.
    pub fn starting_at(mut self, origin: u64) -> Self {
        self.origin = origin;
        self
    }

    /// The column names, in summarised order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Folds in the summary of other rows of the same columns (another partition of the
    /// table), as if its batches had been added: moments merge (Chan et al.), counts add, kept
    /// values join (moving every column to its histogram past the value budget), and a column
    /// without a value takes the other summary's type. Figures then agree with a single pass
    /// to rounding.
    ///
    /// # Errors
    /// [`SummaryMismatch`] when the summaries are of other columns, a column holds numbers in
    /// one and text in the other, or one sketches or profiles and the other does not.
    pub fn merge(&mut self, other: TableSummary) -> Result<(), SummaryMismatch> {
        if self.names != other.names {
            return Err(SummaryMismatch::Columns);
        }
        if (self.approximate, self.profiled) != (other.approximate, other.profiled) {
            return Err(SummaryMismatch::Options);
        }
        let columns = std::mem::take(&mut self.columns);
        self.columns = columns
            .into_iter()
            .zip(other.columns)
            .zip(&self.names)
            .map(|((mine, theirs), name)| {
                mine.merge(theirs)
                    .ok_or_else(|| SummaryMismatch::Type { name: name.clone() })
            })
            .collect::<Result<_, _>>()?;
        self.rows += other.rows;
        self.origin = self.origin.min(other.origin);
        self.make_room(0);
        self.bound_text();
        Ok(())
    }

    /// Rows summarised so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Whether summarised column `j` holds a value: any text, or a number.
    pub fn has_values(&self, j: usize) -> bool {
        match &self.columns[j] {
            Column::Numeric { moments, .. } => moments.count() > 0,
            Column::Text { counts, .. } => counts.any(),
        }
    }

    /// Folds in a batch; `types` are the pass's types as of this batch.
    pub fn add(&mut self, batch: &Batch, types: &ColumnTypes) {
        self.make_room(batch.rows());
        let first_row = self.origin + self.rows;
        self.columns
            .par_iter_mut()
            .zip(&self.picked)
            .for_each(|(state, &j)| {
                let datetime = types.get(j) == ColumnType::Datetime;
                state.add(batch.column(j), first_row, datetime)
            });
        self.rows += batch.rows() as u64;
        self.bound_text();
    }

    /// Moves the text columns holding most to bounded summaries until the exact counts fit the
    /// text budget.
    fn bound_text(&mut self) {
        while self.columns.iter().map(Column::text_bytes).sum::<u64>() > self.text_budget {
            match self.columns.iter_mut().max_by_key(|c| c.text_bytes()) {
                Some(largest) => largest.bound_text(),
                None => return,
            }
        }
    }

    /// Grows the kept values for `rows` more rows, or moves every column to its histogram when
    /// that would pass the budget.
    fn make_room(&mut self, rows: usize) {
        let expected = self.expected_rows;
        let plans: Vec<Option<usize>> = self
            .columns
            .iter()
            .map(|c| {
                let kept = c.kept()?;
                let need = kept.len() + rows;
                Some(if need <= kept.capacity() {
                    kept.capacity()
                } else if kept.capacity() == 0 {
                    need.max(expected)
                } else {
                    need.max(kept.capacity() * 2)
                })
            })
            .collect();
        let planned: u64 = plans.iter().flatten().map(|&c| c as u64 * 8).sum();
        if planned > self.value_budget {
            self.columns.iter_mut().for_each(Column::start_counting);
            return;
        }
        for (column, plan) in self.columns.iter_mut().zip(plans) {
            if let (Some(kept), Some(capacity)) = (column.kept_mut(), plan) {
                kept.reserve_exact(capacity - kept.len());
            }
        }
    }

    /// Whether exact quartiles need a second pass ([`TableSummary::quartile_pass`]); never
    /// with [`TableSummary::approximate`].
    pub fn needs_second_pass(&self) -> bool {
        self.columns.iter().any(|c| {
            matches!(
                c,
                Column::Numeric {
                    values: Values::Counted(..),
                    ..
                }
            )
        })
    }

    /// The second pass of the counted columns: it keeps the values of the quartiles' buckets,
    /// within the value budget.
    pub fn quartile_pass(&self) -> QuartilePass {
        self.quartile_pass_within(self.value_budget)
    }

    /// The second pass of the counted columns, keeping at most about `memory` bytes of values
    /// in all (then counting them for another pass).
    pub fn quartile_pass_within(&self, memory: u64) -> QuartilePass {
        fn counted(c: &Column) -> Option<&KeyHistogram> {
            match c {
                Column::Numeric {
                    values: Values::Counted(histogram, _),
                    ..
                } => Some(histogram),
                _ => None,
            }
        }
        let share = memory / self.columns.iter().filter_map(counted).count().max(1) as u64;
        let brackets = self
            .columns
            .iter()
            .map(|c| counted(c).map(|h| QuantileBracket::new(h, &QUARTILES, share)))
            .collect();
        QuartilePass {
            brackets,
            picked: self.picked.clone(),
        }
    }

    /// Where each summarised column's median (as `numpy.median` takes it) lies, known before the
    /// second pass: the exact median of kept values (a point), or the buckets of a counted
    /// column's middle ranks within its range; `None` for text and for columns without a value.
    /// `second` is the quartile pass made from this summary, if any.
    pub fn median_ranges(&mut self, second: Option<&QuartilePass>) -> Vec<Option<(f64, f64)>> {
        self.columns
            .iter_mut()
            .enumerate()
            .map(|(i, column)| match column {
                Column::Numeric {
                    values: Values::Kept(kept),
                    ..
                } => crate::frame::median_in_place(kept).map(|m| (m, m)),
                Column::Numeric { moments, range, .. } if moments.count() > 0 => {
                    let (min, max) = (range.min()?, range.max()?);
                    let bracket = second.and_then(|pass| pass.brackets[i].as_ref());
                    let (lo, hi) = bracket.and_then(|b| b.range(1)).unwrap_or((min, max));
                    Some((lo.max(min), hi.min(max)))
                }
                _ => None,
            })
            .collect()
    }

    /// Each summarised column's moments of its non-null values and its nulls (`None` for text):
    /// what a cleaning fill over the same rows finds (see
    /// [`FusedClean::start_second`](crate::cleaning::FusedClean::start_second)).
    pub fn moments_as_read(&self) -> Vec<Option<(Moments, u64)>> {
        self.columns
            .iter()
            .map(|column| match column {
                Column::Numeric { moments, nulls, .. } => Some((moments.moments(), *nulls)),
                _ => None,
            })
            .collect()
    }

    /// The figures of every column, in order; pandas' conventions (ddof 1, G1, G2) unless
    /// [`TableSummary::convention`] said otherwise. An `--approx` column reports its rank-error
    /// bound.
    ///
    /// `types` are the pass's final types: a boolean column's 1s and 0s give its count and true
    /// share.
    ///
    /// # Errors
    /// [`InputChanged`] when the second pass did not see the values the first pass counted (or
    /// a counted column was finished without it).
    pub fn finish(
        self,
        types: &ColumnTypes,
        second: Option<QuartilePass>,
    ) -> Result<Vec<ColumnStats>, InputChanged> {
        let finish = Finish {
            medians: false,
            profiles: false,
            estimate: false,
        };
        let kinds = self.kinds(types);
        Ok(self.finish_columns(kinds, second, finish)?.stats)
    }

    /// The figures of a summary merged from partial states, each summarised column read as
    /// `kinds[i]`. Without `second`, `estimate` gives counted columns' quartiles estimated from
    /// their histograms ([`KeyHistogram::estimate_quantiles`]) with their rank-error bound.
    ///
    /// # Errors
    /// As [`TableSummary::finish`] (a counted column without `second` or `estimate`).
    pub fn finish_merged(
        self,
        kinds: Vec<ColumnType>,
        second: Option<QuartilePass>,
        estimate: bool,
    ) -> Result<Vec<ColumnStats>, InputChanged> {
        let finish = Finish {
            medians: false,
            profiles: false,
            estimate,
        };
        Ok(self.finish_columns(kinds, second, finish)?.stats)
    }

    /// The type of each summarised column in `types`.
    fn kinds(&self, types: &ColumnTypes) -> Vec<ColumnType> {
        self.picked.iter().map(|&j| types.get(j)).collect()
    }

    /// The figures, and each numeric column's median as `numpy.median` takes it (the mean of
    /// the two middle values, where the 50% quartile interpolates them), for cleaning's fills.
    ///
    /// # Errors
    /// As [`TableSummary::finish`].
    pub fn finish_with_medians(
        self,
        types: &ColumnTypes,
        second: Option<QuartilePass>,
    ) -> Result<(Vec<ColumnStats>, Vec<Option<f64>>), InputChanged> {
        let finish = Finish {
            medians: true,
            profiles: false,
            estimate: false,
        };
        let kinds = self.kinds(types);
        let finished = self.finish_columns(kinds, second, finish)?;
        Ok((finished.stats, finished.medians))
    }

    /// The figures, the medians (as [`TableSummary::finish_with_medians`]) and each column's
    /// [`ColumnProfile`] for the report, from a summary made [`TableSummary::profiled`] (without
    /// it, numeric columns report no zero and no extreme value). Counting a numeric column's
    /// distinct kept values takes a few passes over them ([`count_distinct`]).
    ///
    /// # Errors
    /// As [`TableSummary::finish`].
    pub fn finish_profiled(
        self,
        types: &ColumnTypes,
        second: Option<QuartilePass>,
    ) -> Result<FinishedColumns, InputChanged> {
        let finish = Finish {
            medians: true,
            profiles: true,
            estimate: false,
        };
        let kinds = self.kinds(types);
        self.finish_columns(kinds, second, finish)
    }

    /// The figures and, as `finish` asks, the kept columns' `numpy.median`s (an extra
    /// selection per column that the statistics alone do not need) and the profiles.
    fn finish_columns(
        self,
        kinds: Vec<ColumnType>,
        second: Option<QuartilePass>,
        finish: Finish,
    ) -> Result<FinishedColumns, InputChanged> {
        let brackets = second.map_or_else(
            || (0..self.columns.len()).map(|_| None).collect(),
            |pass| pass.brackets,
        );
        let convention = self.convention;
        let finished: Vec<FinishedColumn> = self
            .columns
            .into_par_iter()
            .zip(self.names)
            .zip(brackets)
            .zip(kinds)
            .map(|(((mut column, name), bracket), kind)| {
                let profile = finish.profiles.then(|| column.profile(kind));
                let (summary, median) = match (column, kind) {
                    (Column::Numeric { nulls, moments, .. }, ColumnType::Bool) => (
                        Summary::Bool(BoolSummary::from_moments(&moments.moments(), nulls)),
                        None,
                    ),
                    (
                        Column::Numeric {
                            nulls,
                            moments,
                            range,
                            periods,
                            ..
                        },
                        ColumnType::Datetime,
                    ) => {
                        let span = range.min().zip(range.max());
                        let histogram = periods.and_then(|p| p.finish());
                        let summary = DatetimeSummary::new(moments.count(), nulls, span, histogram);
                        (Summary::Datetime(summary), None)
                    }
                    (column, _) => finish_column(column, bracket, convention, finish)?,
                };
                let stats = ColumnStats { name, summary };
                Ok((stats, median, profile))
            })
            .collect::<Result<_, InputChanged>>()?;
        let mut columns = FinishedColumns {
            stats: Vec::with_capacity(finished.len()),
            medians: Vec::with_capacity(finished.len()),
            profiles: Vec::new(),
        };
        for (stats, median, profile) in finished {
            columns.stats.push(stats);
            columns.medians.push(median);
            columns.profiles.extend(profile);
        }
        Ok(columns)
    }
}

/// What [`TableSummary::finish_profiled`] gives: one entry per summarised column in each.
#[derive(Debug, Clone)]
pub struct FinishedColumns {
    /// The figures of `brisk stats`.
    pub stats: Vec<ColumnStats>,
    /// Each numeric column's median as `numpy.median` takes it (see
    /// [`TableSummary::finish_with_medians`]).
    pub medians: Vec<Option<f64>>,
    /// The report's profiles.
    pub profiles: Vec<ColumnProfile>,
}

/// A column's figures, median and profile.
type FinishedColumn = (ColumnStats, Option<f64>, Option<ColumnProfile>);

/// What finishing computes besides the figures.
#[derive(Debug, Clone, Copy)]
struct Finish {
    medians: bool,
    profiles: bool,
    /// Counted columns without a second pass estimate their quartiles from the histogram.
    estimate: bool,
}

fn finish_column(
    column: Column,
    bracket: Option<QuantileBracket>,
    convention: Convention,
    finish: Finish,
) -> Result<(Summary, Option<f64>), InputChanged> {
    match column {
        Column::Text { nulls, counts, .. } => {
            let top = counts.top();
            let summary = Summary::Categorical(CategoricalSummary {
                count: counts.total(),
                null_count: nulls,
                unique: counts.distinct().count,
                freq: top.as_ref().map(|t| t.1),
                top: top.map(|t| t.0),
            });
            Ok((summary, None))
        }
        Column::Numeric {
            nulls,
            moments,
            range,
            values,
            ..
        } => {
            let (quartiles, median, rank_error) = match (values, bracket) {
                (_, Some(bracket)) => match bracket.quantiles_and_median()? {
                    Some((q, m)) => (Some(q), Some(m), None),
                    None => (None, None, None),
                },
                (Values::Kept(mut kept), None) => {
                    let quartiles = exact_quantiles(&mut kept, &QUARTILES);
                    let median = if finish.medians {
                        crate::frame::median(kept)
                    } else {
                        None
                    };
                    (quartiles, median, None)
                }
                // `--approx`: the sketch's quartiles and its bound.
                (Values::Sketched(sketch, _), None) => (
                    sketch.quantiles(&QUARTILES),
                    None,
                    Some(sketch.normalized_rank_error()),
                ),
                (Values::Counted(histogram, _), None) if finish.estimate => {
                    let (min, max) = (range.min(), range.max());
                    let estimate = min
                        .zip(max)
                        .and_then(|(min, max)| histogram.estimate_quantiles(&QUARTILES, min, max));
                    match estimate {
                        Some((q, bound)) => (Some(q), None, Some(bound)),
                        None => (None, None, None),
                    }
                }
                (Values::Counted(..), None) => return Err(InputChanged),
            };
            let quartile = |i: usize| quartiles.as_ref().map(|q| q[i]);
            let moments = moments.moments();
            let any = moments.count() > 0;
            let summary = Summary::Numeric(NumericSummary {
                count: moments.count(),
                null_count: nulls,
                mean: moments.mean(),
                std: moments.std(convention),
                min: range.min().filter(|_| any),
                q25: quartile(0),
                median: quartile(1),
                q75: quartile(2),
                max: range.max().filter(|_| any),
                skewness: moments.skewness(convention),
                kurtosis: moments.kurtosis(convention),
                rank_error,
            });
            Ok((summary, median))
        }
    }
}

/// The second pass for exact quartiles of counted columns (and, rarely, more passes: see
/// [`QuartilePass::needs_another_pass`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuartilePass {
    brackets: Vec<Option<QuantileBracket>>,
    picked: Vec<usize>,
}

impl QuartilePass {
    /// Whether a crowded bucket needs one more pass over the same batches; call
    /// [`QuartilePass::another_pass`] first.
    pub fn needs_another_pass(&self) -> bool {
        self.brackets
            .iter()
            .flatten()
            .any(QuantileBracket::needs_another_pass)
    }

    /// Ends a pass and prepares the next.
    ///
    /// # Errors
    /// [`InputChanged`] when the pass did not see the values the first pass counted.
    pub fn another_pass(&mut self) -> Result<(), InputChanged> {
        self.brackets
            .iter_mut()
            .flatten()
            .try_for_each(QuantileBracket::another_pass)
    }

    /// Folds in the pass of another copy of this pass over other rows (another partition).
    ///
    /// # Errors
    /// [`BracketMismatch`] when `other` was not made from the same summary and pass.
    pub fn merge(&mut self, other: &QuartilePass) -> Result<(), BracketMismatch> {
        if self.picked != other.picked || self.brackets.len() != other.brackets.len() {
            return Err(BracketMismatch);
        }
        for (mine, theirs) in self.brackets.iter_mut().zip(&other.brackets) {
            match (mine, theirs) {
                (Some(mine), Some(theirs)) => mine.merge(theirs)?,
                (None, None) => {}
                _ => return Err(BracketMismatch),
            }
        }
        Ok(())
    }

    /// Folds in a batch of the second pass.
    pub fn add(&mut self, batch: &Batch) {
        self.brackets
            .par_iter_mut()
            .zip(&self.picked)
            .for_each(|(bracket, &j)| {
                if let (Some(bracket), BatchColumn::Numeric(values)) = (bracket, batch.column(j)) {
                    bracket.add_slice(values.values());
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Batches;
    use crate::input::{Format, Input};

    /// The figures, and the passes they took.
    fn summarise(text: &str, batch_rows: usize, budget: u64) -> (Vec<ColumnStats>, usize) {
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, batch_rows).unwrap();
        let mut summary = TableSummary::new(batches.types(), budget);
        while let Some(batch) = batches.next_batch().unwrap() {
            summary.add(&batch, batches.types());
        }
        let types = batches.types().clone();
        let mut passes = 1;
        let second = summary.needs_second_pass().then(|| {
            let mut pass = summary.quartile_pass();
            loop {
                let mut again = Batches::with_types(&input, &types, batch_rows).unwrap();
                while let Some(batch) = again.next_batch().unwrap() {
                    pass.add(&batch);
                }
                passes += 1;
                if !pass.needs_another_pass() {
                    break pass;
                }
                pass.another_pass().unwrap();
            }
        });
        (summary.finish(batches.types(), second).unwrap(), passes)
    }

    #[test]
    fn text_counts_past_their_budget_estimate_unique_and_keep_the_top() {
        let mut text = String::from("s\n");
        for i in 0..20_000 {
            let value = if i % 4 == 0 {
                "hot".to_owned()
            } else {
                format!("v{i}")
            };
            text.push_str(&value);
            text.push('\n');
        }
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, 1_000).unwrap();
        let mut summary = TableSummary::new(batches.types(), 1 << 30).text_budget(100_000);
        while let Some(batch) = batches.next_batch().unwrap() {
            summary.add(&batch, batches.types());
        }
        let columns = summary.finish(batches.types(), None).unwrap();
        let Summary::Categorical(s) = &columns[0].summary else {
            panic!("{columns:?}")
        };
        assert_eq!(
            (s.count, s.top.as_deref(), s.freq),
            (20_000, Some("hot"), Some(5_000))
        );
        let error = (s.unique as f64 - 15_001.0).abs() / 15_001.0;
        assert!(error < 4.0 * HyperLogLog::RELATIVE_ERROR, "{}", s.unique);
    }

    #[test]
    fn batch_size_and_budget_do_not_change_any_figure() {
        // `c`: a cluster near 1e9 and one far value, which crowds the quartiles' buckets with more
        // distinct values than a window keeps at the smallest budgets.
        let mut text = String::from("x,y,s,c\n");
        let mut state = 7u64;
        for i in 0..8_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let x = (state >> 11) as f64 / (1u64 << 53) as f64;
            let null = if i % 97 == 0 {
                "NA".to_owned()
            } else {
                format!("{}", x * 100.0)
            };
            let c = if i == 77 { 1e-300 } else { 1e9 + x * 1e-3 };
            text.push_str(&format!(
                "{null},{},{},{c}\n",
                i % 13,
                ["a", "b", "c"][i % 3]
            ));
        }
        let (reference, passes) = summarise(&text, 100_000, 1 << 30);
        assert_eq!(passes, 1);
        for (rows, budget, want_passes) in [
            (1, 1 << 30, 1),
            (7, 1 << 30, 1),
            (256, 4096, 3),
            (1000, 0, 3),
        ] {
            let (other, passes) = summarise(&text, rows, budget);
            assert_eq!(passes, want_passes, "{rows} rows a batch, budget {budget}");
            for (a, b) in reference.iter().zip(&other) {
                match (&a.summary, &b.summary) {
                    (Summary::Numeric(a), Summary::Numeric(b)) => {
                        assert_eq!((a.count, a.null_count), (b.count, b.null_count));
                        for (p, q) in [
                            (a.mean, b.mean),
                            (a.std, b.std),
                            (a.skewness, b.skewness),
                            (a.kurtosis, b.kurtosis),
                        ] {
                            let (p, q) = (p.unwrap(), q.unwrap());
                            assert!((p - q).abs() <= 1e-12 * p.abs().max(1.0), "{p} {q}");
                        }
                        assert_eq!((a.q25, a.median, a.q75), (b.q25, b.median, b.q75));
                        assert_eq!((a.min, a.max), (b.min, b.max));
                    }
                    (a, b) => assert_eq!(a, b),
                }
            }
        }
    }
}
