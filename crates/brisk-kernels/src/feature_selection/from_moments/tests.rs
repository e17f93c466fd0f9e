use ndarray::{s, Array1, Array2, Axis};

use super::super::tests::{classified_matrix, random_labels};
use super::*;
use crate::feature_selection::{f_classif, f_regression};
use crate::random::test_matrix;

/// `got` and `want` agree to `rel` relative, or are both NaN, or are the same infinity.
fn assert_same(got: &FScores, want: &FScores, rel: f64, what: &str) {
    let pairs = got
        .scores
        .iter()
        .zip(&want.scores)
        .chain(got.p_values.iter().zip(&want.p_values));
    assert_eq!(got.scores.len(), want.scores.len(), "{what}");
    for (k, (&g, &w)) in pairs.enumerate() {
        let ok = if w.is_nan() || w.is_infinite() || w == 0.0 {
            g.is_nan() && w.is_nan() || g == w
        } else {
            (g - w).abs() <= rel * w.abs()
        };
        assert!(ok, "{what}, entry {k}: {g:e} vs {w:e}");
    }
}

/// The class moments of `x` with integer labels, added in blocks of `block` rows merged into
/// one state.
fn class_moments(x: &Array2<f64>, labels: &[usize], block: usize) -> ClassMoments {
    let mut total = ClassMoments::new(x.ncols());
    for (rows, chunk_labels) in x.axis_chunks_iter(Axis(0), block).zip(labels.chunks(block)) {
        let mut part = ClassMoments::new(x.ncols());
        let ids: Vec<u32> = chunk_labels
            .iter()
            .map(|l| part.class_id(l.to_string().as_bytes()))
            .collect();
        let columns: Vec<Vec<f64>> = rows.columns().into_iter().map(|c| c.to_vec()).collect();
        let slices: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        part.add_block(&ids, &slices).unwrap();
        total.merge(&part).unwrap();
    }
    total
}

/// The co-moments of `x` with `y` inserted as column `target`, in blocks of `block` rows.
fn co_moments(x: &Array2<f64>, y: &Array1<f64>, target: usize, block: usize) -> CoMoments {
    let mut joined = x.clone();
    joined.push_column(y.view()).unwrap();
    let mut order: Vec<usize> = (0..x.ncols()).collect();
    order.insert(target, x.ncols());
    let joined = joined.select(Axis(1), &order);
    let mut total = CoMoments::new(joined.ncols());
    for rows in joined.axis_chunks_iter(Axis(0), block) {
        let mut part = CoMoments::new(joined.ncols());
        part.add_block(rows).unwrap();
        total.merge(&part).unwrap();
    }
    total
}

#[test]
fn f_classif_from_equals_f_classif() {
    for (n, classes, cols, seed) in [
        (10, 2, 3, 1),
        (57, 3, 5, 2),
        (200, 7, 4, 3),
        (3000, 4, 6, 4),
    ] {
        let labels = random_labels(n, classes, seed);
        let x = classified_matrix(&labels, cols, seed + 100);
        let want = f_classif(x.view(), &labels).unwrap();
        for block in [1, 7, n] {
            let got = f_classif_from(&class_moments(&x, &labels, block)).unwrap();
            assert_same(&got, &want, 1e-10, &format!("n = {n}, block {block}"));
        }
    }
}

#[test]
fn f_classif_from_follows_the_degenerate_conventions() {
    let labels = [0, 0, 0, 1, 1, 2, 2, 2];
    let x = Array2::from_shape_fn((8, 5), |(i, j)| match j {
        0 => 0.1,                                                  // constant: 0/0
        1 => [0.1, 0.7, 1.3][labels[i]],                           // constant within classes
        2 => [1.0, 2.0, 3.0, 2.0, 2.0, 2.5, 1.5, 2.0][i],          // equal class means
        3 => 1e6 + [0.25, 0.5, 0.0, 1.0, 0.75, 0.5, 0.25, 1.0][i], // a mean of a million
        _ => 1e-100 * i as f64, // tiny, but the squares stay normal
    });
    let want = f_classif(x.view(), &labels).unwrap();
    for block in [1, 3, 8] {
        let got = f_classif_from(&class_moments(&x, &labels, block)).unwrap();
        assert!(got.scores[0].is_nan() && got.p_values[0].is_nan());
        assert_eq!((got.scores[1], got.p_values[1]), (f64::INFINITY, 0.0));
        assert_eq!((got.scores[2], got.p_values[2]), (0.0, 1.0));
        assert_same(&got, &want, 1e-12, &format!("block {block}"));
    }
}

#[test]
fn f_classif_from_refuses_what_f_classif_refuses() {
    let x = Array2::from_shape_fn((4, 2), |(i, j)| (i + j) as f64);
    let one_class = class_moments(&x, &[5, 5, 5, 5], 4);
    assert!(matches!(
        f_classif_from(&one_class),
        Err(KernelError::InvalidParameter { name: "target", .. })
    ));
    let as_many_classes_as_rows = class_moments(&x, &[0, 1, 2, 3], 4);
    assert!(matches!(
        f_classif_from(&as_many_classes_as_rows),
        Err(KernelError::TooFewRows {
            needed: 5,
            got: 4,
            ..
        })
    ));
    let mut bad = x.clone();
    bad[[2, 1]] = f64::NAN;
    assert!(matches!(
        f_classif_from(&class_moments(&bad, &[0, 0, 1, 1], 4)),
        Err(KernelError::InvalidParameter { name: "x", .. })
    ));
    bad[[2, 1]] = f64::INFINITY;
    assert!(f_classif_from(&class_moments(&bad, &[0, 0, 1, 1], 2)).is_err());
    // A class known but without rows does not count.
    let mut state = class_moments(&x, &[0, 0, 1, 1], 4);
    state.class_id(b"never");
    let want = f_classif(x.view(), &[0, 0, 1, 1]).unwrap();
    assert_same(
        &f_classif_from(&state).unwrap(),
        &want,
        1e-12,
        "unused class",
    );
}

#[test]
fn f_regression_from_equals_f_regression() {
    for (n, cols, seed) in [(3, 2, 5), (25, 4, 6), (400, 7, 7), (5000, 3, 8)] {
        let x = test_matrix(n, cols, seed);
        let noise = test_matrix(n, 1, seed + 50);
        let y: Array1<f64> = (0..n)
            .map(|i| 3.0 * x[[i, 0]] - 0.5 * x[[i, 1]] + 2.0 * noise[[i, 0]] + 100.0)
            .collect();
        let want = f_regression(x.view(), y.view()).unwrap();
        for (target, block) in [(0, n), (cols, 1), (1, 7)] {
            let got = f_regression_from(&co_moments(&x, &y, target, block), target).unwrap();
            assert_same(&got, &want, 1e-10, &format!("n = {n}, target {target}"));
        }
    }
}

#[test]
fn f_regression_from_keeps_the_digits_of_hard_cases() {
    let n = 60;
    let base = test_matrix(n, 2, 41);
    let z = test_matrix(n, 1, 42);
    let y: Array1<f64> = (0..n).map(|i| base[[i, 0]] + 1e-7 * z[[i, 0]]).collect();
    let x = Array2::from_shape_fn((n, 7), |(i, j)| match j {
        0 => base[[i, 0]],                    // 1 − r² ≈ 1e-14
        1 => 0.1,                             // constant: F = 0, p = 1
        2 => 3.0 * y[i] + 0.1,                // a perfect fit up to rounding
        3 => -y[i],                           // a perfect negative fit
        4 => base[[i, 1]] + 1e6,              // a mean of a million
        5 => base[[i, 0]] + 1e-6 * z[[i, 0]], // 1 − r² ≈ 1e-12
        _ => 1e-8 * base[[i, 1]] + 3e-8,      // tiny values
    });
    let want = f_regression(x.view(), y.view()).unwrap();
    assert_eq!((want.scores[2], want.scores[3]), (f64::MAX, f64::MAX));
    for (target, block) in [(7, n), (3, 1), (0, 13)] {
        let got = f_regression_from(&co_moments(&x, &y, target, block), target).unwrap();
        assert_same(
            &got,
            &want,
            1e-10,
            &format!("target {target}, block {block}"),
        );
    }
    let flat = Array1::from_elem(n, 2.5);
    let got = f_regression_from(&co_moments(&x, &flat, 2, 9), 2).unwrap();
    assert!(got.scores.iter().all(|&f| f == 0.0) && got.p_values.iter().all(|&p| p == 1.0));
}

#[test]
fn f_regression_from_refuses_what_f_regression_refuses() {
    let x = test_matrix(5, 2, 3);
    let y = Array1::from(vec![1.0, 2.0, 0.5, 3.0, 2.5]);
    let moments = co_moments(&x, &y, 2, 5);
    assert!(matches!(
        f_regression_from(&moments, 3),
        Err(KernelError::InvalidParameter { name: "target", .. })
    ));
    let two = co_moments(
        &x.slice(s![..2, ..]).to_owned(),
        &y.slice(s![..2]).to_owned(),
        0,
        2,
    );
    assert!(matches!(
        f_regression_from(&two, 0),
        Err(KernelError::TooFewRows {
            needed: 3,
            got: 2,
            ..
        })
    ));
    let mut bad = x.clone();
    bad[[1, 1]] = f64::NAN;
    assert!(matches!(
        f_regression_from(&co_moments(&bad, &y, 2, 5), 2),
        Err(KernelError::InvalidParameter { name: "x", .. })
    ));
    // Only the target: nothing to score.
    let alone = co_moments(&Array2::zeros((5, 0)), &y, 0, 5);
    assert!(f_regression_from(&alone, 0).unwrap().scores.is_empty());
}
