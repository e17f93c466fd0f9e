//! The partial states of `brisk stats`: pass 1 ([`StatsState`]) and the pass for exact quartiles
//! ([`QuartilesState`]).
//!
//! A [`StatsState`] is the [`TableSummary`] of some rows with every numeric column counted in its
//! [`KeyHistogram`](brisk_kernels::stats::KeyHistogram) (about 64 KiB a column at most, whatever
//! the rows), its moments, range and nulls, and each text column's exact value counts. States of
//! a table's partitions merge in any order. The merged state's histograms locate the buckets
//! that hold the quartiles' ranks: [`StatsState::quartile_pass`] makes the second pass, which
//! each partition runs over its rows ([`QuartilesState::update`]), keeping only the values inside
//! those buckets; the passes merge, and the exact order statistics are selected from them. This
//! is how `brisk stats` finds exact quartiles past its memory limit, spread over partitions.
//!
//! ```
//! use brisk_data::input::{Format, Input};
//! use brisk_data::partial::{PartialOptions, StatsState};
//! use brisk_data::stats::Summary;
//! let part = |text: &str| Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
//! let (a, b) = (part("x,s\n1,a\n5,b\n"), part("x,s\n2,b\nNA,c\n"));
//! let mut first = StatsState::new(PartialOptions { partition: 0, ..Default::default() });
//! first.update(&a).unwrap();
//! let mut second = StatsState::new(PartialOptions { partition: 1, ..Default::default() });
//! second.update(&b).unwrap();
//! first.merge(second).unwrap();
//! // Pass 2, over each partition, then merged.
//! let mut quartiles = first.quartile_pass();
//! let mut other = quartiles.clone();
//! quartiles.update(&a).unwrap();
//! other.update(&b).unwrap();
//! quartiles.merge(&other).unwrap();
//! let report = first.finish("parts", Some(quartiles), true).unwrap();
//! let Summary::Numeric(x) = &report.columns[0].summary else { panic!() };
//! assert_eq!((x.count, x.null_count, x.median), (3, 1, Some(2.0)));
//! let Summary::Categorical(s) = &report.columns[1].summary else { panic!() };
//! assert_eq!((s.unique, s.top.as_deref(), s.freq), (3, Some("b"), Some(2)));
//! ```

use brisk_kernels::stats::Convention;
use serde::{Deserialize, Serialize};

use super::envelope::refused;
use crate::batch::{Batches, ColumnType, ColumnTypes};
use crate::error::Result;
use crate::input::Input;
use crate::stats::{default_memory_limit, pick_columns, Conventions, StatsReport, Summary};
use crate::summary::{QuartilePass, SummaryMismatch, TableSummary};

/// Rows per batch when a state reads an input.
const BATCH_ROWS: usize = 65_536;
/// Bits of a text value's first-seen position given to its row within its partition: a
/// partition of up to 2⁴⁰ rows, 2²⁴ partitions.
const ROW_BITS: u32 = 40;

/// What a statistics state summarises and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialOptions {
    /// Only these columns, in this order; every column when `None`.
    pub columns: Option<Vec<String>>,
    /// Sample (pandas) or population (NumPy/SciPy) normalisation.
    pub convention: Convention,
    /// The partition's position among the table's partitions: ties between text values'
    /// counts go to the value seen first, in the lowest partition and then the lowest row, as
    /// one pass over the partitions in this order would break them.
    pub partition: u32,
}

impl Default for PartialOptions {
    fn default() -> Self {
        PartialOptions {
            columns: None,
            convention: Convention::Sample,
            partition: 0,
        }
    }
}

/// Pass 1 of the statistics of some rows of a table; see the [module](self).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatsState {
    options: PartialOptions,
    table: Option<Summarised>,
}

/// The summary of the rows seen, with the table's columns.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Summarised {
    /// Every column of the table, in order.
    names: Vec<String>,
    /// The table columns summarised, in summary order.
    picked: Vec<usize>,
    /// The type of each summarised column.
    kinds: Vec<ColumnType>,
    summary: TableSummary,
}

impl StatsState {
    /// A state of no rows.
    pub fn new(options: PartialOptions) -> Self {
        StatsState {
            options,
            table: None,
        }
    }

    /// The options the state was made with.
    pub fn options(&self) -> &PartialOptions {
        &self.options
    }

    /// Rows summarised.
    pub fn rows(&self) -> u64 {
        self.table.as_ref().map_or(0, |t| t.summary.rows())
    }

    /// Folds in every row of `input` (rows after those already seen).
    ///
    /// # Errors
    /// A malformed input, an unknown column, or an input of other columns than the rows
    /// before it.
    pub fn update(&mut self, input: &Input) -> Result<()> {
        let mut batches = Batches::open(input, BATCH_ROWS)?;
        let names = batches.types().names().to_vec();
        let picked = pick_columns(input.name(), &names, self.options.columns.as_deref())?;
        let origin = (u64::from(self.options.partition) << ROW_BITS) + self.rows();
        let mut summary = summarise(&mut batches, &picked, &self.options, origin)?;
        if batches.types().turned_late() {
            let types = batches.types().clone();
            batches = Batches::with_types(input, &types, BATCH_ROWS)?;
            summary = summarise(&mut batches, &picked, &self.options, origin)?;
        }
        let types = batches.types();
        let part = StatsState {
            options: self.options.clone(),
            table: Some(Summarised {
                kinds: picked.iter().map(|&j| types.get(j)).collect(),
                names,
                picked,
                summary,
            }),
        };
        self.merge_from(part, input.name())
    }

    /// Folds in the state of other rows of the same table (another partition): the result does
    /// not depend on the order or grouping of merges.
    ///
    /// # Errors
    /// States of other options, of other columns, or of a column that holds numbers in one
    /// and text (or booleans, or date-times) in the other.
    pub fn merge(&mut self, other: StatsState) -> Result<()> {
        self.merge_from(other, "the merged state")
    }

    /// As [`StatsState::merge`], with `source` (the file `other` was read from) named in its
    /// errors.
    ///
    /// # Errors
    /// As [`StatsState::merge`].
    pub fn merge_from(&mut self, other: StatsState, source: &str) -> Result<()> {
        let (mine, theirs) = (&self.options, &other.options);
        if (&mine.columns, mine.convention) != (&theirs.columns, theirs.convention) {
            return Err(refused(
                source,
                "the states were made with other options (columns or conventions): make every \
                 state of a job with the same options",
            ));
        }
        self.options.partition = mine.partition.min(theirs.partition);
        let Some(theirs) = other.table else {
            return Ok(());
        };
        let Some(mine) = &mut self.table else {
            self.table = Some(theirs);
            return Ok(());
        };
        if mine.names != theirs.names || mine.picked != theirs.picked {
            return Err(other_columns(source, &mine.names, &theirs.names));
        }
        for (i, kind) in theirs.kinds.iter().enumerate() {
            let name = &mine.names[mine.picked[i]];
            let (a, b) = (mine.kinds[i], *kind);
            if a != b {
                match (mine.summary.has_values(i), theirs.summary.has_values(i)) {
                    (_, false) => {}
                    (false, true) => mine.kinds[i] = b,
                    (true, true) => return Err(mixed(source, name, a, b)),
                }
            }
        }
        let kinds = mine.kinds.clone();
        mine.summary
            .merge(theirs.summary)
            .map_err(|e| match e {
                SummaryMismatch::Type { name } => {
                    let i = mine.names.iter().position(|n| *n == name).unwrap_or(0);
                    let j = mine.picked.iter().position(|&p| p == i).unwrap_or(0);
                    mixed(source, &name, kinds[j], ColumnType::Text)
                }
                SummaryMismatch::Columns | SummaryMismatch::Options => refused(
                    source,
                    "the states summarise other columns: make every state of a job with the same options",
                ),
            })
    }

    /// The second pass for exact quartiles, for each partition to run over its rows: it keeps
    /// the values inside the buckets that hold the quartiles' ranks (at most about a quarter of
    /// the machine's memory in all, past which a window counts them for one more pass).
    pub fn quartile_pass(&self) -> QuartilesState {
        self.quartile_pass_within(default_memory_limit())
    }

    /// As [`StatsState::quartile_pass`], keeping at most about `memory` bytes of values in
    /// all: past it, a crowded bucket is counted for another pass instead. Copies made with
    /// other limits still merge.
    pub fn quartile_pass_within(&self, memory: u64) -> QuartilesState {
        QuartilesState {
            names: self.table.as_ref().map(|t| t.names.clone()),
            pass: self
                .table
                .as_ref()
                .map(|t| t.summary.quartile_pass_within(memory)),
        }
    }

    /// Whether exact quartiles need the second pass (some numeric column has a value).
    pub fn needs_quartile_pass(&self) -> bool {
        self.table
            .as_ref()
            .is_some_and(|t| t.summary.needs_second_pass())
    }

    /// The statistics of every row merged in, as `brisk stats` gives them for the concatenated
    /// rows; `source` names the data. With `exact`, the quartiles are selected from `quartiles`
    /// (the merged second pass); without, they are estimated from the histograms, and each
    /// column gives the rank-error bound.
    ///
    /// # Errors
    /// Exact quartiles without the second pass, or a second pass that saw other rows than the
    /// first.
    pub fn finish(
        self,
        source: &str,
        quartiles: Option<QuartilesState>,
        exact: bool,
    ) -> Result<StatsReport> {
        let convention = self.options.convention;
        let Some(table) = self.table else {
            return Ok(StatsReport {
                source: source.to_owned(),
                rows: 0,
                conventions: Conventions::new(convention, false, None),
                columns: Vec::new(),
            });
        };
        let second = match quartiles.and_then(|q| q.pass) {
            Some(pass) if exact => {
                if pass.needs_another_pass() {
                    return Err(refused(
                        source,
                        "the quartile pass needs another pass over the partitions (a bucket held \
                         too many distinct values): call another_pass and run it",
                    ));
                }
                Some(pass)
            }
            _ if exact && table.summary.needs_second_pass() => {
                return Err(refused(
                    source,
                    "exact quartiles need the second pass over the partitions (quartile_pass); \
                     ask for estimated quartiles to skip it",
                ));
            }
            _ => None,
        };
        let rows = table.summary.rows();
        let columns = table
            .summary
            .finish_merged(table.kinds, second, !exact)
            .map_err(|_| changed(source))?;
        let rank_error = columns
            .iter()
            .filter_map(|c| match &c.summary {
                Summary::Numeric(s) => s.rank_error,
                _ => None,
            })
            .reduce(f64::max);
        let conventions = if exact {
            Conventions::new(convention, false, None)
        } else {
            Conventions::estimated(convention, rank_error)
        };
        Ok(StatsReport {
            source: source.to_owned(),
            rows,
            conventions,
            columns,
        })
    }
}

/// The second pass of a statistics job for exact quartiles; see the [module](self).
///
/// Made by [`StatsState::quartile_pass`]; each partition updates its own copy, and the copies
/// merge in any order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuartilesState {
    /// The table's columns, to check each input against (`None`: no row in pass 1).
    names: Option<Vec<String>>,
    pass: Option<QuartilePass>,
}

impl QuartilesState {
    /// Folds in the rows of `input`, which must be rows pass 1 summarised.
    ///
    /// # Errors
    /// A malformed input, or one of other columns than pass 1's.
    pub fn update(&mut self, input: &Input) -> Result<()> {
        let (Some(names), Some(pass)) = (&self.names, &mut self.pass) else {
            return Ok(());
        };
        let mut batches = Batches::open(input, BATCH_ROWS)?;
        if batches.types().names() != names.as_slice() {
            return Err(refused(
                input.name(),
                format!(
                    "other columns than pass 1 saw ({} and {})",
                    batches.types().names().join(", "),
                    names.join(", ")
                ),
            ));
        }
        while let Some(batch) = batches.next_batch()? {
            pass.add(&batch);
        }
        Ok(())
    }

    /// Folds in another partition's copy of the same pass.
    ///
    /// # Errors
    /// A pass made from another state.
    pub fn merge(&mut self, other: &QuartilesState) -> Result<()> {
        self.merge_from(other, "the merged state")
    }

    /// As [`QuartilesState::merge`], with `source` (the file `other` was read from) named in
    /// its errors.
    ///
    /// # Errors
    /// As [`QuartilesState::merge`].
    pub fn merge_from(&mut self, other: &QuartilesState, source: &str) -> Result<()> {
        let mismatch = || {
            refused(
                source,
                "the quartile passes were made from other pass-1 states: give every partition \
                 the same pass",
            )
        };
        if self.names != other.names {
            return Err(mismatch());
        }
        match (&mut self.pass, &other.pass) {
            (Some(mine), Some(theirs)) => mine.merge(theirs).map_err(|_| mismatch()),
            (None, None) => Ok(()),
            _ => Err(mismatch()),
        }
    }

    /// Whether a bucket held too many distinct values: [`QuartilesState::another_pass`] then
    /// makes one more pass (each narrows the bucket by a factor of about 2¹¹).
    pub fn needs_another_pass(&self) -> bool {
        self.pass
            .as_ref()
            .is_some_and(QuartilePass::needs_another_pass)
    }

    /// Ends this (merged) pass and makes the next, for each partition to run again.
    ///
    /// # Errors
    /// The pass saw other rows than pass 1.
    pub fn another_pass(&mut self) -> Result<()> {
        match &mut self.pass {
            Some(pass) => pass.another_pass().map_err(|_| changed("the merged state")),
            None => Ok(()),
        }
    }
}

/// One pass over `batches` into a summary of the `picked` columns whose first row comes after
/// `origin` others.
fn summarise(
    batches: &mut Batches,
    picked: &[usize],
    options: &PartialOptions,
    origin: u64,
) -> Result<TableSummary> {
    let types: ColumnTypes = batches.types().clone();
    let mut summary = TableSummary::new(&types, 0)
        .select(&types, picked.to_vec())
        .convention(options.convention)
        .starting_at(origin);
    while let Some(batch) = batches.next_batch()? {
        summary.add(&batch, batches.types());
    }
    Ok(summary)
}

/// The error of states of tables with other columns.
pub(super) fn other_columns(
    source: &str,
    mine: &[String],
    theirs: &[String],
) -> crate::error::DataError {
    refused(
        source,
        format!(
            "the states are of tables with other columns ({} and {}): every partition must have \
             the same columns in the same order",
            mine.join(", "),
            theirs.join(", ")
        ),
    )
}

/// The error of a column whose partitions hold values of two types.
pub(super) fn mixed(
    source: &str,
    name: &str,
    a: ColumnType,
    b: ColumnType,
) -> crate::error::DataError {
    let what = |t: ColumnType| match t {
        ColumnType::Numeric => "numbers",
        ColumnType::Text => "text",
        ColumnType::Bool => "booleans",
        ColumnType::Datetime => "date-times",
    };
    refused(
        source,
        format!(
            "column {name:?} holds {} in one partition and {} in another: give every partition \
             the same column types",
            what(a),
            what(b)
        ),
    )
}

/// The error of a second pass that saw other rows than the first.
fn changed(source: &str) -> crate::error::DataError {
    refused(
        source,
        "the quartile pass saw other rows than pass 1: run both passes over the same partitions, \
         unchanged",
    )
}
