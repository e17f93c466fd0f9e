//! The same figures from every format (`tests/golden/formats`, written by its generate.py; its
//! README says how each file was written).
//!
//! Four real data sets (penguins, diamonds, airquality, movies, with a date column and a bool
//! column each) are written by pandas, pyarrow and polars as CSV, `.csv.gz`, `.csv.zst`, Parquet
//! (pyarrow and polars writers), Feather, an Arrow stream and JSON lines. For every file:
//!
//! * its `brisk stats` figures ([`chunked_statistics`]) equal pandas' figures of the CSV
//!   (`expected/NAME.json`), with the tolerances of `golden.rs`: 1e-9 relative, skewness and
//!   kurtosis 1e-7; counts, texts and date-times exactly;
//! * its statistics are identical to those of the `.csv`: the serialized [`StatsReport`] minus
//!   `source`, compared value for value (floats bit for bit);
//! * its `brisk report --target T --json` figures are identical to those of the `.csv`, as read
//!   and with `--clean`, minus the `source` fields that name the file.
//!
//! airquality and movies are also written in four CSV dialects (`;` with decimal commas, single
//! quotes with a comment line, UTF-16 tab-separated, Latin-1): read with the matching options,
//! each gives statistics identical to the plain CSV's.
//!
//! Each test gathers every mismatch of every file and reports them together.

mod common;

use std::path::{Path, PathBuf};

use brisk_data::csv::Quoting;
use brisk_data::encoding::Encoding;
use brisk_data::input::{Input, InputOptions};
use brisk_data::stats::{
    chunked_statistics, statistics as statistics_of, StatsOptions, StatsReport, Summary,
};
use serde_json::Value;

use common::figures::{expected_figure, numeric_figures, same, tolerance};
use common::{golden_dir, report_json_in};

/// The data sets, each with the target its report runs with.
const DATA_SETS: [(&str, &str); 4] = [
    ("penguins", "species"),
    ("diamonds", "cut"),
    ("airquality", "Ozone"),
    ("movies", "rating"),
];

/// The file suffixes, the CSV (the reference) first.
const FORMATS: [&str; 8] = [
    ".csv",
    ".csv.gz",
    ".csv.zst",
    ".pyarrow.parquet",
    ".polars.parquet",
    ".feather",
    ".arrows",
    ".jsonl",
];

/// At most this many mismatch lines are printed.
const MAX_REPORTED: usize = 300;

fn formats_dir() -> PathBuf {
    golden_dir().join("formats")
}

fn input(name: &str, suffix: &str) -> PathBuf {
    formats_dir().join("inputs").join(format!("{name}{suffix}"))
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run tests/golden/formats/generate.py",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

/// Fails with every mismatch, one per line.
fn report_mismatches(what: &str, mismatches: &[String]) {
    if mismatches.is_empty() {
        return;
    }
    let shown = mismatches.len().min(MAX_REPORTED);
    panic!(
        "{what}: {} mismatches{}:\n{}",
        mismatches.len(),
        if shown < mismatches.len() {
            format!(" (the first {shown})")
        } else {
            String::new()
        },
        mismatches[..shown].join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// (a) Every file's figures against pandas'

/// A figure that must be equal, as a mismatch line when it is not.
fn check_equal<T: PartialEq + std::fmt::Debug>(
    out: &mut Vec<String>,
    at: &str,
    figure: &str,
    got: T,
    want: T,
) {
    if got != want {
        out.push(format!("{at}: {figure}: brisk {got:?}, pandas {want:?}"));
    }
}

/// The mismatches of one report against pandas' figures.
fn against_pandas(report: &StatsReport, expected: &Value, context: &str) -> Vec<String> {
    let mut out = Vec::new();
    check_equal(
        &mut out,
        context,
        "rows",
        Some(report.rows),
        expected["rows"].as_u64(),
    );
    let want_columns = expected["columns"].as_array().unwrap();
    check_equal(
        &mut out,
        context,
        "number of columns",
        report.columns.len(),
        want_columns.len(),
    );
    for (got, want) in report.columns.iter().zip(want_columns) {
        let at = format!("{context}: column {:?}", got.name);
        check_equal(
            &mut out,
            &at,
            "name",
            Some(got.name.as_str()),
            want["name"].as_str(),
        );
        let want_type = want["type"].as_str().unwrap_or("?");
        let (got_type, count, null_count) = match &got.summary {
            Summary::Numeric(s) => ("numeric", s.count, s.null_count),
            Summary::Categorical(s) => ("categorical", s.count, s.null_count),
            Summary::Bool(s) => ("bool", s.count, s.null_count),
            Summary::Datetime(s) => ("datetime", s.count, s.null_count),
        };
        if got_type != want_type {
            out.push(format!("{at}: type: brisk {got_type}, pandas {want_type}"));
            continue;
        }
        check_equal(&mut out, &at, "count", Some(count), want["count"].as_u64());
        check_equal(
            &mut out,
            &at,
            "null_count",
            Some(null_count),
            want["null_count"].as_u64(),
        );
        match &got.summary {
            Summary::Numeric(s) => {
                for (stat, value) in numeric_figures(s) {
                    let expected = expected_figure(want, stat);
                    if !same(value, expected, tolerance(stat)) {
                        out.push(format!(
                            "{at}: {stat}: brisk {value:?}, pandas {expected:?}"
                        ));
                    }
                }
            }
            Summary::Categorical(s) => {
                check_equal(
                    &mut out,
                    &at,
                    "unique",
                    Some(s.unique),
                    want["unique"].as_u64(),
                );
                check_equal(&mut out, &at, "top", s.top.as_deref(), want["top"].as_str());
                check_equal(&mut out, &at, "freq", s.freq, want["freq"].as_u64());
            }
            Summary::Bool(s) => {
                check_equal(
                    &mut out,
                    &at,
                    "true_count",
                    Some(s.true_count),
                    want["true_count"].as_u64(),
                );
                let share = want["true_share"].as_f64();
                if !same(s.true_share, share, (1e-15, 0.0)) {
                    out.push(format!(
                        "{at}: true_share: brisk {:?}, pandas {share:?}",
                        s.true_share
                    ));
                }
            }
            Summary::Datetime(s) => {
                for (key, got) in [("min", &s.min), ("max", &s.max), ("range", &s.range)] {
                    check_equal(&mut out, &at, key, got.as_deref(), want[key].as_str());
                }
                let histogram = serde_json::to_value(&s.histogram).unwrap();
                if histogram != want["histogram"] {
                    out.push(format!(
                        "{at}: histogram: brisk {histogram}, pandas {}",
                        want["histogram"]
                    ));
                }
            }
        }
    }
    out
}

fn statistics(path: &Path) -> Result<StatsReport, String> {
    chunked_statistics(path, &StatsOptions::default())
        .map_err(|e| format!("{}: brisk stats failed: {e}", path.display()))
}

#[test]
fn every_format_gives_pandas_figures() {
    let mut mismatches = Vec::new();
    for (name, _) in DATA_SETS {
        let expected = load(&formats_dir().join("expected").join(format!("{name}.json")));
        for suffix in FORMATS {
            let path = input(name, suffix);
            match statistics(&path) {
                Ok(report) => mismatches.extend(against_pandas(
                    &report,
                    &expected,
                    &format!("{name}{suffix}"),
                )),
                Err(e) => mismatches.push(e),
            }
        }
    }
    report_mismatches("brisk stats against pandas", &mismatches);
}

// ---------------------------------------------------------------------------------------------
// (b) and (c) Every file's figures against the CSV's, exactly

/// A label for an element of a JSON array: its `name` or its first string (a column's name, an
/// importance feature, a cleaning step), else its index.
fn element_label(value: &Value, index: usize) -> String {
    value
        .get("name")
        .or_else(|| value.get("column"))
        .or_else(|| value.get("feature"))
        .and_then(Value::as_str)
        .map_or_else(|| index.to_string(), |s| format!("{s:?}"))
}

/// Every leaf where `got` and `want` differ, as `path: got vs want`. Numbers compare by value
/// (floats bit for bit), everything else by equality.
fn differences(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (key, w_value) in w {
                let at = format!("{path}.{key}");
                match g.get(key) {
                    Some(g_value) => differences(&at, g_value, w_value, out),
                    None => out.push(format!("{at}: missing, the CSV's is {w_value}")),
                }
            }
            for (key, g_value) in g {
                if !w.contains_key(key) {
                    out.push(format!(
                        "{path}.{key}: {g_value}, the CSV has no such field"
                    ));
                }
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            if g.len() != w.len() {
                out.push(format!(
                    "{path}: {} elements, the CSV's {}",
                    g.len(),
                    w.len()
                ));
            }
            for (i, (g_value, w_value)) in g.iter().zip(w).enumerate() {
                let at = format!("{path}[{}]", element_label(w_value, i));
                differences(&at, g_value, w_value, out);
            }
        }
        (Value::Number(g), Value::Number(w)) => {
            let equal = match (g.as_f64(), w.as_f64()) {
                (Some(a), Some(b)) if g.is_f64() && w.is_f64() => a.to_bits() == b.to_bits(),
                _ => g == w,
            };
            if !equal {
                out.push(format!("{path}: {got} vs the CSV's {want}"));
            }
        }
        _ => {
            if got != want {
                out.push(format!("{path}: {got} vs the CSV's {want}"));
            }
        }
    }
}

/// `value` without its `source` fields that hold `file` (the file's name or path), at any depth.
fn without_source(mut value: Value, file: &str) -> Value {
    fn strip(value: &mut Value, file: &str) {
        match value {
            Value::Object(map) => {
                if map.get("source").and_then(Value::as_str).is_some_and(|s| {
                    s == file || Path::new(s).file_name().and_then(|n| n.to_str()) == Some(file)
                }) {
                    map.remove("source");
                }
                map.values_mut().for_each(|v| strip(v, file));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip(v, file)),
            _ => {}
        }
    }
    strip(&mut value, file);
    value
}

#[test]
fn every_format_gives_the_statistics_of_the_csv() {
    let mut mismatches = Vec::new();
    for (name, _) in DATA_SETS {
        let figures = |suffix: &str| -> Result<Value, String> {
            let path = input(name, suffix);
            let report = statistics(&path)?;
            let file = path.file_name().unwrap().to_str().unwrap().to_owned();
            // The report's `source` is the path as given.
            let mut value = serde_json::to_value(&report).unwrap();
            value.as_object_mut().unwrap().remove("source");
            Ok(without_source(value, &file))
        };
        let csv = match figures(".csv") {
            Ok(v) => v,
            Err(e) => {
                mismatches.push(e);
                continue;
            }
        };
        for suffix in &FORMATS[1..] {
            match figures(suffix) {
                Ok(got) => differences(&format!("{name}{suffix}"), &got, &csv, &mut mismatches),
                Err(e) => mismatches.push(e),
            }
        }
    }
    report_mismatches("brisk stats, each format against the CSV", &mismatches);
}

/// The CSV dialects of `generate.py`'s DIALECTS (written for airquality and movies), and how
/// brisk is told to read each: the delimiter of the spreadsheet export is sniffed.
fn dialect_options(suffix: &str) -> InputOptions {
    let mut options = InputOptions::default();
    match suffix {
        ".excel.csv" => options.decimal_comma = true,
        ".quoted.csv" => {
            options.quoting = Quoting {
                quote: b'\'',
                comment: Some(b'#'),
            }
        }
        ".utf16.tsv" => options.encoding = Some(Encoding::Utf16),
        ".latin1.csv" => options.encoding = Some(Encoding::Latin1),
        _ => unreachable!("{suffix}"),
    }
    options
}

#[test]
fn every_dialect_gives_the_statistics_of_the_csv() {
    let mut mismatches = Vec::new();
    for name in ["airquality", "movies"] {
        let figures = |suffix: &str, options: InputOptions| -> Result<Value, String> {
            let path = input(name, suffix);
            let opened = Input::open_with(&path, options);
            let report = opened
                .and_then(|input| statistics_of(&input, &StatsOptions::default(), &mut |_| {}))
                .map_err(|e| format!("{}: brisk stats failed: {e}", path.display()))?;
            let mut value = serde_json::to_value(&report).unwrap();
            value.as_object_mut().unwrap().remove("source");
            Ok(value)
        };
        let csv = figures(".csv", InputOptions::default()).unwrap();
        for suffix in [".excel.csv", ".quoted.csv", ".utf16.tsv", ".latin1.csv"] {
            match figures(suffix, dialect_options(suffix)) {
                Ok(got) => differences(&format!("{name}{suffix}"), &got, &csv, &mut mismatches),
                Err(e) => mismatches.push(e),
            }
        }
    }
    report_mismatches("brisk stats, each dialect against the CSV", &mismatches);
}

/// Runs `brisk report FILE --target T [--clean] --json` in the inputs folder; the JSON it wrote
/// without the `source` fields that name the file.
fn report_json(file: &str, target: &str, clean: bool) -> Result<Value, String> {
    let mut args = vec!["--target", target];
    if clean {
        args.push("--clean");
    }
    let value = report_json_in(&formats_dir().join("inputs"), file, &args)?;
    Ok(without_source(value, file))
}

#[test]
fn every_format_gives_the_report_of_the_csv() {
    let mut mismatches = Vec::new();
    for (name, target) in DATA_SETS {
        for clean in [false, true] {
            let mode = if clean { "--clean" } else { "as read" };
            let csv = match report_json(&format!("{name}.csv"), target, clean) {
                Ok(v) => v,
                Err(e) => {
                    mismatches.push(e);
                    continue;
                }
            };
            for suffix in &FORMATS[1..] {
                let file = format!("{name}{suffix}");
                match report_json(&file, target, clean) {
                    Ok(got) => differences(
                        &format!("{file} (report, {mode})"),
                        &got,
                        &csv,
                        &mut mismatches,
                    ),
                    Err(e) => mismatches.push(e),
                }
            }
        }
    }
    report_mismatches("brisk report, each format against the CSV", &mismatches);
}
