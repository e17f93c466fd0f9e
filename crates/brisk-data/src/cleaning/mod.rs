//! `brisk clean` (exercise C.2) over typed batches, in memory bounded by the row hashes and the
//! limit, not by the file.
//!
//! The steps and their order are [`clean_dataset`](crate::frame::clean_dataset)'s, and so is the
//! output, byte for byte; the work is spread over passes:
//! 1. **duplicates**: every row's 128-bit hash ([`RowHashSet`]: in memory while it fits, spilled
//!    to temporary files past it), resolved into one bit per row ([`Duplicates`]);
//! 2. **fills**: over the distinct rows, each numeric column's moments and median (exact: kept
//!    values, or a sketch and one more pass past the limit), each categorical column's counts;
//!    together they give a [`CleanPlan`] — fill values and outlier bounds;
//! 3. **bounds**: two passes over the median-filled columns take the bounds' mean and standard
//!    deviation as pandas does, in NumPy's summation order, so that a row within an ulp of a
//!    bound goes as it goes in pandas ([`PreparedClean::settle_bounds`]);
//! 4. **output**: each row that is not a duplicate and has no value beyond its bounds, filled and
//!    lowercased, written as pandas' `to_csv` writes it (or handed on as cleaned batches).
//!
//! A column that turns to text after numeric rows changes the row hashes: the first pass then
//! runs again with the final types.

mod apply;
mod bounds;
mod dedupe;
mod fill;
mod hash;
mod outliers;
mod roles;
mod table;

use std::io::Write;

use brisk_kernels::stats::Moments;
use rayon::prelude::*;

pub use dedupe::Duplicates;
pub use fill::{CleanPlan, RemovedValue, DISCRETE_VALUES};
pub use table::{clean_table, CleanedTable};

use self::apply::{cleaned_batch, surviving_rows, write_header, write_rows};
use self::dedupe::RowHashSet;
use self::fill::{FillState, MedianPass, Medians};
use self::outliers::OutlierCount;
use self::roles::Roles;
use crate::batch::{Batch, BatchPass, Batches, ColumnTypes, NumericSpill, SpilledColumns};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::frame::{CleanOptions, CleanReport};
use crate::input::Input;

/// Bytes a pass needs beside its accumulators: batches in flight.
const WORKING_BYTES: u64 = 64 << 20;

/// Rows the output pass formats as one piece of text; pieces are formatted side by side.
const WRITE_PIECE_ROWS: usize = 8192;

/// How to run the streaming clean.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// The columns and the outlier threshold.
    pub clean: CleanOptions,
    /// Memory for row hashes and kept values, in bytes.
    pub memory_limit: u64,
    /// Rows per batch.
    pub batch_rows: usize,
}

/// Which pass reports progress, and how far it is.
#[derive(Debug, Clone, Copy)]
pub struct CleanProgress {
    /// 1 (duplicates), 2 (fills), 3 (exact medians, when needed), 4 (pandas' bounds: two
    /// passes) or 5 (output).
    pub pass: u8,
    /// Bytes read so far in this pass.
    pub bytes: u64,
    /// Bytes in the input.
    pub total: Option<u64>,
}

/// The input's types, duplicates and plan: everything the output pass needs.
#[derive(Debug)]
pub struct PreparedClean {
    types: ColumnTypes,
    duplicates: Duplicates,
    plan: CleanPlan,
    rows: u64,
    /// The outlier rule's count made on the way, when the passes could make it.
    outliers: Option<OutlierCount>,
    /// Per column, whether its bounds are pandas' own ([`PreparedClean::settle_bounds`]), not
    /// only correctly rounded.
    settled: Vec<bool>,
}

impl PreparedClean {
    /// The column types.
    pub fn types(&self) -> &ColumnTypes {
        &self.types
    }

    /// The values of discrete columns (at most [`DISCRETE_VALUES`] distinct numbers) that the
    /// outlier rule removes wherever they occur: a 0/1 flag whose 1s all go, for instance.
    pub fn removed_values(&self) -> &[RemovedValue] {
        &self.plan.removed_values
    }

    /// The cleaning report, once a pass has counted the rows that survive.
    pub fn report(&self, rows_out: u64) -> CleanReport {
        let mut report = self.plan.report.clone();
        report.rows_out = rows_out;
        report.outlier_rows_removed = report.rows_in - report.duplicates_removed - rows_out;
        report
    }

    /// The cleaning report, when the fused passes counted the outliers on the way (no row
    /// repeats, medians given: see [`FusedClean::start_second`]) and no row they kept aside is
    /// close enough to a bound not yet settled for pandas' rounding of it to matter; otherwise
    /// [`PreparedClean::settle_for_count`] and ask again, or count in a pass
    /// ([`count_surviving`]).
    pub fn counted_report(&self) -> Option<CleanReport> {
        let count = self.outliers.as_ref()?;
        if !count.straddling(&self.plan, &self.settled).is_empty() {
            return None;
        }
        let outliers = count.finish(&self.plan)?;
        Some(self.report(self.rows - self.duplicates.count() - outliers))
    }

    /// Replaces the plan's correctly rounded bounds by pandas' own (its mean and standard
    /// deviation in NumPy's summation order), in two passes over the median-filled columns:
    /// replayed from `spilled` (an earlier pass's numeric columns) when given, else read from
    /// `input`.
    ///
    /// # Errors
    /// The reader's errors; an input that changed since the earlier passes.
    pub fn settle_bounds(
        &mut self,
        input: &Input,
        spilled: Option<&SpilledColumns>,
        batch_rows: usize,
        progress: &mut dyn FnMut(CleanProgress),
    ) -> Result<()> {
        let all: Vec<usize> = (0..self.settled.len()).collect();
        self.settle(input, spilled, &all, batch_rows, progress)
    }

    /// Settles what [`PreparedClean::counted_report`] waits for: the bounds of the columns
    /// where a row kept aside lies within pandas' rounding of a bound, or every column's when
    /// the count was given up (a pass must count then, with pandas' bounds).
    ///
    /// # Errors
    /// As [`PreparedClean::settle_bounds`].
    pub fn settle_for_count(
        &mut self,
        input: &Input,
        spilled: Option<&SpilledColumns>,
        batch_rows: usize,
    ) -> Result<()> {
        let columns = match &self.outliers {
            Some(count) if count.finish(&self.plan).is_some() => {
                count.straddling(&self.plan, &self.settled)
            }
            _ => (0..self.settled.len()).collect(),
        };
        self.settle(input, spilled, &columns, batch_rows, &mut |_| {})
    }

    fn settle(
        &mut self,
        input: &Input,
        spilled: Option<&SpilledColumns>,
        columns: &[usize],
        batch_rows: usize,
        progress: &mut dyn FnMut(CleanProgress),
    ) -> Result<()> {
        let columns: Vec<usize> = columns
            .iter()
            .copied()
            .filter(|&j| !self.settled[j])
            .collect();
        if columns.is_empty() {
            return Ok(());
        }
        let _bounds = brisk_profile::block("bounds");
        let settled = bounds::settle_bounds(
            input,
            self,
            spilled,
            &columns,
            batch_rows,
            &mut |bytes, total| {
                progress(CleanProgress {
                    pass: 4,
                    bytes,
                    total,
                })
            },
        )?;
        if !settled {
            return Err(changed(input.name()));
        }
        columns.iter().for_each(|&j| self.settled[j] = true);
        Ok(())
    }
}

fn changed(source: &str) -> DataError {
    DataError::new(
        ErrorKind::Io,
        Location::source(source),
        "the file changed between the passes over it; run again on a file at rest",
    )
}

/// What a job fused with the cleaning found in its own first pass over the rows as read, one
/// entry per column (`None` for a text column): see [`FusedClean::start_second`].
#[derive(Debug, Clone, Copy)]
pub struct AsRead<'a> {
    /// Where each numeric column's median lies (see
    /// [`TableSummary::median_ranges`](crate::summary::TableSummary::median_ranges)).
    pub median_ranges: &'a [Option<(f64, f64)>],
    /// Each numeric column's moments of its non-null values, and its nulls (see
    /// [`TableSummary::moments_as_read`](crate::summary::TableSummary::moments_as_read)).
    pub moments: &'a [Option<(Moments, u64)>],
}

/// The cleaning's passes, to be fused with another job's first and second passes over the same
/// batches (the report's), or driven alone by [`prepare`].
///
/// - First pass: every row's hash, and — on the hope that no row repeats another, which most
///   large files bear out — the fill state over every row.
/// - Between the passes: the duplicates are resolved. With none, the fill state is final, and
///   the second pass only brackets the medians that did not fit in memory. With some, the
///   second pass builds the fill state again over the distinct rows.
/// - [`FusedClean::finish`] makes the one more pass still needed, if any (medians bracketed
///   after a fill state built in the second pass), and returns the plan.
pub struct FusedClean {
    source: String,
    options: StreamOptions,
    budget: u64,
    /// The caller finds the medians of the rows as read (see [`FusedClean::with_medians_given`]).
    medians_given: bool,
    stage: Stage,
}

enum Stage {
    Idle,
    First {
        roles: Roles,
        hashes: RowHashSet,
        fills: FillState,
        scratch: Vec<u128>,
        rows: u64,
    },
    Second {
        roles: Roles,
        types: ColumnTypes,
        duplicates: Duplicates,
        /// Final when no row repeats; otherwise being built again over the distinct rows.
        fills: FillState,
        /// The medians' bracket, when the fill state is final and sketched some column.
        medians: Option<MedianPass>,
        /// The outlier rule's count, when the fill state is final and the medians' ranges known.
        outliers: Option<OutlierCount>,
        rows: u64,
        seen: u64,
    },
}

impl FusedClean {
    /// The passes of `options` over `source`.
    pub fn new(source: &str, options: &StreamOptions) -> Self {
        FusedClean {
            source: source.to_owned(),
            options: options.clone(),
            budget: options.memory_limit.saturating_sub(WORKING_BYTES),
            medians_given: false,
            stage: Stage::Idle,
        }
    }

    /// The caller computes every column's median, moments and nulls over the rows as read (the
    /// report's statistics do) and hands them to [`FusedClean::start_second`] and
    /// [`FusedClean::finish`]: when no row repeats, those are the fills', and the first pass
    /// neither keeps values nor sums moments for them.
    pub fn with_medians_given(mut self) -> Self {
        self.medians_given = true;
        self
    }

    /// A first pass starts with these types (known from its first batch); an earlier first
    /// pass, if any, is forgotten.
    ///
    /// # Errors
    /// A listed column the input lacks, or one that does not fit its list; a bad sigma.
    pub fn start_first(&mut self, types: &ColumnTypes) -> Result<()> {
        let roles = Roles::new(&self.source, types, &self.options.clean)?;
        let fills = FillState::new(&roles, self.budget / 2, !self.medians_given);
        self.stage = Stage::First {
            roles,
            hashes: RowHashSet::new(&self.source, self.budget / 2),
            fills,
            scratch: Vec::new(),
            rows: 0,
        };
        Ok(())
    }

    /// The first pass is expected to hold `rows` rows (see
    /// [`BatchPass::expected_rows`](crate::batch::BatchPass::expected_rows)): the row hashes
    /// reserve for them, or go to disk from the start when they would not fit.
    ///
    /// # Errors
    /// The temporary files for the hashes cannot be made.
    pub fn expect_rows(&mut self, rows: usize) -> Result<()> {
        match &mut self.stage {
            Stage::First { hashes, .. } => hashes.expect_rows(rows),
            _ => Ok(()),
        }
    }

    /// A batch of the first pass.
    ///
    /// # Errors
    /// A spill that fails (a full disk).
    pub fn first(&mut self, batch: &Batch) -> Result<()> {
        let Stage::First {
            hashes,
            fills,
            scratch,
            rows,
            ..
        } = &mut self.stage
        else {
            return Ok(());
        };
        scratch.clear();
        hash::row_hashes(batch, scratch);
        hashes.extend(scratch)?;
        fills.add(batch, &Duplicates::default());
        *rows += batch.rows() as u64;
        Ok(())
    }

    /// The first pass has ended with these (final) types: the duplicates are resolved.
    ///
    /// `as_read`, what the caller's pass over the rows as read found (required with
    /// [`FusedClean::with_medians_given`]), gives each numeric column's moments and nulls, which
    /// are the fills' when no row repeats another, and the range of its median (see
    /// [`TableSummary::median_ranges`](crate::summary::TableSummary::median_ranges)); with no
    /// row repeating another, the second pass then also counts the rows the outlier rule
    /// removes, and no pass of its own is needed for the report's count
    /// ([`PreparedClean::counted_report`]).
    ///
    /// # Errors
    /// Reading back spilled hashes fails; the types no longer fit the lists; medians given
    /// without the moments of a median-filled column.
    pub fn start_second(&mut self, types: &ColumnTypes, as_read: Option<AsRead<'_>>) -> Result<()> {
        let Stage::First {
            roles,
            hashes,
            fills,
            rows,
            ..
        } = std::mem::replace(&mut self.stage, Stage::Idle)
        else {
            return Ok(());
        };
        let duplicates = hashes.duplicates()?;
        let (fills, medians) = if duplicates.count() == 0 {
            let mut fills = fills;
            if self.medians_given {
                let moments = as_read.as_ref().map_or(&[][..], |a| a.moments);
                fills
                    .take_as_read(moments)
                    .map_err(|_| changed(&self.source))?;
            }
            let medians = fills.median_pass();
            (fills, medians)
        } else {
            drop(fills);
            (FillState::new(&roles, self.budget, true), None)
        };
        let outliers = as_read
            .filter(|_| duplicates.count() == 0 && self.medians_given)
            .map(|as_read| {
                let columns = fills.median_columns().filter_map(|(j, moments, nulls)| {
                    let range = as_read.median_ranges.get(j).copied().flatten()?;
                    Some((j, *moments, nulls, range, types.is_integer(j)))
                });
                OutlierCount::new(columns, self.options.clean.sigma, self.budget / 4)
            });
        self.stage = Stage::Second {
            roles: Roles::new(&self.source, types, &self.options.clean)?,
            types: types.clone(),
            duplicates,
            fills,
            medians,
            outliers,
            rows,
            seen: 0,
        };
        Ok(())
    }

    /// Whether the second pass reads text: the fills over the distinct rows (some row repeats)
    /// count the text columns' values.
    pub fn second_reads_text(&self) -> bool {
        matches!(&self.stage, Stage::Second { duplicates, .. } if duplicates.count() > 0)
    }

    /// Whether the second pass has work: fills over the distinct rows, or medians to bracket.
    pub fn needs_second(&self) -> bool {
        match &self.stage {
            Stage::Second {
                duplicates,
                medians,
                ..
            } => duplicates.count() > 0 || medians.is_some(),
            _ => false,
        }
    }

    /// A batch of the second pass.
    pub fn second(&mut self, batch: &Batch) {
        let Stage::Second {
            duplicates,
            fills,
            medians,
            outliers,
            seen,
            ..
        } = &mut self.stage
        else {
            return;
        };
        *seen += batch.rows() as u64;
        if let Some(outliers) = outliers {
            outliers.add(batch);
        }
        if duplicates.count() == 0 {
            if let Some(medians) = medians {
                medians.add(batch, duplicates);
            }
        } else {
            fills.add(batch, duplicates);
        }
    }

    /// The plan, after one more pass over `input` (or over `spilled`, the first pass's numeric
    /// columns, when given) if the medians still need one. `medians` are the caller's, one per
    /// column, when it said it would give them.
    ///
    /// # Errors
    /// The reader's errors; an input that changed between the passes.
    pub fn finish(
        self,
        input: &Input,
        spilled: Option<&SpilledColumns>,
        medians_as_read: Option<Vec<Option<f64>>>,
        progress: &mut dyn FnMut(CleanProgress),
    ) -> Result<PreparedClean> {
        let Stage::Second {
            roles,
            types,
            duplicates,
            fills,
            medians,
            outliers,
            rows,
            seen,
        } = self.stage
        else {
            return Err(changed(&self.source));
        };
        if seen != rows && seen != 0 {
            return Err(changed(&self.source));
        }
        let given = self.medians_given && duplicates.count() == 0;
        // One pass over the numeric columns for the medians' brackets.
        let mut median_pass = |pass: &mut MedianPass| -> Result<()> {
            let _medians = brisk_profile::block("medians");
            let mut batches = numeric_pass(input, &types, spilled, self.options.batch_rows)?;
            while let Some(batch) = batches.next_batch()? {
                pass.add(&batch, &duplicates);
                tell(progress, 3, batches.as_ref());
            }
            Ok(())
        };
        let medians = if given {
            Medians::Given(medians_as_read.unwrap_or_default())
        } else {
            // The second pass fed the brackets, unless some row repeats: then the fills over the
            // distinct rows take a pass of their own.
            let mut pending = medians;
            if pending.is_none() && duplicates.count() > 0 {
                pending = fills.median_pass();
                if let Some(pass) = &mut pending {
                    median_pass(pass)?;
                }
            }
            // Rarely, a crowded bucket: more passes narrow it.
            if let Some(pass) = &mut pending {
                while pass.needs_another_pass() {
                    pass.another_pass().map_err(|_| changed(&self.source))?;
                    median_pass(pass)?;
                }
            }
            Medians::Own(pending)
        };
        let mut plan = fills
            .finish(&roles, &types, self.options.clean.sigma, medians)
            .map_err(|_| changed(&self.source))?;
        plan.report.rows_in = rows;
        plan.report.duplicates_removed = duplicates.count();
        let outliers = outliers.filter(|_| seen == rows);
        let settled = vec![false; types.len()];
        Ok(PreparedClean {
            types,
            duplicates,
            plan,
            rows,
            outliers,
            settled,
        })
    }
}

/// The cleaning's passes alone: duplicates (with the fills, when no row repeats), then the fills
/// or the medians' bracket, then the medians when still needed, then pandas' bounds.
///
/// # Errors
/// The reader's errors; a listed column the input lacks or that does not fit its list; a spill
/// that fails (a full disk); an input that changes between the passes.
pub fn prepare(
    input: &Input,
    options: &StreamOptions,
    progress: &mut dyn FnMut(CleanProgress),
) -> Result<PreparedClean> {
    let mut fused = FusedClean::new(input.name(), options);
    let duplicates_stage = brisk_profile::block("duplicates");
    let mut fixed: Option<ColumnTypes> = None;
    let (types, spill) = loop {
        let mut batches = match &fixed {
            None => Batches::open(input, options.batch_rows)?,
            Some(types) => Batches::with_types(input, types, options.batch_rows)?,
        };
        // The numeric columns, for the later passes that read only them.
        let mut spill: Option<NumericSpill> = None;
        let mut started = false;
        let mut fused_rows = 0u64;
        while let Some(batch) = batches.next_batch()? {
            if !started {
                fused.start_first(batches.types())?;
                spill = NumericSpill::new(batches.types());
                started = true;
            }
            if let Some(rows) = batches.expected_rows(fused_rows + batch.rows() as u64) {
                fused.expect_rows(rows)?;
            }
            fused_rows += batch.rows() as u64;
            fused.first(&batch)?;
            if let Some(spill) = &mut spill {
                spill.add(&batch);
            }
            tell(progress, 1, &batches);
        }
        if !started {
            fused.start_first(batches.types())?;
        }
        let types = batches.types().clone();
        if types.turned_late() && fixed.is_none() {
            // The hashes and fills of the rows read as numbers are not the text's: again.
            fixed = Some(types);
            continue;
        }
        break (types, spill);
    };
    let spilled = spill.and_then(NumericSpill::finish);
    fused.start_second(&types, None)?;
    drop(duplicates_stage);
    if fused.needs_second() {
        let _fills = brisk_profile::block("fills");
        let mut batches = numeric_pass(
            input,
            &types,
            spilled.as_ref().filter(|_| !fused.second_reads_text()),
            options.batch_rows,
        )?;
        while let Some(batch) = batches.next_batch()? {
            fused.second(&batch);
            tell(progress, 2, batches.as_ref());
        }
    }
    let mut prepared = fused.finish(input, spilled.as_ref(), None, progress)?;
    prepared.settle_bounds(input, spilled.as_ref(), options.batch_rows, progress)?;
    Ok(prepared)
}

/// A pass that reads numbers: replayed from `spilled` when given (the first pass's numeric
/// columns), else the input read again.
fn numeric_pass<'a>(
    input: &Input,
    types: &ColumnTypes,
    spilled: Option<&SpilledColumns>,
    batch_rows: usize,
) -> Result<Box<dyn BatchPass + 'a>> {
    match spilled.and_then(|s| s.replay(types)) {
        Some(replay) => Ok(Box::new(replay)),
        None => Ok(Box::new(Batches::with_types(input, types, batch_rows)?)),
    }
}

fn tell(progress: &mut dyn FnMut(CleanProgress), pass: u8, batches: &dyn BatchPass) {
    let (bytes, total) = batches.progress();
    progress(CleanProgress { pass, bytes, total });
}

/// `brisk clean` to delimited text: the prepared passes, then the output pass. Returns the
/// cleaning report; the output is byte-identical to writing
/// [`clean_dataset`](crate::frame::clean_dataset)'s frame with
/// [`write_csv`](crate::frame::write_csv).
///
/// # Errors
/// As [`prepare`]; a failed write.
///
/// ```
/// use brisk_data::cleaning::{clean_to_csv, StreamOptions};
/// use brisk_data::frame::CleanOptions;
/// use brisk_data::input::{Format, Input};
/// let text = "x,c\n1,A\n1,A\nNA,b\n3,\n2,b\n";
/// let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
/// let options = StreamOptions { clean: CleanOptions::default(), memory_limit: 1 << 30, batch_rows: 2 };
/// let mut out = Vec::new();
/// let report = clean_to_csv(&input, &options, &mut out, b',', &mut |_| {}).unwrap();
/// assert_eq!(report.duplicates_removed, 1);
/// assert_eq!(String::from_utf8(out).unwrap(), "x,c\n1.0,a\n2.0,b\n3.0,b\n2.0,b\n");
/// ```
pub fn clean_to_csv(
    input: &Input,
    options: &StreamOptions,
    out: &mut dyn Write,
    delimiter: u8,
    progress: &mut dyn FnMut(CleanProgress),
) -> Result<CleanReport> {
    let prepared = prepare(input, options, progress)?;
    let _write = brisk_profile::block("write");
    let io_error = |e: std::io::Error| {
        DataError::new(
            ErrorKind::Io,
            Location::source(input.name()),
            format!("cannot write the cleaned rows: {e}"),
        )
    };
    let mut text = Vec::new();
    write_header(prepared.types.names(), delimiter, &mut text);
    out.write_all(&text).map_err(io_error)?;
    let mut outliers = 0;
    let mut texts: Vec<Vec<u8>> = Vec::new();
    let mut batches = Batches::with_types(input, &prepared.types, options.batch_rows)?;
    while let Some(batch) = batches.next_batch()? {
        let (rows, dropped) = surviving_rows(&batch, &prepared.plan, &prepared.duplicates);
        outliers += dropped;
        // The rows are written as text in pieces side by side, then in order.
        let pieces = rows.len().div_ceil(WRITE_PIECE_ROWS);
        if texts.len() < pieces {
            texts.resize_with(pieces, Vec::new);
        }
        texts[..pieces]
            .par_iter_mut()
            .zip(rows.par_chunks(WRITE_PIECE_ROWS))
            .for_each(|(text, rows)| {
                text.clear();
                write_rows(
                    &batch,
                    rows,
                    &prepared.plan,
                    &prepared.types,
                    delimiter,
                    text,
                );
            });
        for text in &texts[..pieces] {
            out.write_all(text).map_err(io_error)?;
        }
        let (bytes, total) = batches.progress();
        progress(CleanProgress {
            pass: 5,
            bytes,
            total,
        });
    }
    finish_report(&prepared, outliers, batches.rows_read(), input.name())
}

/// The cleaning report of prepared passes, from one more pass that counts the outliers (the
/// report page's cleaning section, which writes no rows).
///
/// # Errors
/// The reader's errors; an input that changed since the prepared passes.
pub fn count_surviving(
    input: &Input,
    prepared: &PreparedClean,
    batch_rows: usize,
) -> Result<CleanReport> {
    let mut outliers = 0;
    let mut batches = Batches::with_types(input, &prepared.types, batch_rows)?;
    while let Some(batch) = batches.next_batch()? {
        outliers += surviving_rows(&batch, &prepared.plan, &prepared.duplicates).1;
    }
    finish_report(prepared, outliers, batches.rows_read(), input.name())
}

fn finish_report(
    prepared: &PreparedClean,
    outliers: u64,
    rows: u64,
    source: &str,
) -> Result<CleanReport> {
    if rows != prepared.rows {
        return Err(changed(source));
    }
    let kept = prepared.rows - prepared.duplicates.count() - outliers;
    Ok(prepared.report(kept))
}

/// The cleaned rows of an input as batches, for jobs that analyse the cleaned table.
pub struct CleanedBatches<'a> {
    prepared: &'a PreparedClean,
    batches: Batches,
    next_row: u64,
}

impl<'a> CleanedBatches<'a> {
    /// A pass over the cleaned rows of `input`.
    ///
    /// # Errors
    /// The input cannot be opened again.
    pub fn open(input: &Input, prepared: &'a PreparedClean, batch_rows: usize) -> Result<Self> {
        Ok(CleanedBatches {
            prepared,
            batches: Batches::with_types(input, &prepared.types, batch_rows)?,
            next_row: 0,
        })
    }
}

impl BatchPass for CleanedBatches<'_> {
    /// The next batch of cleaned rows (possibly empty); `None` at the end.
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        let Some(batch) = self.batches.next_batch()? else {
            return Ok(None);
        };
        let (rows, _) = surviving_rows(&batch, &self.prepared.plan, &self.prepared.duplicates);
        let cleaned = cleaned_batch(&batch, &rows, &self.prepared.plan, self.next_row);
        self.next_row += rows.len() as u64;
        Ok(Some(cleaned))
    }

    fn types(&self) -> &ColumnTypes {
        &self.prepared.types
    }

    fn progress(&self) -> (u64, Option<u64>) {
        self.batches.progress()
    }
}
