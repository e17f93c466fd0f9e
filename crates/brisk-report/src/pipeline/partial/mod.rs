//! The report of a table held in partitions (Dask's, Spark's, a job array's files): each
//! partition is summarised where it lives, the summaries merge, and the merged figures are the
//! single-machine report's on the concatenated rows.
//!
//! - **Pass 1** ([`ReportState`]): each partition folds its rows into everything
//!   [`run`](super::run)'s first pass accumulates: the profiled [`TableSummary`] (numeric
//!   columns counted in their histograms, so that a state is O(columns × histogram) whatever
//!   the rows), the analyses' co-moments, per-class moments, ranges and k-means sample
//!   ([`AnalysisState`]), the nullity counts, contingency tables and per-value moments
//!   ([`ProfileState`]), and the check of a row index. States merge in any order and grouping.
//! - **Between the passes** ([`ReportState::pass_two`]), on the merged state: PCA, the F tests
//!   and k-means (on the seeded sample) are fitted, and the second pass is made: the
//!   histograms' bins from the ranges, the quartiles' brackets, the k-means model, and each
//!   partition's first row among the table's.
//! - **Pass 2** ([`ReportPass2`]): each partition's copy ([`ReportPass2::for_partition`]) reads
//!   its rows again: histogram counts, the values inside the quartiles' brackets, the cluster
//!   of every complete row, and the rows to show and the pairwise correlations' sample, drawn by
//!   the rows' numbers in the whole table as the single pass draws them. Copies merge; rarely a
//!   crowded quartile bucket takes another pass ([`ReportPass2::another_pass`]).
//! - **Finish** ([`ReportState::finish`]) gives the [`Figures`] of the concatenated rows, which
//!   [`crate::report::render_figures`] turns into the page and its JSON.
//!
//! Every figure equals the single pass's (moments and scores to rounding, 1e-12 relative) but
//! k-means: its sample is drawn by each row's partition and row within it (`partition << 40 |
//! row`), as the single pass draws by row number, so the rows differ and so may the model.
//!
//! # The plan
//! Which columns each analysis reads depends on the column types and on which columns hold a
//! value. A partition cannot know whether a column it holds no value of holds one elsewhere, so
//! each plans from its types alone, every numeric column in, and a first column named as a row
//! index ([`brisk_data::batch::INDEX_NAMES`]) left out unless `keep_index`. Then:
//! - states whose plans differ are refused at merge, naming the columns: a column read as
//!   numbers in one partition and as text in another (give every partition the same schema, as
//!   Arrow data from one frame has);
//! - at [`ReportState::pass_two`] and [`ReportState::finish`], a numeric column with no value in
//!   any partition (which the single pass leaves out of the analyses) is refused, naming it;
//! - a first column named as a row index that does not count the rows of the whole table, in
//!   partition order, is refused unless `keep_index` (which then gives the single pass's
//!   figures).

mod index;
mod pass_two;

use std::collections::BTreeMap;

use brisk_data::batch::{Batch, Batches, ColumnType, ColumnTypes, INDEX_NAMES};
use brisk_data::input::Input;
use brisk_data::partial::{decode, encode, StateKind};
use brisk_data::summary::TableSummary;
use brisk_data::{DataError, ErrorKind, Location};
use serde::{Deserialize, Serialize};

pub use pass_two::ReportPass2;

use super::{AnalysisPlan, AnalysisState, Figures, FitOptions, ProfileState};
use crate::error::{ReportError, Result};
use crate::importance::Method;
use crate::report::ReportOptions;
use index::Run;

/// Rows per batch when a state reads an input.
const BATCH_ROWS: usize = 16_384;
/// Bits of a row's number given to its row within its partition: a partition of up to 2⁴⁰
/// rows, 2²⁴ partitions.
const ROW_BITS: u32 = 40;

/// What a report's partial states compute, and which partition a state reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialReportOptions {
    /// The column to score the features against.
    pub target: Option<String>,
    /// The importance test.
    pub method: Method,
    /// k-means clusters; by default the target's classes (2 to 10) or 3.
    pub clusters: Option<usize>,
    /// Seed of the samples and of k-means++.
    pub seed: u32,
    /// The most rows k-means (and the pairwise correlations) take.
    pub sample_rows: usize,
    /// Bins of each histogram.
    pub bins: usize,
    /// The memory the single pass would have for the data as read, in bytes: it caps the
    /// pairwise correlations' sample as there, and the quartile pass's kept values.
    pub memory_limit: u64,
    /// Keep a first column that is a row index in the analyses.
    pub keep_index: bool,
    /// Bytes of numeric values a state keeps before counting them in histograms: 0 (the
    /// default) keeps states small, and numeric columns' distinct counts are then estimates, as
    /// the single pass's are past its memory limit.
    pub value_budget: u64,
    /// The partition's position among the table's partitions, each its own: ties between text
    /// values go to the value seen first, and rows are numbered, in partition order.
    pub partition: u32,
}

impl PartialReportOptions {
    /// The options of `brisk report` with `options`, for partition `partition`: the data as
    /// read has half the memory limit there (the cleaning the other half).
    pub fn of(options: &ReportOptions, partition: u32) -> Self {
        PartialReportOptions {
            target: options.analysis.target.clone(),
            method: options.analysis.method,
            clusters: options.analysis.clusters,
            seed: options.analysis.seed,
            sample_rows: options.sample_rows,
            bins: options.bins,
            memory_limit: options.memory_limit / 2,
            keep_index: options.keep_index,
            value_budget: 0,
            partition,
        }
    }

    /// The options but the partition, which states of one job share.
    fn shared(&self) -> PartialReportOptions {
        PartialReportOptions {
            partition: 0,
            ..self.clone()
        }
    }

    fn fit(&self) -> FitOptions {
        FitOptions {
            clusters: self.clusters,
            seed: self.seed,
        }
    }
}

impl Default for PartialReportOptions {
    fn default() -> Self {
        PartialReportOptions::of(&ReportOptions::default(), 0)
    }
}

/// Pass 1 of the report over some partitions of a table; see the [module](self).
///
/// ```
/// use brisk_data::input::{Format, Input};
/// use brisk_report::pipeline::{PartialReportOptions, ReportState};
/// use brisk_report::report::{render_figures, ReportOptions};
/// let part = |text: &str| Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
/// let parts = [part("x,y,s\n1,2,a\n2,4.5,b\n"), part("x,y,s\n3,5,a\n4,9,b\n5,9.5,a\n")];
/// let options = ReportOptions::default();
/// let mut states = Vec::new();
/// for (p, rows) in parts.iter().enumerate() {
///     let mut state = ReportState::new(PartialReportOptions::of(&options, p as u32));
///     state.update(rows).unwrap();
///     // Shipped as bytes, checked on read.
///     states.push(ReportState::from_bytes(&state.to_bytes(), "part.state").unwrap());
/// }
/// let mut merged = states.pop().unwrap();
/// merged.merge(states.pop().unwrap()).unwrap();
/// let pass = merged.pass_two().unwrap();
/// let mut second = Vec::new();
/// for (p, rows) in parts.iter().enumerate() {
///     let mut copy = pass.for_partition(p as u32);
///     copy.update(rows).unwrap();
///     second.push(copy);
/// }
/// let mut pass = second.pop().unwrap();
/// pass.merge(&second.pop().unwrap()).unwrap();
/// let figures = merged.finish(pass, "parts").unwrap();
/// assert_eq!(figures.rows, 5);
/// let page = render_figures(&figures, &options).unwrap();
/// assert_eq!(page.json.rows_in, 5);
/// assert!(page.html.contains("<section id=\"columns\">"));
/// ```
#[derive(Debug, Serialize, Deserialize)]
pub struct ReportState {
    options: PartialReportOptions,
    table: Option<Table>,
}

/// The accumulators of the rows seen.
#[derive(Debug, Serialize, Deserialize)]
struct Table {
    /// The column types, joined over the partitions.
    types: ColumnTypes,
    summary: TableSummary,
    analysis: AnalysisState,
    profile: ProfileState,
    /// The first column's runs, for the row index.
    runs: Vec<Run>,
    /// Rows of each partition.
    rows: BTreeMap<u32, u64>,
}

impl ReportState {
    /// A state of no rows.
    pub fn new(options: PartialReportOptions) -> Self {
        ReportState {
            options,
            table: None,
        }
    }

    /// The options the state was made with.
    pub fn options(&self) -> &PartialReportOptions {
        &self.options
    }

    /// Rows summarised.
    pub fn rows(&self) -> u64 {
        self.table.as_ref().map_or(0, |t| t.summary.rows())
    }

    /// The state's versioned bytes ([`brisk_data::partial::encode`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(StateKind::Report, self)
    }

    /// The state in `bytes`; `source` names them in messages.
    ///
    /// # Errors
    /// Bytes that are not a report's pass-1 state of this brisk release, truncated or corrupt.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Self> {
        Ok(decode(StateKind::Report, bytes, source)?)
    }

    /// Folds in every row of `input`, rows of the state's partition after those already seen.
    ///
    /// # Errors
    /// A malformed input, an unknown target, a kernel's refusal, or rows of other columns (or
    /// column types) than the rows before them.
    pub fn update(&mut self, input: &Input) -> Result<()> {
        let partition = self.options.partition;
        let before = self
            .table
            .as_ref()
            .and_then(|t| t.rows.get(&partition).copied())
            .unwrap_or(0);
        let origin = (u64::from(partition) << ROW_BITS) + before;
        let Some(part) = read_part(input, &self.options, origin, before)? else {
            return Ok(());
        };
        self.join(part, input.name(), true)
    }

    /// Folds in the state of other partitions of the same table: the result does not depend on
    /// the order or grouping of merges.
    ///
    /// # Errors
    /// States of other options, of other columns or column types, of other plans (see the
    /// [module](self)), or two states of one partition.
    pub fn merge(&mut self, other: ReportState) -> Result<()> {
        if self.options.shared() != other.options.shared() {
            return Err(refused(
                "the merged state",
                "the states were made with other report options (target, method, clusters, \
                 seed, sample rows, bins, memory limit, keep_index or value budget): make every \
                 state of a job with the same options",
            ));
        }
        self.options.partition = self.options.partition.min(other.options.partition);
        match other.table {
            Some(table) => self.join(table, "the merged state", false),
            None => Ok(()),
        }
    }

    fn join(&mut self, theirs: Table, source: &str, same_partition: bool) -> Result<()> {
        let Some(mine) = &mut self.table else {
            self.table = Some(theirs);
            return Ok(());
        };
        if mine.types.names() != theirs.types.names() {
            return Err(refused(
                source,
                format!(
                    "the states are of tables with other columns ({} and {}): every partition \
                     must have the same columns in the same order",
                    mine.types.names().join(", "),
                    theirs.types.names().join(", ")
                ),
            ));
        }
        if !same_partition {
            if let Some(p) = theirs.rows.keys().find(|p| mine.rows.contains_key(p)) {
                return Err(refused(
                    source,
                    format!(
                        "two states of partition {p}: give each partition its own number, and \
                         merge each state once"
                    ),
                ));
            }
        }
        if mine.analysis.plan() != theirs.analysis.plan() {
            return Err(refused(source, plans_differ(mine, &theirs)));
        }
        if let Err(j) = mine.types.merge(&theirs.types) {
            let name = &mine.types.names()[j];
            return Err(refused(
                source,
                format!(
                    "column {name:?} holds {} in one partition and {} in another: give every \
                     partition the same column types",
                    what(mine.types.get(j)),
                    what(theirs.types.get(j))
                ),
            ));
        }
        mine.summary
            .merge(theirs.summary)
            .map_err(|e| refused(source, format!("the summaries do not merge ({e:?})")))?;
        mine.analysis.merge(&theirs.analysis)?;
        mine.profile.merge(&theirs.profile)?;
        mine.runs.extend(theirs.runs);
        for (p, rows) in theirs.rows {
            *mine.rows.entry(p).or_default() += rows;
        }
        Ok(())
    }

    /// Fits what pass 1 allows (PCA, the F tests, k-means on the seeded sample) on the merged
    /// state, and makes the second pass for every partition to run over its rows
    /// ([`ReportPass2::for_partition`]).
    ///
    /// # Errors
    /// A plan the merged state refuses (see the [module](self)), or a kernel's refusal.
    pub fn pass_two(&self) -> Result<ReportPass2> {
        let source = "the partitions";
        let Some(table) = &self.table else {
            return Ok(ReportPass2::empty());
        };
        table.check_plan(source, &self.options)?;
        let analyses = table.analysis.clone().finish(source, &self.options.fit())?;
        Ok(ReportPass2::new(
            &table.types,
            &table.summary,
            &analyses,
            &table.profile,
            &table.rows,
            &self.options,
        ))
    }

    /// The figures of every row merged in, as [`run`](super::run) gives them for the
    /// concatenated rows (k-means aside: see the [module](self)); `pass` is the merged second
    /// pass, `source` names the data.
    ///
    /// # Errors
    /// A plan the merged state refuses, a second pass that saw other rows than the first or
    /// that needs another pass, or a kernel's refusal.
    pub fn finish(self, pass: ReportPass2, source: &str) -> Result<Figures> {
        let options = self.options;
        let Some(table) = self.table else {
            return Err(ReportError::invalid(source, "no row in any partition"));
        };
        table.check_plan(source, &options)?;
        let second = pass.settle(source, &table.types, table.summary.rows())?;
        let analyses = table.analysis.finish(source, &options.fit())?;
        let profile =
            table
                .profile
                .finish_with_samples(&table.types, second.rows, second.pairwise)?;
        let rows = table.summary.rows();
        let finished = table
            .summary
            .finish_profiled(&table.types, second.quartiles)
            .map_err(|_| changed(source))?;
        Ok(Figures {
            source: source.to_owned(),
            rows,
            types: table.types,
            columns: finished.stats,
            profiles: finished.profiles,
            analyses,
            assignment: second.assignment,
            histograms: second.histograms,
            medians: finished.medians,
            spilled: None,
            profile,
        })
    }
}

impl Table {
    /// Refuses a merged plan that is not the single pass's: a numeric column of the analyses
    /// with no value anywhere, or a first column left out as a row index that does not count
    /// the rows.
    fn check_plan(&self, source: &str, options: &PartialReportOptions) -> Result<()> {
        let plan = self.analysis.plan();
        if let Some(&j) = plan.numeric.iter().find(|&&j| !self.summary.has_values(j)) {
            return Err(refused(
                source,
                format!(
                    "column {:?} holds no value in any partition; the report of partitions plans \
                     its analyses from the column types, so drop the column",
                    plan.names[j]
                ),
            ));
        }
        if let Some(j) = plan.row_index {
            if !index::counts_rows(&self.runs) {
                return Err(refused(
                    source,
                    format!(
                        "column {:?} is named as a row index but does not count the rows 0, 1, \
                         … (or 1, 2, …) across the partitions in their order; the report of \
                         partitions leaves such a column out of the analyses only when it \
                         does: report with keep_index to analyse it{}",
                        plan.names[j],
                        if options.keep_index {
                            ""
                        } else {
                            " as a feature"
                        }
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Pass 1 over one partition's rows `input`, the first after `before` rows of the partition
/// and numbered from `origin`; `None` for no row.
fn read_part(
    input: &Input,
    options: &PartialReportOptions,
    origin: u64,
    before: u64,
) -> Result<Option<Table>> {
    let source = input.name();
    let mut batches = Batches::open(input, BATCH_ROWS)?;
    let mut again = false;
    loop {
        let first = batches.next_batch()?;
        let types = batches.types().clone();
        let plan = plan_for(source, &types, options)?;
        let seed = u64::from(options.seed);
        let mut summary = TableSummary::new(&types, options.value_budget)
            .profiled(&types)
            .starting_at(origin);
        let mut profile = ProfileState::new(
            &plan,
            &types,
            options.sample_rows,
            options.memory_limit,
            seed,
        );
        let mut analysis = AnalysisState::new(plan, options.sample_rows, seed);
        let mut run = Run::new(options.partition, before);
        let (mut next, mut rows) = (first, 0u64);
        while let Some(batch) = next {
            let batch: Batch = batch.with_first_row(origin + rows);
            rows += batch.rows() as u64;
            run.add(&batch);
            analysis.add(&batch)?;
            profile.add(&batch)?;
            summary.add(&batch, &types);
            next = batches.next_batch()?;
        }
        if rows == 0 {
            return Ok(None);
        }
        let final_types = batches.types().clone();
        let turned_datetime = (0..types.len()).any(|j| {
            (types.get(j) == ColumnType::Datetime) != (final_types.get(j) == ColumnType::Datetime)
        });
        let final_plan = plan_for(source, &final_types, options)?;
        if !final_types.turned_late() && !turned_datetime && &final_plan == analysis.plan() {
            return Ok(Some(Table {
                types: final_types,
                summary,
                analysis,
                profile,
                runs: vec![run],
                rows: BTreeMap::from([(options.partition, rows)]),
            }));
        }
        if again {
            return Err(changed(source));
        }
        again = true;
        batches = Batches::with_types(input, &final_types, BATCH_ROWS)?;
    }
}

/// A partition's plan: from the types alone (see the [module](self)).
fn plan_for(
    source: &str,
    types: &ColumnTypes,
    options: &PartialReportOptions,
) -> Result<AnalysisPlan> {
    let named = types
        .names()
        .first()
        .is_some_and(|n| INDEX_NAMES.iter().any(|i| n.eq_ignore_ascii_case(i)));
    let index = (named && !options.keep_index && !types.is_empty() && types.counts_as_number(0))
        .then_some(0);
    AnalysisPlan::new(
        source,
        types,
        options.target.as_deref(),
        options.method,
        &|_| true,
        index,
    )
}

/// What two plans disagree on, for the refusal.
fn plans_differ(mine: &Table, theirs: &Table) -> String {
    let (a, b) = (mine.analysis.plan(), theirs.analysis.plan());
    let differing: Vec<&str> = (0..a.names.len())
        .filter(|&j| {
            a.numeric.contains(&j) != b.numeric.contains(&j)
                || mine.types.get(j) != theirs.types.get(j)
        })
        .map(|j| a.names[j].as_str())
        .collect();
    format!(
        "the partitions' analyses read other columns (they differ on {}): a column read as \
         numbers in one partition and as text (or booleans, or date-times, or all nulls) in \
         another; give every partition the same column types",
        if differing.is_empty() {
            "the target or the row index".to_owned()
        } else {
            differing.join(", ")
        }
    )
}

/// How messages name what a column holds.
fn what(t: ColumnType) -> &'static str {
    match t {
        ColumnType::Numeric => "numbers",
        ColumnType::Text => "text",
        ColumnType::Bool => "booleans",
        ColumnType::Datetime => "date-times",
    }
}

/// A refused state's error.
fn refused(source: &str, message: impl Into<String>) -> ReportError {
    ReportError::Data(DataError::new(
        ErrorKind::PartialState,
        Location::source(source),
        message.into(),
    ))
}

/// The error of a pass that saw other rows than pass 1.
fn changed(source: &str) -> ReportError {
    refused(
        source,
        "the second pass saw other rows than pass 1: run both passes over the same partitions, \
         unchanged, each copy of the second pass on its own partition",
    )
}

#[cfg(test)]
mod tests;
