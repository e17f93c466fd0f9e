//! The feature-importance kernels against the golden fixtures of
//! `tests/golden/importance/kernels.json`, written by scikit-learn 1.9 and SciPy 1.17 (see
//! `tests/golden/importance/generate.py`).
//!
//! The scores are computed twice: by the in-memory kernels, and from mergeable states built
//! chunk by chunk (`ClassMoments` → `f_classif_from`, `CoMoments` → `f_regression_from`), both
//! held to the same tolerances.
//!
//! Scores must agree to 1e-9 relative (or 1e-12 absolute near 0), p-values to 1e-9 relative
//! where they exceed 1e-300 and exactly where the expected value is 0; NaN and infinities must
//! be exactly where the fixtures put them. Cases where scikit-learn's own output equals the exact
//! figures are checked against scikit-learn's numbers as well.

mod common;

use brisk_kernels::accumulate::{ClassMoments, CoMoments};
use brisk_kernels::feature_selection::{
    f_classif, f_classif_from, f_regression, f_regression_from, f_sf, FScores,
};
use ndarray::{Array1, Array2, Axis};
use serde_json::Value;

use common::{figures, fixture, matrix};

/// The worst relative errors seen, for the report at the end of each test.
#[derive(Default)]
struct Worst {
    score: f64,
    p_value: f64,
}

fn relative(got: f64, want: f64) -> f64 {
    if got == want {
        0.0
    } else {
        (got - want).abs() / want.abs()
    }
}

fn check_score(got: f64, want: f64, what: &str, worst: &mut Worst) {
    if want.is_nan() || want.is_infinite() {
        assert!(
            got.is_nan() && want.is_nan() || got == want,
            "{what}: score {got:e}, expected {want:e}"
        );
        return;
    }
    let error = relative(got, want);
    assert!(
        error <= 1e-9 || (got - want).abs() <= 1e-12,
        "{what}: score {got:e}, expected {want:e} (relative error {error:e})"
    );
    worst.score = worst
        .score
        .max(if (got - want).abs() <= 1e-12 && want.abs() < 1e-3 {
            0.0
        } else {
            error
        });
}

fn check_p_value(got: f64, want: f64, what: &str, worst: &mut Worst) {
    if want.is_nan() {
        assert!(got.is_nan(), "{what}: p-value {got:e}, expected NaN");
    } else if want == 0.0 {
        assert_eq!(got, 0.0, "{what}: p-value {got:e}, expected exactly 0");
    } else if want > 1e-300 {
        let error = relative(got, want);
        assert!(
            error <= 1e-9,
            "{what}: p-value {got:e}, expected {want:e} (relative error {error:e})"
        );
        worst.p_value = worst.p_value.max(error);
    } else {
        // Subnormal and near-subnormal values carry fewer digits.
        assert!(
            (got - want).abs() <= (1e-9 * want).max(1e-320),
            "{what}: p-value {got:e}, expected {want:e}"
        );
    }
}

/// Checks one case against the exact figures, and against scikit-learn's where they agree;
/// `worst[0]` collects the errors against the exact figures, `worst[1]` against scikit-learn's.
fn check_case(case: &Value, got: &FScores, worst: &mut [Worst; 2]) {
    let name = case["name"].as_str().expect("a name");
    let mut sets = vec![(0, "exact", "scores", "p_values")];
    if case["sklearn_agrees"].as_bool().expect("sklearn_agrees") {
        sets.push((1, "scikit-learn", "sklearn_scores", "sklearn_p_values"));
    }
    for (slot, source, scores, p_values) in sets {
        let worst = &mut worst[slot];
        let (scores, p_values) = (figures(&case[scores]), figures(&case[p_values]));
        assert_eq!(got.scores.len(), scores.len(), "{name}: feature count");
        for (j, (want_f, want_p)) in scores.iter().zip(&p_values).enumerate() {
            let what = format!("{name} ({source}), feature {j}");
            check_score(got.scores[j], *want_f, &what, worst);
            check_p_value(got.p_values[j], *want_p, &what, worst);
        }
    }
}

#[test]
fn f_classif_equals_scikit_learn() {
    let fixtures = fixture("importance/kernels.json");
    let cases = fixtures["f_classif"].as_array().expect("f_classif cases");
    assert!(cases.len() >= 6);
    let mut worst = [Worst::default(), Worst::default()];
    for case in cases {
        let x = matrix(&case["x"]);
        let labels: Vec<usize> = case["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .map(|l| l.as_u64().expect("a class id") as usize)
            .collect();
        let got = f_classif(x.view(), &labels).expect("valid input");
        check_case(case, &got, &mut worst);
    }
    println!(
        "f_classif: worst relative error against the exact figures {:e} (scores), {:e} (p-values); \
         against scikit-learn where it is exact {:e}, {:e}",
        worst[0].score, worst[0].p_value, worst[1].score, worst[1].p_value
    );
}

#[test]
fn f_regression_equals_scikit_learn() {
    let fixtures = fixture("importance/kernels.json");
    let cases = fixtures["f_regression"]
        .as_array()
        .expect("f_regression cases");
    assert!(cases.len() >= 5);
    let mut worst = [Worst::default(), Worst::default()];
    for case in cases {
        let x = matrix(&case["x"]);
        let y = Array1::from(figures(&case["y"]));
        let got = f_regression(x.view(), y.view()).expect("valid input");
        check_case(case, &got, &mut worst);
    }
    println!(
        "f_regression: worst relative error against the exact figures {:e} (scores), {:e} (p-values); \
         against scikit-learn where it is exact {:e}, {:e}",
        worst[0].score, worst[0].p_value, worst[1].score, worst[1].p_value
    );
}

/// Rows per chunk when a case goes through the mergeable states: small, so that every case is
/// split and merged several times.
const CHUNK: usize = 7;

/// `f_classif_from` of the class moments of `x`, built chunk by chunk with the labels as text
/// and merged into one state.
fn f_classif_by_chunks(x: &Array2<f64>, labels: &[u64]) -> FScores {
    let mut total = ClassMoments::new(x.ncols());
    for (rows, chunk_labels) in x.axis_chunks_iter(Axis(0), CHUNK).zip(labels.chunks(CHUNK)) {
        let mut part = ClassMoments::new(x.ncols());
        let ids: Vec<u32> = chunk_labels
            .iter()
            .map(|l| part.class_id(l.to_string().as_bytes()))
            .collect();
        let columns: Vec<Vec<f64>> = rows.columns().into_iter().map(|c| c.to_vec()).collect();
        let slices: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        part.add_block(&ids, &slices).expect("one id per row");
        total.merge(&part).expect("the same features");
    }
    f_classif_from(&total).expect("valid input")
}

/// `f_regression_from` of the co-moments of `[y | x]`, built chunk by chunk and merged.
fn f_regression_by_chunks(x: &Array2<f64>, y: &Array1<f64>) -> FScores {
    let mut joined = y.clone().insert_axis(Axis(1));
    joined
        .append(Axis(1), x.view())
        .expect("as many rows in x as in y");
    let mut total = CoMoments::new(joined.ncols());
    for rows in joined.axis_chunks_iter(Axis(0), CHUNK) {
        let mut part = CoMoments::new(joined.ncols());
        part.add_block(rows).expect("the same columns");
        total.merge(&part).expect("the same columns");
    }
    f_regression_from(&total, 0).expect("valid input")
}

#[test]
fn f_classif_from_class_moments_equals_scikit_learn() {
    let fixtures = fixture("importance/kernels.json");
    let cases = fixtures["f_classif"].as_array().expect("f_classif cases");
    let mut worst = [Worst::default(), Worst::default()];
    for case in cases {
        let x = matrix(&case["x"]);
        let labels: Vec<u64> = case["labels"]
            .as_array()
            .expect("labels")
            .iter()
            .map(|l| l.as_u64().expect("a class id"))
            .collect();
        check_case(case, &f_classif_by_chunks(&x, &labels), &mut worst);
    }
    println!(
        "f_classif_from: worst relative error against the exact figures {:e} (scores), {:e} \
         (p-values); against scikit-learn where it is exact {:e}, {:e}",
        worst[0].score, worst[0].p_value, worst[1].score, worst[1].p_value
    );
}

#[test]
fn f_regression_from_co_moments_equals_scikit_learn() {
    let fixtures = fixture("importance/kernels.json");
    let cases = fixtures["f_regression"]
        .as_array()
        .expect("f_regression cases");
    let mut worst = [Worst::default(), Worst::default()];
    for case in cases {
        let x = matrix(&case["x"]);
        let y = Array1::from(figures(&case["y"]));
        check_case(case, &f_regression_by_chunks(&x, &y), &mut worst);
    }
    println!(
        "f_regression_from: worst relative error against the exact figures {:e} (scores), {:e} \
         (p-values); against scikit-learn where it is exact {:e}, {:e}",
        worst[0].score, worst[0].p_value, worst[1].score, worst[1].p_value
    );
}

#[test]
fn f_sf_equals_scipy() {
    let fixtures = fixture("importance/kernels.json");
    let rows = fixtures["f_sf"].as_array().expect("the f_sf grid");
    assert!(rows.len() > 900);
    let mut worst = Worst::default();
    let mut zeros = 0;
    for row in rows {
        let v = figures(row);
        let (f, dfn, dfd, want) = (v[0], v[1], v[2], v[3]);
        zeros += usize::from(want == 0.0);
        let what = format!("f_sf({f:e}, {dfn}, {dfd})");
        check_p_value(f_sf(f, dfn, dfd), want, &what, &mut worst);
    }
    assert!(zeros > 50, "the grid reaches the underflow");
    println!(
        "f_sf: worst relative error {:e} over {} points ({zeros} exact zeros)",
        worst.p_value,
        rows.len()
    );
}
