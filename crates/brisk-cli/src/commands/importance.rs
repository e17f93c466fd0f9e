//! `brisk importance`: every numeric feature scored against a target (exercise C.3).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use brisk_profile::with_block;
use brisk_report::analysis::AnalysisOptions;
use brisk_report::importance::{Importance, Method};
use brisk_report::pipeline::importance;

use crate::cli::{AnalysisArgs, ImportanceArgs, ImportanceMethod, OutputFormat};
use crate::output::Destination;
use crate::table::{csv_field, exact, human, TextTable};

/// Rows per batch.
const BATCH_ROWS: usize = 65_536;

pub fn run(args: ImportanceArgs) -> Result<()> {
    let input = super::open_input(&args.file, &args.common)?;
    let inputs: Vec<&Path> = input.user_path().into_iter().collect();
    let destination = Destination::resolve(
        &args.common,
        &inputs,
        &[OutputFormat::Json, OutputFormat::Csv],
    )?;
    let source = input.name().to_owned();
    let keep_index = args.common.keep_index;
    let scores = with_block("score", || {
        importance(
            &input,
            &args.target,
            method(args.method),
            BATCH_ROWS,
            keep_index,
        )
    })?;
    if let Some(column) = &scores.index_dropped {
        super::note_index_dropped(&source, column);
    }
    destination.write(|out| match destination.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &scores)?;
            writeln!(out)
        }
        OutputFormat::Csv => write_csv(&scores, out),
        _ => write_table(&scores, &source, out),
    })
}

/// The library's analysis options for the command line's, with `target` as the target.
pub fn analysis_options(args: &AnalysisArgs, target: Option<String>) -> AnalysisOptions {
    AnalysisOptions {
        target,
        method: method(args.method),
        clusters: args.clusters.map(|k| k as usize),
        seed: 0,
    }
}

/// The library's method for the command line's.
fn method(method: ImportanceMethod) -> Method {
    match method {
        ImportanceMethod::Auto => Method::Auto,
        ImportanceMethod::Classif => Method::Classif,
        ImportanceMethod::Regression => Method::Regression,
    }
}

/// `feature,importance,p_value`: what `brisk plot importance` reads; undefined values are empty.
fn write_csv(scores: &Importance, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "feature,importance,p_value")?;
    for f in &scores.features {
        let finite = |x: f64| x.is_finite().then_some(x);
        writeln!(
            out,
            "{},{},{}",
            csv_field(&f.feature),
            exact(finite(f.score)),
            exact(finite(f.p_value))
        )?;
    }
    Ok(())
}

fn write_table(scores: &Importance, source: &str, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{source}: {} of the features for {:?}, on {} rows ({} with nulls left out)",
        scores.method, scores.target, scores.rows, scores.rows_dropped
    )?;
    let mut table = TextTable::new(&["feature", "score", "p_value"]);
    for f in &scores.features {
        let value = |x: f64| {
            if x.is_nan() {
                human(None)
            } else {
                human(Some(x))
            }
        };
        table.push(vec![f.feature.clone(), value(f.score), value(f.p_value)]);
    }
    table.write(out)
}
