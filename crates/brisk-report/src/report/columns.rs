//! The page's section per column (ydata-profiling's "Variables"): its figures by type, its chart,
//! its alerts; each a collapsible `<details>` so that a table of 200 columns stays a short page.

use std::fmt::Write;

use brisk_data::profile::{ColumnProfile, Distinct, NumericProfile, TextProfile};
use brisk_data::stats::{ColumnStats, Summary};

use super::alerts::{Alert, AlertKind};
use super::sections::{column_id, number, percent};
use crate::html::{escape, Table};
use crate::pipeline::Figures;

/// Columns up to which every section starts open.
const OPEN_UP_TO: usize = 12;

/// One section per column, in table order; `charts[j]` is column `j`'s chart (SVG).
pub(super) fn columns(read: &Figures, charts: &[Option<String>], found: &[Alert]) -> String {
    let open = read.columns.len() <= OPEN_UP_TO;
    let mut html = String::from(
        "<p class=\"note\">Every column as read, before any cleaning. Distinct counts are exact \
         while the values fit in the memory limit, and estimates (HyperLogLog, error stated) \
         past it.</p>",
    );
    for (j, column) in read.columns.iter().enumerate() {
        let profile = read.profiles.get(j);
        let tags: String = found
            .iter()
            .filter(|a| {
                // A pair's alert tags both of its columns.
                let name = Some(column.name.as_str());
                a.column.as_deref() == name
                    || (a.kind == AlertKind::HighCorrelation && a.other.as_deref() == name)
            })
            .map(|a| {
                let origin = if a.kind.in_ydata() { "" } else { " brisk" };
                format!(
                    "<span class=\"tag{origin}\">{}</span>",
                    escape(a.kind.label())
                )
            })
            .collect();
        let _ = write!(
            html,
            "<details class=\"column\" id=\"{id}\"{open}><summary><b>{name}</b> \
             <span class=\"kind\">{kind}</span> <span class=\"brief\">{brief}</span> {tags}\
             </summary><div class=\"column-body\"><div class=\"column-facts\">{facts}</div>\
             <div class=\"column-chart\">{chart}</div></div>{more}</details>",
            id = column_id(j),
            open = if open { " open" } else { "" },
            name = escape(&column.name),
            kind = kind_of(read, j),
            brief = escape(&brief(column, profile, read.rows)),
            facts = facts(column, profile, read.rows),
            chart = charts.get(j).cloned().flatten().unwrap_or_default(),
            more = more(profile),
        );
    }
    html
}

/// The dtype pandas would give the column.
pub(super) fn kind_of(read: &Figures, j: usize) -> &'static str {
    let types = &read.types;
    if types.is_integer(j) {
        "int64"
    } else if types.is_numeric(j) {
        "float64"
    } else if types.is_bool(j) {
        "bool"
    } else if types.is_datetime(j) {
        "datetime64"
    } else {
        "text"
    }
}

fn distinct_of(profile: Option<&ColumnProfile>) -> Option<&Distinct> {
    match profile? {
        ColumnProfile::Numeric(p) => Some(&p.distinct),
        ColumnProfile::Text(p) => Some(&p.distinct),
        ColumnProfile::Bool { distinct } | ColumnProfile::Datetime { distinct } => Some(distinct),
    }
}

/// A distinct count in words: exact, or an estimate with its error.
pub(super) fn distinct_words(distinct: &Distinct) -> String {
    match (distinct.exact, distinct.relative_error) {
        (true, _) => distinct.count.to_string(),
        (false, Some(error)) => format!("≈{} (±{})", distinct.count, percent(error)),
        (false, None) => format!("≈{}", distinct.count),
    }
}

/// The one line under the column's name.
fn brief(column: &ColumnStats, profile: Option<&ColumnProfile>, rows: u64) -> String {
    let missing = column.summary.null_count();
    let distinct = distinct_of(profile).map_or_else(String::new, |d| {
        format!("{} distinct · ", distinct_words(d))
    });
    format!(
        "{distinct}{} missing",
        percent(missing as f64 / rows.max(1) as f64)
    )
}

/// The column's figures as a two-column table.
fn facts(column: &ColumnStats, profile: Option<&ColumnProfile>, rows: u64) -> String {
    let (count, missing) = (column.summary.count(), column.summary.null_count());
    let share = |n: u64| format!("{n} ({})", percent(n as f64 / rows.max(1) as f64));
    let mut lines: Vec<(&str, String)> =
        vec![("values", count.to_string()), ("missing", share(missing))];
    if let Some(distinct) = distinct_of(profile) {
        lines.push(("distinct", distinct_words(distinct)));
    }
    match (&column.summary, profile) {
        (Summary::Numeric(s), numeric) => {
            lines.extend([
                ("mean", number(s.mean)),
                ("std", number(s.std)),
                ("min", number(s.min)),
                ("25%", number(s.q25)),
                ("median", number(s.median)),
                ("75%", number(s.q75)),
                ("max", number(s.max)),
                ("skewness", number(s.skewness)),
                ("kurtosis", number(s.kurtosis)),
            ]);
            if let Some(ColumnProfile::Numeric(p)) = numeric {
                lines.extend([
                    ("zeros", share(p.zeros)),
                    ("negatives", share(p.negatives)),
                    ("infinite", share(p.infinite)),
                ]);
            }
        }
        (Summary::Categorical(s), text) => {
            lines.push(("most frequent", s.top.clone().unwrap_or_else(|| "—".into())));
            lines.push(("its count", s.freq.map_or("—".into(), |f| f.to_string())));
            if let Some(ColumnProfile::Text(p)) = text {
                text_lines(p, &mut lines);
            }
        }
        (Summary::Bool(s), _) => {
            lines.push(("true", s.true_count.to_string()));
            lines.push(("true share", s.true_share.map_or("—".into(), percent)));
        }
        (Summary::Datetime(s), _) => {
            let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "—".into());
            lines.extend([
                ("min", text(&s.min)),
                ("max", text(&s.max)),
                ("range", text(&s.range)),
            ]);
        }
    }
    let mut table = Table::labelled();
    for (label, value) in lines {
        table.row(&[label, value.as_str()]);
    }
    table.finish()
}

fn text_lines(p: &TextProfile, lines: &mut Vec<(&str, String)>) {
    if let Some(length) = &p.length {
        lines.push((
            "length min / median / mean / max",
            format!(
                "{} / {} / {} / {}",
                length.min,
                number(Some(length.median)),
                number(Some(length.mean)),
                length.max
            ),
        ));
    }
    lines.push(("with outer spaces", p.padded.to_string()));
    lines.push(("parse as numbers", p.numeric_like.to_string()));
}

/// What follows the figures: a numeric column's extreme values, a text column's case variants.
fn more(profile: Option<&ColumnProfile>) -> String {
    match profile {
        Some(ColumnProfile::Numeric(p)) => extremes(p),
        Some(ColumnProfile::Text(p)) if !p.case_variants.is_empty() => {
            let mut table = Table::new(&["values equal but for case", "counts"]);
            for group in p.case_variants.iter().take(10) {
                let values: Vec<&str> = group.iter().map(|v| v.value.as_str()).collect();
                let counts: Vec<String> = group.iter().map(|v| v.count.to_string()).collect();
                table.row(&[values.join(" / "), counts.join(" / ")]);
            }
            table.finish()
        }
        _ => String::new(),
    }
}

fn extremes(p: &NumericProfile) -> String {
    if p.smallest.is_empty() {
        return String::new();
    }
    let mut table = Table::new(&["smallest", "count", "largest", "count"]);
    for i in 0..p.smallest.len().max(p.largest.len()) {
        let cell = |list: &[brisk_data::profile::ValueCount]| {
            list.get(i).map_or((String::new(), String::new()), |v| {
                (number(Some(v.value)), v.count.to_string())
            })
        };
        let (small, small_count) = cell(&p.smallest);
        // The largest first, as ydata-profiling lists its maximum values.
        let (large, large_count) = cell(&p.largest.iter().rev().cloned().collect::<Vec<_>>());
        table.row(&[small, small_count, large, large_count]);
    }
    table.finish()
}
