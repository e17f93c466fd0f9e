//! The report's alerts on four real data sets against ydata-profiling's (`tests/golden/profile`,
//! written by its `generate.py` with ydata-profiling 4.18.4 and pandas):
//!
//! - every alert of a kind ydata-profiling has that brisk's thresholds call for is raised, with
//!   its figure (pandas' `duplicated().sum()`, `isna().mean()`, `skew()`, the share of zeros,
//!   `corr()`), and no other alert of those kinds;
//! - each of them is one ydata-profiling's `get_description()` raises too;
//! - brisk's own kinds are checked where the issue names a case (movies' title).

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

use common::{golden_dir, report_json_in};

/// An alert as `(kind, column, other column)`.
type Key = (String, Option<String>, Option<String>);

/// The kinds ydata-profiling raises too, by brisk's name and ydata-profiling's.
const SHARED: [(&str, &str); 8] = [
    ("constant", "CONSTANT"),
    ("unique", "UNIQUE"),
    ("missing", "MISSING"),
    ("skewed", "SKEWED"),
    ("zeros", "ZEROS"),
    ("duplicates", "DUPLICATES"),
    ("high_correlation", "HIGH_CORRELATION"),
    ("imbalance", "IMBALANCE"),
];

fn expected(name: &str) -> Value {
    let path = golden_dir().join(format!("profile/expected/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The alerts brisk's default thresholds call for, from pandas' figures.
fn called_for(fixture: &Value) -> BTreeSet<Key> {
    let mut keys = BTreeSet::new();
    let rows = fixture["rows"].as_u64().unwrap();
    if fixture["n_duplicates"].as_u64().unwrap() > 0 {
        keys.insert(("duplicates".into(), None, None));
    }
    for column in fixture["columns_figures"].as_array().unwrap() {
        let name = column["name"].as_str().unwrap().to_owned();
        let mut raise = |kind: &str| keys.insert((kind.into(), Some(name.clone()), None));
        let distinct = column["n_distinct"].as_u64().unwrap();
        let missing = column["n_missing"].as_u64().unwrap();
        if distinct == 1 {
            raise("constant");
        } else if distinct == rows && missing == 0 {
            raise("unique");
        }
        if column["p_missing"].as_f64().unwrap() > 0.5 {
            raise("missing");
        }
        let numeric = column.get("skewness").is_some();
        if numeric && distinct > 5 {
            if column["skewness"].as_f64().is_some_and(|g| g.abs() > 20.0) {
                raise("skewed");
            }
            if column["p_zeros"].as_f64().unwrap() > 0.1 {
                raise("zeros");
            }
        }
    }
    for pair in fixture["correlated_pairs"].as_array().unwrap() {
        let (a, b) = (pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap());
        keys.insert(("high_correlation".into(), Some(a.into()), Some(b.into())));
    }
    keys
}

/// Whether ydata-profiling raised `key` (a pair: on both columns, each listing the other).
fn ydata_raised(fixture: &Value, key: &Key) -> bool {
    let ydata_kind = SHARED.iter().find(|(k, _)| *k == key.0).unwrap().1;
    let alerts = fixture["alerts"].as_array().unwrap();
    let has = |column: Option<&str>, with: Option<&str>| {
        alerts.iter().any(|a| {
            a["alert"] == ydata_kind
                && a["column"].as_str() == column
                && with.is_none_or(|w| {
                    a["correlated_with"]
                        .as_array()
                        .is_some_and(|l| l.iter().any(|c| c == w))
                })
        })
    };
    match (&key.1, &key.2) {
        (Some(a), Some(b)) => has(Some(a), Some(b)) && has(Some(b), Some(a)),
        (column, None) => has(column.as_deref(), None),
        (None, Some(_)) => false,
    }
}

fn check(name: &str) -> Value {
    let fixture = expected(name);
    let folder = golden_dir().join("profile/inputs");
    let figures = report_json_in(&folder, &format!("{name}.csv.gz"), &[]).unwrap();
    let alerts = figures["alerts"].as_array().unwrap();
    let shared = |kind: &str| SHARED.iter().any(|(k, _)| *k == kind);
    let raised: BTreeSet<Key> = alerts
        .iter()
        .filter(|a| shared(a["kind"].as_str().unwrap()))
        .map(|a| {
            let text = |v: &Value| v.as_str().map(str::to_owned);
            (
                a["kind"].as_str().unwrap().to_owned(),
                text(&a["column"]),
                text(&a["other"]),
            )
        })
        .collect();
    assert_eq!(
        raised,
        called_for(&fixture),
        "{name}: alerts of ydata's kinds"
    );
    for key in &raised {
        assert!(
            ydata_raised(&fixture, key),
            "{name}: ydata-profiling does not raise {key:?}"
        );
    }
    // The figures behind them.
    let rows = fixture["rows"].as_f64().unwrap();
    for alert in alerts {
        let column = alert["column"].as_str();
        let figures = fixture["columns_figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| column.is_some_and(|n| c["name"] == n));
        let value = alert["value"].as_f64().unwrap();
        let close = |want: f64| {
            assert!(
                (value - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{name}: {alert}: {value} against pandas' {want}"
            )
        };
        match alert["kind"].as_str().unwrap() {
            "duplicates" => close(fixture["n_duplicates"].as_f64().unwrap()),
            "missing" => close(figures.unwrap()["p_missing"].as_f64().unwrap()),
            "skewed" => close(figures.unwrap()["skewness"].as_f64().unwrap()),
            "zeros" => close(figures.unwrap()["n_zeros"].as_f64().unwrap() / rows),
            "high_correlation" => {
                let other = alert["other"].as_str().unwrap();
                let pair = fixture["correlated_pairs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["a"] == column.unwrap() && p["b"] == other)
                    .unwrap();
                close(pair["r"].as_f64().unwrap());
            }
            _ => {}
        }
    }
    figures
}

fn own(figures: &Value, kind: &str) -> Vec<String> {
    figures["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["kind"] == kind)
        .map(|a| a["column"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn penguins_raw() {
    let figures = check("penguins_raw");
    // Individual ID: 190 distinct values in 344 rows.
    assert_eq!(own(&figures, "high_cardinality"), ["Individual ID"]);
}

#[test]
fn diamonds() {
    check("diamonds");
}

#[test]
fn movies() {
    let figures = check("movies");
    assert_eq!(own(&figures, "high_cardinality"), ["title"]);
}

#[test]
fn car() {
    check("Car");
}
