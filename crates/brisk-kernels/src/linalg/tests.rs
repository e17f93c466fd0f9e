//! The optimised linear-algebra kernels against plain definitions on seeded random inputs.

use ndarray::{s, Array1, Array2, ArrayView2, ShapeBuilder};

use super::*;
use crate::random::test_matrix;
use crate::KernelError;

/// The textbook triple loop: `C_jk = Σ_i (x_ij − μ_j)(x_ik − μ_k) / (n − ddof)`.
fn plain_covariance(x: ArrayView2<'_, f64>, ddof: usize) -> Array2<f64> {
    let (n, d) = x.dim();
    let mean: Vec<f64> = (0..d).map(|j| x.column(j).sum() / n as f64).collect();
    Array2::from_shape_fn((d, d), |(j, k)| {
        (0..n)
            .map(|i| (x[[i, j]] - mean[j]) * (x[[i, k]] - mean[k]))
            .sum::<f64>()
            / (n - ddof) as f64
    })
}

fn assert_all_close(got: &Array2<f64>, want: &Array2<f64>, tol: f64) {
    let scale = want.iter().fold(1e-300f64, |m, v| m.max(v.abs()));
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol * scale, "{g} vs {w}");
    }
}

#[test]
fn covariance_equals_the_triple_loop_in_every_layout() {
    for (n, d, seed) in [
        (1, 1, 1),
        (2, 3, 2),
        (37, 5, 3),
        (700, 9, 4),
        (20_000, 3, 5),
        (300, 130, 6),
    ] {
        let c_order = test_matrix(n, d, seed) * 7.0 + 3.0;
        let mut f_order = Array2::zeros((n, d).f());
        f_order.assign(&c_order);
        let ddof = usize::from(n > 1);
        let want = plain_covariance(c_order.view(), ddof);
        for x in [c_order.view(), f_order.view()] {
            assert_all_close(&covariance(x, ddof).unwrap(), &want, 1e-12);
        }
        if n > 4 && d > 1 {
            // Sliced with steps and a reversed axis: strides that are neither C nor Fortran.
            let sliced = c_order.slice(s![1..;2, ..;-1]);
            let want = plain_covariance(sliced, 1);
            assert_all_close(&covariance(sliced, 1).unwrap(), &want, 1e-12);
        }
    }
}

#[test]
fn covariance_is_symmetric_positive_semidefinite() {
    let x = test_matrix(500, 12, 9);
    let c = covariance(x.view(), 1).unwrap();
    assert_eq!(c, c.t());
    let eigen = as_faer(c.view())
        .self_adjoint_eigenvalues(faer::Side::Lower)
        .unwrap();
    let largest = eigen.iter().fold(0.0f64, |m, v| m.max(*v));
    assert!(eigen.iter().all(|&v| v >= -1e-12 * largest), "{eigen:?}");
    let r = correlation(x.view()).unwrap();
    assert!(r.iter().all(|v| (-1.0..=1.0).contains(v)));
    assert!(r.diag().iter().all(|&v| (v - 1.0).abs() < 1e-15));
}

#[test]
fn covariance_keeps_its_digits_far_from_zero() {
    let noise = test_matrix(1000, 2, 11);
    let x = noise.mapv(|v| 1e9 + v * 1e-3);
    let exact_spread = plain_covariance(noise.mapv(|v| v * 1e-3).view(), 1);
    // The stored values differ from 1e9 + noise by their rounding, so compare at ~1e-7.
    assert_all_close(&covariance(x.view(), 1).unwrap(), &exact_spread, 1e-6);
    let shifted = x.mapv(|v| v - 1e9);
    let want = plain_covariance(shifted.view(), 1);
    assert_all_close(&covariance(x.view(), 1).unwrap(), &want, 1e-12);
}

#[test]
fn too_few_rows_is_an_error() {
    let x = Array2::<f64>::zeros((1, 3));
    assert!(matches!(
        covariance(x.view(), 1),
        Err(KernelError::TooFewRows { .. })
    ));
    assert!(covariance(x.view(), 0).is_ok());
}

fn plain_distances(x: ArrayView2<'_, f64>, y: ArrayView2<'_, f64>) -> Array2<f64> {
    Array2::from_shape_fn((x.nrows(), y.nrows()), |(i, j)| {
        x.row(i)
            .iter()
            .zip(y.row(j))
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt()
    })
}

#[test]
fn a_nan_coordinate_gives_nan_distances_as_in_cdist() {
    let x = ndarray::array![[0.0, f64::NAN], [3.0, 4.0]];
    let y = ndarray::array![[0.0, 0.0]];
    let d = pairwise_distances(x.view(), Some(y.view())).unwrap();
    assert!(d[[0, 0]].is_nan());
    assert_eq!(d[[1, 0]], 5.0);
}

#[test]
fn distances_equal_the_plain_loop() {
    let x = test_matrix(120, 7, 21) * 50.0 + 1e4;
    let y = test_matrix(33, 7, 22) * 50.0 + 1e4;
    let got = pairwise_distances(x.view(), Some(y.view())).unwrap();
    assert_all_close(&got, &plain_distances(x.view(), y.view()), 1e-12);
    let own = pairwise_distances(x.view(), None).unwrap();
    assert_all_close(&own, &plain_distances(x.view(), x.view()), 1e-12);
    assert!(own.diag().iter().all(|&v| v == 0.0));
    // Near-duplicates keep their digits.
    let mut twins = x.slice(s![..2, ..]).to_owned();
    let first = twins.row(0).to_owned();
    twins.row_mut(1).assign(&first);
    twins[[1, 0]] = twins[[0, 0]] + 1e-9;
    let d = pairwise_distances(twins.view(), None).unwrap();
    let gap = twins[[1, 0]] - twins[[0, 0]];
    assert!(
        (d[[0, 1]] - gap).abs() < 1e-15 * gap.max(1.0),
        "{} vs {gap}",
        d[[0, 1]]
    );
    let bad = Array2::<f64>::zeros((2, 3));
    assert!(pairwise_distances(x.view(), Some(bad.view())).is_err());
}

#[test]
fn solve_leaves_a_tiny_residual_and_refuses_singular_systems() {
    for (n, seed) in [(1, 1), (2, 2), (17, 3), (150, 4)] {
        let a = test_matrix(n, n, seed) + Array2::<f64>::eye(n) * 3.0;
        let x_true = test_matrix(n, 2, seed + 100);
        let b = a.dot(&x_true);
        let s = solve(a.view(), b.view()).unwrap();
        assert!(s.backward_error < 1e-15, "n = {n}: {}", s.backward_error);
        let err = (&s.x - &x_true).iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(err < 1e-12 * s.condition.max(1.0), "n = {n}: {err}");
        // The estimate is a lower bound of κ₁ within a small factor of it.
        let inverse = {
            let lu = as_faer(a.view()).partial_piv_lu();
            use faer::linalg::solvers::DenseSolveCore;
            lu.inverse()
        };
        let inv_norm = (0..n)
            .map(|j| (0..n).map(|i| inverse[(i, j)].abs()).sum::<f64>())
            .fold(0.0, f64::max);
        let a_norm = (0..n)
            .map(|j| a.column(j).iter().map(|v| v.abs()).sum::<f64>())
            .fold(0.0, f64::max);
        let exact = a_norm * inv_norm;
        assert!(s.condition <= exact * (1.0 + 1e-10) && s.condition >= exact / 3.0);
    }
    let singular = Array2::from_shape_vec((2, 2), vec![1.0, 2.0, 2.0, 4.0]).unwrap();
    let b = Array2::ones((2, 1));
    assert!(matches!(
        solve(singular.view(), b.view()),
        Err(KernelError::Singular { .. })
    ));
    let wide = Array2::<f64>::zeros((2, 3));
    assert!(matches!(
        solve(wide.view(), b.view()),
        Err(KernelError::ShapeMismatch(_))
    ));
    let short = Array2::<f64>::ones((3, 1));
    let a = Array2::<f64>::eye(2);
    assert!(matches!(
        solve(a.view(), short.view()),
        Err(KernelError::ShapeMismatch(_))
    ));
}

#[test]
fn column_means_are_exact_for_integers() {
    let x = Array2::from_shape_fn((10_001, 3), |(i, j)| (i * (j + 1)) as f64);
    let want: Array1<f64> = (1..=3).map(|j| 5_000.0 * j as f64).collect();
    assert_eq!(column_means(x.view()), want);
}
