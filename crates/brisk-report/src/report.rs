//! `brisk report`, the main job (exercise E.3): load → clean → transform → visualise, every
//! stage profiled, into one self-contained HTML page.

use std::fmt::Write;

use brisk_data::frame::{clean_loaded, read_frame, CleanOptions, CleanReport};
use brisk_data::input::Input;
use brisk_profile::{block, hints, snapshot, with_block, Report as Profile};
use polars::prelude::{AnyValue, DataFrame};

use crate::analysis::{analyse, Analysis, AnalysisOptions, Projection};
use crate::chart::{
    cluster_scatter, correlation_heatmap, histograms, plot_feature_importance, Image, ImageFormat,
    ImportanceChart,
};
use crate::error::Result;
use crate::html::{escape, Page, Table};
use crate::importance::Importance;
use brisk_data::table::frame_columns;

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
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            analysis: AnalysisOptions::default(),
            sigma: 3.0,
            top: 15,
            bins: 30,
        }
    }
}

/// The page and what went into it.
#[derive(Debug, Clone)]
pub struct ReportPage {
    /// The whole HTML document.
    pub html: String,
    /// Rows read.
    pub rows_in: usize,
    /// Rows after cleaning.
    pub rows_out: usize,
    /// Columns of the table.
    pub columns: usize,
    /// The section ids, in order.
    pub sections: Vec<&'static str>,
}

/// The charts of the visualise stage, as inline SVG.
struct Figures {
    heatmap: Option<String>,
    scatter: Option<String>,
    importance: Option<String>,
    histograms: Option<String>,
}

/// Runs the pipeline on `input` and returns the page. Stages (each a profile block under the
/// caller's): `load`, `clean`, `transform` (statistics, text summaries, correlation, importance,
/// pca, kmeans), `visualise` (one per chart) and `render`. The page's own profile section covers
/// every stage before `render`, so turn profiling on (`brisk_profile::set_enabled`) for it to
/// have figures.
///
/// Cleaning is `brisk clean`'s with every column but the target (a null target is not filled in:
/// those rows are left out of the importance instead).
///
/// # Errors
/// The reader's errors (naming file, line and column); an unknown target; a failed analysis.
pub fn build_report(input: &Input, options: &ReportOptions) -> Result<ReportPage> {
    let loaded = with_block("load", || read_frame(input))?;
    let source = loaded.source.clone();
    if let Some(target) = &options.analysis.target {
        loaded.column_index(target, "--target")?;
    }
    let (cleaned, cleaning) = with_block("clean", || {
        let clean = clean_options(&loaded.frame, options);
        clean_loaded(&loaded, &clean)
    })?;
    let analysis = with_block("transform", || {
        let columns = frame_columns(&cleaned, &source)?;
        analyse(&columns, &source, &options.analysis)
    })?;
    let figures = with_block("visualise", || visualise(&analysis, options))?;
    let profile = snapshot();
    let render = block("render");
    let page = render_page(
        &source,
        &loaded.frame,
        &cleaning,
        &analysis,
        &figures,
        &profile,
    );
    drop(render);
    Ok(ReportPage {
        html: page.0,
        rows_in: loaded.frame.height(),
        rows_out: cleaned.height(),
        columns: loaded.frame.width(),
        sections: page.1,
    })
}

/// Clean every column but the target.
fn clean_options(frame: &DataFrame, options: &ReportOptions) -> CleanOptions {
    let target = options.analysis.target.as_deref();
    let mut numeric = Vec::new();
    let mut categorical = Vec::new();
    for column in frame.columns() {
        let name = column.name().as_str();
        if Some(name) == target {
            continue;
        }
        if column.dtype().is_primitive_numeric() {
            numeric.push(name.to_owned());
        } else {
            categorical.push(name.to_owned());
        }
    }
    CleanOptions {
        numeric: Some(numeric),
        categorical: Some(categorical),
        sigma: options.sigma,
    }
}

fn svg(image: Image) -> String {
    match image {
        Image::Svg(text) => text,
        Image::Png(_) => unreachable!("the report asks for SVG"),
    }
}

fn visualise(analysis: &Analysis, options: &ReportOptions) -> Result<Figures> {
    let heatmap = match &analysis.correlation {
        Some(corr) => Some(with_block("heatmap", || {
            correlation_heatmap(
                &analysis.numeric,
                corr.view(),
                "Pearson correlation",
                ImageFormat::Svg,
                (900, 720),
            )
            .map(svg)
        })?),
        None => None,
    };
    let scatter = match &analysis.projection {
        Ok(projection) => Some(with_block("scatter", || {
            let [pc1, pc2] = axis_names(projection);
            let (points, labels) = projection.even_sample(SCATTER_POINTS);
            cluster_scatter(
                points.view(),
                &labels,
                [&pc1, &pc2],
                "PCA of the standardised features, coloured by k-means cluster",
                ImageFormat::Svg,
                (900, 620),
            )
            .map(svg)
        })?),
        Err(_) => None,
    };
    let importance = match &analysis.importance {
        Some(scores) => Some(with_block("importance chart", || {
            let names: Vec<String> = scores.features.iter().map(|f| f.feature.clone()).collect();
            let values: Vec<f64> = scores.features.iter().map(|f| f.score).collect();
            let chart = ImportanceChart {
                top: options.top,
                title: format!(
                    "Feature importance for {} ({})",
                    scores.target, scores.method
                ),
                ..ImportanceChart::default()
            };
            plot_feature_importance(&names, &values, &chart, ImageFormat::Svg).map(svg)
        })?),
        None => None,
    };
    let histograms = if analysis.numeric.is_empty() {
        None
    } else {
        Some(with_block("histograms", || {
            let rows = analysis.numeric.len().div_ceil(3) as u32;
            histograms(
                &analysis.numeric_columns,
                options.bins,
                ImageFormat::Svg,
                (1200, 300 * rows.max(1) + 60),
            )
            .map(svg)
        })?)
    };
    Ok(Figures {
        heatmap,
        scatter,
        importance,
        histograms,
    })
}

/// Points a page's scatter draws at most: more add megabytes of SVG and no information.
pub const SCATTER_POINTS: usize = 5_000;

fn axis_names(projection: &Projection) -> [String; 2] {
    let [a, b] = projection.explained_variance_ratio;
    [
        format!("PC1 ({:.1}% of the variance)", a * 100.0),
        format!("PC2 ({:.1}% of the variance)", b * 100.0),
    ]
}

/// A figure for people: six significant digits, `—` for NaN.
fn number(x: f64) -> String {
    if x.is_nan() {
        "—".to_owned()
    } else {
        brisk_data::frame::format::six_digits(Some(x))
    }
}

fn render_page(
    source: &str,
    raw: &DataFrame,
    cleaning: &CleanReport,
    analysis: &Analysis,
    figures: &Figures,
    profile: &Profile,
) -> (String, Vec<&'static str>) {
    let mut page = Page::new(
        "brisk report",
        &format!("{source} · brisk {}", env!("CARGO_PKG_VERSION")),
    );
    let mut ids = Vec::new();
    let mut add = |page: &mut Page, id: &'static str, heading: &str, body: String| {
        page.section(id, heading, &body);
        ids.push(id);
    };
    add(
        &mut page,
        "overview",
        "Overview",
        overview(raw, cleaning, analysis),
    );
    add(&mut page, "statistics", "Statistics", statistics(analysis));
    add(
        &mut page,
        "cleaning",
        "Cleaning",
        cleaning_section(cleaning),
    );
    add(
        &mut page,
        "correlation",
        "Correlation",
        figure_or_note(
            &figures.heatmap,
            "No correlation: it needs two numeric columns with values in the same rows.",
        ),
    );
    add(
        &mut page,
        "projection",
        "PCA and k-means",
        projection(analysis, figures),
    );
    add(
        &mut page,
        "importance",
        "Feature importance",
        importance(analysis, figures),
    );
    add(
        &mut page,
        "distributions",
        "Distributions",
        figure_or_note(&figures.histograms, "No numeric column to draw."),
    );
    add(
        &mut page,
        "profile",
        "Stage profile",
        profile_section(profile),
    );
    (page.finish(), ids)
}

fn figure_or_note(figure: &Option<String>, note: &str) -> String {
    match figure {
        Some(svg) => format!("<div class=\"figure\">{svg}</div>"),
        None => format!("<p class=\"note\">{}</p>", escape(note)),
    }
}

fn fact(html: &mut String, label: &str, value: &str) {
    let _ = write!(
        html,
        "<div class=\"fact\"><b>{}</b>{}</div>",
        escape(value),
        escape(label)
    );
}

fn overview(raw: &DataFrame, cleaning: &CleanReport, analysis: &Analysis) -> String {
    let columns = raw.columns();
    let numeric = columns
        .iter()
        .filter(|c| c.dtype().is_primitive_numeric())
        .count();
    let nulls: usize = columns.iter().map(|c| c.null_count()).sum();
    let mut html = String::from("<div class=\"facts\">");
    fact(&mut html, "rows read", &cleaning.rows_in.to_string());
    fact(
        &mut html,
        "rows after cleaning",
        &cleaning.rows_out.to_string(),
    );
    fact(&mut html, "numeric columns", &numeric.to_string());
    fact(
        &mut html,
        "text columns",
        &(columns.len() - numeric).to_string(),
    );
    fact(&mut html, "null values read", &nulls.to_string());
    if let Some(importance) = &analysis.importance {
        fact(
            &mut html,
            &format!("target ({})", importance.method),
            &importance.target,
        );
    }
    html.push_str("</div>");
    let mut table = Table::new(&["column", "type", "nulls read", "example"]);
    for column in columns {
        let kind = if column.dtype().is_primitive_numeric() {
            "numeric"
        } else {
            "text"
        };
        let example = column
            .first_non_null()
            .and_then(|row| column.get(row).ok())
            .map_or(String::new(), |value| match value {
                AnyValue::Float64(x) => number(x),
                AnyValue::String(text) => text.to_owned(),
                AnyValue::StringOwned(text) => text.to_string(),
                other => other.to_string(),
            });
        table.row(&[
            column.name().to_string(),
            kind.to_owned(),
            column.null_count().to_string(),
            example,
        ]);
    }
    html + &table.finish()
}

fn statistics(analysis: &Analysis) -> String {
    let mut html = String::new();
    if !analysis.numeric.is_empty() {
        html.push_str(
            "<p class=\"note\">After cleaning; pandas' conventions: std with ddof 1, skewness \
             G1, excess kurtosis G2, quartiles by linear interpolation.</p>",
        );
        let mut table = Table::new(&[
            "column", "count", "mean", "std", "min", "25%", "50%", "75%", "max", "skewness",
            "kurtosis",
        ]);
        let s = &analysis.statistics;
        for (j, name) in analysis.numeric.iter().enumerate() {
            table.row(&[
                name.clone(),
                number(s.count[j]),
                number(s.mean[j]),
                number(s.std[j]),
                number(s.min[j]),
                number(s.q25[j]),
                number(s.median[j]),
                number(s.q75[j]),
                number(s.max[j]),
                number(s.skewness[j]),
                number(s.kurtosis[j]),
            ]);
        }
        html += &table.finish();
    }
    if !analysis.text.is_empty() {
        let mut table = Table::new(&["column", "count", "nulls", "unique", "top", "freq"]);
        for t in &analysis.text {
            table.row(&[
                t.name.clone(),
                t.count.to_string(),
                t.null_count.to_string(),
                t.unique.to_string(),
                t.top.clone().unwrap_or_else(|| "—".into()),
                t.freq.to_string(),
            ]);
        }
        html += &table.finish();
    }
    html
}

fn cleaning_section(report: &CleanReport) -> String {
    let html = format!(
        "<p>{} rows in, {} out: {} duplicate rows removed, {} rows with a value beyond {} \
         standard deviations removed, {} text values lowercased. Numeric nulls were filled with \
         the column's median, text nulls with its mode (as <code>brisk clean</code>).</p>",
        report.rows_in,
        report.rows_out,
        report.duplicates_removed,
        report.outlier_rows_removed,
        number(report.sigma),
        report.values_lowercased,
    );
    let mut table = Table::new(&CleanReport::SUMMARY_HEADINGS);
    for row in report.column_summary() {
        table.row(&row);
    }
    html + &table.finish()
}

fn projection(analysis: &Analysis, figures: &Figures) -> String {
    let projection = match &analysis.projection {
        Ok(p) => p,
        Err(reason) => return format!("<p class=\"note\">No projection: {}.</p>", escape(reason)),
    };
    let [a, b] = projection.explained_variance_ratio;
    let mut html = format!(
        "<p>StandardScaler then PCA(2) on {} rows of {} ({}); the two components explain \
         {:.1}% and {:.1}% of the variance. k-means (Lloyd, k-means++, best of 10 starts) with \
         {} clusters on the same standardised features; inertia {}.</p>",
        projection.rows,
        projection.features.len(),
        escape(&projection.features.join(", ")),
        a * 100.0,
        b * 100.0,
        projection.sizes.len(),
        number(projection.inertia),
    );
    if projection.rows > SCATTER_POINTS {
        let drawn = projection
            .rows
            .div_ceil(projection.rows.div_ceil(SCATTER_POINTS));
        let _ = write!(
            html,
            "<p class=\"note\">The scatter draws one row in {}, evenly spread: {drawn} of the {} \
             points.</p>",
            projection.rows.div_ceil(SCATTER_POINTS),
            projection.rows
        );
    }
    html += &figure_or_note(&figures.scatter, "");
    let mut table = Table::new(&["cluster", "rows"]);
    for (k, size) in projection.sizes.iter().enumerate() {
        table.row(&[format!("cluster {k}"), size.to_string()]);
    }
    html + &table.finish()
}

fn importance(analysis: &Analysis, figures: &Figures) -> String {
    let Some(scores) = &analysis.importance else {
        return "<p class=\"note\">No target was given: run <code>brisk report FILE --target \
                COLUMN</code> to score the features.</p>"
            .into();
    };
    let Importance {
        target,
        method,
        rows,
        rows_dropped,
        features,
        ..
    } = scores;
    let mut html = format!(
        "<p>Univariate F test of each numeric feature against <b>{}</b> \
         (<code>sklearn.feature_selection.{method}</code>) on {rows} rows ({rows_dropped} left \
         out for a null).</p>",
        escape(target)
    );
    html += &figure_or_note(&figures.importance, "");
    let mut table = Table::new(&["feature", "F", "p-value"]);
    for f in features {
        table.row(&[f.feature.clone(), number(f.score), number(f.p_value)]);
    }
    html + &table.finish()
}

/// Escaped text with its `backquoted` spans set as code.
fn code_spans(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

fn profile_section(profile: &Profile) -> String {
    let mut html = String::from(
        "<p>Wall time, the most heap in use above the stage's start, and the allocations of \
         each stage of this run, up to the writing of this page.</p>",
    );
    let total = profile.total_seconds.max(f64::MIN_POSITIVE);
    let mut table = Table::new(&["stage", "wall s", "share", "peak heap", "allocations", ""]);
    for stage in &profile.stages {
        let share = stage.wall_seconds / total;
        let bar = format!(
            "<span class=\"bar\" style=\"width:{:.0}px\"></span>",
            (share * 240.0).clamp(1.0, 240.0)
        );
        table.row_with_html(
            &[
                format!(
                    "{}{}",
                    "\u{a0}\u{a0}\u{a0}\u{a0}".repeat(stage.depth),
                    stage.name
                ),
                format!("{:.4}", stage.wall_seconds),
                format!("{:.1}%", share * 100.0),
                format!("{:.2} MiB", stage.peak_bytes as f64 / (1024.0 * 1024.0)),
                stage.allocations.to_string(),
            ],
            &bar,
        );
    }
    html += &table.finish();
    let advice: Vec<String> = hints(profile)
        .iter()
        .filter(|h| h.fraction < 1.0)
        .map(|h| format!("<li>{}</li>", code_spans(&escape(&h.to_string()))))
        .collect();
    if !advice.is_empty() {
        let _ = write!(
            html,
            "<p>Amdahl's law, <i>S = 1 / ((1 − p) + p / s)</i>:</p><ul class=\"hints\">{}</ul>",
            advice.concat()
        );
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_data::input::Format;
    use ndarray::Array2;

    fn run_report(csv: &str, target: Option<&str>) -> ReportPage {
        let input = Input::from_reader(csv.as_bytes(), "inline.csv", Format::Csv).unwrap();
        let options = ReportOptions {
            analysis: AnalysisOptions {
                target: target.map(str::to_owned),
                ..AnalysisOptions::default()
            },
            ..ReportOptions::default()
        };
        build_report(&input, &options).unwrap()
    }

    const TABLE: &str = "a,b,c,label\n1,2.5,X,yes\n2,3.5,Y,no\n3,1.5,X,\n4,4.5,,yes\n5,0.5,Y,no\n\
                         6,2.0,X,yes\n7,3.0,Y,no\n8,2.2,X,yes\n";

    #[test]
    fn every_section_is_there_with_or_without_a_target() {
        for target in [Some("label"), None] {
            let page = run_report(TABLE, target);
            assert_eq!(page.sections.len(), 8);
            for id in &page.sections {
                assert!(
                    page.html.contains(&format!("<section id=\"{id}\">")),
                    "{id}"
                );
            }
            assert_eq!(page.rows_in, 8);
        }
    }

    #[test]
    fn the_target_is_not_filled_and_its_null_row_is_left_out() {
        let page = run_report(TABLE, Some("label"));
        // The text column c was filled (1 null), the target was not: 7 rows scored.
        assert!(
            page.html.contains("on 7 rows (1 left out for a null)"),
            "{}",
            page.html
        );
        let without = run_report(TABLE, None);
        assert!(without.html.contains("No target was given"));
    }

    #[test]
    fn a_large_scatter_draws_an_even_sample() {
        let rows = 12_001;
        let projection = Projection {
            features: vec!["a".into(), "b".into()],
            rows,
            scores: Array2::from_shape_fn((rows, 2), |(i, j)| (i * 2 + j) as f64),
            explained_variance_ratio: [0.6, 0.3],
            labels: (0..rows).map(|i| i % 3).collect(),
            sizes: vec![4001, 4000, 4000],
            inertia: 1.0,
        };
        let (points, labels) = projection.even_sample(SCATTER_POINTS);
        // One row in three: rows 0, 3, …, 12,000.
        assert_eq!(points.nrows(), 4001);
        assert!(points.nrows() <= SCATTER_POINTS);
        assert_eq!(points.row(1).to_vec(), [6.0, 7.0]);
        assert_eq!(labels[1], 0);
        assert_eq!(points.row(4000).to_vec(), [24_000.0, 24_001.0]);
    }

    #[test]
    fn an_unknown_target_is_an_error_naming_the_columns() {
        let input = Input::from_reader(TABLE.as_bytes(), "inline.csv", Format::Csv).unwrap();
        let options = ReportOptions {
            analysis: AnalysisOptions {
                target: Some("nope".into()),
                ..AnalysisOptions::default()
            },
            ..ReportOptions::default()
        };
        let message = build_report(&input, &options).unwrap_err().to_string();
        assert!(
            message.contains("inline.csv") && message.contains("\"nope\""),
            "{message}"
        );
    }
}
