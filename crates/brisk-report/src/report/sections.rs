//! The page's sections, each rendered from the figures it describes.

use std::fmt::Write;

use brisk_data::batch::ColumnTypes;
use brisk_data::cleaning::RemovedValue;
use brisk_data::frame::CleanReport;
use brisk_data::nullity::Nullity;
use brisk_data::sample_rows::{NullityMatrix, SampledRow, SampledRows};
use brisk_data::stats::Summary;
use brisk_profile::{hints, Report as Profile};

use crate::html::{escape, Table};

use super::alerts::{Alert, AlertThresholds};
use crate::importance::Importance;
use crate::pipeline::{CategoricalScore, Figures};

use super::SCATTER_POINTS;

/// A figure for people: six significant digits, `—` for none or NaN.
pub(super) fn number(x: Option<f64>) -> String {
    match x {
        Some(x) if !x.is_nan() => brisk_data::frame::format::six_digits(Some(x)),
        _ => "—".to_owned(),
    }
}

pub(super) fn figure_or_note(figure: &Option<String>, note: &str) -> String {
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

/// Rows, columns by type, nulls and the target, as read.
pub(super) fn overview(read: &Figures, cleaning: Option<&CleanReport>) -> String {
    let count = |is: fn(&ColumnTypes, usize) -> bool| {
        (0..read.types.len())
            .filter(|&j| is(&read.types, j))
            .count()
    };
    let (numeric, bools) = (count(ColumnTypes::is_numeric), count(ColumnTypes::is_bool));
    let dates = count(ColumnTypes::is_datetime);
    let total_nulls: u64 = read.columns.iter().map(|c| c.summary.null_count()).sum();
    let mut html = String::from("<div class=\"facts\">");
    fact(&mut html, "rows read", &read.rows.to_string());
    if let Some(cleaning) = cleaning {
        fact(
            &mut html,
            "rows after cleaning",
            &cleaning.rows_out.to_string(),
        );
    }
    fact(&mut html, "numeric columns", &numeric.to_string());
    if bools > 0 {
        fact(&mut html, "boolean columns", &bools.to_string());
    }
    if dates > 0 {
        fact(&mut html, "date-time columns", &dates.to_string());
    }
    fact(
        &mut html,
        "text columns",
        &(read.types.len() - numeric - bools - dates).to_string(),
    );
    fact(&mut html, "null values read", &total_nulls.to_string());
    if let Some(target) = &read.analyses.plan.target {
        let method = match target.test {
            crate::pipeline::Test::Classif => "f_classif",
            crate::pipeline::Test::Regression => "f_regression",
        };
        fact(&mut html, &format!("target ({method})"), &target.name);
    }
    html.push_str("</div>");
    let plan = &read.analyses.plan;
    if let Some(j) = plan.row_index {
        let _ = write!(
            html,
            "<p class=\"note\">The first column, <b>{}</b>, holds the row numbers: a row index \
             written out as data (R's write.csv and pandas' to_csv do this). The correlation, PCA, \
             k-means and importance leave it out; --keep-index keeps it.</p>",
            escape(&plan.names[j])
        );
    }
    html
}

/// The statistics of every column as read.
pub(super) fn statistics(read: &Figures) -> String {
    let mut html = String::from(
        "<p class=\"note\">The data as read, before any cleaning; pandas' conventions: std \
         with ddof 1, skewness G1, excess kurtosis G2, exact quartiles by linear \
         interpolation.</p>",
    );
    let mut numeric = Table::new(&[
        "column", "count", "nulls", "mean", "std", "min", "25%", "50%", "75%", "max", "skewness",
        "kurtosis",
    ]);
    let mut text = Table::new(&["column", "count", "nulls", "unique", "top", "freq"]);
    let mut bools = Table::new(&["column", "count", "nulls", "true", "true share"]);
    let mut dates = Table::new(&["column", "count", "nulls", "min", "max", "range"]);
    let (mut any_numeric, mut any_text, mut any_bool, mut any_date) = (false, false, false, false);
    for column in &read.columns {
        match &column.summary {
            Summary::Numeric(s) => {
                any_numeric = true;
                numeric.row(&[
                    column.name.clone(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                    number(s.mean),
                    number(s.std),
                    number(s.min),
                    number(s.q25),
                    number(s.median),
                    number(s.q75),
                    number(s.max),
                    number(s.skewness),
                    number(s.kurtosis),
                ]);
            }
            Summary::Categorical(s) => {
                any_text = true;
                text.row(&[
                    column.name.clone(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                    s.unique.to_string(),
                    s.top.clone().unwrap_or_else(|| "—".into()),
                    s.freq.map_or("—".into(), |f| f.to_string()),
                ]);
            }
            Summary::Bool(s) => {
                any_bool = true;
                bools.row(&[
                    column.name.clone(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                    s.true_count.to_string(),
                    share(s.true_share),
                ]);
            }
            Summary::Datetime(s) => {
                any_date = true;
                let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "—".into());
                dates.row(&[
                    column.name.clone(),
                    s.count.to_string(),
                    s.null_count.to_string(),
                    text(&s.min),
                    text(&s.max),
                    text(&s.range),
                ]);
            }
        }
    }
    if any_numeric {
        html += &numeric.finish();
    }
    if any_text {
        html += &text.finish();
    }
    if any_bool {
        html += &bools.finish();
    }
    if any_date {
        html += &dates.finish();
    }
    html
}

/// A share as a percentage with one decimal, or a dash.
fn share(value: Option<f64>) -> String {
    value.map_or_else(|| "—".into(), |v| format!("{:.1}%", v * 100.0))
}

/// What `brisk clean` would do, with a warning for every discrete value a rule removes entirely.
pub(super) fn cleaning(report: Option<&CleanReport>, removed: &[RemovedValue]) -> String {
    let Some(report) = report else {
        return String::new();
    };
    let mut warnings = String::new();
    for r in removed {
        let _ = write!(
            warnings,
            "<li>every row with <b>{} = {}</b> ({} rows) lies beyond the bounds: the rule \
             removes that value from the data altogether</li>",
            escape(&r.column),
            escape(&number(Some(r.value))),
            r.rows
        );
    }
    if !warnings.is_empty() {
        warnings = format!(
            "<div class=\"warning\"><p>The {} σ rule is meant for continuous columns; on \
             these discrete ones it deletes whole categories:</p><ul>{warnings}</ul></div>",
            number(Some(report.sigma))
        );
    }
    let html = format!(
        "<p>What <code>brisk clean</code> does to this data (every column but the target): {} \
         rows in, {} out: {} duplicate rows removed, {} rows with a value beyond {} standard \
         deviations removed, {} text values lowercased. Numeric nulls are filled with the \
         column's median, text nulls with its mode.</p>",
        report.rows_in,
        report.rows_out,
        report.duplicates_removed,
        report.outlier_rows_removed,
        number(Some(report.sigma)),
        report.values_lowercased,
    );
    let mut table = Table::new(&CleanReport::SUMMARY_HEADINGS);
    for row in report.column_summary() {
        table.row(&row);
    }
    html + &warnings + &table.finish()
}

/// The projection's words, its scatter and the cluster table.
pub(super) fn projection(analysed: &Figures, scatter: &Option<String>, rows_word: &str) -> String {
    let projection = match &analysed.analyses.projection {
        Ok(p) => p,
        Err(reason) => return format!("<p class=\"note\">No projection: {}.</p>", escape(reason)),
    };
    let ratio = &projection.pca.explained_variance_ratio;
    let (sizes, inertia) = analysed
        .assignment
        .as_ref()
        .map_or((Vec::new(), f64::NAN), |a| (a.sizes.clone(), a.inertia));
    let mut html = format!(
        "<p>StandardScaler then PCA(2) on the {} complete rows {rows_word} of {} features ({}); \
         the two components explain {:.1}% and {:.1}% of the variance. k-means (Lloyd, \
         one k-means++ start, as scikit-learn's default) with {} clusters on the same standardised features, \
         fitted on a seeded uniform sample of {} rows and then applied to every complete row: \
         sizes and inertia ({}) cover all {} rows.</p>",
        projection.rows,
        projection.features.len(),
        escape(&projection.features.join(", ")),
        ratio[0] * 100.0,
        ratio[1] * 100.0,
        sizes.len(),
        projection.sample_rows,
        number(Some(inertia)),
        projection.rows,
    );
    if projection.sample_rows > SCATTER_POINTS {
        let step = projection.sample_rows.div_ceil(SCATTER_POINTS);
        let _ = write!(
            html,
            "<p class=\"note\">The scatter draws one sampled row in {step}, evenly spread: {} of \
             the {} sampled points.</p>",
            projection.sample_rows.div_ceil(step),
            projection.sample_rows
        );
    }
    html += &figure_or_note(scatter, "");
    let mut table = Table::new(&["cluster", "rows"]);
    for (k, size) in sizes.iter().enumerate() {
        table.row(&[format!("cluster {k}"), size.to_string()]);
    }
    html + &table.finish()
}

/// The importance words, chart and table: the numeric features' F test and the text features'
/// χ² or one-way F, ranked together by p-value when the tests differ.
pub(super) fn importance(
    scores: Option<&Importance>,
    text_scores: &[CategoricalScore],
    chart: &Option<String>,
    rows_word: &str,
) -> String {
    let Some(scores) = scores else {
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
         (<code>sklearn.feature_selection.{method}</code>) on {rows} rows {rows_word} \
         ({rows_dropped} left out for a null).",
        escape(target)
    );
    if !text_scores.is_empty() {
        html.push_str(
            " Each text or boolean feature with at most 100 values is tested over the rows where \
             it and the target hold values: χ² of the feature × target table \
             (<code>scipy.stats.chi2_contingency</code>, with its bias-corrected Cramér's V) \
             for a categorical target, the one-way ANOVA F of the target across the feature's \
             values (<code>scipy.stats.f_oneway</code>) for a numeric one. Scores of different \
             tests are not on one scale: the chart ranks by p-value.",
        );
    }
    html.push_str("</p>");
    html += &figure_or_note(chart, "");
    let mut table = Table::new(&["feature", "test", "statistic", "p-value", "Cramér's V"]);
    for f in features {
        table.row(&[
            f.feature.clone(),
            format!("F ({method})"),
            number(Some(f.score)),
            number(Some(f.p_value)),
            "—".into(),
        ]);
    }
    for s in text_scores {
        let test = if s.test == "chi2_contingency" {
            "χ²"
        } else {
            "F (f_oneway)"
        };
        table.row(&[
            s.feature.clone(),
            test.into(),
            number(Some(s.statistic)),
            number(Some(s.p_value)),
            number(s.cramers_v),
        ]);
    }
    html + &table.finish()
}

/// The correlation section's heatmaps, as inline SVG.
#[derive(Debug, Default)]
pub(super) struct CorrelationCharts {
    pub(super) pearson: Option<String>,
    pub(super) spearman: Option<String>,
    pub(super) cramers: Option<String>,
}

/// Columns past which a heatmap also gets the table of its strongest pairs.
const CROWDED_HEATMAP: usize = 20;

/// Pearson, Spearman and Cramér's V, each said for what rows it stands; a crowded heatmap also
/// gets its strongest pairs as a table.
pub(super) fn correlations(
    analysed: &Figures,
    charts: &CorrelationCharts,
    rows_word: &str,
) -> String {
    let mut html = String::new();
    match &analysed.analyses.correlation {
        Some(corr) => {
            let _ = write!(
                html,
                "<h3>Pearson</h3><p class=\"note\">Over the {} rows {rows_word} where every \
                 numeric column holds a value (the rows PCA reads).</p>",
                corr.rows
            );
            html += &figure_or_note(&charts.pearson, "");
            if corr.columns.len() > CROWDED_HEATMAP {
                html += &top_pairs(&corr.columns, corr.matrix.view(), "r", 20);
            }
        }
        None => html.push_str(
            "<p class=\"note\">No Pearson correlation: it needs two numeric columns with values \
             in the same rows.</p>",
        ),
    }
    let associations = &analysed.profile.associations;
    if let Some(rho) = &associations.pairwise {
        let over = if rho.exact {
            format!("exact, over every row {rows_word}")
        } else {
            format!(
                "on a seeded uniform sample of {} rows {rows_word} (the table has more than \
                 --sample-rows)",
                rho.rows
            )
        };
        let _ = write!(
            html,
            "<h3>Spearman</h3><p class=\"note\">Rank correlation, pairwise over the rows where \
             both columns hold a value (<code>DataFrame.corr(method=\"spearman\")</code>); {over}.</p>"
        );
        html += &figure_or_note(&charts.spearman, "");
        if rho.columns.len() > CROWDED_HEATMAP {
            html += &top_pairs(&rho.columns, rho.spearman.view(), "ρ", 20);
        }
    }
    if let Some(v) = &associations.cramers {
        html.push_str(
            "<h3>Cramér's V</h3><p class=\"note\">Between text and boolean columns of at most \
             100 values, over the rows where both hold a value, with Bergsma's (2013) bias \
             correction; exact.</p>",
        );
        html += &figure_or_note(&charts.cramers, "");
        if v.columns.len() > CROWDED_HEATMAP {
            html += &top_pairs(&v.columns, v.matrix.view(), "V", 20);
        }
    }
    html
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

/// The run's stage table with share bars, and Amdahl's hints.
pub(super) fn profile(profile: &Profile) -> String {
    let mut html = String::from(
        "<details><summary>Wall time, the most heap in use above the stage's start, and the \
         allocations of each stage of this run, up to the writing of this page.</summary>",
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
    html + "</details>"
}

/// The alerts, each linking to its column's section, and the thresholds that raised them.
pub(super) fn alerts(found: &[Alert], thresholds: &AlertThresholds, names: &[String]) -> String {
    let anchor = |name: &str| {
        names.iter().position(|n| n == name).map_or_else(
            || escape(name).into_owned(),
            |j| format!("<a href=\"#{}\">{}</a>", column_id(j), escape(name)),
        )
    };
    let mut html = String::new();
    if found.is_empty() {
        html.push_str("<p class=\"note\">No alert: nothing crossed a threshold below.</p>");
    } else {
        html.push_str("<ul class=\"alerts\">");
        for alert in found {
            let origin = if alert.kind.in_ydata() { "" } else { " brisk" };
            let subject = alert.column.as_deref().map_or_else(
                || "The table".to_owned(),
                |c| format!("<b>{}</b>", anchor(c)),
            );
            let _ = write!(
                html,
                "<li><span class=\"tag{origin}\">{}</span> {subject} {}</li>",
                escape(alert.kind.label()),
                escape(&alert.message)
            );
        }
        html.push_str("</ul>");
    }
    let t = thresholds;
    let mut table = Table::new(&["alert", "raised when", "flag"]);
    let rows = [
        ("constant", "one distinct value".to_owned(), ""),
        ("unique", "every value distinct".to_owned(), ""),
        (
            "high cardinality",
            format!(
                "text with distinct values > {} of the rows and ≥ {}",
                percent(t.cardinality_share),
                t.cardinality_min
            ),
            "--alert-cardinality, --alert-cardinality-min",
        ),
        (
            "missing",
            format!("nulls > {} of the rows", percent(t.missing_share)),
            "--alert-missing",
        ),
        (
            "skewed",
            format!("|G1| > {}", number(Some(t.skewness))),
            "--alert-skew",
        ),
        (
            "zeros",
            format!("zeros > {} of the rows", percent(t.zeros_share)),
            "--alert-zeros",
        ),
        ("duplicates", "a row repeats an earlier one".to_owned(), ""),
        (
            "high correlation",
            format!("|Pearson r| > {}", number(Some(t.correlation))),
            "--alert-correlation",
        ),
        (
            "imbalance",
            format!(
                "target's 1 − entropy / ln k > {}",
                number(Some(t.imbalance))
            ),
            "--alert-imbalance",
        ),
        (
            "index-like (brisk)",
            "integers from min to max, each once".to_owned(),
            "",
        ),
        (
            "numbers as text (brisk)",
            format!(
                "text whose values parse as numbers > {}",
                percent(t.numeric_text_share)
            ),
            "--alert-numeric-text",
        ),
        (
            "case variants (brisk)",
            "values equal but for case".to_owned(),
            "",
        ),
        (
            "padded text (brisk)",
            "values with leading or trailing spaces".to_owned(),
            "",
        ),
        (
            "σ rule removes a value (brisk)",
            "the cleaning's outlier rule deletes every row of a discrete value".to_owned(),
            "--sigma",
        ),
    ];
    for (name, rule, flag) in rows {
        table.row(&[name, rule.as_str(), flag]);
    }
    let _ = write!(
        html,
        "<details><summary>Thresholds: ydata-profiling's alerts with its defaults (high \
         cardinality and missing values stricter), and brisk's own</summary>{}</details>",
        table.finish()
    );
    html
}

/// The id of column `j`'s section.
pub(super) fn column_id(j: usize) -> String {
    format!("column-{j}")
}

/// A share as a percentage: one decimal, or two significant digits below 1%.
pub(super) fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 1.0 {
        format!("{p:.2}%")
    } else {
        format!("{p:.1}%")
    }
}

/// The first rows and a seeded sample of rows, every cell escaped; nulls shown as pandas shows
/// them, `NaN`.
pub(super) fn sample_rows(rows: &SampledRows, names: &[String]) -> String {
    let table = |title: &str, sampled: &[SampledRow]| {
        let mut headings = vec!["row"];
        headings.extend(names.iter().map(String::as_str));
        let mut table = Table::new(&headings);
        for row in sampled {
            let mut cells = vec![row.row.to_string()];
            cells.extend(
                row.cells
                    .iter()
                    .map(|c| c.clone().unwrap_or_else(|| "NaN".into())),
            );
            table.row(&cells);
        }
        format!("<h3>{}</h3>{}", escape(title), table.finish())
    };
    let mut html = table(&format!("First {} rows", rows.head.len()), &rows.head);
    html += &table(
        &format!(
            "{} rows drawn at random (a seeded uniform sample), in file order",
            rows.sample.len()
        ),
        &rows.sample,
    );
    html
}

/// Pairs of a correlation matrix's columns whose heatmap is too crowded to read: the `top`
/// strongest by |coefficient|, as a table.
pub(super) fn top_pairs(
    columns: &[String],
    matrix: ndarray::ArrayView2<'_, f64>,
    coefficient: &str,
    top: usize,
) -> String {
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    for a in 0..columns.len() {
        for b in a + 1..columns.len() {
            let r = matrix[[a, b]];
            if r.is_finite() {
                pairs.push((a, b, r));
            }
        }
    }
    pairs.sort_by(|x, y| {
        y.2.abs()
            .total_cmp(&x.2.abs())
            .then((x.0, x.1).cmp(&(y.0, y.1)))
    });
    let mut table = Table::new(&["column", "column", coefficient]);
    for &(a, b, r) in pairs.iter().take(top) {
        table.row(&[columns[a].clone(), columns[b].clone(), number(Some(r))]);
    }
    format!(
        "<p class=\"note\">The {} strongest of {} pairs by |{coefficient}|:</p>{}",
        top.min(pairs.len()),
        pairs.len(),
        table.finish()
    )
}

/// The missing values: how many, per column; where, in a sample of rows; and which columns
/// miss values together.
pub(super) fn missing(
    nullity: &Nullity,
    matrix: &NullityMatrix,
    charts: &MissingCharts,
    columns: usize,
) -> String {
    let cells = nullity.rows.saturating_mul(columns as u64);
    let nulls: u64 = nullity.nulls.iter().sum();
    let mut html = format!(
        "<p>{nulls} of {cells} cells are missing ({}), in {} of {columns} columns. The counts \
         are exact; the matrix draws {} of the {} rows (a seeded uniform sample, in file order).</p>",
        percent(nulls as f64 / cells.max(1) as f64),
        nullity.nulls.iter().filter(|&&n| n > 0).count(),
        matrix.rows.len(),
        matrix.total_rows,
    );
    html += &figure_or_note(&charts.bars, "");
    html += &figure_or_note(&charts.matrix, "");
    html += &figure_or_note(
        &charts.correlation,
        "No nullity correlation: it needs two columns with some but not all values missing.",
    );
    if charts.correlation.is_some() {
        html.push_str(
            "<p class=\"note\">Nullity correlation (missingno's heatmap): the Pearson correlation \
             of the columns' null indicators, <code>df.isnull().corr()</code>, over the columns \
             with some but not all values missing; exact. Near 1: the columns miss values in the \
             same rows; near −1: one misses where the other is present.</p>",
        );
    }
    html
}

/// The charts of the missing values, as inline SVG.
#[derive(Debug, Default)]
pub(super) struct MissingCharts {
    pub(super) bars: Option<String>,
    pub(super) matrix: Option<String>,
    pub(super) correlation: Option<String>,
}
