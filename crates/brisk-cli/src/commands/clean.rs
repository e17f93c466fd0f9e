//! `brisk clean`: the C.2 cleaning pipeline.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;
use brisk_data::cleaning::{clean_to_csv, StreamOptions};
use brisk_data::frame::{clean_loaded, read_frame, CleanOptions, CleanReport};
use brisk_data::input::Input;

use super::frames::write_frame;
use crate::cli::{CleanArgs, OutputFormat, TABLE_OUTPUTS};
use crate::output::Destination;
use crate::table::TextTable;

pub fn run(args: CleanArgs) -> Result<()> {
    let input = super::open_rows_input(&args.file, &args.common)?;
    let inputs: Vec<&Path> = input.user_path().into_iter().collect();
    let destination = Destination::resolve(&args.common, &inputs, TABLE_OUTPUTS)?;
    let report_destination = match &args.report {
        Some(path) => {
            let common = crate::cli::Common {
                output: Some(path.clone()),
                ..args.common.clone()
            };
            Some(Destination::resolve(
                &common,
                &inputs,
                &[OutputFormat::Json],
            )?)
        }
        None => None,
    };
    if let (Some(out), Some(report)) = (&destination.path, &args.report) {
        if out == report {
            anyhow::bail!(
                "{}: -o and --report name the same file; choose two paths",
                out.display()
            );
        }
    }
    let options = CleanOptions {
        numeric: args.numeric.clone(),
        categorical: args.categorical.clone(),
        sigma: args.sigma,
        ..CleanOptions::default()
    };
    if !(options.sigma.is_finite() && options.sigma >= 0.0) {
        anyhow::bail!("--sigma must be a finite number ≥ 0, not {}", args.sigma);
    }
    // On stdout the table is CSV, or JSON records with --format json.
    let format = destination.format;
    let report = match format {
        OutputFormat::Json | OutputFormat::Parquet => {
            let loaded = brisk_profile::with_block("load", || read_frame(&input))?;
            let (mut cleaned, report) =
                brisk_profile::with_block("clean", || clean_loaded(&loaded, &options))?;
            let write = brisk_profile::block("write");
            destination.write(|out| write_frame(&mut cleaned, format, false, out))?;
            drop(write);
            report
        }
        _ => stream(&args, &input, options, &destination)?,
    };
    warn_mostly_filled(&report, input.name());
    let report_json = report_json(&report, input.name())?;
    if let Some(report_destination) = report_destination {
        report_destination.write(|out| out.write_all(report_json.as_bytes()))?;
    }
    if destination.path.is_some() {
        let stdout = Destination::stdout(args.common.format);
        stdout.write(|out| match args.common.format {
            OutputFormat::Json => out.write_all(report_json.as_bytes()),
            _ => write_summary(&report, input.name(), out),
        })?;
    }
    Ok(())
}

/// Says on stderr which columns were filled in more than half of their rows (after the duplicates
/// were dropped): their median or mode then stands for more values than were read.
fn warn_mostly_filled(report: &CleanReport, source: &str) {
    let rows = report.rows_in - report.duplicates_removed;
    let filled = [
        (&report.numeric_filled, "median"),
        (&report.categorical_filled, "mode"),
    ];
    for (columns, fill) in filled {
        for &(ref name, count) in &columns.0 {
            if count * 2 > rows {
                eprintln!(
                    "brisk: warning: {source}: column {name:?} was filled with its {fill} in \
                     {count} of {rows} rows, more than half; consider dropping it"
                );
            }
        }
    }
}

/// Rows per batch of the streaming passes.
const BATCH_ROWS: usize = 65_536;

/// CSV or TSV output in passes over the input: the output file appears only when every pass
/// succeeded.
fn stream(
    args: &CleanArgs,
    input: &Input,
    clean: CleanOptions,
    destination: &Destination,
) -> Result<CleanReport> {
    let options = StreamOptions {
        clean,
        memory_limit: args
            .memory_limit
            .map_or_else(brisk_data::stats::default_memory_limit, |s| s.0),
        batch_rows: BATCH_ROWS,
    };
    let delimiter = if destination.format == OutputFormat::Tsv {
        b'\t'
    } else {
        b','
    };
    let bar = super::byte_progress(args.common.quiet, input);
    let mut outcome = None;
    let written = {
        destination.write(|out| {
            let result = clean_to_csv(input, &options, out, delimiter, &mut |p| {
                bar.set_prefix(format!("pass {}", p.pass));
                bar.set_position(p.bytes);
            });
            let failed = result.is_err();
            outcome = Some(result);
            if failed {
                Err(io::Error::other("the cleaning failed"))
            } else {
                Ok(())
            }
        })
    };
    bar.finish_and_clear();
    // The data's error, not the writer's stand-in for it.
    if let Some(Err(e)) = outcome {
        return Err(e.into());
    }
    written?;
    outcome
        .and_then(Result::ok)
        .ok_or_else(|| anyhow::anyhow!("the cleaning did not run"))
}

/// The report as pretty JSON, with the source first.
fn report_json(report: &CleanReport, source: &str) -> Result<String> {
    let mut value = serde_json::to_value(report)?;
    if let serde_json::Value::Object(map) = &mut value {
        let mut ordered = serde_json::Map::new();
        ordered.insert("source".into(), source.into());
        ordered.extend(std::mem::take(map));
        value = serde_json::Value::Object(ordered);
    }
    Ok(serde_json::to_string_pretty(&value)? + "\n")
}

fn write_summary(report: &CleanReport, source: &str, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{source}: {} rows in, {} out ({} duplicates and {} outliers beyond {} std removed); {} values lowercased",
        report.rows_in,
        report.rows_out,
        report.duplicates_removed,
        report.outlier_rows_removed,
        report.sigma,
        report.values_lowercased
    )?;
    let mut table = TextTable::new(&CleanReport::SUMMARY_HEADINGS);
    for row in report.column_summary() {
        table.push(row.to_vec());
    }
    writeln!(out)?;
    table.write(out)
}
