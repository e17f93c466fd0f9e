//! Per-column statistics of a table in bounded memory (`brisk stats`, exercise C.5).
//!
//! One streaming pass reads CSV chunk by chunk. Each numeric column folds every chunk into mergeable
//! moments ([`Moments`]) and keeps its values for exact quantiles while the memory limit allows;
//! past it every column switches to a sketch with a hard rank-error bound, and a second pass over the
//! file keeps only the values between the sketch's bracket to select the exact order statistics. A
//! column that turns out to be text after numbers were read has those rows' text counted in that
//! same second pass. Results therefore do not depend on the chunk size.
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

mod column;
pub(crate) mod text;

use std::path::Path;

use brisk_kernels::stats::{Convention, InputChanged, QuantileBracket};
use rayon::prelude::*;
use serde::Serialize;

use self::column::{ColumnState, Values};
use crate::csv::{Chunks, Parsed};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::{Format, Input};
use crate::table::TableColumn;
use crate::{npy, parquet};

/// The quantiles every numeric column reports.
pub(crate) const QUARTILES: [f64; 3] = [0.25, 0.5, 0.75];

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
    fn new(convention: Convention, approx: bool, rank_error: Option<f64>) -> Self {
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
    match input.format() {
        Format::Csv | Format::Tsv => CsvJob::new(input, options)?.run(progress),
        Format::Npy => {
            let matrix = npy::read_matrix(input)?;
            let names: Vec<String> = (0..matrix.ncols()).map(|j| j.to_string()).collect();
            let picked = pick_columns(input, &names, options)?;
            // Each column is finished as soon as it is read, so memory holds the matrix and one
            // column per thread, not a second copy of every column.
            let finished = picked
                .par_iter()
                .map(|&j| {
                    let mut state = ColumnState::new(names[j].clone(), false);
                    state.add_numbers(matrix.column(j).iter().copied());
                    finish_column(state, None, options)
                })
                .collect();
            report(input, matrix.nrows() as u64, finished, options)
        }
        Format::Parquet => {
            let table = parquet::read_table(input)?;
            let names: Vec<String> = table.iter().map(|c| c.name().to_owned()).collect();
            let picked = pick_columns(input, &names, options)?;
            let rows = table.first().map_or(0, TableColumn::len);
            let finished = picked
                .par_iter()
                .map(|&j| {
                    let mut state = ColumnState::new(names[j].clone(), false);
                    match &table[j] {
                        TableColumn::Numeric { values, .. } => {
                            state.add_numbers(values.iter().copied());
                        }
                        TableColumn::Text { values, .. } => {
                            state.add_texts(values.iter().map(Option::as_deref));
                        }
                    }
                    finish_column(state, None, options)
                })
                .collect();
            report(input, rows as u64, finished, options)
        }
    }
}

/// The indices of the requested columns, or an error naming the unknown one.
fn pick_columns(input: &Input, names: &[String], options: &StatsOptions) -> Result<Vec<usize>> {
    let Some(wanted) = &options.columns else {
        return Ok((0..names.len()).collect());
    };
    wanted
        .iter()
        .map(|w| {
            names.iter().position(|n| n == w).ok_or_else(|| {
                DataError::new(
                    ErrorKind::UnknownColumn,
                    Location::source(input.name()),
                    format!(
                        "no column named {w:?}; the columns are: {}",
                        names.join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// The figures of one column and, for a sketched one, its rank-error bound.
fn finish_column(
    state: ColumnState,
    bracket: Option<QuantileBracket>,
    options: &StatsOptions,
) -> Result<Finished, InputChanged> {
    let name = state.name.clone();
    let (summary, rank_error) = state.finish(options.convention, bracket)?;
    Ok((ColumnStats { name, summary }, rank_error))
}

/// One finished column: its figures and, for a sketched one, its rank-error bound.
type Finished = (ColumnStats, Option<f64>);

/// The report from the finished columns; a second pass that did not see the first pass's values
/// means the file changed in between.
fn report(
    input: &Input,
    rows: u64,
    finished: Result<Vec<Finished>, InputChanged>,
    options: &StatsOptions,
) -> Result<StatsReport> {
    let finished = finished.map_err(|InputChanged| {
        DataError::new(
            ErrorKind::Io,
            Location::source(input.name()),
            "the file changed between the two passes over it; run again on a file at rest",
        )
    })?;
    let worst_rank_error = finished.iter().filter_map(|(_, e)| *e).reduce(f64::max);
    Ok(StatsReport {
        source: input.name().to_owned(),
        rows,
        conventions: Conventions::new(options.convention, options.approx, worst_rank_error),
        columns: finished.into_iter().map(|(column, _)| column).collect(),
    })
}

/// The streaming job over a CSV or TSV input.
struct CsvJob<'a> {
    input: &'a Input,
    options: &'a StatsOptions,
    /// File column index of each summarised column.
    picked: Vec<usize>,
    states: Vec<ColumnState>,
    /// Bytes that kept values may occupy.
    value_budget: u64,
    rows: u64,
}

impl<'a> CsvJob<'a> {
    fn new(input: &'a Input, options: &'a StatsOptions) -> Result<Self> {
        let header = input.csv(1)?.header().to_vec();
        let picked = pick_columns(input, &header, options)?;
        let states = picked
            .iter()
            .map(|&j| ColumnState::new(header[j].clone(), options.approx))
            .collect();
        Ok(CsvJob {
            input,
            options,
            picked,
            states,
            value_budget: options.memory_limit.saturating_sub(WORKING_BYTES),
            rows: 0,
        })
    }

    fn run(mut self, progress: &mut dyn FnMut(Progress)) -> Result<StatsReport> {
        let total = self.input.len();
        let reader = self.input.csv(self.options.chunk_rows)?;
        let mut chunks = Chunks::new(reader, rayon::current_num_threads());
        while let Some(Parsed { chunk, bytes_read }) = chunks.next_chunk()? {
            self.make_room(chunk.rows(), bytes_read, total);
            let first_row = self.rows;
            self.states
                .par_iter_mut()
                .zip(&self.picked)
                .for_each(|(state, &j)| state.add_fields(chunk.column(j), first_row));
            self.rows += chunk.rows() as u64;
            chunks.recycle(chunk);
            progress(Progress {
                pass: 1,
                bytes: bytes_read,
                total,
            });
        }
        let brackets = self.second_pass(progress)?;
        let finished = self
            .states
            .into_par_iter()
            .zip(brackets)
            .map(|(state, bracket)| finish_column(state, bracket, self.options))
            .collect();
        report(self.input, self.rows, finished, self.options)
    }

    /// Grows the kept values for `rows` more rows, or moves every column to its sketch when that
    /// would pass the budget. The first growth reserves for the whole file, estimated from the
    /// bytes per row so far, so that vectors are not doubled past need.
    fn make_room(&mut self, rows: usize, bytes_read: u64, total: Option<u64>) {
        let expected_rows = match total {
            Some(total) if bytes_read > 0 => {
                let seen = (self.rows + rows as u64) as f64;
                (seen * total as f64 / bytes_read as f64 * 1.02) as usize
            }
            _ => 0,
        };
        let mut planned = 0u64;
        let mut plans = Vec::with_capacity(self.states.len());
        for state in &mut self.states {
            let Some(kept) = state.kept_mut() else {
                plans.push(None);
                continue;
            };
            let need = kept.len() + rows;
            let capacity = if need <= kept.capacity() {
                kept.capacity()
            } else if kept.capacity() == 0 {
                need.max(expected_rows)
            } else {
                need.max(kept.capacity() * 2)
            };
            planned += capacity as u64 * 8;
            plans.push(Some(capacity));
        }
        if planned > self.value_budget {
            self.states
                .iter_mut()
                .for_each(ColumnState::start_sketching);
            return;
        }
        for (state, plan) in self.states.iter_mut().zip(plans) {
            if let (Some(kept), Some(capacity)) = (state.kept_mut(), plan) {
                kept.reserve_exact(capacity - kept.len());
            }
        }
    }

    /// Reads the file again for exact quantiles of sketched columns and the text of columns that
    /// turned out to be text; nothing when no column needs it.
    fn second_pass(
        &mut self,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Option<QuantileBracket>>> {
        let mut brackets: Vec<Option<QuantileBracket>> = self
            .states
            .iter()
            .map(|state| match &state.numeric {
                Some(numeric) if !self.options.approx => match &numeric.values {
                    Values::Sketched(sketch) => Some(QuantileBracket::new(sketch, &QUARTILES)),
                    Values::Kept(_) => None,
                },
                _ => None,
            })
            .collect();
        let rescans: Vec<bool> = self
            .states
            .iter()
            .map(ColumnState::needs_text_rescan)
            .collect();
        if brackets.iter().all(Option::is_none) && !rescans.contains(&true) {
            return Ok(brackets);
        }
        let total = self.input.len();
        let reader = self.input.csv(self.options.chunk_rows)?;
        let mut chunks = Chunks::new(reader, rayon::current_num_threads());
        let mut row = 0u64;
        while let Some(Parsed { chunk, bytes_read }) = chunks.next_chunk()? {
            for (k, &j) in self.picked.iter().enumerate() {
                if let Some(bracket) = &mut brackets[k] {
                    for field in chunk.column(j) {
                        if let Some(x) = crate::value::parse_number(field) {
                            bracket.add(x);
                        }
                    }
                } else if rescans[k] {
                    let state = &mut self.states[k];
                    let until = state.text_from_row;
                    for (i, field) in chunk.column(j).enumerate() {
                        let r = row + i as u64;
                        if r >= until {
                            break;
                        }
                        state.rescan_field(field, r);
                    }
                }
            }
            row += chunk.rows() as u64;
            chunks.recycle(chunk);
            progress(Progress {
                pass: 2,
                bytes: bytes_read,
                total,
            });
        }
        Ok(brackets)
    }
}

#[cfg(test)]
mod tests;
