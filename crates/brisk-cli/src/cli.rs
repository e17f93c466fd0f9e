//! The command line, as clap derive types; doc comments are the help text.

use std::path::PathBuf;

use brisk_data::encoding::Encoding;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::size::ByteSize;

/// brisk — the array kernels of NumPy, the dataset jobs of pandas and a profiler, in one fast binary.
///
/// Inputs are paths ending in .csv, .tsv, .jsonl (or .ndjson: one JSON object a line), .parquet,
/// .arrow, .feather or .arrows (Arrow IPC file or stream, lz4/zstd buffers included) or .npy (.csv,
/// .tsv and .jsonl also compressed: .csv.gz, .csv.zst, .jsonl.gz, ..., decompressed as they are
/// read), or - for CSV on standard input. CSV
/// follows RFC 4180 and pandas' read_csv defaults: the first row is the header, pandas' null tokens
/// (empty, NA, NaN, null, None, #N/A, ...) are missing, and a column is numeric when every non-null
/// value is a number. A .csv file whose header has no comma but whose lines split consistently on
/// `;`, a tab or `|` is read on that delimiter, with a note on stderr; --sep sets it. Exit status: 0 on success, 1 for bad data or arguments, 2 for usage errors.
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
    /// seen first), freq. Bool columns (True/TRUE/true and False/FALSE/false, or Parquet bool):
    /// count, null_count, true_count, true_share. Date-time columns (ISO 8601 dates, Parquet and
    /// Arrow dates and timestamps): count, null_count, min, max, range, and a histogram over time:
    /// the count per calendar period (second, minute, hour, day, week from Monday, month, year,
    /// decade, ...), the finest period whose span from min to max takes at most 100 of them, as
    /// s.dt.to_period(unit).value_counts() with the empty periods filled in (in the JSON output as
    /// "histogram": {"unit", "periods", "counts"}; the table draws it as a line of bars; the CSV
    /// leaves it out). Defaults follow pandas: std with ddof = 1, skewness G1 (Series.skew),
    /// excess kurtosis G2 (Series.kurt), exact quantiles with linear interpolation. Undefined
    /// figures (std of one value, skewness or kurtosis of a constant column, as in SciPy and pandas
    /// 3.1) are null. NaN values in .npy and Parquet inputs count as nulls, as in pandas.
    ///
    /// With no FILE, the embedded Palmer Penguins data is summarised.
    ///
    /// Over the parts of a table (a job array, or any engine that runs a command per partition),
    /// --partial-out writes a part's state instead: pass 1 (its moments, ranges, histograms and
    /// value counts), or with --quartiles-of the pass for exact quartiles; `brisk merge` merges
    /// the states into the statistics of the whole table (see the example below).
    #[command(after_long_help = PARTIAL_EXAMPLE)]
    Stats(StatsArgs),

    /// Merge the partial states of `brisk stats --partial-out` into the statistics of the whole
    /// table, or into one state.
    ///
    /// Each STATE is checked as it is read (its mark, format version, the brisk release that
    /// wrote it, its kind, length and checksum); any state that fails a check is refused with
    /// its file named, and nothing is merged or written. Statistics states (pass 1) merge
    /// together and quartile states (pass 2) together, in any order and grouping: the figures
    /// are those `brisk stats` gives for the parts concatenated in the order of their
    /// --partition (counts, extremes, quartiles, unique, top and freq equal; mean, std, skewness
    /// and kurtosis to rounding, 1e-12 relative).
    ///
    /// Without -o, or with -o .json or .csv, the statistics are printed as `brisk stats` prints
    /// them (--format table|json|csv); their "source" is --source, or else the statistics
    /// states' paths, comma-separated. Exact quartiles need the quartile states of every part
    /// too; --approx instead estimates them from the merged histograms, with each column's
    /// rank_error bound, as `brisk stats --approx`. With -o STATE.state, the merged state is
    /// written instead: give only statistics states (the merged pass 1, for --quartiles-of) or
    /// only quartile states (a merged pass 2, for a tree of merges or another pass).
    #[command(after_long_help = PARTIAL_EXAMPLE)]
    Merge(MergeArgs),

    /// Covariance (or correlation) matrix of the columns, as numpy.cov(X, rowvar=False).
    ///
    /// Sample covariance (ddof = 1) by default; --population divides by n instead (ddof = 0);
    /// --corr gives Pearson correlations (numpy.corrcoef), where a constant column's entries are
    /// NaN (null in JSON), as in NumPy. The centring is fused into one blocked symmetric product,
    /// so the data are read in place and never copied. -o takes .npy, .csv or .json.
    ///
    /// Array commands read a 2-D (or 1-D) .npy array of any float, integer or bool dtype, in C or
    /// Fortran order, or the numeric columns of a CSV/TSV/Parquet table (bool columns as 1 and 0):
    /// text columns and entirely empty columns are left out, and rows holding a null are dropped
    /// (their number is reported), as df.select_dtypes(["number", "bool"]).dropna(). NaN or infinity in the data is refused with its row
    /// and column: fill or drop such rows first.
    Cov(CovArgs),

    /// Rescale rows or columns: unit L2 norm, z-scores or min-max (scikit-learn's normalize,
    /// StandardScaler, MinMaxScaler).
    ///
    /// l2 scales each row to unit Euclidean norm (zero rows stay zero); zscore maps each column
    /// to mean 0 and standard deviation 1 with ddof = 0 (a constant column becomes 0); minmax maps
    /// each column's minimum to 0 and maximum to 1 (a constant column becomes 0). --axis picks
    /// what is rescaled: 1 = each row, 0 = each column (defaults: 1 for l2, 0 for the others).
    /// Input as for `brisk cov`; -o takes .npy, .csv or .json.
    Normalize(NormalizeArgs),

    /// Numerically stable softmax (or log-softmax) along an axis, as scipy.special.softmax.
    ///
    /// Each lane is shifted by its maximum before exponentiating, so logits like
    /// [1000, 1001, 1002] neither overflow nor lose precision; --log returns
    /// (x − m) − log Σ exp(x − m) directly, exact where log(softmax) would give −inf. Input as
    /// for `brisk cov`; -o takes .npy, .csv or .json.
    Softmax(SoftmaxArgs),

    /// Euclidean distance matrix between the rows of FILE (or from FILE's rows to OTHER's), as
    /// scipy.spatial.distance.cdist.
    ///
    /// One matrix product gives every dot product (‖x‖² + ‖y‖² − 2x·y, on data shifted to the
    /// mean of FILE); squared distances are clamped at 0 before the square root, near-duplicate
    /// pairs are recomputed directly, and self-distances are exactly 0. Input as for
    /// `brisk cov`; -o takes .npy, .csv or .json.
    Distances(DistancesArgs),

    /// Solve A X = B by LU with partial pivoting (numpy.linalg.solve), never through the inverse.
    ///
    /// Prints X with the residual ‖AX − B‖, the relative residual ‖AX − B‖/‖B‖, the backward
    /// error ‖AX − B‖/(‖A‖‖X‖ + ‖B‖) (Frobenius norms) and an estimate of the 1-norm condition
    /// number (Hager–Higham, as LAPACK's gecon). A singular matrix (a zero pivot) or one whose
    /// condition estimate exceeds 1/ε ≈ 4.5e15 is refused: its solution would have no correct
    /// digit. B may be a vector (1-D .npy) or a matrix. -o gets X (.npy, .csv or .json).
    Solve(SolveArgs),

    /// Principal component analysis with scikit-learn's semantics: PCA(n_components=K).fit(X).
    ///
    /// Centres the columns (and with --standardize divides them by their ddof-0 standard
    /// deviation, as a StandardScaler), forms the covariance with ddof 1 by a blocked centred
    /// product and takes its symmetric eigen-decomposition. Prints components (K × d, each with
    /// its largest-magnitude entry positive, scikit-learn's sign convention), explained_variance,
    /// explained_variance_ratio (over all min(n, d) axes), singular_values, mean, scale (with
    /// --standardize), noise_variance. -o gets the scores (X − mean)/scale · componentsᵀ.
    Pca(PcaArgs),

    /// k-means clustering with scikit-learn's Lloyd semantics: KMeans(algorithm="lloyd").
    ///
    /// Greedy k-means++ (2 + ln k local trials) or random rows, drawn from NumPy's legacy
    /// RandomState stream so --seed S picks the same starts as random_state=S; or the centroids
    /// of a .npy file (--init C.npy, with --n-init 1: the labels then equal scikit-learn's). The
    /// data are centred first; each iteration assigns every row to its nearest centroid and moves
    /// each centroid to its rows' mean; an empty cluster takes the row farthest from its centroid.
    /// Stops when the labels no longer change, or when the summed squared centroid shift is at
    /// most tol × the mean column variance. The best of --n-init runs (lowest inertia) is kept.
    /// Prints centroids, inertia, n_iter, sizes; -o gets the labels (int64 .npy, .csv or .json).
    Kmeans(KmeansArgs),

    /// Clean a table in five steps (duplicates, median and mode fills, lowercasing, 3σ outliers),
    /// with a report of every change.
    ///
    /// In this order, rows kept in input order: (1) drop duplicate rows, keeping the first (every
    /// column equal by value — 1 and 1.0 are equal in a numeric column — and null equal to null);
    /// (2) fill each numeric column's nulls with its median; (3) fill each categorical column's
    /// nulls with its mode (ties: the smallest value, as Series.mode().iloc[0]); (4) lowercase the
    /// categorical text (full Unicode lowercasing); (5) drop each row where some numeric column has
    /// |x − mean| > sigma × std, with the mean and std (ddof 1) of each column after step 2,
    /// taken as pandas takes them to the last bit (NumPy's pairwise sums), so a value within an
    /// ulp of a bound goes as it goes in pandas. An integer column without nulls stays integer; a
    /// filled column is written as floats, as pandas writes it.
    ///
    /// Without -o the cleaned table goes to stdout as CSV (JSON records with --format json). With
    /// -o (.csv, .tsv or .parquet) stdout gets the report: a summary, or its JSON with --format
    /// json. --report FILE writes the JSON report:
    /// rows_in, duplicates_removed, numeric_filled, categorical_filled, fill_values,
    /// values_lowercased (cells whose text changed, filled cells included), outlier_rows_removed,
    /// bounds ([mean − sigma·std, mean + sigma·std]), rows_out. A column filled in more than half of
    /// its rows (after step 1) gets a warning on stderr.
    Clean(CleanArgs),

    /// Group rows by key columns and aggregate, streaming: memory grows with the groups, not rows.
    ///
    /// As pandas' df.groupby(keys, dropna=False).agg(...): null keys are a group of their own
    /// (an empty field, sorted last); numeric keys compare by value (1 and 1.0 are one group),
    /// text keys by their text; groups are sorted by key (numbers numerically, text by code point)
    /// unless --sort names an output column. count, count(col) and nunique are integers; sum, min
    /// and max of an integer column (no nulls, integer literals only) are integers; mean, std, var
    /// (ddof 1) and median are floats; figures with no values (the mean of an all-null group, the
    /// std of one value) are null, and the sum of an all-null group is 0. median and nunique keep
    /// each group's values in memory.
    ///
    /// Output: a table on stdout, or --format json (a list of records) or csv; -o takes .csv,
    /// .tsv, .parquet or .json.
    Groupby(GroupbyArgs),

    /// Join two tables on a key: a count of matches per left row, or a left or inner join.
    ///
    /// --count NAME keeps LEFT's rows in order and adds NAME, the number of RIGHT rows with the
    /// same key (0 when none). Otherwise a relational join, as pandas' merge(left, right,
    /// left_on, right_on, how, suffixes=("", "_right")): left rows in order, each followed by its
    /// matches in RIGHT's order; RIGHT's key column is dropped when both keys have the same name;
    /// a right integer column becomes float when a left join leaves some rows unmatched. Keys
    /// compare by value when both key columns are numeric (3 equals 3.0) and by text when both
    /// are text; a numeric key against a text key is an error. Null keys never match (pandas
    /// matches NaN with NaN; brisk does not).
    ///
    /// Without -o the joined table goes to stdout as CSV (JSON records with --format json); -o
    /// takes .csv, .tsv or .parquet.
    Join(JoinArgs),

    /// Score every numeric feature against a target (scikit-learn's f_classif / f_regression).
    ///
    /// A text target gets the one-way ANOVA F between its classes (f_classif); a numeric target
    /// the F of the univariate linear regression (f_regression with center=True and
    /// force_finite=True: a constant feature scores 0 with p-value 1). --method classif treats
    /// each distinct number of a numeric target as a class. Rows with a null in the target or
    /// any feature are left out first (df.dropna(subset=...)), and rows holding an infinity too,
    /// as scikit-learn refuses them. Features are listed by score, highest first; an undefined
    /// score (f_classif of a constant feature) is null and listed last.
    ///
    /// JSON: {"target", "method", "rows", "rows_dropped", "classes", "features": [{"feature",
    /// "score", "p_value"}]}. -o takes .json or .csv (columns feature, importance, p_value, the
    /// input of `brisk plot importance`).
    Importance(ImportanceArgs),

    /// Charts as SVG or PNG (picked by -o's extension), drawn with an embedded font.
    #[command(subcommand)]
    Plot(PlotCommand),

    /// The main job: profile, clean, analyse and chart a table into one self-contained HTML page.
    ///
    /// The data is read in two streaming passes in bounded memory (--memory-limit). The
    /// overview, statistics and distributions describe the data as read, before any cleaning.
    /// The cleaning section shows what `brisk clean` does to it (every column but the target).
    /// The analyses run on the complete rows as read (or the cleaned rows with --clean): Pearson
    /// correlation, StandardScaler + PCA(2), importance (f_classif for a text target,
    /// f_regression for a numeric one), and k-means fitted on a seeded sample of --sample-rows
    /// rows, then applied to every row. Every figure but k-means is exact. The page is one file
    /// with inline CSS and SVG: no script, and nothing fetched from the network; every name and
    /// value from the data is HTML-escaped. The PCA scatter draws at most 5,000 sampled points.
    /// --json FILE writes the page's figures.
    ///
    /// With no FILE, the embedded Palmer Penguins data with target species. The page goes to -o
    /// (default report.html in the current folder, replaced atomically); a summary is printed.
    Report(ReportArgs),

    /// NumPy's layout rules on shapes: broadcasting, matrix-product shapes, strides, indexing.
    ///
    /// Nothing is computed on data: each answer is what NumPy 2.4 gives for arrays of those
    /// shapes, and each error is NumPy's own text (exit status 1). Shapes are sizes separated by
    /// commas (3,4); write () for a 0-d array. --explain prints the rule applied at each step.
    /// JSON: {"shape"} for broadcast and matmul, {"strides", "itemsize", "nbytes"} for strides,
    /// {"shape", "strides", "view", "scalar"} for index.
    #[command(subcommand)]
    Shape(ShapeCommand),

    /// Print a completion script for a shell to stdout.
    ///
    /// bash: brisk completions bash > ~/.local/share/bash-completion/completions/brisk
    /// zsh: brisk completions zsh > "${fpath[1]}/_brisk"
    /// fish: brisk completions fish > ~/.config/fish/completions/brisk.fish
    /// PowerShell: brisk completions powershell >> $PROFILE
    Completions(CompletionsArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum PlotCommand {
    /// A feature-importance chart: horizontal bars, highest on top.
    ///
    /// SCORES is a CSV with columns feature and importance, or the JSON `brisk importance`
    /// writes. Only the top N features are drawn, each bar coloured on a gradient from low to
    /// high and annotated with its value; an undefined (NaN) score is listed last with no bar.
    Importance(PlotImportanceArgs),

    /// A multi-panel figure of a table: histograms of the numeric columns, the correlation
    /// heatmap, the PCA scatter coloured by k-means cluster, and importance bars with --target.
    ///
    /// The table is used as read (no cleaning): histograms skip nulls, the correlation and the
    /// PCA use the rows where every numeric column is finite. The scatter draws at most 5,000
    /// points, one row in every ⌈rows / 5,000⌉.
    Panel(PlotPanelArgs),
}

/// How results are printed when no -o is given.
impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Stats(_) => "stats",
            Command::Merge(_) => "merge",
            Command::Cov(_) => "cov",
            Command::Normalize(_) => "normalize",
            Command::Softmax(_) => "softmax",
            Command::Distances(_) => "distances",
            Command::Solve(_) => "solve",
            Command::Pca(_) => "pca",
            Command::Kmeans(_) => "kmeans",
            Command::Clean(_) => "clean",
            Command::Groupby(_) => "groupby",
            Command::Join(_) => "join",
            Command::Importance(_) => "importance",
            Command::Plot(PlotCommand::Importance(_)) => "plot importance",
            Command::Plot(PlotCommand::Panel(_)) => "plot panel",
            Command::Report(_) => "report",
            Command::Shape(command) => command.name(),
            Command::Completions(_) => "completions",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON document.
    Json,
    /// Comma-separated values.
    Csv,
    /// A NumPy array file (only through -o PATH.npy).
    #[value(skip)]
    Npy,
    #[value(skip)]
    Tsv,
    #[value(skip)]
    Parquet,
    #[value(skip)]
    Svg,
    #[value(skip)]
    Png,
    #[value(skip)]
    Html,
    /// A partial state's bytes (only through --partial-out and `brisk merge -o PATH.state`).
    #[value(skip)]
    State,
}

impl OutputFormat {
    /// The file extension that selects this format with -o.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Table => "txt",
            OutputFormat::Json => "json",
            OutputFormat::Csv => "csv",
            OutputFormat::Npy => "npy",
            OutputFormat::Tsv => "tsv",
            OutputFormat::Parquet => "parquet",
            OutputFormat::Svg => "svg",
            OutputFormat::Png => "png",
            OutputFormat::Html => "html",
            OutputFormat::State => "state",
        }
    }
}

/// What -o accepts for an array result.
pub const ARRAY_OUTPUTS: &[OutputFormat] =
    &[OutputFormat::Npy, OutputFormat::Json, OutputFormat::Csv];
/// What -o accepts for a report.
pub const REPORT_OUTPUTS: &[OutputFormat] = &[OutputFormat::Json, OutputFormat::Csv];
/// What --partial-out accepts.
pub const STATE_OUTPUTS: &[OutputFormat] = &[OutputFormat::State];
/// What `brisk merge -o` accepts: a merged state, or the statistics.
pub const MERGE_OUTPUTS: &[OutputFormat] =
    &[OutputFormat::State, OutputFormat::Json, OutputFormat::Csv];
/// What -o accepts for a chart.
pub const IMAGE_OUTPUTS: &[OutputFormat] = &[OutputFormat::Svg, OutputFormat::Png];
/// What -o accepts for a table.
pub const TABLE_OUTPUTS: &[OutputFormat] =
    &[OutputFormat::Csv, OutputFormat::Tsv, OutputFormat::Parquet];

/// The file every array command reads.
#[derive(Debug, Args)]
pub struct MatrixInput {
    /// The data: .npy, or a CSV/TSV/JSON-lines/Parquet/Arrow table (its numeric columns), or - for
    /// CSV on stdin.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct CovArgs {
    #[command(flatten)]
    pub input: MatrixInput,

    /// Pearson correlation instead of covariance (numpy.corrcoef).
    #[arg(long)]
    pub corr: bool,

    /// Divide by n (ddof = 0) instead of n − 1.
    #[arg(long, conflicts_with = "corr")]
    pub population: bool,

    #[command(flatten)]
    pub common: Common,
}

/// How `brisk normalize` rescales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NormalizeMethod {
    /// Unit Euclidean norm.
    L2,
    /// Mean 0, standard deviation 1 (ddof 0).
    Zscore,
    /// Minimum 0, maximum 1.
    Minmax,
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    #[command(flatten)]
    pub input: MatrixInput,

    /// The rescaling.
    #[arg(long, value_enum)]
    pub method: NormalizeMethod,

    /// 1: rescale each row; 0: each column (default: 1 for l2, 0 for zscore and minmax).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub axis: Option<u8>,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct SoftmaxArgs {
    #[command(flatten)]
    pub input: MatrixInput,

    /// 1: each row sums to 1; 0: each column.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(0..=1))]
    pub axis: u8,

    /// Log-softmax instead.
    #[arg(long)]
    pub log: bool,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct DistancesArgs {
    #[command(flatten)]
    pub input: MatrixInput,

    /// Distances from FILE's rows to this file's rows instead of among FILE's rows.
    #[arg(long, value_name = "OTHER")]
    pub to: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The square matrix A.
    pub a: PathBuf,

    /// The right-hand side B: a vector or a matrix with as many rows as A.
    pub b: PathBuf,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct PcaArgs {
    #[command(flatten)]
    pub input: MatrixInput,

    /// The number of components to keep (1 ≤ K ≤ min(rows, columns)).
    #[arg(short = 'k', long = "components", value_name = "K")]
    pub k: usize,

    /// Standardise the columns (ddof 0) before the PCA.
    #[arg(long)]
    pub standardize: bool,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct KmeansArgs {
    #[command(flatten)]
    pub input: MatrixInput,

    /// The number of clusters (1 ≤ K ≤ rows).
    #[arg(short = 'k', long = "clusters", value_name = "K")]
    pub k: usize,

    /// k-means++, random, or a .npy/CSV file of K initial centroids.
    #[arg(
        long,
        default_value = "k-means++",
        value_name = "k-means++|random|C.npy"
    )]
    pub init: String,

    /// Runs from different starts, the best kept (default: 1, or 10 with --init random, as
    /// scikit-learn).
    #[arg(long, value_name = "N")]
    pub n_init: Option<usize>,

    /// The most Lloyd iterations per run.
    #[arg(long, default_value_t = 300, value_name = "N")]
    pub max_iter: usize,

    /// Convergence tolerance, relative to the mean column variance; 0 iterates until the labels
    /// stop changing.
    #[arg(long, default_value_t = 1e-4, allow_negative_numbers = true)]
    pub tol: f64,

    /// Seed of the random starts (NumPy RandomState, as scikit-learn's random_state).
    #[arg(long, default_value_t = 0, value_name = "S")]
    pub seed: u32,

    #[command(flatten)]
    pub common: Common,
}

/// Flags every command shares.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// The table to clean (.csv, .tsv, .jsonl, .parquet, .arrow/.feather, or - for CSV on stdin).
    pub file: PathBuf,

    /// The numeric columns (comma-separated; default: every numeric column).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub numeric: Option<Vec<String>>,

    /// The categorical columns (comma-separated; default: every text column). Bool columns are
    /// in neither list unless named, as pandas' select_dtypes leaves them out.
    #[arg(long, value_delimiter = ',', value_name = "C,D")]
    pub categorical: Option<Vec<String>>,

    /// Outlier threshold in standard deviations (≥ 0).
    #[arg(long, default_value_t = 3.0, allow_negative_numbers = true)]
    pub sigma: f64,

    /// Memory for row hashes and kept values, e.g. 256MB, 2GiB (K/M/G and KiB/MiB/GiB are
    /// powers of 1024, KB/MB/GB of 1000). CSV and TSV output is written in passes over the
    /// input: row hashes spill to a temporary folder past the limit, medians past it take one
    /// more pass, and the bounds' mean and std two passes over the numeric columns. The first
    /// pass writes the numeric columns to a temporary file (8 bytes a cell; TMPDIR moves it) that
    /// those passes read instead of parsing the input again; without room for it, they read the
    /// input. JSON and Parquet output load the table. Default: a quarter of RAM.
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<ByteSize>,

    /// Also write the JSON report to this file.
    #[arg(long, value_name = "REPORT.json")]
    pub report: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct GroupbyArgs {
    /// The table (.csv, .tsv, .jsonl, .parquet, .arrow/.feather, .npy with columns named 0, 1, …,
    /// or - for CSV on stdin).
    pub file: PathBuf,

    /// Key columns (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "A,B", required = true)]
    pub by: Vec<String>,

    /// Aggregates: "FUNC(COL) [as NAME], ..." with FUNC one of count() (rows), count(col)
    /// (non-null values), sum, mean, min, max, std, var, median, nunique. Default names are
    /// func(col); backquote column names that hold spaces or commas.
    #[arg(long, value_name = "\"FUNC(COL) [as NAME], ...\"", required = true)]
    pub agg: String,

    /// A derived column, "NAME = EXPR", computed per row before grouping (repeatable; each may use
    /// the ones before it): + - * /, parentheses, numbers and column names (backquoted when they
    /// hold other characters). A null operand gives null; x/0 gives ±inf and 0/0 null.
    #[arg(long = "with", value_name = "\"NAME = EXPR\"")]
    pub with: Vec<String>,

    /// Sort the groups by this output column (nulls last; ties keep key order).
    #[arg(long, value_name = "NAME")]
    pub sort: Option<String>,

    /// With --sort: largest first.
    #[arg(long, requires = "sort")]
    pub desc: bool,

    /// Records per chunk. Results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 65_536,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub chunk_rows: u64,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JoinHow {
    Left,
    Inner,
}

#[derive(Debug, Args)]
pub struct JoinArgs {
    /// The left table: its rows, in order, lead the output.
    pub left: PathBuf,

    /// The right table.
    pub right: PathBuf,

    /// The key column of LEFT (and of RIGHT, unless --right-on is given).
    #[arg(long, value_name = "KEY")]
    pub on: String,

    /// The key column of RIGHT, when it is named differently.
    #[arg(long, value_name = "KEY")]
    pub right_on: Option<String>,

    /// Which left rows a relational join keeps: every one (left) or those with a match (inner).
    #[arg(long, value_enum, default_value_t = JoinHow::Left, conflicts_with = "count")]
    pub how: JoinHow,

    /// Instead of a relational join, add a column NAME counting RIGHT's rows per left key.
    #[arg(long, value_name = "NAME")]
    pub count: Option<String>,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Write the result to PATH instead of stdout, atomically; the extension picks the format
    /// (.json or .csv, .npy for array results, .state for a merged partial state). An existing
    /// file is replaced only when the run succeeds, and never when it is one of the inputs.
    /// `-o -` is stdout; a device or pipe (`-o /dev/null`) is written directly, in the --format
    /// given.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// The format of results printed to stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,

    /// The field delimiter of CSV and TSV inputs: one character, or `tab`. By default a .tsv
    /// file is split on tabs and a .csv file on commas, unless its header has no comma and the
    /// first 64 KiB split consistently on `;`, a tab or `|`: that delimiter is then used, and a
    /// note on stderr says so. Giving --sep turns this guess off.
    #[arg(long, value_name = "CHAR", value_parser = parse_sep)]
    pub sep: Option<u8>,

    /// CSV and TSV inputs have no header row: the first row is data, and the columns are named
    /// 0, 1, 2, … (pandas' read_csv(header=None)). The delimiter is then not guessed.
    #[arg(long)]
    pub no_header: bool,

    /// The decimal mark of numbers in CSV and TSV inputs: `,` reads `7,4` as 7.4 and `1.5` as
    /// text, as pandas' read_csv(decimal=","); fields holding a comma must then be quoted unless
    /// the delimiter is another one (`;` exports are guessed, or give --sep). Outputs keep `.`.
    #[arg(long, value_name = "MARK", value_parser = [".", ","], default_value = ".")]
    pub decimal: String,

    /// The character that quotes fields of CSV and TSV inputs (pandas' quotechar), `"` by
    /// default; doubled inside a quoted field, it stands for itself.
    #[arg(long, value_name = "CHAR", value_parser = parse_char, default_value = "\"")]
    pub quote: u8,

    /// In CSV and TSV inputs, this character and the rest of its line are ignored outside quotes,
    /// and a line that starts with it is skipped (pandas' read_csv(comment="#")).
    #[arg(long, value_name = "CHAR", value_parser = parse_char)]
    pub comment: Option<u8>,

    /// The encoding of text inputs (CSV, TSV, JSON lines), by Python's codec names: utf-8 (the
    /// default), latin1 (ISO 8859-1), cp1252 (Windows "ANSI"), utf-16 (the byte order of its
    /// byte-order mark, little-endian without one), utf-16-le or utf-16-be. The text is
    /// transcoded as it is read, never to disk; a byte sequence the encoding cannot decode is an
    /// error naming its line.
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<Encoding>,

    /// Read only these columns of a table, in this order (comma-separated names), as if the
    /// others were not in the file (pandas' usecols); they are split but not parsed.
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub columns: Option<Vec<String>>,

    /// Leave these columns of a table out (comma-separated names), as if they were not in the
    /// file.
    #[arg(long, value_delimiter = ',', value_name = "C,D")]
    pub exclude: Vec<String>,

    /// Columns of a CSV, TSV or JSON-lines input that must hold ISO 8601 dates or date-times
    /// (pandas' parse_dates): a value that is not one is an error naming its line. Without it, a column
    /// whose values are all ISO 8601 dates (YYYY-MM-DD, optionally with a time and an offset) is
    /// read as date-times anyway: its statistics are min, max and range, and it takes no part in
    /// the analyses. clean and join, which write rows, keep dates as text (as written) unless
    /// this names them; then they write them as pandas' to_csv does (2021-03-01 12:30:00).
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub parse_dates: Vec<String>,

    /// Read ISO 8601 dates in CSV, TSV and JSON-lines inputs as text.
    #[arg(long, conflicts_with = "parse_dates")]
    pub no_parse_dates: bool,

    /// Keep a table's first column in the analyses (correlation, PCA, k-means, importance, the
    /// array commands) when it is a row index: named `Unnamed: 0` (an empty header, as R's
    /// write.csv leaves it), `index` or `id`, and holding 0, 1, …, n−1 or 1, 2, …, n. By default
    /// such a column is left out, with a note on stderr, as it would dominate them.
    #[arg(long)]
    pub keep_index: bool,

    /// No progress bar (it is shown only when stderr is a terminal anyway).
    #[arg(short, long)]
    pub quiet: bool,

    /// Worker threads for the computation (default: all cores); with more than one, one more
    /// thread reads the input ahead.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Print a table of the run's stages on stderr: wall seconds, peak heap above the stage's
    /// start, allocations, and what halving each stage would do for the whole run (Amdahl).
    #[arg(long)]
    pub profile: bool,

    /// Write the stages as JSON to FILE: {"stages": [{"name", "wall_seconds", "peak_bytes",
    /// "allocations"}], "total_seconds"}.
    #[arg(long, value_name = "FILE")]
    pub profile_json: Option<PathBuf>,
}

/// `--sep`: one ASCII character other than a line end, or `tab` (also `\t`).
fn parse_sep(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => parse_char(text),
    }
}

/// `--quote`, `--comment`: one ASCII character other than a line end.
fn parse_char(text: &str) -> Result<u8, String> {
    match text.as_bytes() {
        [b'\n' | b'\r'] => Err(format!("{text:?} is a line end")),
        [byte] if byte.is_ascii() => Ok(*byte),
        _ => Err(format!("{text:?} is not one ASCII character")),
    }
}

/// `--encoding`: a Python codec name brisk transcodes.
fn parse_encoding(text: &str) -> Result<Encoding, String> {
    Encoding::from_name(text).ok_or_else(|| {
        format!(
            "{text:?} is not an encoding brisk reads; it reads {}",
            Encoding::NAMES
        )
    })
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The table to summarise (.csv, .tsv, .jsonl, .parquet, .arrow/.feather, .npy, or - for CSV on
    /// stdin); the embedded Palmer Penguins data when omitted.
    pub file: Option<PathBuf>,

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
    /// the file is read a second time to select the exact quartiles (rarely a third or more, when
    /// a quartile lies among more distinct values than the limit holds; the figures are the
    /// same). Default: a quarter of RAM. With --quartiles-of, the values the pass keeps (past
    /// it, a crowded bucket is counted for another pass); pass 1 of --partial-out keeps none.
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<ByteSize>,

    /// Write FILE's partial state to STATE (a .state file, written atomically; - for stdout)
    /// instead of printing statistics: pass 1 of a job over the parts of a table, which `brisk
    /// merge` merges. Its size grows with the numeric columns (a histogram of at most about 64
    /// KiB each) and the distinct values of text columns, not with the rows.
    #[arg(long, value_name = "STATE", conflicts_with_all = ["approx", "output"])]
    pub partial_out: Option<PathBuf>,

    /// With --partial-out: the part's position among the table's parts, from 0 (the default).
    /// Ties between text values' counts go to the value seen first, in the lowest part and then
    /// the lowest row, as in one pass over the parts in this order.
    #[arg(long, value_name = "N", requires = "partial_out",
          value_parser = clap::value_parser!(u32).range(0..1 << 24))]
    pub partition: Option<u32>,

    /// With --partial-out: run the pass for exact quartiles over FILE instead of pass 1, from
    /// MERGED, the merged pass-1 state (`brisk merge s*.state -o merged.state`), or, when a
    /// merge said the quartiles need another pass, the merged quartile state. The state carries
    /// pass 1's options (--population, --partition); FILE must be the same part, read with the
    /// same --columns.
    #[arg(long, value_name = "MERGED", requires = "partial_out",
          conflicts_with_all = ["partition", "population"])]
    pub quartiles_of: Option<PathBuf>,

    #[command(flatten)]
    pub common: Common,
}

/// The worked example of a job over the parts of a table, in the help of `stats` and `merge`.
const PARTIAL_EXAMPLE: &str = "\
Example: the statistics of a table in parts (part-0.csv, part-1.csv, ...), with exact quartiles,
as one job per part (a job array, a map step of any engine) and a merge:

  # pass 1, one job per part I
  brisk stats part-$I.csv --partition $I --partial-out s-$I.state
  # merge them (in any order and grouping: s-*.state may be merged in groups, then again)
  brisk merge s-*.state -o merged.state
  # pass 2, one job per part I again: the values near the quartiles
  brisk stats part-$I.csv --quartiles-of merged.state --partial-out q-$I.state
  # the statistics of the whole table, as brisk stats prints them
  brisk merge merged.state q-*.state --format json

Without pass 2, `brisk merge s-*.state --approx` estimates the quartiles from the histograms, with
their rank-error bound. Rarely (a quartile among more distinct values than the pass may keep:
--memory-limit, a quarter of RAM by default), the final merge says the quartiles need another
pass:

  brisk merge q-*.state -o q.state
  brisk stats part-$I.csv --quartiles-of q.state --partial-out q2-$I.state
  brisk merge merged.state q2-*.state --format json

Every part must have the same columns in the same order, read with the same options, and every
state come from the same brisk release: states are refused otherwise.";

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The partial states: statistics (pass 1) and quartile (pass 2) states, in any order.
    #[arg(required = true, value_name = "STATE")]
    pub states: Vec<PathBuf>,

    /// Estimate the quartiles from the merged histograms instead of exact quartiles from
    /// quartile states, with each column's rank_error bound (as a fraction of its count).
    #[arg(long)]
    pub approx: bool,

    /// The "source" the statistics report (default: the statistics states' paths,
    /// comma-separated).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,

    #[command(flatten)]
    pub common: Common,
}

/// The importance test of `brisk importance` and `brisk report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportanceMethod {
    /// f_classif for a text target, f_regression for a numeric one.
    Auto,
    /// One-way ANOVA F between the target's classes.
    Classif,
    /// F of the univariate linear regression on the target.
    Regression,
}

#[derive(Debug, Args)]
pub struct ImportanceArgs {
    /// The table (.csv, .tsv, .jsonl, .parquet, .arrow/.feather, or - for CSV on stdin).
    pub file: PathBuf,

    /// The column to score the features against.
    #[arg(long, value_name = "COL")]
    pub target: String,

    /// The test: auto picks classif for a text target and regression for a numeric one.
    #[arg(long, value_enum, default_value_t = ImportanceMethod::Auto)]
    pub method: ImportanceMethod,

    /// Accepted for symmetry with report and clean: the scores take one pass and memory that
    /// grows with the classes and the columns, not the rows.
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<ByteSize>,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct PlotImportanceArgs {
    /// The scores: a CSV with columns feature and importance, or `brisk importance`'s JSON.
    pub scores: PathBuf,

    /// How many features to draw, highest first.
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..))]
    pub top: u32,

    /// The chart's title.
    #[arg(long, value_name = "T", default_value = "Feature importance")]
    pub title: String,

    /// Width and height in pixels, e.g. 1000x600 (a PNG at least 800x500, an SVG 300x200).
    #[arg(long, value_name = "WxH", default_value = "1000x600", value_parser = parse_size)]
    pub size: (u32, u32),

    #[command(flatten)]
    pub common: Common,
}

/// What the panel and the report analyse: the target, its test and the clusters.
#[derive(Debug, Args)]
pub struct AnalysisArgs {
    /// Score the features against this column (f_classif for text, f_regression for numbers)
    /// and draw the importance bars.
    #[arg(long, value_name = "COL")]
    pub target: Option<String>,

    /// The importance test (with --target).
    #[arg(long, value_enum, default_value_t = ImportanceMethod::Auto)]
    pub method: ImportanceMethod,

    /// k-means clusters (default: the target's classes, from 2 to 10, or 3).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=20))]
    pub clusters: Option<u32>,
}

#[derive(Debug, Args)]
pub struct PlotPanelArgs {
    /// The table (.csv, .tsv, .jsonl, .parquet, .arrow/.feather, or - for CSV on stdin).
    pub file: PathBuf,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    /// Width and height in pixels, e.g. 1800x1200 (a PNG at least 800x500, an SVG 300x200).
    #[arg(long, value_name = "WxH", default_value = "1800x1200", value_parser = parse_size)]
    pub size: (u32, u32),

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The table (.csv, .tsv, .jsonl, .parquet, .arrow/.feather, or - for CSV on stdin); the embedded
    /// Palmer Penguins data (target species) when omitted.
    pub file: Option<PathBuf>,

    #[command(flatten)]
    pub analysis: AnalysisArgs,

    /// Cleaning's outlier threshold in standard deviations (≥ 0).
    #[arg(long, default_value_t = 3.0, allow_negative_numbers = true)]
    pub sigma: f64,

    /// Features in the importance chart.
    #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(u32).range(1..))]
    pub top: u32,

    /// Also write the page's figures as JSON to FILE: rows in and out, the alerts and their
    /// thresholds, per-column statistics and profiles (distinct values, extremes, zeros, text
    /// facts), nulls and the nullity correlation, the first and sampled rows, the cleaning
    /// report, Pearson (complete rows and pairwise), Spearman, Cramér's V, explained variance,
    /// importance (numeric and text features), cluster sizes, inertia and the sample size.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// Run the analyses (correlation, PCA, k-means, importance) on the rows brisk clean keeps
    /// instead of the complete rows as read. This cleans the table in memory.
    #[arg(long)]
    pub clean: bool,

    /// k-means is fitted on a seeded uniform sample of at most N complete rows, then every row
    /// is assigned to its nearest centroid. The pairwise Pearson and Spearman correlations
    /// (and the high-correlation alerts) read a seeded sample of at most N rows too: exact
    /// while the table has no more rows, and the page says when they are sampled.
    #[arg(long, value_name = "N", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub sample_rows: u64,

    /// Memory for kept values and accumulators, e.g. 256MB, 2GiB (K/M/G and KiB/MiB/GiB are
    /// powers of 1024, KB/MB/GB of 1000). The data is read in two passes; values are kept for
    /// exact quartiles while they fit, and the second pass selects them past the limit (rarely,
    /// a quartile among more distinct values than the limit holds takes one more pass). The first
    /// pass writes the numeric columns to a temporary file (8 bytes a cell, in the system's
    /// temporary folder; TMPDIR moves it) that the second pass reads instead of parsing the
    /// input again; without room for it, the input is read again. Default: a quarter of RAM.
    #[arg(long, value_name = "SIZE")]
    pub memory_limit: Option<ByteSize>,

    #[command(flatten)]
    pub alerts: AlertArgs,

    #[command(flatten)]
    pub common: Common,
}

/// The thresholds of the report's alerts (each is stated on the page). The defaults are
/// ydata-profiling's where it has the alert; high cardinality and missing values are stricter.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Alerts")]
pub struct AlertArgs {
    /// High cardinality: a text column whose distinct values exceed this share of the rows…
    #[arg(long, value_name = "SHARE", default_value_t = 0.5, value_parser = share, allow_negative_numbers = true)]
    pub alert_cardinality: f64,

    /// …and number at least N.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub alert_cardinality_min: u64,

    /// Missing: nulls above this share of the rows.
    #[arg(long, value_name = "SHARE", default_value_t = 0.5, value_parser = share, allow_negative_numbers = true)]
    pub alert_missing: f64,

    /// Skewed: |skewness G1| above this.
    #[arg(long, value_name = "G1", default_value_t = 20.0, value_parser = positive, allow_negative_numbers = true)]
    pub alert_skew: f64,

    /// Zeros: zeros above this share of the rows.
    #[arg(long, value_name = "SHARE", default_value_t = 0.1, value_parser = share, allow_negative_numbers = true)]
    pub alert_zeros: f64,

    /// High correlation: |Pearson r| of two numeric columns above this.
    #[arg(long, value_name = "R", default_value_t = 0.9, value_parser = share, allow_negative_numbers = true)]
    pub alert_correlation: f64,

    /// Imbalance of the target's classes (1 − entropy / ln k) above this.
    #[arg(long, value_name = "SCORE", default_value_t = 0.5, value_parser = share, allow_negative_numbers = true)]
    pub alert_imbalance: f64,

    /// Numbers as text: a text column whose values parse as numbers above this share.
    #[arg(long, value_name = "SHARE", default_value_t = 0.95, value_parser = share, allow_negative_numbers = true)]
    pub alert_numeric_text: f64,
}

/// A share between 0 and 1.
fn share(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("expected a number from 0 to 1, not {text:?}")),
    }
}

/// A finite number ≥ 0.
fn positive(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("expected a finite number ≥ 0, not {text:?}")),
    }
}

/// Parses `WIDTHxHEIGHT`.
fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let parse = |part: &str| part.trim().parse::<u32>().ok();
    match text
        .split_once(['x', 'X'])
        .map(|(w, h)| (parse(w), parse(h)))
    {
        Some((Some(w), Some(h))) if (100..=10_000).contains(&w) && (100..=10_000).contains(&h) => {
            Ok((w, h))
        }
        _ => Err(format!(
            "expected WIDTHxHEIGHT in pixels between 100 and 10000, e.g. 1000x600, not {text:?}"
        )),
    }
}

/// A shape on the command line: sizes separated by commas (3,4), optionally in parentheses
/// ("(3, 4)"); () or an empty string is the shape of a 0-d array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape(pub Vec<usize>);

impl std::str::FromStr for Shape {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let inner = text
            .strip_prefix('(')
            .and_then(|t| t.strip_suffix(')'))
            .unwrap_or(text);
        let inner = inner.trim().trim_end_matches(',').trim();
        if inner.is_empty() {
            return Ok(Shape(Vec::new()));
        }
        inner
            .split(',')
            .map(|size| size.trim().parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
            .map(Shape)
            .map_err(|_| {
                format!(
                    "'{s}' is not a shape: write sizes separated by commas, like 3,4 (or () for a \
                     0-d array)"
                )
            })
    }
}

#[derive(Debug, Subcommand)]
pub enum ShapeCommand {
    /// The shape arrays of these shapes broadcast to, as numpy.broadcast_shapes: 3,4 4 → (3, 4).
    ///
    /// Shapes are aligned on their last axis and padded with 1s on the left; on each axis the
    /// sizes must be equal or 1, and a 1 stretches. Incompatible shapes fail with NumPy's
    /// message, which names the first pair of arguments that disagree.
    Broadcast(ShapeBroadcastArgs),

    /// The shape of A @ B (numpy.matmul): 2,3,4 4,5 → (2, 3, 5).
    ///
    /// The last two axes are matrices and must agree on k in (n, k) @ (k, m); the axes before
    /// them are stacks, which broadcast. A 1-D operand is promoted to a row (first) or a column
    /// (second) and the added axis is removed from the result; 0-d operands are refused.
    Matmul(ShapeMatmulArgs),

    /// The strides, itemsize and nbytes of numpy.empty(SHAPE, dtype, order).
    ///
    /// C order: each stride is the itemsize times the sizes of the axes after it; F order: of
    /// the axes before it. An array with a 0 in its shape has every stride 0, as in NumPy.
    Strides(ShapeStridesArgs),

    /// The shape and strides of a[EXPR] for a = numpy.empty(SHAPE, dtype, order), and whether it
    /// is a view or a copy.
    ///
    /// EXPR is written as in Python: integers, slices start:stop:step, None, ..., and integer
    /// lists, separated by commas ("1:, ::2", "..., None, -1", "[0, 2], :"). Basic indexing gives
    /// a view; integer lists (advanced indexing) give a copy, with NumPy's memory layout.
    /// Boolean masks are not supported.
    Index(ShapeIndexArgs),
}

#[derive(Debug, Args)]
pub struct ShapeBroadcastArgs {
    /// The shapes, e.g. 3,4 4 (() for a 0-d array).
    #[arg(required = true, value_name = "SHAPE")]
    pub shapes: Vec<Shape>,

    /// Print the rule applied at each step before the result.
    #[arg(long)]
    pub explain: bool,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct ShapeMatmulArgs {
    /// The shape of A, e.g. 2,3,4.
    #[arg(value_name = "A")]
    pub a: Shape,

    /// The shape of B, e.g. 4,5.
    #[arg(value_name = "B")]
    pub b: Shape,

    /// Print the rule applied at each step before the result.
    #[arg(long)]
    pub explain: bool,

    #[command(flatten)]
    pub common: Common,
}

/// The element type and memory order of the array `brisk shape` reasons about.
#[derive(Debug, Args)]
pub struct ArrayLayout {
    /// The element type: a NumPy dtype name (float64, float32, int64, uint8, bool, complex128,
    /// ... or a code such as f8, i4, u1); its itemsize sets the strides.
    #[arg(long, default_value = "float64")]
    pub dtype: brisk_kernels::layout::Dtype,

    /// C (row-major) or F (column-major).
    #[arg(long, default_value = "C")]
    pub order: brisk_kernels::layout::Order,
}

#[derive(Debug, Args)]
pub struct ShapeStridesArgs {
    /// The array's shape, e.g. 3,4,5.
    pub shape: Shape,

    #[command(flatten)]
    pub layout: ArrayLayout,

    /// Print the rule applied at each step before the result.
    #[arg(long)]
    pub explain: bool,

    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, Args)]
pub struct ShapeIndexArgs {
    /// The indexed array's shape, e.g. 3,4.
    pub shape: Shape,

    /// The index, as between the brackets of a[...] in Python, e.g. "1:, ::2".
    #[arg(allow_hyphen_values = true)]
    pub expr: String,

    #[command(flatten)]
    pub layout: ArrayLayout,

    /// Print the rule applied at each step before the result.
    #[arg(long)]
    pub explain: bool,

    #[command(flatten)]
    pub common: Common,
}
