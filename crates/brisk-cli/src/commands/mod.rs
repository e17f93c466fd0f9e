//! One module per command: its run function, given parsed arguments.

mod clean;
mod cov;
mod distances;
mod frames;
mod groupby;
mod importance;
mod join;
mod kmeans;
mod matrix;
mod merge;
mod normalize;
mod partial;
mod pca;
mod plot;
mod profile;
mod report;
mod shape;
mod softmax;
mod solve;
mod stats;

use std::io::IsTerminal;

use std::path::Path;

use anyhow::Result;
use brisk_data::batch::Batches;
use brisk_data::csv::Quoting;
use brisk_data::input::{Format, Input, InputOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Cli, Command, Common, PlotCommand};

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<()> {
    let common = match &cli.command {
        Command::Completions(args) => return completions(args.shell),
        Command::Stats(args) => &args.common,
        Command::Merge(args) => &args.common,
        Command::Cov(args) => &args.common,
        Command::Normalize(args) => &args.common,
        Command::Softmax(args) => &args.common,
        Command::Distances(args) => &args.common,
        Command::Solve(args) => &args.common,
        Command::Pca(args) => &args.common,
        Command::Kmeans(args) => &args.common,
        Command::Clean(args) => &args.common,
        Command::Groupby(args) => &args.common,
        Command::Join(args) => &args.common,
        Command::Importance(args) => &args.common,
        Command::Plot(PlotCommand::Importance(args)) => &args.common,
        Command::Plot(PlotCommand::Panel(args)) => &args.common,
        Command::Report(args) => &args.common,
        Command::Shape(command) => command.common(),
    }
    .clone();
    if let Some(n) = common.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()?;
    }
    // The report's page shows its own stage profile, so the report always profiles.
    let profiling = common.profile
        || common.profile_json.is_some()
        || matches!(cli.command, Command::Report(_));
    brisk_profile::set_enabled(profiling);
    let outcome = {
        let _whole = brisk_profile::block(cli.command.name());
        match cli.command {
            Command::Stats(args) => stats::run(args),
            Command::Merge(args) => merge::run(args),
            Command::Cov(args) => cov::run(args),
            Command::Normalize(args) => normalize::run(args),
            Command::Softmax(args) => softmax::run(args),
            Command::Distances(args) => distances::run(args),
            Command::Solve(args) => solve::run(args),
            Command::Pca(args) => pca::run(args),
            Command::Kmeans(args) => kmeans::run(args),
            Command::Clean(args) => clean::run(args),
            Command::Groupby(args) => groupby::run(args),
            Command::Join(args) => join::run(args),
            Command::Importance(args) => importance::run(args),
            Command::Plot(PlotCommand::Importance(args)) => plot::importance(args),
            Command::Plot(PlotCommand::Panel(args)) => plot::panel(args),
            Command::Report(args) => report::run(args),
            Command::Shape(command) => shape::run(command),
            Command::Completions(_) => unreachable!("printed before the common options are read"),
        }
    };
    if profiling {
        brisk_profile::set_enabled(false);
        profile::report(&common, &brisk_profile::take_report())?;
    }
    outcome
}

/// Prints the completion script of `shell` for every command and flag.
fn completions(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory;
    use std::io::Write;
    // Into memory first: clap_complete panics when its writer fails (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "brisk", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(())
}

/// Opens a command's input with the delimiter of `--sep`, and says on stderr which delimiter was
/// guessed when the input's header had no comma, and which decimal columns of a Parquet or Arrow
/// input are read as float64.
fn open_input(path: &Path, common: &Common) -> Result<Input> {
    let input = Input::open_with(
        path,
        InputOptions {
            delimiter: common.sep,
            no_header: common.no_header,
            decimal_comma: common.decimal == ",",
            columns: common.columns.clone(),
            exclude: common.exclude.clone(),
            parse_dates: common.parse_dates.clone(),
            no_parse_dates: common.no_parse_dates,
            quoting: Quoting {
                quote: common.quote,
                comment: common.comment,
            },
            encoding: common.encoding,
        },
    )?;
    if let Some(sniffed) = input.sniffed() {
        let shown = match sniffed.delimiter {
            b'\t' => "tab".to_owned(),
            other => format!("'{}'", char::from(other)),
        };
        eprintln!(
            "brisk: {}: fields separated by {shown}: the header has no comma, and each of the \
             first {} lines splits into {} fields on {shown} (give --sep to choose)",
            input.name(),
            sniffed.records,
            sniffed.columns
        );
    }
    if matches!(input.format(), Format::Parquet | Format::Arrow) {
        // The schema alone: opening reads the metadata, no row.
        for decimal in Batches::open(&input, 1)?.decimals() {
            eprintln!(
                "brisk: {}: column {:?} is decimal({},{}); read as float64, which keeps 15 to 17 \
                 significant digits",
                input.name(),
                decimal.name,
                decimal.precision,
                decimal.scale
            );
        }
    }
    Ok(input)
}

/// Opens the input of a command that writes rows (`clean`, `join`): ISO 8601 dates stay text, as
/// `read_csv` reads them and as the user wrote them, unless `--parse-dates` names their columns.
fn open_rows_input(path: &Path, common: &Common) -> Result<Input> {
    let common = Common {
        no_parse_dates: common.parse_dates.is_empty(),
        ..common.clone()
    };
    open_input(path, &common)
}

/// Says on stderr that a table's first column was left out of an analysis as a row index.
fn note_index_dropped(source: &str, column: &str) {
    eprintln!(
        "brisk: {source}: the first column {column:?} holds the row numbers (a row index written \
         out, as R's write.csv and pandas' to_csv do); it is left out of the analysis \
         (--keep-index keeps it)"
    );
}

/// A byte progress bar on stderr, drawn only when stderr is a terminal and `quiet` is off.
fn byte_progress(quiet: bool, input: &Input) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(input.len(), ProgressDrawTarget::stderr());
    if quiet || !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar
}
