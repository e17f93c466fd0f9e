//! `brisk report`: the main job's HTML page.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, Result};
use brisk_data::datasets::{PENGUINS_CSV, PENGUINS_NAME, PENGUINS_TARGET};
use brisk_data::input::{Format, Input};
use brisk_report::report::alerts::AlertThresholds;
use brisk_report::report::{build_report, ReportOptions};
use brisk_report::ReportError;

use crate::cli::{AlertArgs, Common, OutputFormat, ReportArgs};
use crate::output::Destination;

/// Where the page goes without -o.
const DEFAULT_PAGE: &str = "report.html";

pub fn run(args: ReportArgs) -> Result<()> {
    let (input, target) = match &args.file {
        Some(path) => (
            super::open_input(path, &args.common)?,
            args.analysis.target.clone(),
        ),
        None => (
            Input::from_reader(PENGUINS_CSV, PENGUINS_NAME, Format::Csv)?,
            Some(
                args.analysis
                    .target
                    .clone()
                    .unwrap_or_else(|| PENGUINS_TARGET.into()),
            ),
        ),
    };
    let options = ReportOptions {
        analysis: super::importance::analysis_options(&args.analysis, target),
        sigma: args.sigma,
        top: args.top as usize,
        sample_rows: usize::try_from(args.sample_rows).unwrap_or(usize::MAX),
        memory_limit: args
            .memory_limit
            .map_or_else(brisk_data::stats::default_memory_limit, |s| s.0),
        clean: args.clean,
        keep_index: args.common.keep_index,
        alerts: alert_thresholds(&args.alerts),
        ..ReportOptions::default()
    };
    options.check().map_err(flag_error)?;
    let inputs: Vec<&Path> = input.user_path().into_iter().collect();
    let page_path = args
        .common
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_PAGE));
    let page_common = Common {
        output: Some(page_path.clone()),
        ..args.common.clone()
    };
    let destination = Destination::resolve(&page_common, &inputs, &[OutputFormat::Html])?;
    let json_destination = match &args.json {
        Some(path) => {
            let json_common = Common {
                output: Some(path.clone()),
                ..args.common.clone()
            };
            Some(Destination::resolve(
                &json_common,
                &inputs,
                &[OutputFormat::Json],
            )?)
        }
        None => None,
    };
    let bar = super::byte_progress(args.common.quiet, &input);
    let page = build_report(&input, &options, &mut |p| {
        bar.set_prefix(format!("pass {}", p.pass));
        bar.set_position(p.bytes);
    });
    bar.finish_and_clear();
    let page = page?;
    if let Some(column) = &page.json.index_dropped {
        super::note_index_dropped(input.name(), column);
    }
    {
        let _write = brisk_profile::block("write");
        if let Some(json) = &json_destination {
            json.write(|out| {
                serde_json::to_writer_pretty(&mut *out, &page.json)?;
                writeln!(out)
            })?;
        }
        destination.write(|out| out.write_all(page.html.as_bytes()))?;
    }
    let summary = serde_json::json!({
        "page": page_path.display().to_string(),
        "bytes": page.html.len(),
        "rows_in": page.rows_in,
        "rows_out": page.rows_out,
        "json": args.json.as_ref().map(|p| p.display().to_string()),
        "columns": page.columns,
        "sections": page.sections,
    });
    Destination::stdout(args.common.format).write(|out| match args.common.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &summary)?;
            writeln!(out)
        }
        _ => writeln!(
            out,
            "{}: wrote {} ({} KiB): {} rows read, {} after cleaning, {} columns; sections: {}",
            input.name(),
            page_path.display(),
            page.html.len().div_ceil(1024),
            page.rows_in,
            page.rows_out,
            page.columns,
            page.sections.join(", ")
        ),
    })
}

fn alert_thresholds(args: &AlertArgs) -> AlertThresholds {
    AlertThresholds {
        cardinality_share: args.alert_cardinality,
        cardinality_min: args.alert_cardinality_min,
        missing_share: args.alert_missing,
        skewness: args.alert_skew,
        zeros_share: args.alert_zeros,
        correlation: args.alert_correlation,
        imbalance: args.alert_imbalance,
        numeric_text_share: args.alert_numeric_text,
    }
}

/// An option out of its range, named by its flag.
fn flag_error(error: ReportError) -> anyhow::Error {
    let ReportError::InvalidOption {
        option,
        value,
        expected,
    } = error
    else {
        return error.into();
    };
    let flag = match option {
        "sigma" => "--sigma",
        "top" => "--top",
        "sample_rows" => "--sample-rows",
        "clusters" => "--clusters",
        "alerts.cardinality_share" => "--alert-cardinality",
        "alerts.missing_share" => "--alert-missing",
        "alerts.skewness" => "--alert-skew",
        "alerts.zeros_share" => "--alert-zeros",
        "alerts.correlation" => "--alert-correlation",
        "alerts.imbalance" => "--alert-imbalance",
        "alerts.numeric_text_share" => "--alert-numeric-text",
        other => other,
    };
    anyhow!("{flag} must be {expected}, not {value}")
}
