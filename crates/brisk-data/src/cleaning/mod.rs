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
//! 3. **output**: each row that is not a duplicate and has no value beyond its bounds, filled and
//!    lowercased, written as pandas' `to_csv` writes it (or handed on as cleaned batches).
//!
//! A column that turns to text after numeric rows changes the row hashes: the first pass then
//! runs again with the final types.

mod apply;
mod dedupe;
mod fill;
mod hash;
mod roles;

use std::io::Write;

pub use dedupe::Duplicates;
pub use fill::CleanPlan;

use self::apply::{cleaned_batch, surviving_rows, write_header, write_rows};
use self::dedupe::RowHashSet;
use self::fill::FillState;
use self::roles::Roles;
use crate::batch::{Batch, BatchPass, Batches, ColumnTypes};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::frame::{CleanOptions, CleanReport};
use crate::input::Input;

/// Bytes a pass needs beside its accumulators: batches in flight.
const WORKING_BYTES: u64 = 64 << 20;

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
    /// 1 (duplicates), 2 (fills), 3 (exact medians, when needed) or 4 (output).
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
}

impl PreparedClean {
    /// The column types.
    pub fn types(&self) -> &ColumnTypes {
        &self.types
    }

    /// The cleaning report, once a pass has counted the rows that survive.
    pub fn report(&self, rows_out: u64) -> CleanReport {
        let mut report = self.plan.report.clone();
        report.rows_out = rows_out;
        report.outlier_rows_removed = report.rows_in - report.duplicates_removed - rows_out;
        report
    }
}

fn changed(source: &str) -> DataError {
    DataError::new(
        ErrorKind::Io,
        Location::source(source),
        "the file changed between the passes over it; run again on a file at rest",
    )
}

/// Passes 1 and 2 (and the median pass when needed): duplicates, then fill values and bounds.
///
/// # Errors
/// The reader's errors; a listed column the input lacks or that does not fit its list; a spill
/// that fails (a full disk); an input that changes between the passes.
pub fn prepare(
    input: &Input,
    options: &StreamOptions,
    progress: &mut dyn FnMut(CleanProgress),
) -> Result<PreparedClean> {
    let source = input.name();
    let budget = options.memory_limit.saturating_sub(WORKING_BYTES);
    let mut report_pass = |pass: u8, batches: &Batches| {
        let (bytes, total) = batches.progress();
        progress(CleanProgress { pass, bytes, total });
    };
    let duplicates_stage = brisk_profile::block("duplicates");
    // Pass 1: row hashes (again with the final types if a column turned to text late).
    let mut fixed: Option<ColumnTypes> = None;
    let (types, duplicates, rows) = loop {
        let mut batches = match &fixed {
            None => Batches::open(input, options.batch_rows)?,
            Some(types) => Batches::with_types(input, types, options.batch_rows)?,
        };
        let mut hashes = RowHashSet::new(source, budget);
        let mut scratch = Vec::new();
        while let Some(batch) = batches.next_batch()? {
            scratch.clear();
            hash::row_hashes(&batch, &mut scratch);
            hashes.extend(&scratch)?;
            report_pass(1, &batches);
        }
        let types = batches.types().clone();
        if types.turned_late() && fixed.is_none() {
            fixed = Some(types);
            continue;
        }
        break (types, hashes.duplicates()?, batches.rows_read());
    };
    drop(duplicates_stage);
    let roles = Roles::new(source, &types, &options.clean)?;
    let fills_stage = brisk_profile::block("fills");
    // Pass 2: fill values over the distinct rows.
    let mut fills = FillState::new(&roles, budget);
    let mut batches = Batches::with_types(input, &types, options.batch_rows)?;
    while let Some(batch) = batches.next_batch()? {
        fills.add(&batch, &duplicates);
        report_pass(2, &batches);
    }
    if batches.rows_read() != rows {
        return Err(changed(source));
    }
    drop(fills_stage);
    let medians = match fills.median_pass() {
        None => None,
        Some(mut pass) => {
            let _medians = brisk_profile::block("medians");
            let mut batches = Batches::with_types(input, &types, options.batch_rows)?;
            while let Some(batch) = batches.next_batch()? {
                pass.add(&batch, &duplicates);
                report_pass(3, &batches);
            }
            Some(pass)
        }
    };
    let mut plan = fills
        .finish(&roles, &types, options.clean.sigma, medians)
        .map_err(|_| changed(source))?;
    plan.report.rows_in = rows;
    plan.report.duplicates_removed = duplicates.count();
    Ok(PreparedClean {
        types,
        duplicates,
        plan,
        rows,
    })
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
    let mut batches = Batches::with_types(input, &prepared.types, options.batch_rows)?;
    while let Some(batch) = batches.next_batch()? {
        let (rows, dropped) = surviving_rows(&batch, &prepared.plan, &prepared.duplicates);
        outliers += dropped;
        text.clear();
        write_rows(
            &batch,
            &rows,
            &prepared.plan,
            &prepared.types,
            delimiter,
            &mut text,
        );
        out.write_all(&text).map_err(io_error)?;
        let (bytes, total) = batches.progress();
        progress(CleanProgress {
            pass: 4,
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
