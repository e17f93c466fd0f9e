//! `brisk report`, the main job: batches → accumulators → page, every stage profiled, into one
//! self-contained HTML page (and, on request, its figures as JSON).
//!
//! What each part describes:
//! - the overview, the statistics and the distributions describe the data **as read**, before
//!   any cleaning (a profile exists to show the nulls, the zeros and the odd values);
//! - the cleaning section shows what `brisk clean` does to the data, every column but the target;
//! - the analyses (correlation, PCA, k-means, importance) run on the complete rows as read, or
//!   on the cleaned rows with [`ReportOptions::clean`]; the page says which.
//!
//! The data as read is summarised in two streaming passes ([`crate::pipeline`]); the cleaning
//! section takes `brisk clean`'s passes ([`brisk_data::cleaning`]) without writing the rows;
//! memory is bounded by [`ReportOptions::memory_limit`], not by the file.

pub mod alerts;
mod charts;
mod columns;
mod facts;
mod json;
mod sections;

use brisk_data::batch::{BatchPass, Batches, ColumnTypes};
use brisk_data::cleaning::RemovedValue;
use brisk_data::cleaning::{count_surviving, CleanedBatches, FusedClean, StreamOptions};
use brisk_data::frame::{CleanOptions, CleanReport};
use brisk_data::input::Input;
use brisk_profile::{block, session, with_block};

pub use json::{CorrelationJson, KMeansJson, PcaJson, ReportJson};

use crate::analysis::AnalysisOptions;
use crate::error::{ReportError, Result};
use crate::html::Page;
use crate::pipeline::{self, Figures, FitOptions, PassProgress, PipelineOptions};
use alerts::{alerts, AlertThresholds};

/// Points a page's scatter draws at most: more add megabytes of SVG and no information.
pub const SCATTER_POINTS: usize = 5_000;

/// How to run the report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The analyses: target, importance test, clusters, seed.
    pub analysis: AnalysisOptions,
    /// Rows farther than this many standard deviations from a column's mean are dropped.
    pub sigma: f64,
    /// Features shown in the importance chart.
    pub top: usize,
    /// Bins of each histogram.
    pub bins: usize,
    /// The most rows k-means is fitted on (a seeded uniform sample of the complete rows).
    pub sample_rows: usize,
    /// Memory for kept values and accumulators, in bytes.
    pub memory_limit: u64,
    /// Run the analyses on the cleaned rows instead of the rows as read.
    pub clean: bool,
    /// Rows per batch; by default 16,384, so that a batch's numeric columns stay in the core's
    /// cache while each accumulator in turn reads them (four times as many cost a fifth more
    /// time on the bench's 10M-row file).
    pub batch_rows: usize,
    /// Keep a first column that is a row index ([`brisk_data::batch::RowIndex`]) in the
    /// analyses; by default it is left out, and the page says so.
    pub keep_index: bool,
    /// The thresholds of the alerts.
    pub alerts: AlertThresholds,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            analysis: AnalysisOptions::default(),
            sigma: 3.0,
            top: 15,
            bins: 30,
            sample_rows: 100_000,
            memory_limit: brisk_data::stats::default_memory_limit(),
            clean: false,
            batch_rows: 16_384,
            keep_index: false,
            alerts: AlertThresholds::default(),
        }
    }
}

impl ReportOptions {
    /// Checks every option against its range, once, before the data is read.
    ///
    /// ```
    /// use brisk_report::report::ReportOptions;
    /// use brisk_report::ReportError;
    /// let bad = ReportOptions { sigma: -1.0, ..ReportOptions::default() };
    /// let Err(ReportError::InvalidOption { option, .. }) = bad.check() else { panic!() };
    /// assert_eq!(option, "sigma");
    /// assert!(ReportOptions::default().check().is_ok());
    /// ```
    ///
    /// # Errors
    /// [`ReportError::InvalidOption`] naming the first option out of its range, by its field's
    /// name (`alerts.` and the threshold's for an alert).
    pub fn check(&self) -> Result<()> {
        let alerts = &self.alerts;
        let non_negative = [("sigma", self.sigma), ("alerts.skewness", alerts.skewness)];
        let counts = [
            ("top", self.top),
            ("bins", self.bins),
            ("sample_rows", self.sample_rows),
            ("batch_rows", self.batch_rows),
            ("clusters", self.analysis.clusters.unwrap_or(1)),
        ];
        let shares = [
            ("alerts.cardinality_share", alerts.cardinality_share),
            ("alerts.missing_share", alerts.missing_share),
            ("alerts.zeros_share", alerts.zeros_share),
            ("alerts.correlation", alerts.correlation),
            ("alerts.imbalance", alerts.imbalance),
            ("alerts.numeric_text_share", alerts.numeric_text_share),
        ];
        let invalid = |option, value, expected| {
            Err(ReportError::InvalidOption {
                option,
                value,
                expected,
            })
        };
        if let Some((option, x)) = non_negative
            .into_iter()
            .find(|(_, x)| !(x.is_finite() && *x >= 0.0))
        {
            return invalid(option, x, "a finite number ≥ 0");
        }
        if let Some((option, n)) = counts.into_iter().find(|(_, n)| *n < 1) {
            return invalid(option, n as f64, "at least 1");
        }
        if let Some((option, x)) = shares.into_iter().find(|(_, x)| !(0.0..=1.0).contains(x)) {
            return invalid(option, x, "a number from 0 to 1");
        }
        Ok(())
    }
}

/// The page and what went into it.
#[derive(Debug, Clone)]
pub struct ReportPage {
    /// The whole HTML document.
    pub html: String,
    /// Rows read.
    pub rows_in: u64,
    /// Rows after cleaning.
    pub rows_out: u64,
    /// Columns of the table.
    pub columns: usize,
    /// The section ids, in order.
    pub sections: Vec<&'static str>,
    /// The page's figures.
    pub json: ReportJson,
}

/// The charts of the visualise stage, as inline SVG.
struct Charts {
    /// Pearson, Spearman and Cramér's V.
    correlations: sections::CorrelationCharts,
    scatter: Option<String>,
    importance: Option<String>,
    /// Each column's chart, in table order.
    columns: Vec<Option<String>>,
    missing: sections::MissingCharts,
}

/// Runs the report on `input`. Stages (each a profile block under the caller's): `pass 1`, `fit`,
/// `pass 2` (see [`crate::pipeline`]), `clean` (the cleaning preview), `visualise` (one per
/// chart) and `render`. The page's own profile section covers every stage before `render` and
/// the blocks open around the call: the report profiles its own run in a
/// [`brisk_profile::Session`], which turns profiling on if it was off and leaves it as it was
/// (and, when the caller was not profiling, the record as it was). `progress` hears of every
/// batch of both passes.
///
/// # Errors
/// An option out of its range ([`ReportOptions::check`]); the reader's errors (naming file,
/// line and column); an unknown target; a failed analysis; an input that changes between the
/// passes.
pub fn build_report(
    input: &Input,
    options: &ReportOptions,
    progress: &mut dyn FnMut(PassProgress),
) -> Result<ReportPage> {
    options.check()?;
    let run = session();
    let pipeline_options = PipelineOptions {
        target: options.analysis.target.clone(),
        method: options.analysis.method,
        fit: FitOptions {
            clusters: options.analysis.clusters,
            seed: options.analysis.seed,
        },
        sample_rows: options.sample_rows,
        bins: options.bins,
        memory_limit: options.memory_limit,
        batch_rows: options.batch_rows,
        spill: true,
        keep_index: options.keep_index,
    };
    // The data as read and the cleaning's first passes share the batches and the memory.
    let half = PipelineOptions {
        memory_limit: options.memory_limit / 2,
        ..pipeline_options.clone()
    };
    let clean_options = StreamOptions {
        clean: clean_columns(options),
        memory_limit: options.memory_limit / 2,
        batch_rows: options.batch_rows,
    };
    let mut fused = FusedClean::new(input.name(), &clean_options).with_medians_given();
    let open = |types: Option<&ColumnTypes>| -> brisk_data::Result<Box<dyn BatchPass + '_>> {
        Ok(Box::new(match types {
            None => Batches::open(input, options.batch_rows)?,
            Some(types) => Batches::with_types(input, types, options.batch_rows)?,
        }))
    };
    let read = pipeline::run_passes(input.name(), &open, &half, Some(&mut fused), progress)?;
    let mut prepared = with_block("clean plan", || {
        fused.finish(
            input,
            read.spilled.as_ref(),
            Some(read.medians.clone()),
            &mut |_| {},
        )
    })?;
    let (cleaning, analysed_clean) = if options.clean {
        prepared.settle_bounds(
            input,
            read.spilled.as_ref(),
            options.batch_rows,
            &mut |_| {},
        )?;
        let prepared = &prepared;
        let open = |_: Option<&ColumnTypes>| -> brisk_data::Result<Box<dyn BatchPass + '_>> {
            Ok(Box::new(CleanedBatches::open(
                input,
                prepared,
                options.batch_rows,
            )?))
        };
        let analysed = with_block("cleaned rows", || {
            pipeline::run_passes(input.name(), &open, &pipeline_options, None, &mut |_| {})
        })?;
        (prepared.report(analysed.rows), Some(analysed))
    } else {
        // The count made in pass 2 stands unless a row lies so close to a bound that only
        // pandas' own rounding of the bound decides it.
        if prepared.counted_report().is_none() {
            prepared.settle_for_count(input, read.spilled.as_ref(), options.batch_rows)?;
        }
        let report = match prepared.counted_report() {
            Some(report) => report,
            None => with_block("outliers", || {
                count_surviving(input, &prepared, options.batch_rows)
            })?,
        };
        (report, None)
    };
    let analysed = analysed_clean.as_ref().unwrap_or(&read);
    let found = Found {
        cleaning: Some(&cleaning),
        removed: prepared.removed_values(),
        run: &run,
    };
    render(&read, analysed, found, options)
}

/// The page of figures found elsewhere: a table held in partitions, summarised and merged
/// ([`crate::pipeline::ReportState`]). It is the page [`build_report`] makes of the same rows
/// but for the cleaning, which is not run (its section says so); the analyses are on the rows
/// as read, whatever [`ReportOptions::clean`] says.
///
/// # Errors
/// An option out of its range ([`ReportOptions::check`]), or a chart that fails to draw.
pub fn render_figures(read: &Figures, options: &ReportOptions) -> Result<ReportPage> {
    options.check()?;
    let options = ReportOptions {
        clean: false,
        ..options.clone()
    };
    let run = session();
    let found = Found {
        cleaning: None,
        removed: &[],
        run: &run,
    };
    render(read, read, found, &options)
}

/// What the page shows beside the figures: the cleaning, and the run whose stages' profile it
/// shows (taken once the charts are drawn, so that `visualise` is among them).
struct Found<'a> {
    cleaning: Option<&'a CleanReport>,
    removed: &'a [RemovedValue],
    run: &'a brisk_profile::Session,
}

/// The page and its JSON from the figures of the data as read, `read`, and of the rows analysed.
fn render(
    read: &Figures,
    analysed: &Figures,
    found: Found<'_>,
    options: &ReportOptions,
) -> Result<ReportPage> {
    let Found {
        cleaning,
        removed,
        run,
    } = found;
    let rows_word = if options.clean {
        "after cleaning"
    } else {
        "as read"
    };
    let found = alerts(
        &facts::table_facts(read, cleaning, removed),
        &options.alerts,
    );
    let charts = with_block("visualise", || charts::visualise(read, analysed, options))?;
    let profile = run.snapshot();
    let render = block("render");
    let mut page = Page::new(
        "brisk report",
        &format!("{} · brisk {}", read.source, env!("CARGO_PKG_VERSION")),
    );
    let profiled = &read.profile;
    let sections: Vec<(&'static str, &str, String)> = vec![
        // Alerts first: what needs a look, before the figures.
        (
            "alerts",
            "Alerts",
            sections::alerts(&found, &options.alerts, read.types.names()),
        ),
        ("overview", "Overview", sections::overview(read, cleaning)),
        (
            "columns",
            "Columns",
            columns::columns(read, &charts.columns, &found),
        ),
        ("statistics", "Statistics table", sections::statistics(read)),
        (
            "missing",
            "Missing values",
            sections::missing(
                &profiled.nullity,
                &profiled.rows.matrix,
                &charts.missing,
                read.types.len(),
            ),
        ),
        (
            "correlation",
            "Correlations",
            sections::correlations(analysed, &charts.correlations, rows_word),
        ),
        (
            "importance",
            "Feature importance",
            sections::importance(
                analysed.analyses.importance.as_ref(),
                &analysed.profile.associations.scores,
                &charts.importance,
                rows_word,
            ),
        ),
        (
            "projection",
            "PCA and k-means",
            sections::projection(analysed, &charts.scatter, rows_word),
        ),
        (
            "sample",
            "Sample rows",
            sections::sample_rows(&profiled.rows, read.types.names()),
        ),
        (
            "cleaning",
            "Cleaning",
            sections::cleaning(cleaning, removed),
        ),
        ("profile", "Stage profile", sections::profile(&profile)),
    ];
    let mut ids = Vec::new();
    for (id, heading, body) in &sections {
        page.section(id, heading, body);
        ids.push(*id);
    }
    let html = page.finish();
    drop(render);
    let analysis_rows = if options.clean { "cleaned" } else { "as read" };
    let json = ReportJson {
        alerts: found,
        alert_thresholds: options.alerts.clone(),
        ..ReportJson::new(
            read,
            analysed,
            cleaning,
            removed,
            analysis_rows,
            options.analysis.seed,
        )
    };
    Ok(ReportPage {
        html,
        rows_in: read.rows,
        rows_out: cleaning.map_or(0, |c| c.rows_out),
        columns: read.types.len(),
        sections: ids,
        json,
    })
}

/// `brisk clean`'s columns: every column but the target, each by its type.
fn clean_columns(options: &ReportOptions) -> CleanOptions {
    let all = CleanOptions {
        sigma: options.sigma,
        ..CleanOptions::default()
    };
    match options.analysis.target.as_deref() {
        Some(target) => all.without(target),
        None => all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_data::input::Format;

    const TABLE: &str = "a,b,c,label\n1,2.5,X,yes\n2,3.5,Y,no\n3,1.5,X,\n4,4.5,,yes\n5,0.5,Y,no\n\
                         6,2.0,X,yes\n7,3.0,Y,no\n8,2.2,X,yes\n";

    fn options(target: Option<&str>) -> ReportOptions {
        ReportOptions {
            analysis: AnalysisOptions {
                target: target.map(str::to_owned),
                ..AnalysisOptions::default()
            },
            ..ReportOptions::default()
        }
    }

    fn run(csv: &str, options: &ReportOptions) -> Result<ReportPage> {
        let input = Input::from_reader(csv.as_bytes(), "inline.csv", Format::Csv).unwrap();
        build_report(&input, options, &mut |_| {})
    }

    #[test]
    fn every_section_is_there_with_or_without_a_target() {
        for target in [Some("label"), None] {
            let page = run(TABLE, &options(target)).unwrap();
            assert_eq!(page.sections.len(), 11);
            for id in &page.sections {
                assert!(
                    page.html.contains(&format!("<section id=\"{id}\">")),
                    "{id}"
                );
            }
            assert_eq!((page.rows_in, page.json.rows_in), (8, 8));
        }
    }

    #[test]
    fn the_statistics_describe_the_data_as_read() {
        // The text column c has a null: as read it stays, cleaned it would be filled.
        let page = run(TABLE, &options(Some("label"))).unwrap();
        let c = &page.json.columns[2];
        assert_eq!(c.name, "c");
        let brisk_data::stats::Summary::Categorical(c) = &c.summary else {
            panic!("c is text")
        };
        assert_eq!(c.null_count, 1);
        let cleaning = page.json.cleaning.as_ref().unwrap();
        assert_eq!(cleaning.categorical_filled.get("c"), Some(&1));
        // The target is never cleaned: its null row is left out of the scores instead.
        let scores = page.json.importance.as_ref().unwrap();
        assert_eq!((scores.rows, scores.rows_dropped), (7, 1));
        assert_eq!(page.json.analysis_rows, "as read");
    }

    #[test]
    fn with_clean_the_analyses_read_the_cleaned_rows() {
        let mut clean = options(Some("label"));
        clean.clean = true;
        let page = run(TABLE, &clean).unwrap();
        assert_eq!(page.json.analysis_rows, "cleaned");
        let cleaning = page.json.cleaning.as_ref().unwrap();
        assert_eq!(page.json.pca.as_ref().unwrap().rows, cleaning.rows_out);
    }

    #[test]
    fn an_option_out_of_range_is_named_by_its_field_before_the_data_is_read() {
        let mut bad = options(None);
        bad.alerts.missing_share = 1.5;
        bad.analysis.clusters = Some(0);
        // Every option is checked; the first out of range is named, with its value.
        let message = run("not,a\ncsv,,,\n", &bad).unwrap_err().to_string();
        assert_eq!(message, "clusters must be at least 1, not 0");
        bad.analysis.clusters = None;
        let Err(ReportError::InvalidOption { option, value, .. }) = bad.check() else {
            panic!("missing_share is out of range")
        };
        assert_eq!((option, value), ("alerts.missing_share", 1.5));
    }

    #[test]
    fn an_unknown_target_is_an_error_naming_the_columns() {
        let message = run(TABLE, &options(Some("nope"))).unwrap_err().to_string();
        assert!(
            message.contains("inline.csv")
                && message.contains("\"nope\"")
                && message.contains("\"label\""),
            "{message}"
        );
    }

    #[test]
    fn a_rule_that_removes_a_whole_value_of_a_discrete_column_is_named() {
        // A 0/1 flag with 1 in one row in 20: mean + 3σ ≈ 0.7, so every 1 goes.
        let mut csv = String::from("x,flag\n");
        for i in 0..400 {
            csv.push_str(&format!("{i},{}\n", u8::from(i % 20 == 0)));
        }
        let page = run(&csv, &options(None)).unwrap();
        let warnings = &page.json.cleaning_warnings;
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            (
                warnings[0].column.as_str(),
                warnings[0].value,
                warnings[0].rows
            ),
            ("flag", 1.0, 20)
        );
        assert!(page.html.contains("<b>flag = 1</b> (20 rows)"));
    }

    /// Every figure as JSON numbers, k-means included: the sample does not depend on the batches.
    fn figures(batch_rows: usize, csv: &str) -> serde_json::Value {
        let options = ReportOptions {
            batch_rows,
            ..options(Some("label"))
        };
        serde_json::to_value(run(csv, &options).unwrap().json).unwrap()
    }

    fn close(a: &serde_json::Value, b: &serde_json::Value, path: &str) {
        use serde_json::Value;
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                assert!((x - y).abs() <= 1e-12 * y.abs().max(1.0), "{path}: {x} {y}");
            }
            (Value::Array(x), Value::Array(y)) => {
                assert_eq!(x.len(), y.len(), "{path}");
                for (i, (x, y)) in x.iter().zip(y).enumerate() {
                    close(x, y, &format!("{path}[{i}]"));
                }
            }
            (Value::Object(x), Value::Object(y)) => {
                assert_eq!(x.len(), y.len(), "{path}");
                for (k, v) in x {
                    close(v, &y[k], &format!("{path}.{k}"));
                }
            }
            (x, y) => assert_eq!(x, y, "{path}"),
        }
    }

    #[test]
    fn the_batch_size_changes_no_figure() {
        let mut csv = String::from("a,b,c,label\n");
        let mut state = 12_345u64;
        for i in 0..3_000 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            let a = if i % 31 == 0 {
                "NA".to_owned()
            } else {
                format!("{}", 1e6 + u)
            };
            let row = format!(
                "{a},{},{},{}\n",
                (i % 17) as f64 * u,
                i % 5,
                ["p", "q", "r"][i % 3]
            );
            csv.push_str(&row);
            if i % 250 == 0 {
                csv.push_str(&row);
            }
        }
        let reference = figures(65_536, &csv);
        for batch_rows in [1, 7, 1000] {
            close(
                &figures(batch_rows, &csv),
                &reference,
                &format!("batches of {batch_rows}"),
            );
        }
    }
}
