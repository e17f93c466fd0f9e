//! `brisk report --json` against pandas, scikit-learn and SciPy on real and messy files
//! (`tests/golden/report`, written by its generate.py; its README names the peer call behind
//! every figure).
//!
//! Every case of `tests/golden/report/cases.json` runs the built binary as
//! `brisk report FILE [--target T] [--clean] --json OUT.json -o OUT.html --quiet` in the input's
//! folder (so `source` is the bare file name) and compares every figure of the JSON:
//! counts, names and texts exactly; floats within 1e-9 relative, |got − want| ≤ 1e-9·max(1, |want|)
//! (skewness and kurtosis within 1e-7, the tolerance of the `brisk stats` golden test; tiny
//! importance p-values also by their logarithm, see `Tol::PValue`; the p-value kernel itself is
//! checked digit for digit by the `brisk importance` golden test); nulls equal; importance features
//! in the same order (a permutation of tied scores allowed); the cleaning report field by field;
//! k-means, fitted on a seeded sample, only by its k, its rows and sum(sizes) == rows. All
//! mismatches of all cases are gathered and reported together.

mod common;

use std::path::PathBuf;

use serde_json::{Map, Value};

use common::{golden_dir, report_json_in};

/// At most this many mismatch lines are printed.
const MAX_REPORTED: usize = 400;

struct Case {
    expected: String,
    input: String,
    target: Option<String>,
    clean: bool,
}

fn report_dir() -> PathBuf {
    golden_dir().join("report")
}

fn cases() -> Vec<Case> {
    let path = report_dir().join("cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run tests/golden/report/generate.py",
            path.display()
        )
    });
    let list: Value = serde_json::from_str(&text).expect("cases.json is JSON");
    list.as_array()
        .expect("cases.json is a list")
        .iter()
        .map(|c| Case {
            expected: c["expected"].as_str().unwrap().to_owned(),
            input: c["input"].as_str().unwrap().to_owned(),
            target: c["target"].as_str().map(str::to_owned),
            clean: c["clean"].as_bool().unwrap(),
        })
        .collect()
}

/// Runs brisk on one case in the input's folder; the JSON it wrote, or why there is none.
fn run(case: &Case) -> Result<Value, String> {
    let input = report_dir().join(&case.input);
    let folder = input.parent().unwrap();
    let name = input.file_name().unwrap().to_str().unwrap();
    let mut args: Vec<&str> = Vec::new();
    if let Some(target) = &case.target {
        args.extend(["--target", target.as_str()]);
    }
    if case.clean {
        args.push("--clean");
    }
    report_json_in(folder, name, &args)
}

// ---------------------------------------------------------------------------------------------
// Comparison

/// How a float is compared.
#[derive(Clone, Copy)]
enum Tol {
    /// |got − want| ≤ rel · max(1, |want|).
    Scaled(f64),
    /// A p-value: within 1e-9 as a figure and, below 1e-3, its logarithm within 1e-6 of its
    /// own size (a p-value of 1e-240 moves by 2,400 times the relative error of its F, so its
    /// digits are not asked for, but a wrong order of magnitude or a factor of two is caught);
    /// an expected 0 (an underflow) allows at most 1e-300.
    PValue,
}

const FIGURE: Tol = Tol::Scaled(1e-9);
const MOMENT: Tol = Tol::Scaled(1e-7);

fn floats_close(got: f64, want: f64, tol: Tol) -> bool {
    if !got.is_finite() || !want.is_finite() {
        return got == want;
    }
    let diff = (got - want).abs();
    match tol {
        Tol::Scaled(rel) => diff <= rel * want.abs().max(1.0),
        Tol::PValue if want == 0.0 => got.abs() <= 1e-300,
        Tol::PValue if want < 1e-3 => {
            diff <= 1e-9 && got > 0.0 && (got.ln() - want.ln()).abs() <= 1e-6 * want.ln().abs()
        }
        Tol::PValue => diff <= 1e-9,
    }
}

/// Gathers the mismatches of one case, each naming the case, the field and both values.
struct Checker<'a> {
    case: &'a str,
    failures: Vec<String>,
}

impl Checker<'_> {
    fn fail(&mut self, at: &str, message: String) {
        self.failures
            .push(format!("{}: {at}: {message}", self.case));
    }

    /// A float (or null): null must be null, a number within `tol`.
    fn float(&mut self, at: &str, got: &Value, want: &Value, tol: Tol) {
        match (got, want) {
            (Value::Null, Value::Null) => {}
            (_, Value::Null) => self.fail(at, format!("got {got}, want null")),
            (_, want_value) => match (got.as_f64(), want_value.as_f64()) {
                (Some(g), Some(w)) => {
                    if !floats_close(g, w, tol) {
                        let rel = (g - w).abs() / w.abs().max(1e-300);
                        self.fail(
                            at,
                            format!("got {g:?}, want {w:?} (relative difference {rel:.2e})"),
                        );
                    }
                }
                _ => self.fail(at, format!("got {got}, want {want}")),
            },
        }
    }

    /// Counts, names, texts, booleans, null: exactly equal. An integer must be a JSON integer.
    fn exact(&mut self, at: &str, got: &Value, want: &Value) {
        let same = match (got, want) {
            (Value::Number(g), Value::Number(w)) if w.is_u64() || w.is_i64() => {
                g.as_i64() == w.as_i64() && g.as_u64() == w.as_u64()
            }
            _ => got == want,
        };
        if !same {
            self.fail(at, format!("got {got}, want {want}"));
        }
    }

    /// `got` must be a JSON object; returns it.
    fn object<'v>(&mut self, at: &str, got: &'v Value) -> Option<&'v Map<String, Value>> {
        let object = got.as_object();
        if object.is_none() {
            self.fail(at, format!("got {got}, want an object"));
        }
        object
    }

    /// `got` must be a list of `len` entries; returns it.
    fn list<'v>(&mut self, at: &str, got: &'v Value, len: usize) -> Option<&'v Vec<Value>> {
        match got.as_array() {
            Some(list) if list.len() == len => Some(list),
            Some(list) => {
                self.fail(at, format!("got {} entries, want {len}: {got}", list.len()));
                None
            }
            None => {
                self.fail(at, format!("got {got}, want a list of {len}"));
                None
            }
        }
    }

    /// A list of floats (or nulls).
    fn floats(&mut self, at: &str, got: &Value, want: &Value, tol: Tol) {
        let want = want.as_array().unwrap();
        if let Some(got) = self.list(at, got, want.len()) {
            for (i, (g, w)) in got.iter().zip(want).enumerate() {
                self.float(&format!("{at}[{i}]"), g, w, tol);
            }
        }
    }

    /// The same keys; each value compared by `each`.
    fn map_by(
        &mut self,
        at: &str,
        got: &Value,
        want: &Value,
        mut each: impl FnMut(&mut Self, &str, &Value, &Value),
    ) {
        let want = want.as_object().unwrap();
        let Some(got) = self.object(at, got) else {
            return;
        };
        let mut got_keys: Vec<&String> = got.keys().collect();
        let mut want_keys: Vec<&String> = want.keys().collect();
        got_keys.sort();
        want_keys.sort();
        if got_keys != want_keys {
            self.fail(at, format!("got the keys {got_keys:?}, want {want_keys:?}"));
        }
        for (key, w) in want {
            if let Some(g) = got.get(key) {
                each(self, &format!("{at}.{key}"), g, w);
            }
        }
    }

    /// A number or a text: texts exactly, numbers as figures.
    fn figure_or_text(&mut self, at: &str, got: &Value, want: &Value) {
        if want.is_number() {
            self.float(at, got, want, FIGURE);
        } else {
            self.exact(at, got, want);
        }
    }
}

fn check_columns(c: &mut Checker, got: &Value, want: &Value) {
    let want = want.as_array().unwrap();
    let Some(got) = c.list("columns", got, want.len()) else {
        return;
    };
    for (g, w) in got.iter().zip(want) {
        let name = w["name"].as_str().unwrap();
        let at = format!("columns[{name:?}]");
        c.exact(&format!("{at}.name"), &g["name"], &w["name"]);
        c.exact(&format!("{at}.type"), &g["type"], &w["type"]);
        if w["type"] == "numeric" {
            for key in ["count", "null_count"] {
                c.exact(&format!("{at}.{key}"), &g[key], &w[key]);
            }
            // A null here may be undefined (no data) or a non-finite peer figure, listed in the
            // fixture's "nonfinite": either way the JSON holds null.
            for key in ["mean", "std", "min", "q25", "median", "q75", "max"] {
                c.float(&format!("{at}.{key}"), &g[key], &w[key], FIGURE);
            }
            for key in ["skewness", "kurtosis"] {
                c.float(&format!("{at}.{key}"), &g[key], &w[key], MOMENT);
            }
        } else {
            for key in ["count", "null_count", "unique", "top", "freq"] {
                c.exact(&format!("{at}.{key}"), &g[key], &w[key]);
            }
        }
    }
}

fn check_cleaning(c: &mut Checker, got: &Value, want: &Value) {
    if c.object("cleaning", got).is_none() {
        return;
    }
    for key in [
        "rows_in",
        "duplicates_removed",
        "values_lowercased",
        "outlier_rows_removed",
        "rows_out",
        "numeric_columns",
        "categorical_columns",
    ] {
        c.exact(&format!("cleaning.{key}"), &got[key], &want[key]);
    }
    c.float("cleaning.sigma", &got["sigma"], &want["sigma"], FIGURE);
    for key in ["numeric_filled", "categorical_filled"] {
        c.map_by(
            &format!("cleaning.{key}"),
            &got[key],
            &want[key],
            |c, at, g, w| c.exact(at, g, w),
        );
    }
    c.map_by(
        "cleaning.fill_values",
        &got["fill_values"],
        &want["fill_values"],
        |c, at, g, w| c.figure_or_text(at, g, w),
    );
    c.map_by(
        "cleaning.bounds",
        &got["bounds"],
        &want["bounds"],
        |c, at, g, w| {
            if w.is_null() {
                c.exact(at, g, w);
            } else {
                c.floats(at, g, w, FIGURE);
            }
        },
    );
}

fn check_correlation(c: &mut Checker, got: &Value, want: &Value) {
    if want.is_null() || got.is_null() {
        return c.exact("correlation", got, want);
    }
    c.exact("correlation.columns", &got["columns"], &want["columns"]);
    c.exact("correlation.rows", &got["rows"], &want["rows"]);
    let names = want["columns"].as_array().unwrap();
    let want_rows = want["matrix"].as_array().unwrap();
    let Some(got_rows) = c.list("correlation.matrix", &got["matrix"], want_rows.len()) else {
        return;
    };
    for (i, (g, w)) in got_rows.iter().zip(want_rows).enumerate() {
        let w = w.as_array().unwrap();
        let at = format!("correlation.matrix[{}]", names[i]);
        let Some(g) = c.list(&at, g, w.len()) else {
            continue;
        };
        for (j, (gv, wv)) in g.iter().zip(w).enumerate() {
            c.float(&format!("{at}[{}]", names[j]), gv, wv, FIGURE);
        }
    }
}

fn check_pca(c: &mut Checker, got: &Value, want: &Value) {
    if want.is_null() || got.is_null() {
        return c.exact("pca", got, want);
    }
    c.exact("pca.features", &got["features"], &want["features"]);
    c.exact("pca.rows", &got["rows"], &want["rows"]);
    for key in ["explained_variance", "explained_variance_ratio"] {
        c.floats(&format!("pca.{key}"), &got[key], &want[key], FIGURE);
    }
}

fn check_importance(c: &mut Checker, got: &Value, want: &Value) {
    if want.is_null() || got.is_null() {
        return c.exact("importance", got, want);
    }
    for key in ["target", "method", "rows", "rows_dropped"] {
        c.exact(&format!("importance.{key}"), &got[key], &want[key]);
    }
    if want.get("classes").is_some() {
        c.exact("importance.classes", &got["classes"], &want["classes"]);
    }
    let want_features = want["features"].as_array().unwrap();
    let Some(got_features) = c.list("importance.features", &got["features"], want_features.len())
    else {
        return;
    };
    let expected_of = |name: &Value| want_features.iter().find(|w| w["feature"] == *name);
    let mut seen: Vec<&Value> = Vec::new();
    for (i, (g, w_here)) in got_features.iter().zip(want_features).enumerate() {
        let name = &g["feature"];
        let Some(w) = expected_of(name) else {
            c.fail(
                &format!("importance.features[{i}]"),
                format!("got the feature {name}, which is not a feature here"),
            );
            continue;
        };
        if seen.contains(&name) {
            c.fail(
                &format!("importance.features[{i}]"),
                format!("{name} listed twice"),
            );
        }
        seen.push(name);
        let at = format!("importance.features[{name}]");
        c.float(&format!("{at}.score"), &g["score"], &w["score"], FIGURE);
        c.float(
            &format!("{at}.p_value"),
            &g["p_value"],
            &w["p_value"],
            Tol::PValue,
        );
        // The order: the feature in this place must have the score expected in this place
        // (another feature with a tied score may stand here).
        if name != &w_here["feature"] {
            let tied = match (w["score"].as_f64(), w_here["score"].as_f64()) {
                (Some(a), Some(b)) => floats_close(a, b, FIGURE),
                (None, None) => true,
                _ => false,
            };
            if !tied {
                c.fail(
                    &format!("importance.features[{i}]"),
                    format!(
                        "got {name} (expected score {}), want {} (score {}) in this place: \
                         sorted by score, highest first, null last",
                        w["score"], w_here["feature"], w_here["score"]
                    ),
                );
            }
        }
    }
}

fn check_kmeans(c: &mut Checker, got: &Value, want: &Value) {
    if want.is_null() || got.is_null() {
        return c.exact("kmeans", got, want);
    }
    c.exact("kmeans.k", &got["k"], &want["k"]);
    c.exact("kmeans.rows", &got["rows"], &want["rows"]);
    let k = want["k"].as_u64().unwrap() as usize;
    if let Some(sizes) = c.list("kmeans.sizes", &got["sizes"], k) {
        let counts: Option<Vec<u64>> = sizes.iter().map(Value::as_u64).collect();
        match counts {
            Some(counts) => {
                let sum: u64 = counts.iter().sum();
                if Some(sum) != want["rows"].as_u64() {
                    c.fail(
                        "kmeans.sizes",
                        format!(
                            "sum(sizes) = {sum} ({counts:?}), want rows = {}",
                            want["rows"]
                        ),
                    );
                }
            }
            None => c.fail("kmeans.sizes", format!("got {}, want counts", got["sizes"])),
        }
    }
    if let (Some(sample), Some(rows)) = (got["sample_rows"].as_u64(), want["rows"].as_u64()) {
        if sample > rows {
            c.fail(
                "kmeans.sample_rows",
                format!("got {sample}, more than the {rows} rows"),
            );
        }
    }
    if let Some(inertia) = got.get("inertia").filter(|v| !v.is_null()) {
        if !inertia.as_f64().is_some_and(|v| v.is_finite() && v >= 0.0) {
            c.fail(
                "kmeans.inertia",
                format!("got {inertia}, want a finite number ≥ 0"),
            );
        }
    }
}

fn check(c: &mut Checker, got: &Value, want: &Value) {
    if c.object("the JSON", got).is_none() {
        return;
    }
    for key in ["source", "rows_in", "rows_out", "analysis_rows"] {
        c.exact(key, &got[key], &want[key]);
    }
    check_columns(c, &got["columns"], &want["columns"]);
    check_cleaning(c, &got["cleaning"], &want["cleaning"]);
    check_correlation(c, &got["correlation"], &want["correlation"]);
    check_pca(c, &got["pca"], &want["pca"]);
    check_importance(c, &got["importance"], &want["importance"]);
    check_kmeans(c, &got["kmeans"], &want["kmeans"]);
}

// ---------------------------------------------------------------------------------------------

#[test]
fn every_case_equals_pandas_and_scikit_learn() {
    let dir = report_dir();
    let cases = cases();
    // cases.json and expected/ name the same files.
    let mut on_disk: Vec<String> = std::fs::read_dir(dir.join("expected"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_str().unwrap().to_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = cases.iter().map(|c| c.expected.clone()).collect();
    listed.sort();
    assert_eq!(listed, on_disk, "cases.json and expected/ disagree");
    assert!(cases.len() >= 30, "{} cases", cases.len());

    let mut failures = Vec::new();
    let mut failed_cases = 0;
    for case in &cases {
        let want: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expected").join(&case.expected)).unwrap(),
        )
        .unwrap();
        assert!(dir.join(&case.input).is_file(), "{}", case.input);
        let mut checker = Checker {
            case: &case.expected,
            failures: Vec::new(),
        };
        match run(case) {
            Ok(got) => check(&mut checker, &got, &want),
            Err(why) => checker.fail("run", why),
        }
        if !checker.failures.is_empty() {
            failed_cases += 1;
            failures.extend(checker.failures);
        }
    }
    if !failures.is_empty() {
        let total = failures.len();
        failures.truncate(MAX_REPORTED);
        panic!(
            "{failed_cases} of {} cases differ from the peers ({total} mismatches{}):\n{}",
            cases.len(),
            if total > MAX_REPORTED {
                format!(", the first {MAX_REPORTED} shown")
            } else {
                String::new()
            },
            failures.join("\n")
        );
    }
}
