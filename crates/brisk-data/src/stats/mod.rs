//! Per-column statistics of a table in bounded memory (`brisk stats`, exercise C.5).
//!
//! The input (CSV/TSV, Parquet or `.npy`) is read as typed batches ([`crate::batch::Batches`],
//! the one type inference) into a [`crate::summary::TableSummary`]. Each numeric column folds every
//! batch into mergeable moments and keeps its values for exact quantiles while the memory limit
//! allows; past it every column counts its values in a [`KeyHistogram`](brisk_kernels::stats::KeyHistogram),
//! and a second pass keeps only the values of the buckets that hold the quartiles' ranks to select
//! the exact order statistics (rarely, a crowded bucket takes one more pass). A
//! column that turns out to be text after numbers were read has the first pass run again with the
//! final types, so all its text is counted. Results therefore do not depend on the chunk size.
//!
//! ```
//! use brisk_data::stats::{chunked_statistics, StatsOptions, Summary};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("t.csv");
//! std::fs::write(&path, "x,label\n1,a\n2,b\n3,a\nNA,\n10,c\n").unwrap();
//! let report = chunked_statistics(&path, &StatsOptions { chunk_rows: 2, ..Default::default() }).unwrap();
//! let Summary::Numeric(x) = &report.columns[0].summary else { panic!() };
//! assert_eq!((x.count, x.null_count, x.mean, x.median), (4, 1, Some(4.0), Some(2.5)));
//! let Summary::Categorical(label) = &report.columns[1].summary else { panic!() };
//! assert_eq!((label.unique, label.top.as_deref(), label.freq), (3, Some("a"), Some(2)));
//! ```

use std::path::Path;

use brisk_kernels::stats::{Convention, InputChanged, Moments};
use serde::Serialize;

use crate::batch::{BatchPass, Batches};
use crate::dates::{format_timedelta, format_timestamp};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::Input;
use crate::summary::TableSummary;
use crate::timeline::Timeline;

/// Bytes the job itself needs beside kept values: two chunks of text and their field bounds.
const WORKING_BYTES: u64 = 48 << 20;

/// How to compute the statistics.
#[derive(Debug, Clone)]
pub struct StatsOptions {
    /// Only these columns, in this order; all columns in file order when `None`.
    pub columns: Option<Vec<String>>,
    /// Sample (pandas) or population (NumPy/SciPy) normalisation.
    pub convention: Convention,
    /// One pass with a quantile sketch instead of exact quantiles.
    pub approx: bool,
    /// Records per chunk.
    pub chunk_rows: usize,
    /// Memory for kept values and working buffers, in bytes.
    pub memory_limit: u64,
}

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions {
            columns: None,
            convention: Convention::Sample,
            approx: false,
            chunk_rows: 65_536,
            memory_limit: default_memory_limit(),
        }
    }
}

/// A quarter of the machine's memory (4 GiB when it cannot be read).
pub fn default_memory_limit() -> u64 {
    let total_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        });
    total_kib.map_or(4 << 30, |kib| kib * 1024 / 4)
}

/// The statistics of a table.
#[derive(Debug, Clone, Serialize)]
pub struct StatsReport {
    /// The input as named by the user.
    pub source: String,
    /// Data rows (the header excluded).
    pub rows: u64,
    /// How the figures are defined.
    pub conventions: Conventions,
    /// One entry per column.
    pub columns: Vec<ColumnStats>,
}

/// The definitions behind the figures.
#[derive(Debug, Clone, Serialize)]
pub struct Conventions {
    /// Delta degrees of freedom of `std`.
    pub ddof: u8,
    /// The skewness estimator.
    pub skewness: &'static str,
    /// The kurtosis estimator.
    pub kurtosis: &'static str,
    /// How quantiles are computed.
    pub quantiles: &'static str,
    /// The largest rank-error bound of the sketched columns (a fraction of the count), with
    /// `--approx`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_error: Option<f64>,
}

impl Conventions {
    /// The definitions of exact or (`approx`) sketched figures.
    pub(crate) fn new(convention: Convention, approx: bool, rank_error: Option<f64>) -> Self {
        let (ddof, skewness, kurtosis) = match convention {
            Convention::Sample => (
                1,
                "adjusted Fisher-Pearson G1 (pandas Series.skew)",
                "bias-corrected excess G2 (pandas Series.kurt)",
            ),
            Convention::Population => (
                0,
                "biased g1 (scipy.stats.skew)",
                "biased excess g2 (scipy.stats.kurtosis)",
            ),
        };
        let quantiles = if approx {
            "approximate: compactor sketch, k = 4096, rank error at most rank_error x count"
        } else {
            "exact, linear interpolation (numpy.quantile)"
        };
        Conventions {
            ddof,
            skewness,
            kurtosis,
            quantiles,
            rank_error,
        }
    }
}

impl Conventions {
    /// The definitions of figures whose quartiles were estimated from merged histograms.
    pub(crate) fn estimated(convention: Convention, rank_error: Option<f64>) -> Self {
        Conventions {
            quantiles: "approximate: placed within the histogram bucket (4096 a sign) that holds \
                        each rank, rank error at most rank_error x count",
            ..Conventions::new(convention, true, rank_error)
        }
    }
}

/// The statistics of one column.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnStats {
    /// The column's name.
    pub name: String,
    /// Its figures, by type.
    #[serde(flatten)]
    pub summary: Summary,
}

/// The figures of a column, by its type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Summary {
    /// Every non-null value is a number.
    Numeric(NumericSummary),
    /// Some value is text.
    Categorical(CategoricalSummary),
    /// Every non-null value is `True` or `False`.
    Bool(BoolSummary),
    /// Every non-null value is a date or date-time.
    Datetime(DatetimeSummary),
}

impl Summary {
    /// Non-null values, whatever the type.
    pub fn count(&self) -> u64 {
        match self {
            Summary::Numeric(s) => s.count,
            Summary::Categorical(s) => s.count,
            Summary::Bool(s) => s.count,
            Summary::Datetime(s) => s.count,
        }
    }

    /// Null values, whatever the type.
    pub fn null_count(&self) -> u64 {
        match self {
            Summary::Numeric(s) => s.null_count,
            Summary::Categorical(s) => s.null_count,
            Summary::Bool(s) => s.null_count,
            Summary::Datetime(s) => s.null_count,
        }
    }
}

/// The figures of a numeric column; `None` where undefined.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumericSummary {
    /// Non-null values.
    pub count: u64,
    /// Null values.
    pub null_count: u64,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Standard deviation.
    pub std: Option<f64>,
    /// Minimum.
    pub min: Option<f64>,
    /// First quartile.
    pub q25: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// Third quartile.
    pub q75: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
    /// Skewness.
    pub skewness: Option<f64>,
    /// Excess kurtosis.
    pub kurtosis: Option<f64>,
    /// With `--approx`: the bound on the quantiles' rank error, as a fraction of `count`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank_error: Option<f64>,
}

/// The figures of a text column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoricalSummary {
    /// Non-null values.
    pub count: u64,
    /// Null values.
    pub null_count: u64,
    /// Distinct non-null values.
    pub unique: u64,
    /// The most frequent value (ties: the first seen).
    pub top: Option<String>,
    /// How often `top` occurs.
    pub freq: Option<u64>,
}

/// The figures of a boolean column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoolSummary {
    /// Non-null values.
    pub count: u64,
    /// Null values.
    pub null_count: u64,
    /// Values that are `True`.
    pub true_count: u64,
    /// `true_count / count` (the column's mean as pandas takes a bool column's); `None` without
    /// a value.
    pub true_share: Option<f64>,
}

impl BoolSummary {
    /// The figures of a boolean column from the moments of its 1s and 0s.
    pub(crate) fn from_moments(moments: &Moments, null_count: u64) -> Self {
        let count = moments.count();
        // The mean of 0s and 1s times their count is the integer count of 1s, to rounding.
        let true_count = moments
            .mean()
            .map_or(0, |m| (m * count as f64).round() as u64);
        BoolSummary {
            count,
            null_count,
            true_count,
            true_share: (count > 0).then(|| true_count as f64 / count as f64),
        }
    }
}

/// The figures of a date-time column: pandas' `describe` of a `datetime64` column's count, min
/// and max (printed as pandas prints a `Timestamp`), and the range between them (as it prints a
/// `Timedelta`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatetimeSummary {
    /// Non-null values.
    pub count: u64,
    /// Null values.
    pub null_count: u64,
    /// The earliest value, `YYYY-MM-DD HH:MM:SS` (UTC); `None` without a value.
    pub min: Option<String>,
    /// The latest value.
    pub max: Option<String>,
    /// `max − min`, `N days HH:MM:SS`.
    pub range: Option<String>,
    /// The values over time: a count per calendar period from the earliest to the latest
    /// ([`crate::timeline`]); `None` without a value.
    pub histogram: Option<Timeline>,
}

impl DatetimeSummary {
    /// The figures of a date-time column from its count, nulls, the seconds of its earliest
    /// and latest values, and its histogram over time.
    pub(crate) fn new(
        count: u64,
        null_count: u64,
        range: Option<(f64, f64)>,
        histogram: Option<Timeline>,
    ) -> Self {
        let range = range.filter(|_| count > 0);
        DatetimeSummary {
            count,
            null_count,
            min: range.map(|(lo, _)| format_timestamp(lo)),
            max: range.map(|(_, hi)| format_timestamp(hi)),
            range: range.map(|(lo, hi)| format_timedelta(hi - lo)),
            histogram,
        }
    }
}

/// Progress of a long job: bytes read of the current pass, and the pass's total when known.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// 1 for the first pass, 2 for the second.
    pub pass: u8,
    /// Bytes read so far in this pass.
    pub bytes: u64,
    /// Bytes in the whole input, when known.
    pub total: Option<u64>,
}

/// The statistics of the file at `path` (exercise C.5's `chunked_statistics`).
pub fn chunked_statistics(path: impl AsRef<Path>, options: &StatsOptions) -> Result<StatsReport> {
    let input = Input::open(path.as_ref())?;
    statistics(&input, options, &mut |_| {})
}

/// The statistics of an input, reporting progress as it reads.
///
/// The input is read as typed batches ([`Batches`]) into a [`TableSummary`]. A column that turns
/// to text after numeric batches has the first pass run again with the final types, so that its
/// text is counted from the first row; counted columns get a second pass (rarely more) for exact
/// quartiles.
pub fn statistics(
    input: &Input,
    options: &StatsOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<StatsReport> {
    if options.chunk_rows == 0 {
        return Err(DataError::new(
            ErrorKind::InvalidArgument,
            Location::source(input.name()),
            "--chunk-rows must be at least 1",
        ));
    }
    let mut batches = Batches::open(input, options.chunk_rows)?;
    let picked = pick_columns(
        input.name(),
        batches.types().names(),
        options.columns.as_deref(),
    )?;
    let mut summary = first_pass(&mut batches, &picked, options, progress)?;
    if batches.types().turned_late() {
        let types = batches.types().clone();
        batches = Batches::with_types(input, &types, options.chunk_rows)?;
        summary = first_pass(&mut batches, &picked, options, progress)?;
    }
    let changed = |InputChanged| {
        DataError::new(
            ErrorKind::Io,
            Location::source(input.name()),
            "the file changed between the passes over it; run again on a file at rest",
        )
    };
    let second = if summary.needs_second_pass() {
        let mut pass = summary.quartile_pass();
        // Pass 2, and rarely more: a crowded bucket takes another.
        for number in 2u8.. {
            let mut again = Batches::with_types(input, batches.types(), options.chunk_rows)?;
            while let Some(batch) = again.next_batch()? {
                pass.add(&batch);
                let (bytes, total) = again.progress();
                progress(Progress {
                    pass: number,
                    bytes,
                    total,
                });
            }
            if !pass.needs_another_pass() {
                break;
            }
            pass.another_pass().map_err(changed)?;
        }
        Some(pass)
    } else {
        None
    };
    let rows = summary.rows();
    let columns = summary.finish(batches.types(), second).map_err(changed)?;
    let worst_rank_error = columns
        .iter()
        .filter_map(|c| match &c.summary {
            Summary::Numeric(s) => s.rank_error,
            Summary::Categorical(_) | Summary::Bool(_) | Summary::Datetime(_) => None,
        })
        .reduce(f64::max);
    Ok(StatsReport {
        source: input.name().to_owned(),
        rows,
        conventions: Conventions::new(options.convention, options.approx, worst_rank_error),
        columns,
    })
}

/// One pass over `batches` into a summary of the `picked` columns, with the types the pass
/// starts with.
fn first_pass(
    batches: &mut Batches,
    picked: &[usize],
    options: &StatsOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<TableSummary> {
    let types = batches.types();
    let mut summary = TableSummary::new(types, options.memory_limit.saturating_sub(WORKING_BYTES))
        .select(types, picked.to_vec())
        .convention(options.convention);
    if options.approx {
        summary = summary.approximate();
    }
    while let Some(batch) = batches.next_batch()? {
        if let Some(rows) = batches.expected_rows(summary.rows() + batch.rows() as u64) {
            summary.expect_rows(rows);
        }
        summary.add(&batch, batches.types());
        let (bytes, total) = batches.progress();
        progress(Progress {
            pass: 1,
            bytes,
            total,
        });
    }
    Ok(summary)
}

/// The indices of the `wanted` columns among `names` (all of them when `None`), or an error
/// naming `source` and the unknown column.
pub(crate) fn pick_columns(
    source: &str,
    names: &[String],
    wanted: Option<&[String]>,
) -> Result<Vec<usize>> {
    let Some(wanted) = wanted else {
        return Ok((0..names.len()).collect());
    };
    wanted
        .iter()
        .map(|w| {
            names.iter().position(|n| n == w).ok_or_else(|| {
                DataError::new(
                    ErrorKind::UnknownColumn,
                    Location::source(source),
                    format!(
                        "no column named {w:?}; the columns are: {}",
                        names.join(", ")
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
