//! `brisk stats`: per-column statistics of a table.

use std::io::{self, Write};

use anyhow::Result;
use brisk_data::datasets::{PENGUINS_CSV, PENGUINS_NAME};
use brisk_data::input::{Format, Input};
use brisk_data::stats::{statistics, StatsOptions, StatsReport, Summary};
use brisk_data::timeline::Timeline;
use brisk_kernels::stats::Convention;

use crate::cli::{OutputFormat, StatsArgs};
use crate::output::Destination;
use crate::table::{csv_field, exact, human, TextTable};

/// The columns of the CSV rendering, one row per input column.
const CSV_HEADER: [&str; 19] = [
    "name",
    "type",
    "count",
    "null_count",
    "mean",
    "std",
    "min",
    "q25",
    "median",
    "q75",
    "max",
    "skewness",
    "kurtosis",
    "unique",
    "top",
    "freq",
    "true_count",
    "true_share",
    "range",
];

pub fn run(args: StatsArgs) -> Result<()> {
    let input = match &args.file {
        Some(path) => super::open_input(path, &args.common)?,
        None => Input::from_reader(PENGUINS_CSV, PENGUINS_NAME, Format::Csv)?,
    };
    if let Some(state) = &args.partial_out {
        return super::partial::write_part(&args, &input, state);
    }
    let inputs: Vec<&std::path::Path> = input.user_path().into_iter().collect();
    let destination = Destination::resolve(&args.common, &inputs, crate::cli::REPORT_OUTPUTS)?;
    let options = StatsOptions {
        // --columns chooses the input's columns, in order (see `open_input`).
        columns: None,
        convention: if args.population {
            Convention::Population
        } else {
            Convention::Sample
        },
        approx: args.approx,
        chunk_rows: usize::try_from(args.chunk_rows).unwrap_or(usize::MAX),
        memory_limit: args
            .memory_limit
            .map_or_else(brisk_data::stats::default_memory_limit, |s| s.0),
    };
    let bar = super::byte_progress(args.common.quiet, &input);
    let report = statistics(&input, &options, &mut |p| {
        bar.set_prefix(format!("pass {}", p.pass));
        bar.set_position(p.bytes);
    });
    bar.finish_and_clear();
    print(&report?, &destination)
}

/// Writes statistics where `destination` says, in its format (the table for any but JSON and
/// CSV); `brisk merge` prints its merged statistics with it too.
pub(super) fn print(report: &StatsReport, destination: &Destination) -> Result<()> {
    destination.write(|out| match destination.format {
        OutputFormat::Json => write_json(report, out),
        OutputFormat::Csv => write_csv(report, out),
        _ => write_table(report, out),
    })
}

fn write_json(report: &StatsReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

fn write_csv(report: &StatsReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", CSV_HEADER.join(","))?;
    for column in &report.columns {
        let mut cells = vec![csv_field(&column.name)];
        match &column.summary {
            Summary::Numeric(s) => {
                cells.extend([
                    "numeric".into(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                ]);
                let figures = [
                    s.mean, s.std, s.min, s.q25, s.median, s.q75, s.max, s.skewness, s.kurtosis,
                ];
                cells.extend(figures.into_iter().map(exact));
                cells.extend(std::iter::repeat_n(String::new(), 6));
            }
            Summary::Categorical(s) => {
                cells.extend([
                    "categorical".into(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                ]);
                cells.extend(std::iter::repeat_n(String::new(), 9));
                cells.push(s.unique.to_string());
                cells.push(s.top.as_deref().map(csv_field).unwrap_or_default());
                cells.push(s.freq.map(|f| f.to_string()).unwrap_or_default());
                cells.extend(std::iter::repeat_n(String::new(), 3));
            }
            Summary::Bool(s) => {
                cells.extend(["bool".into(), s.count.to_string(), s.null_count.to_string()]);
                cells.extend(std::iter::repeat_n(String::new(), 12));
                cells.push(s.true_count.to_string());
                cells.push(exact(s.true_share));
                cells.push(String::new());
            }
            Summary::Datetime(s) => {
                let text = |t: &Option<String>| t.clone().unwrap_or_default();
                cells.extend([
                    "datetime".into(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                ]);
                cells.extend(std::iter::repeat_n(String::new(), 2));
                cells.push(text(&s.min));
                cells.extend(std::iter::repeat_n(String::new(), 3));
                cells.push(text(&s.max));
                cells.extend(std::iter::repeat_n(String::new(), 7));
                cells.push(text(&s.range));
            }
        }
        writeln!(out, "{}", cells.join(","))?;
    }
    Ok(())
}

/// The most characters a histogram over time takes in the table.
const SPARK_WIDTH: usize = 24;

/// A histogram over time as a line of bars, `by month ▁▃█▅`: adjacent periods share a bar when
/// there are more than [`SPARK_WIDTH`] of them.
fn sparkline(timeline: &Timeline) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let per_bar = timeline.counts.len().div_ceil(SPARK_WIDTH).max(1);
    let sums: Vec<u64> = timeline
        .counts
        .chunks(per_bar)
        .map(|c| c.iter().sum())
        .collect();
    let top = sums.iter().copied().max().unwrap_or(0).max(1);
    let bars: String = sums
        .iter()
        .map(|&n| match n {
            0 => ' ',
            _ => BARS[((n * 8 - 1) / top).min(7) as usize],
        })
        .collect();
    let unit = match (per_bar, timeline.unit.name()) {
        (1, unit) => unit.to_owned(),
        (n, "century") => format!("{n} centuries"),
        (n, "millennium") => format!("{n} millennia"),
        (n, unit) => format!("{n} {unit}s"),
    };
    format!("by {unit} {bars}")
}

fn write_table(report: &StatsReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}: {} rows", report.source, report.rows)?;
    let mut numeric = TextTable::new(&[
        "column", "count", "nulls", "mean", "std", "min", "q25", "median", "q75", "max", "skew",
        "kurt",
    ]);
    let mut categorical = TextTable::new(&["column", "count", "nulls", "unique", "top", "freq"]);
    let mut bools = TextTable::new(&["column", "count", "nulls", "true", "true share"]);
    let mut dates = TextTable::new(&[
        "column",
        "count",
        "nulls",
        "min",
        "max",
        "range",
        "over time",
    ]);
    for column in &report.columns {
        match &column.summary {
            Summary::Numeric(s) => {
                let mut row = vec![
                    column.name.clone(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                ];
                let figures = [
                    s.mean, s.std, s.min, s.q25, s.median, s.q75, s.max, s.skewness, s.kurtosis,
                ];
                row.extend(figures.into_iter().map(human));
                numeric.push(row);
            }
            Summary::Categorical(s) => categorical.push(vec![
                column.name.clone(),
                s.count.to_string(),
                s.null_count.to_string(),
                s.unique.to_string(),
                s.top.clone().unwrap_or_else(|| "—".into()),
                s.freq.map_or_else(|| "—".into(), |f| f.to_string()),
            ]),
            Summary::Bool(s) => bools.push(vec![
                column.name.clone(),
                s.count.to_string(),
                s.null_count.to_string(),
                s.true_count.to_string(),
                human(s.true_share),
            ]),
            Summary::Datetime(s) => {
                let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "—".into());
                dates.push(vec![
                    column.name.clone(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                    text(&s.min),
                    text(&s.max),
                    text(&s.range),
                    s.histogram.as_ref().map_or_else(|| "—".into(), sparkline),
                ]);
            }
        }
    }
    for table in [&numeric, &categorical, &bools, &dates] {
        if !table.is_empty() {
            writeln!(out)?;
            table.write(out)?;
        }
    }
    writeln!(out)?;
    writeln!(
        out,
        "std: ddof {}; skewness: {}; kurtosis: {}; quantiles: {}",
        report.conventions.ddof,
        report.conventions.skewness,
        report.conventions.kurtosis,
        report.conventions.quantiles
    )?;
    if let Some(e) = report.conventions.rank_error {
        writeln!(out, "rank error bound: {:.3}% of the count", e * 100.0)?;
    }
    Ok(())
}
