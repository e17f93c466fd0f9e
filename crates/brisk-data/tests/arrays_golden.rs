//! The array kernels against NumPy, SciPy and scikit-learn on the fixtures of
//! `tests/golden/arrays` (made by its `generate.py`), loaded through the same reader the commands
//! use.

use std::path::{Path, PathBuf};

use brisk_data::input::Input;
use brisk_data::matrix::{load_matrix, Matrix};
use brisk_kernels::cluster::{KMeans, KMeansInit};
use brisk_kernels::decomposition::Pca;
use brisk_kernels::linalg::{correlation, covariance, pairwise_distances, solve};
use brisk_kernels::preprocessing::{normalize, Method};
use brisk_kernels::random::Mt19937;
use brisk_kernels::softmax::{log_softmax, logsumexp, softmax};
use brisk_kernels::KernelError;
use ndarray::{s, Array1, Array2, ArrayView2, Axis};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden/arrays")
}

fn expected(case: &str) -> Value {
    let path = fixtures().join("expected").join(format!("{case}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn load(relative: &str) -> Matrix {
    load_matrix(&Input::open(fixtures().join(relative)).unwrap(), false).unwrap()
}

fn input(case: &Value) -> Matrix {
    load(case["input"].as_str().unwrap())
}

fn number(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn integers(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(number).collect())
        .collect();
    let cols = rows.first().map_or(0, Vec::len);
    Array2::from_shape_vec((rows.len(), cols), rows.concat()).unwrap()
}

fn vector(v: &Value) -> Array1<f64> {
    v.as_array().unwrap().iter().map(number).collect()
}

fn largest(x: ArrayView2<'_, f64>) -> f64 {
    x.iter().fold(0.0f64, |m, v| m.max(v.abs()))
}

/// Every entry within `rtol` of the expected one, relative to its own size, or within `atol`.
fn assert_close(
    what: &str,
    got: ArrayView2<'_, f64>,
    want: ArrayView2<'_, f64>,
    rtol: f64,
    atol: f64,
) {
    assert_eq!(got.dim(), want.dim(), "{what}: shape");
    for ((i, g), w) in got.indexed_iter().zip(want.iter()) {
        let ok = (g.is_nan() && w.is_nan()) || (g - w).abs() <= rtol * w.abs() + atol;
        assert!(ok, "{what}{i:?}: got {g:e}, want {w:e}");
    }
}

fn assert_close_1d(what: &str, got: &Array1<f64>, want: &Array1<f64>, rtol: f64, atol: f64) {
    let row = |a: &Array1<f64>| a.clone().insert_axis(Axis(0));
    assert_close(what, row(got).view(), row(want).view(), rtol, atol);
}

#[test]
fn covariance_and_correlation_equal_numpy() {
    for name in [
        "blobs",
        "blobs_f",
        "blobs_sliced",
        "blobs_t",
        "blobs_f32",
        "blobs_i4",
        "offset",
        "iris",
        "penguins",
    ] {
        let case = expected(&format!("cov_{name}"));
        let m = input(&case);
        let x = m.view();
        let cov = covariance(x, 1).unwrap();
        let population = covariance(x, 0).unwrap();
        let corr = correlation(x).unwrap();
        // Against the exactly rounded values: the fused centring keeps the digits.
        for (what, got, key) in [
            ("cov", &cov, "cov_exact"),
            ("cov_population", &population, "cov_population_exact"),
            ("corr", &corr, "corr_exact"),
        ] {
            let want = matrix(&case[key]);
            let atol = 1e-14 * largest(want.view());
            assert_close(
                &format!("{name} {what}"),
                got.view(),
                want.view(),
                1e-12,
                atol,
            );
        }
        // Against NumPy itself, except where its uncompensated mean loses digits (offset).
        if name != "offset" {
            for (what, got, key) in [("cov", &cov, "cov"), ("corr", &corr, "corr")] {
                let want = matrix(&case[key]);
                let atol = 1e-14 * largest(want.view());
                assert_close(
                    &format!("{name} numpy {what}"),
                    got.view(),
                    want.view(),
                    1e-10,
                    atol,
                );
            }
        }
        assert_eq!(cov, cov.t(), "{name}: symmetric");
        if name == "penguins" {
            let columns: Vec<&str> = case["columns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert_eq!(m.columns(), columns);
            assert_eq!(x.nrows() as u64, case["rows_used"].as_u64().unwrap());
            assert_eq!(
                m.rows_dropped() as u64,
                case["rows_dropped"].as_u64().unwrap()
            );
        }
    }
}

#[test]
fn normalisations_equal_scikit_learn() {
    for name in ["blobs", "with_zero_row", "constant_col", "iris"] {
        let case = expected(&format!("normalize_{name}"));
        let m = input(&case);
        for (key, method, axis) in [
            ("l2", Method::L2, 1),
            ("l2_axis0", Method::L2, 0),
            ("zscore", Method::ZScore, 0),
            ("zscore_axis1", Method::ZScore, 1),
            ("minmax", Method::MinMax, 0),
            ("minmax_axis1", Method::MinMax, 1),
        ] {
            let got = normalize(m.view(), method, Axis(axis));
            let want = matrix(&case[key]);
            assert_close(
                &format!("{name} {key}"),
                got.view(),
                want.view(),
                1e-12,
                1e-13,
            );
        }
    }
}

#[test]
fn softmax_equals_scipy() {
    for name in ["logits", "blobs"] {
        let case = expected(&format!("softmax_{name}"));
        let m = input(&case);
        for axis in [0, 1] {
            let ax = Axis(axis);
            let what = format!("{name} axis {axis}");
            let want = matrix(&case[format!("softmax_axis{axis}")]);
            let got = softmax(m.view(), ax);
            assert_close(&what, got.view(), want.view(), 1e-13, 1e-300);
            let want = matrix(&case[format!("log_softmax_axis{axis}")]);
            let got = log_softmax(m.view(), ax);
            assert_close(&what, got.view(), want.view(), 1e-13, 1e-13);
            let want = vector(&case[format!("logsumexp_axis{axis}")]);
            assert_close_1d(&what, &logsumexp(m.view(), ax), &want, 1e-14, 1e-13);
        }
    }
}

#[test]
fn distances_equal_scipy_cdist() {
    for name in ["self", "other", "blobs"] {
        let case = expected(&format!("distances_{name}"));
        let x = input(&case);
        let y = case["other"].as_str().map(load);
        let got = pairwise_distances(x.view(), y.as_ref().map(Matrix::view)).unwrap();
        let want = matrix(&case["distances"]);
        let atol = 1e-12 * largest(want.view());
        assert_close(
            &format!("distances {name}"),
            got.view(),
            want.view(),
            1e-12,
            atol,
        );
        if y.is_none() {
            assert!(got.diag().iter().all(|&d| d == 0.0));
            assert_eq!(got, got.t());
        }
    }
}

#[test]
fn solve_equals_numpy() {
    for name in ["matrix", "vector"] {
        let case = expected(&format!("solve_{name}"));
        let a = input(&case);
        let b = load(case["rhs"].as_str().unwrap());
        let s = solve(a.view(), b.view()).unwrap();
        let want = if b.is_one_dimensional() {
            vector(&case["x"]).insert_axis(Axis(1))
        } else {
            matrix(&case["x"])
        };
        assert_close(
            &format!("solve {name}"),
            s.x.view(),
            want.view(),
            1e-10,
            1e-14,
        );
        let cond = number(&case["cond_1"]);
        assert!(
            s.condition <= cond * (1.0 + 1e-9) && s.condition >= cond / 3.0,
            "{} vs {cond}",
            s.condition
        );
        assert!(s.backward_error < 1e-15, "{}", s.backward_error);
        assert!(s.relative_residual < 1e-13);
    }
    let singular = input(&expected("solve_singular"));
    let b = Array2::from_shape_fn((singular.view().nrows(), 1), |(i, _)| i as f64);
    assert!(matches!(
        solve(singular.view(), b.view()),
        Err(KernelError::Singular { .. })
    ));
    let hilbert = expected("solve_hilbert");
    let a = input(&hilbert);
    match solve(a.view(), Array2::ones((12, 1)).view()) {
        Err(KernelError::NearSingular { condition }) => {
            let exact = number(&hilbert["cond_1"]);
            assert!(condition <= exact * 1.01 && condition >= exact / 10.0);
        }
        other => panic!("Hilbert 12 must be refused, got {other:?}"),
    }
}

#[test]
fn pca_equals_scikit_learn() {
    for (case_name, k, standardize) in [
        ("pca_blobs_k3", 3, false),
        ("pca_blobs_k6", 6, false),
        ("pca_iris_k2", 2, false),
        ("pca_offset_k2", 2, false),
        ("pca_blobs_f_k3", 3, false),
        ("pca_blobs_k3_standardized", 3, true),
        ("pca_iris_k2_standardized", 2, true),
    ] {
        let case = expected(case_name);
        let m = input(&case);
        let model = Pca::params(k)
            .standardize(standardize)
            .check()
            .unwrap()
            .fit(m.view())
            .unwrap();
        for (key, got) in [
            ("explained_variance", &model.explained_variance),
            ("explained_variance_ratio", &model.explained_variance_ratio),
            ("singular_values", &model.singular_values),
        ] {
            let what = format!("{case_name} {key}");
            assert_close_1d(&what, got, &vector(&case[key]), 1e-9, 1e-300);
        }
        let components = matrix(&case["components"]);
        let what = format!("{case_name} components");
        assert_close(
            &what,
            model.components.view(),
            components.view(),
            1e-7,
            1e-9,
        );
        let noise = number(&case["noise_variance"]);
        assert!((model.noise_variance - noise).abs() <= 1e-9 * noise.abs() + 1e-12);
        let scores = model.transform(m.view()).unwrap();
        let head = matrix(&case["scores_head"]);
        let atol = 1e-9 * largest(head.view());
        let what = format!("{case_name} scores");
        assert_close(&what, scores.slice(s![..10, ..]), head.view(), 1e-7, atol);
        if !standardize {
            let what = format!("{case_name} mean");
            assert_close_1d(&what, &model.mean, &vector(&case["mean"]), 1e-12, 1e-300);
        }
    }
}

fn check_kmeans(case_name: &str, model: &KMeans, case: &Value) {
    let labels = integers(&case["labels"]);
    let differ = labels
        .iter()
        .zip(&model.labels)
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differ, 0, "{case_name}: labels differ from scikit-learn's");
    assert_eq!(
        model.n_iter as u64,
        case["n_iter"].as_u64().unwrap(),
        "{case_name}"
    );
    let centroids = matrix(&case["centroids"]);
    let what = format!("{case_name} centroids");
    assert_close(&what, model.centroids.view(), centroids.view(), 1e-9, 1e-12);
    let inertia = number(&case["inertia"]);
    assert!(
        (model.inertia - inertia).abs() <= 1e-9 * inertia,
        "{case_name}: inertia"
    );
    if case["sizes"].is_array() {
        assert_eq!(model.sizes, integers(&case["sizes"]), "{case_name}: sizes");
    }
}

/// Fits k-means on the case's input with the parameters it records: k, max_iter, tol, n_init and
/// (for seeded starts) random_state.
fn fit_like(case: &Value, init: KMeansInit) -> KMeans {
    let count = |key: &str| case[key].as_u64().unwrap() as usize;
    let mut params = KMeans::params(count("k"))
        .init(init)
        .max_iter(count("max_iter"))
        .tol(number(&case["tol"]))
        .n_init(count("n_init"));
    if let Some(seed) = case["random_state"].as_u64() {
        params = params.seed(seed as u32);
    }
    params.check().unwrap().fit(input(case).view()).unwrap()
}

#[test]
fn kmeans_from_given_centroids_equals_scikit_learn() {
    for name in ["init", "init_maxiter3", "init_tol", "init_far"] {
        let case_name = format!("kmeans_points_{name}");
        let case = expected(&case_name);
        let init = load(case["init"].as_str().unwrap()).view().to_owned();
        let model = fit_like(&case, KMeansInit::Centroids(init));
        check_kmeans(&case_name, &model, &case);
    }
}

#[test]
fn kmeans_seeds_draw_the_same_starts_as_scikit_learn() {
    for (name, init) in [
        ("seed0", KMeansInit::KMeansPlusPlus),
        ("seed42", KMeansInit::KMeansPlusPlus),
        ("seed1234", KMeansInit::KMeansPlusPlus),
        ("random_seed0", KMeansInit::Random),
        ("random_seed7", KMeansInit::Random),
        ("ninit", KMeansInit::KMeansPlusPlus),
    ] {
        let case_name = format!("kmeans_points_{name}");
        let case = expected(&case_name);
        check_kmeans(&case_name, &fit_like(&case, init), &case);
    }
}

#[test]
fn mt19937_equals_numpy_random_state() {
    for seed in expected("mt19937")["seeds"].as_array().unwrap() {
        let s = seed["seed"].as_u64().unwrap() as u32;
        let mut rng = Mt19937::new(s);
        let raw: Vec<usize> = (0..10).map(|_| rng.next_u32() as usize).collect();
        assert_eq!(raw, integers(&seed["raw32"]), "seed {s}: raw stream");
        let mut rng = Mt19937::new(s);
        let samples: Array1<f64> = (0..10).map(|_| rng.random_sample()).collect();
        assert_eq!(samples, vector(&seed["random_sample"]), "seed {s}");
        let permutation = Mt19937::new(s).permutation(10);
        assert_eq!(permutation, integers(&seed["permutation_10"]), "seed {s}");
    }
}
