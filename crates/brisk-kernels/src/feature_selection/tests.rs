//! The kernels against plain textbook formulas on seeded random inputs, the F distribution
//! against its closed forms, and the degenerate cases scikit-learn defines.

use ndarray::{Array1, Array2, Axis};

use super::special::{incomplete_beta, ln_gamma};
use super::*;
use crate::random::{test_matrix, Mt19937};
use crate::KernelError;

fn relative_error(got: f64, want: f64) -> f64 {
    if got == want {
        0.0
    } else {
        (got - want).abs() / want.abs()
    }
}

fn assert_close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        relative_error(got, want) <= tol,
        "{what}: {got:e} vs {want:e} (relative error {:e})",
        relative_error(got, want)
    );
}

/// The columns of `x` as plain vectors.
fn columns(x: &Array2<f64>) -> Vec<Vec<f64>> {
    x.axis_iter(Axis(1)).map(|c| c.to_vec()).collect()
}

fn plain_mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Textbook one-way ANOVA: group the values, then `MS_between / MS_within`.
fn plain_anova(column: &[f64], labels: &[usize]) -> f64 {
    let mut ids: Vec<usize> = labels.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let groups: Vec<Vec<f64>> = ids
        .iter()
        .map(|id| {
            column
                .iter()
                .zip(labels)
                .filter(|(_, l)| *l == id)
                .map(|(v, _)| *v)
                .collect()
        })
        .collect();
    let grand = plain_mean(column);
    let mut between = 0.0;
    let mut within = 0.0;
    for g in &groups {
        let m = plain_mean(g);
        between += g.len() as f64 * (m - grand).powi(2);
        within += g.iter().map(|v| (v - m).powi(2)).sum::<f64>();
    }
    let k = groups.len() as f64;
    (between / (k - 1.0)) / (within / (column.len() as f64 - k))
}

/// Textbook Pearson correlation, then `r² / (1 − r²) · (n − 2)`.
fn plain_regression(column: &[f64], y: &[f64]) -> f64 {
    let (mx, my) = (plain_mean(column), plain_mean(y));
    let sxy: f64 = column.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = column.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    let r2 = sxy * sxy / (sxx * syy);
    r2 / (1.0 - r2) * (y.len() as f64 - 2.0)
}

pub(super) fn random_labels(n: usize, classes: usize, seed: u32) -> Vec<usize> {
    let mut rng = Mt19937::new(seed);
    // Unequal class sizes: the first classes are likelier; ids are spread out (0, 3, 6, ...).
    (0..n)
        .map(|i| {
            if i < classes {
                3 * i // every class present
            } else {
                let u = rng.random_sample();
                3 * ((u * u * classes as f64) as usize)
            }
        })
        .collect()
}

/// A matrix whose columns have very different scales and offsets, with a class effect.
pub(super) fn classified_matrix(labels: &[usize], cols: usize, seed: u32) -> Array2<f64> {
    let mut x = test_matrix(labels.len(), cols, seed);
    for (j, mut column) in x.axis_iter_mut(Axis(1)).enumerate() {
        let scale = 10f64.powi(j as i32 * 3 - 6);
        let offset = [0.0, -40.0, 1e3, 7.5][j % 4];
        for (v, &l) in column.iter_mut().zip(labels) {
            *v = (*v + 0.1 * (j % 3) as f64 * l as f64) * scale + offset * scale;
        }
    }
    x
}

#[test]
fn f_classif_equals_the_textbook_anova() {
    for (n, classes, cols, seed) in [
        (10, 2, 3, 1),
        (57, 3, 5, 2),
        (200, 7, 4, 3),
        (1000, 4, 6, 4),
    ] {
        let labels = random_labels(n, classes, seed);
        let x = classified_matrix(&labels, cols, seed + 100);
        let got = f_classif(x.view(), &labels).unwrap();
        let dfw = (n - classes) as f64;
        for (j, column) in columns(&x).iter().enumerate() {
            let want = plain_anova(column, &labels);
            assert_close(got.scores[j], want, 1e-9, "F");
            let p = f_sf(want, (classes - 1) as f64, dfw);
            assert_close(got.p_values[j], p, 1e-8, "p");
        }
    }
}

#[test]
fn f_regression_equals_the_textbook_correlation() {
    for (n, cols, seed) in [(3, 2, 5), (25, 4, 6), (400, 7, 7), (5000, 3, 8)] {
        let x = test_matrix(n, cols, seed);
        let noise = test_matrix(n, 1, seed + 50);
        // y depends on the first columns with decreasing strength.
        let y: Array1<f64> = (0..n)
            .map(|i| 3.0 * x[[i, 0]] - 0.5 * x[[i, 1]] + 2.0 * noise[[i, 0]] + 100.0)
            .collect();
        let got = f_regression(x.view(), y.view()).unwrap();
        for (j, column) in columns(&x).iter().enumerate() {
            let want = plain_regression(column, y.as_slice().unwrap());
            assert_close(got.scores[j], want, 1e-9, "F");
            assert_close(got.p_values[j], f_sf(want, 1.0, n as f64 - 2.0), 1e-8, "p");
        }
    }
}

#[test]
fn f_is_invariant_to_shifting_and_scaling_a_feature() {
    let labels = random_labels(300, 4, 11);
    let x = classified_matrix(&labels, 4, 12);
    let noise = test_matrix(300, 1, 13);
    let y: Array1<f64> = (0..300).map(|i| x[[i, 2]] * 1e-3 + noise[[i, 0]]).collect();
    let anova = f_classif(x.view(), &labels).unwrap();
    let fit = f_regression(x.view(), y.view()).unwrap();
    for (scale, shift) in [(7.0, -3.5), (1e-3, 250.0), (1e6, 1e3), (0.5, 0.0)] {
        // Shift by a multiple of each column's own size, so the shift is large or small
        // relative to the column as intended.
        let mut moved = x.clone();
        for mut column in moved.axis_iter_mut(Axis(1)) {
            let size = column.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            column.mapv_inplace(|v| v * scale + shift * size * scale);
        }
        let moved_anova = f_classif(moved.view(), &labels).unwrap();
        let moved_fit = f_regression(moved.view(), y.view()).unwrap();
        for j in 0..4 {
            assert_close(moved_anova.scores[j], anova.scores[j], 1e-9, "f_classif");
            assert_close(moved_fit.scores[j], fit.scores[j], 1e-9, "f_regression");
        }
    }
}

#[test]
fn a_mean_of_a_million_keeps_its_digits() {
    let labels = random_labels(120, 3, 21);
    let mut base = test_matrix(120, 1, 22);
    for (v, &l) in base.iter_mut().zip(&labels) {
        *v += 0.05 * l as f64;
    }
    let shifted = base.mapv(|v| v + 1e6);
    // The shifted values are rounded to 2⁻³³ ≈ 1.2e-10; the exact F of the rounded data stays
    // within a few 1e-9 of the unshifted one.
    let a = f_classif(base.view(), &labels).unwrap().scores[0];
    let b = f_classif(shifted.view(), &labels).unwrap().scores[0];
    assert_close(b, a, 1e-8, "f_classif at 1e6");
    let y: Array1<f64> = base
        .column(0)
        .iter()
        .enumerate()
        .map(|(i, v)| v + (i % 7) as f64)
        .collect();
    let a = f_regression(base.view(), y.view()).unwrap().scores[0];
    let b = f_regression(shifted.view(), y.view()).unwrap().scores[0];
    assert_close(b, a, 1e-8, "f_regression at 1e6");
}

#[test]
fn degenerate_columns_follow_scikit_learn() {
    let labels = [0, 0, 0, 1, 1, 2, 2, 2];
    let x = Array2::from_shape_fn((8, 4), |(i, j)| match j {
        0 => 0.1,                                         // constant: 0/0
        1 => [0.1, 0.7, 1.3][labels[i]],                  // constant within classes
        2 => [1.0, 2.0, 3.0, 2.0, 2.0, 2.5, 1.5, 2.0][i], // equal class means
        _ => 1e-200 * i as f64,                           // tiny values, no underflow
    });
    let got = f_classif(x.view(), &labels).unwrap();
    assert!(got.scores[0].is_nan() && got.p_values[0].is_nan());
    assert_eq!((got.scores[1], got.p_values[1]), (f64::INFINITY, 0.0));
    assert_eq!((got.scores[2], got.p_values[2]), (0.0, 1.0));
    let scaled = x.column(3).mapv(|v| v * 1e200).to_vec();
    assert_close(got.scores[3], plain_anova(&scaled, &labels), 1e-12, "tiny");

    let y = Array1::from_shape_fn(8, |i| (i * i) as f64);
    let x = Array2::from_shape_fn((8, 4), |(i, j)| match j {
        0 => 0.1,                        // constant: r is undefined, forced to 0
        1 => 3.0 * (i * i) as f64 + 0.1, // a perfect fit up to rounding
        2 => -((i * i) as f64),          // a perfect negative fit
        _ => [1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0, 1.0][i], // uncorrelated with y
    });
    let got = f_regression(x.view(), y.view()).unwrap();
    assert_eq!((got.scores[0], got.p_values[0]), (0.0, 1.0));
    assert_eq!((got.scores[1], got.p_values[1]), (f64::MAX, 0.0));
    assert_eq!((got.scores[2], got.p_values[2]), (f64::MAX, 0.0));
    assert!(got.scores[3] < 0.1 && got.p_values[3] > 0.7);
    let flat = f_regression(x.view(), Array1::from_elem(8, 2.5).view()).unwrap();
    assert!(flat.scores.iter().all(|&f| f == 0.0));
    assert!(flat.p_values.iter().all(|&p| p == 1.0));
}

#[test]
fn a_nearly_perfect_fit_keeps_its_digits() {
    // y = x + ε·z with 1 − r² ≈ 1e-14: 1 − r² itself would keep only two digits.
    let n = 50;
    let x = test_matrix(n, 1, 31);
    let z = test_matrix(n, 1, 32);
    let y: Array1<f64> = (0..n).map(|i| x[[i, 0]] + 1e-7 * z[[i, 0]]).collect();
    let got = f_regression(x.view(), y.view()).unwrap().scores[0];
    // The exact F from the residuals of y − ε·z on x, computed in the scaled problem where
    // nothing cancels: regress z on x; SS_res(y) = ε² SS_res(z) up to rounding of y itself.
    let zc = z.column(0).to_vec();
    let xc = x.column(0).to_vec();
    let (mx, mz) = (plain_mean(&xc), plain_mean(&zc));
    let sxx: f64 = xc.iter().map(|a| (a - mx).powi(2)).sum();
    let sxz: f64 = xc.iter().zip(&zc).map(|(a, b)| (a - mx) * (b - mz)).sum();
    let res_z: f64 = xc
        .iter()
        .zip(&zc)
        .map(|(a, b)| ((b - mz) - sxz / sxx * (a - mx)).powi(2))
        .sum();
    let b = 1.0 + 1e-7 * sxz / sxx;
    let want = (n as f64 - 2.0) * b * b * sxx / (1e-14 * res_z);
    // y itself is rounded to ~1e-16, i.e. 1e-9 of its residuals.
    assert_close(got, want, 1e-7, "nearly perfect F");
}

#[test]
fn bad_shapes_and_values_are_refused() {
    let x = Array2::from_shape_fn((4, 2), |(i, j)| (i + j) as f64);
    assert!(matches!(
        f_classif(x.view(), &[0, 1, 0]),
        Err(KernelError::ShapeMismatch(_))
    ));
    assert!(matches!(
        f_classif(x.view(), &[5, 5, 5, 5]),
        Err(KernelError::InvalidParameter { .. })
    ));
    assert!(matches!(
        f_classif(x.view(), &[0, 1, 2, 3]),
        Err(KernelError::TooFewRows {
            needed: 5,
            got: 4,
            ..
        })
    ));
    let mut bad = x.clone();
    bad[[2, 1]] = f64::NAN;
    assert!(matches!(
        f_classif(bad.view(), &[0, 0, 1, 1]),
        Err(KernelError::InvalidParameter { name: "x", .. })
    ));
    assert!(matches!(
        f_regression(x.view(), Array1::zeros(3).view()),
        Err(KernelError::ShapeMismatch(_))
    ));
    let two = Array2::<f64>::zeros((2, 1));
    assert!(matches!(
        f_regression(two.view(), Array1::zeros(2).view()),
        Err(KernelError::TooFewRows {
            needed: 3,
            got: 2,
            ..
        })
    ));
    let y = Array1::from(vec![1.0, f64::INFINITY, 2.0, 3.0]);
    assert!(matches!(
        f_regression(x.view(), y.view()),
        Err(KernelError::InvalidParameter { name: "y", .. })
    ));
    // No features: nothing to score, and no error.
    let empty = Array2::<f64>::zeros((4, 0));
    assert!(f_classif(empty.view(), &[0, 0, 1, 1])
        .unwrap()
        .scores
        .is_empty());
}

#[test]
fn f_sf_equals_its_closed_forms() {
    let fs: [f64; 10] = [1e-6, 0.01, 0.3, 1.0, 2.5, 10.0, 100.0, 3e3, 1e5, 1e9];
    for &d in &[1.0f64, 2.0, 3.0, 10.0, 57.0, 1e3, 1e5, 1e7] {
        for &f in &fs {
            // F(2, d): sf = (1 + 2f/d)^(−d/2), down to tiny values.
            let want = (-(d / 2.0) * (2.0 * f / d).ln_1p()).exp();
            let got = f_sf(f, 2.0, d);
            if want > 1e-300 {
                assert_close(got, want, 1e-11, &format!("F(2, {d}) at {f}"));
            } else if want == 0.0 {
                assert_eq!(got, 0.0, "F(2, {d}) at {f}");
            }
            // F(n, 2): sf = 1 − (n f / (2 + n f))^(n/2).
            let n = d;
            let want = -((n / 2.0) * (-(2.0 / (2.0 + n * f))).ln_1p()).exp_m1();
            assert_close(f_sf(f, n, 2.0), want, 1e-11, &format!("F({n}, 2) at {f}"));
        }
    }
    for &f in &fs {
        // F(1, 1) is the square of a Cauchy variable: sf = 1 − (2/π) atan(√f).
        let want = 2.0 / std::f64::consts::PI * (1.0 / f.sqrt()).atan();
        assert_close(f_sf(f, 1.0, 1.0), want, 1e-13, "F(1, 1)");
    }
}

#[test]
fn f_sf_of_the_reciprocal_is_the_complement() {
    // P(F(n, d) > f) = 1 − P(F(d, n) > 1/f), checked where both sides are well away from 0.
    for (n, d) in [
        (1.0, 7.0),
        (3.0, 30.0),
        (6.0, 1e4),
        (40.0, 55.0),
        (0.5, 3.5),
        (200.0, 300.0),
    ] {
        for f in [0.2, 0.9, 1.0, 1.3, 4.0] {
            let p = f_sf(f, n, d);
            let q = f_sf(1.0 / f, d, n);
            assert!((p + q - 1.0).abs() < 1e-13, "{n} {d} {f}: {p} + {q}");
        }
    }
}

#[test]
fn f_sf_edges_follow_scipy() {
    assert_eq!(f_sf(0.0, 1.0, 1.0), 1.0);
    assert_eq!(f_sf(-3.0, 1.0, 1.0), 1.0);
    assert_eq!(f_sf(f64::INFINITY, 2.0, 9.0), 0.0);
    assert!(f_sf(f64::NAN, 2.0, 9.0).is_nan());
    assert!(f_sf(1.0, 0.0, 9.0).is_nan());
    assert!(f_sf(1.0, 2.0, -1.0).is_nan());
    assert!(f_sf(1.0, f64::INFINITY, 9.0).is_nan());
    assert!(f_sf(1.0, 2.0, f64::NAN).is_nan());
    // dfn·f overflows; the F(2, 0.1) tail (1 + 2f/0.1)^(−0.05) is still far from 0.
    let want = (-0.05 * (2f64.ln() + 309.0 * 10f64.ln())).exp();
    assert_close(f_sf(1e308, 2.0, 0.1), want, 1e-12, "overflow");
}

#[test]
fn incomplete_beta_and_ln_gamma_match_known_values() {
    // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b.
    for (a, x) in [(0.5, 0.3), (4.0, 0.9), (30.0, 0.99), (250.0, 0.5)] {
        let (p, q) = incomplete_beta(a, 1.0, x, 1.0 - x);
        assert_close(p, x.powf(a), 1e-13, "x^a");
        assert_close(q, -(a * x.ln()).exp_m1(), 1e-13, "1 − x^a");
    }
    // I_½(a, a) = ½.
    for a in [0.5, 3.0, 12.0, 1e3, 1e6] {
        let (p, q) = incomplete_beta(a, a, 0.5, 0.5);
        assert_close(p, 0.5, 1e-12, "I_½(a, a)");
        assert_close(q, 0.5, 1e-12, "1 − I_½(a, a)");
    }
    // ln Γ at integers and half-integers: ln((n − 1)!) and ln(√π (2n)! / (4ⁿ n!)).
    let mut factorial = 1.0f64;
    for n in 1..60 {
        assert_close(ln_gamma(n as f64), factorial.ln(), 1e-14, "ln Γ(n)");
        factorial *= n as f64;
    }
    assert_close(
        ln_gamma(0.5),
        std::f64::consts::PI.sqrt().ln(),
        1e-15,
        "ln Γ(½)",
    );
    assert_close(
        ln_gamma(10.5),
        (1133278.3889487855f64).ln(),
        1e-14,
        "ln Γ(10.5)",
    );
    assert_close(ln_gamma(1e6), 12815504.569147611, 1e-15, "ln Γ(1e6)");
}
