//! The report's association figures on four real data sets against pandas' and SciPy's
//! (`tests/golden/profile/expected/NAME.association.json`, written by its `generate.py` with
//! pandas 2.3.3 and SciPy 1.16.3), each run with the data set's target:
//!
//! - `pairwise_correlation`: pandas `DataFrame.corr()` and `corr(method="spearman")` over the
//!   numeric columns, every row in (the table fits in the sample, so `exact` is true);
//! - `cramers_v`: Bergsma's bias-corrected V of `pd.crosstab(a, b)` from
//!   `scipy.stats.chi2_contingency(..., correction=False)`;
//! - `categorical_importance`: `scipy.stats.chi2_contingency(pd.crosstab(feature, target))`
//!   (a text target) or `scipy.stats.f_oneway` of the target grouped by the feature (a numeric
//!   one), with V, the feature's levels and the rows used.
//!
//! Numbers agree to 1e-9 relative, columns matched by name, and a null in brisk exactly where the
//! peer's figure is NaN or undefined. Near 0, coefficients (r, ρ, V, on the scale of 1) agree to
//! 1e-12 absolute; statistics and p-values stay relative down to the smallest normal number
//! (p-values of 1e-150 are compared to 1e-9 of themselves, a subnormal one to its precision).

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

use common::{golden_dir, report_json_in};

/// Relative tolerance against the peer's figure.
const RELATIVE: f64 = 1e-9;
/// Absolute tolerance of a coefficient (on the scale of 1) near 0.
const COEFFICIENT_FLOOR: f64 = 1e-12;
/// Absolute tolerance of a statistic or p-value: below the normal numbers a relative error is
/// not representable.
const STATISTIC_FLOOR: f64 = f64::MIN_POSITIVE;

fn fixture(name: &str) -> Value {
    let path = golden_dir().join(format!("profile/expected/{name}.association.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Checks brisk's number `got` against the peer's `want` (null: NaN or undefined) to `RELATIVE`
/// or the absolute `floor`; `what` says which figure and which peer call produced it.
fn agree(got: &Value, want: &Value, floor: f64, what: &str) {
    match (got.as_f64(), want.as_f64()) {
        (Some(g), Some(w)) => assert!(
            (g - w).abs() <= (RELATIVE * w.abs()).max(floor),
            "{what}: brisk {g:?}, the peer {w:?} (difference {:e})",
            g - w
        ),
        _ => assert!(
            got.is_null() && want.is_null(),
            "{what}: brisk {got}, the peer {want}"
        ),
    }
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect()
}

/// Checks a `{columns, matrix}` of brisk against the peer's, pair by pair by column name.
fn agree_matrix(got: &Value, want: &Value, peer: &str, data: &str) {
    let (got_names, want_names) = (names(&got["columns"]), names(&want["columns"]));
    assert_eq!(
        got_names.iter().collect::<BTreeSet<_>>(),
        want_names.iter().collect::<BTreeSet<_>>(),
        "{data}: the columns of {peer}"
    );
    let at = |a: &str| got_names.iter().position(|n| *n == a).unwrap();
    for (i, a) in want_names.iter().enumerate() {
        for (j, b) in want_names.iter().enumerate() {
            agree(
                &got["matrix"][at(a)][at(b)],
                &want["matrix"][i][j],
                COEFFICIENT_FLOOR,
                &format!("{data}: ({a}, {b}) against {peer}"),
            );
        }
    }
}

/// The peer call behind a categorical score.
fn peer_of(test: &str) -> &'static str {
    match test {
        "chi2_contingency" => "scipy.stats.chi2_contingency(pd.crosstab(feature, target))",
        "f_oneway" => "scipy.stats.f_oneway(*[target[feature == v] for v in levels])",
        other => panic!("an unknown test {other}"),
    }
}

fn agree_scores(got: &Value, want: &Value, data: &str) {
    let by_feature = |list: &Value| -> Vec<(String, Value)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|s| (s["feature"].as_str().unwrap().to_owned(), s.clone()))
            .collect()
    };
    let (got, want) = (by_feature(got), by_feature(want));
    assert_eq!(
        got.iter().map(|(f, _)| f).collect::<BTreeSet<_>>(),
        want.iter().map(|(f, _)| f).collect::<BTreeSet<_>>(),
        "{data}: the features scored against the target"
    );
    for (feature, want) in &want {
        let got = &got.iter().find(|(f, _)| f == feature).unwrap().1;
        let peer = peer_of(want["test"].as_str().unwrap());
        for key in ["test", "levels", "rows"] {
            assert_eq!(got[key], want[key], "{data}: {feature}: {key} of {peer}");
        }
        for key in ["statistic", "p_value"] {
            agree(
                &got[key],
                &want[key],
                STATISTIC_FLOOR,
                &format!("{data}: {feature}: {key} of {peer}"),
            );
        }
        agree(
            &got["cramers_v"],
            &want["cramers_v"],
            COEFFICIENT_FLOOR,
            &format!(
                "{data}: {feature}: Cramér's V from \
                 scipy.stats.chi2_contingency(pd.crosstab(feature, target), correction=False)"
            ),
        );
    }
}

fn check(name: &str) {
    let want = fixture(name);
    let target = want["target"].as_str().unwrap();
    let folder = golden_dir().join("profile/inputs");
    let got = report_json_in(&folder, &format!("{name}.csv.gz"), &["--target", target]).unwrap();

    let pairwise = &got["pairwise_correlation"];
    assert_eq!(pairwise["rows"], want["rows"], "{name}: rows correlated");
    assert_eq!(
        pairwise["exact"], true,
        "{name}: the sample holds every row"
    );
    agree_matrix(
        &pairwise["pearson"],
        &want["pearson"],
        "pandas DataFrame.corr()",
        name,
    );
    agree_matrix(
        &pairwise["spearman"],
        &want["spearman"],
        "pandas DataFrame.corr(method=\"spearman\")",
        name,
    );

    let peer = "Cramér's V from scipy.stats.chi2_contingency(pd.crosstab(a, b), correction=False)";
    if want["cramers_v"].is_null() {
        assert!(got["cramers_v"].is_null(), "{name}: no pair for {peer}");
    } else {
        agree_matrix(&got["cramers_v"], &want["cramers_v"], peer, name);
    }

    agree_scores(
        &got["categorical_importance"],
        &want["categorical_importance"],
        name,
    );
}

#[test]
fn penguins_raw() {
    // Target Species (text): χ² per text feature; Individual ID (190 values) is left out, and
    // the constant Region and Stage give χ² 0, p 1 and no V.
    check("penguins_raw");
}

#[test]
fn diamonds() {
    // Target price (numeric): one-way ANOVA across cut, color and clarity.
    check("diamonds");
}

#[test]
fn movies() {
    // Target mpaa (text): the only other text column, title, has thousands of values, so no
    // pair enters Cramér's V and no feature is scored.
    check("movies");
}

#[test]
fn car() {
    check("Car");
}
