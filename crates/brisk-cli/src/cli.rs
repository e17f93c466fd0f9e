//! The command line, as clap derive types; doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::size::ByteSize;

/// brisk — the array kernels of NumPy, the dataset jobs of pandas and a profiler, in one fast binary.
///
/// Inputs are paths ending in .csv, .tsv, .parquet or .npy, or - for CSV on standard input. CSV
/// follows RFC 4180 and pandas' read_csv defaults: the first row is the header, pandas' null tokens
/// (empty, NA, NaN, null, None, #N/A, ...) are missing, and a column is numeric when every non-null
/// value is a number. Exit status: 0 on success, 1 for bad data or arguments, 2 for usage errors.
#[derive(Debug, Parser)]
#[command(name = "brisk", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Per-column statistics in one streaming pass and bounded memory (pandas' describe, skew, kurt).
    ///
    /// Numeric columns: count, null_count, mean, std, min, q25, median, q75, max, skewness,
    /// kurtosis. Text columns: count, null_count, unique, top (most frequent; ties go to the value
    /// seen first), freq. Defaults follow pandas: std with ddof = 1, skewness G1 (Series.skew),
    /// excess kurtosis G2 (Series.kurt), exact quantiles with linear interpolation. Undefined
    /// figures (std of one value, skewness or kurtosis of a constant column, as in SciPy and pandas
    /// 3.1) are null. NaN values in .npy and Parquet inputs count as nulls, as in pandas.
    ///
    /// With no FILE, the embedded Palmer Penguins data is summarised.
    Stats(StatsArgs),
}

/// How results are printed when no -o is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON document.
    Json,
    /// Comma-separated values.
    Csv,
}

/// Flags every command shares.
#[derive(Debug, Args)]
pub struct Common {
    /// Write the result to PATH instead of stdout, atomically; the extension picks the format
    /// (.json or .csv). An existing file is replaced only when the run succeeds, and never when it
    /// is one of the inputs.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// The format of results printed to stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// No progress bar (it is shown only when stderr is a terminal anyway).
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads for the computation (default: all cores); with more than one, one more
    /// thread reads the input ahead.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The table to summarise (.csv, .tsv, .parquet, .npy, or - for CSV on stdin); the embedded
    /// Palmer Penguins data when omitted.
    pub file: Option<PathBuf>,

    /// Only these columns, in this order (comma-separated names).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub columns: Option<Vec<String>>,

    /// Population conventions: std with ddof = 0 and the biased g1/g2 (numpy.std,
    /// scipy.stats.skew and scipy.stats.kurtosis defaults).
    #[arg(long)]
    pub population: bool,

    /// One pass with a quantile sketch instead of exact quantiles: deterministic compactors (the
    /// building block of KLL, k = 4096), so each column's rank_error — its bound on the rank error
    /// as a fraction of its count — is a guarantee, not a probability.
    #[arg(long)]
    pub approx: bool,

    /// Records per chunk. Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 65_536,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub chunk_rows: u64,

    /// Memory for kept values and buffers, e.g. 256MB, 2GiB (K/M/G and KiB/MiB/GiB are powers of
    /// 1024, KB/MB/GB of 1000). Values are kept for exact quantiles while they fit; past the limit
    /// the file is read a second time to select the exact quartiles. Default: a quarter of RAM.
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<ByteSize>,

    #[command(flatten)]
    pub common: Common,
}
