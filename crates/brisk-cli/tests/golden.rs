//! brisk's statistics against pandas' and SciPy's on the fixtures of `tests/golden/` (see its
//! README: each expected figure names the peer call that produced it).

mod common;

use std::path::{Path, PathBuf};

use brisk_data::stats::{chunked_statistics, StatsOptions, StatsReport, Summary};
use brisk_kernels::stats::Convention;
use serde_json::Value;

use common::figures::{expected_figure, numeric_figures, same, tolerance};
use common::{brisk, golden_dir, OutputText};

fn expected_files(suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(golden_dir().join("expected"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.ends_with(suffix) && (suffix != ".json" || !name.ends_with(".population.json"))
        })
        .collect();
    files.sort();
    files
}

fn input_of(expected: &Path, suffix: &str) -> PathBuf {
    let name = expected.file_name().unwrap().to_str().unwrap();
    golden_dir()
        .join("inputs")
        .join(name.strip_suffix(suffix).unwrap())
}

fn compare(report: &StatsReport, expected: &Value, context: &str) {
    assert_eq!(
        report.rows,
        expected["rows"].as_u64().unwrap(),
        "{context}: rows"
    );
    let want_columns = expected["columns"].as_array().unwrap();
    assert_eq!(
        report.columns.len(),
        want_columns.len(),
        "{context}: columns"
    );
    for (got, want) in report.columns.iter().zip(want_columns) {
        let at = format!("{context}: column {:?}", got.name);
        assert_eq!(got.name, want["name"].as_str().unwrap(), "{at}");
        match &got.summary {
            Summary::Numeric(s) => {
                assert_eq!(want["type"], "numeric", "{at}");
                assert_eq!(s.count, want["count"].as_u64().unwrap(), "{at}: count");
                assert_eq!(
                    s.null_count,
                    want["null_count"].as_u64().unwrap(),
                    "{at}: nulls"
                );
                for (stat, value) in numeric_figures(s) {
                    let expected = expected_figure(want, stat);
                    assert!(
                        same(value, expected, tolerance(stat)),
                        "{at}: {stat} is {value:?}, pandas says {expected:?}"
                    );
                }
            }
            Summary::Categorical(s) => {
                assert_eq!(want["type"], "categorical", "{at}");
                assert_eq!(s.count, want["count"].as_u64().unwrap(), "{at}: count");
                assert_eq!(
                    s.null_count,
                    want["null_count"].as_u64().unwrap(),
                    "{at}: nulls"
                );
                assert_eq!(s.unique, want["unique"].as_u64().unwrap(), "{at}: unique");
                assert_eq!(s.top.as_deref(), want["top"].as_str(), "{at}: top");
                assert_eq!(s.freq, want["freq"].as_u64(), "{at}: freq");
            }
            Summary::Bool(s) => {
                assert_eq!(want["type"], "bool", "{at}");
                assert_eq!(s.count, want["count"].as_u64().unwrap(), "{at}: count");
                assert_eq!(
                    s.null_count,
                    want["null_count"].as_u64().unwrap(),
                    "{at}: nulls"
                );
                let trues = want["true_count"].as_u64();
                assert_eq!(Some(s.true_count), trues, "{at}: true_count");
                let share = want["true_share"].as_f64();
                assert!(same(s.true_share, share, (1e-15, 0.0)), "{at}: true_share");
            }
            Summary::Datetime(s) => {
                assert_eq!(want["type"], "datetime", "{at}");
                assert_eq!(s.count, want["count"].as_u64().unwrap(), "{at}: count");
                assert_eq!(
                    s.null_count,
                    want["null_count"].as_u64().unwrap(),
                    "{at}: nulls"
                );
                for (key, got) in [("min", &s.min), ("max", &s.max), ("range", &s.range)] {
                    assert_eq!(got.as_deref(), want[key].as_str(), "{at}: {key}");
                }
                // The histogram over time: pandas' to_period counts, unit and labels alike.
                let histogram = serde_json::to_value(&s.histogram).unwrap();
                assert_eq!(histogram, want["histogram"], "{at}: histogram");
            }
        }
    }
}

fn load(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// numpy's umath-validation-set-log.csv has short comment rows; pandas pads them with nulls, brisk
/// refuses ragged rows (tested in `bad_input.rs`).
const RAGGED: &str = "umath-validation-set-log.csv";

#[test]
fn every_figure_equals_pandas_with_any_chunk_size() {
    let files = expected_files(".json");
    assert!(files.len() >= 15, "the fixtures are missing: {files:?}");
    for expected_path in files {
        let input = input_of(&expected_path, ".json");
        if input.file_name().unwrap() == RAGGED {
            continue;
        }
        let expected = load(&expected_path);
        for chunk_rows in [65_536, 1000, 7] {
            let options = StatsOptions {
                chunk_rows,
                ..Default::default()
            };
            let report = chunked_statistics(&input, &options).unwrap();
            compare(
                &report,
                &expected,
                &format!("{} (chunks of {chunk_rows})", input.display()),
            );
        }
    }
}

#[test]
fn population_figures_equal_numpy_and_scipy() {
    for expected_path in expected_files(".population.json") {
        let input = input_of(&expected_path, ".population.json");
        let options = StatsOptions {
            convention: Convention::Population,
            ..Default::default()
        };
        let report = chunked_statistics(&input, &options).unwrap();
        compare(&report, &load(&expected_path), &input.display().to_string());
    }
}

#[test]
fn past_the_memory_limit_every_figure_still_equals_pandas() {
    for name in ["messy.csv", "penguins_raw.csv", "pcg64-testset-1.csv"] {
        let input = golden_dir().join("inputs").join(name);
        let options = StatsOptions {
            chunk_rows: 64,
            memory_limit: 1,
            ..Default::default()
        };
        let report = chunked_statistics(&input, &options).unwrap();
        let expected = load(&golden_dir().join("expected").join(format!("{name}.json")));
        compare(
            &report,
            &expected,
            &format!("{name} with a 1-byte memory limit"),
        );
    }
}

#[test]
fn the_binary_prints_the_same_json() {
    for name in ["penguins.csv", "messy.tsv", "f64_f.npy", "mixed.parquet"] {
        let input = golden_dir().join("inputs").join(name);
        let out = brisk(&["stats", input.to_str().unwrap(), "--format", "json"]);
        assert!(out.status.success(), "{name}: {}", out.stderr_text());
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected = load(&golden_dir().join("expected").join(format!("{name}.json")));
        let columns = printed["columns"].as_array().unwrap();
        for (got, want) in columns.iter().zip(expected["columns"].as_array().unwrap()) {
            for (key, want_value) in want.as_object().unwrap() {
                if key == "nonfinite" {
                    continue;
                }
                let got_value = &got[key];
                let agree = match (got_value.as_f64(), want_value.as_f64()) {
                    (Some(g), Some(w)) => same(Some(g), Some(w), tolerance(key)),
                    _ => got_value == want_value,
                };
                assert!(agree, "{name}: {key}: {got_value} vs {want_value}");
            }
        }
    }
}
