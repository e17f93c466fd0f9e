//! PCA's invariants on seeded random inputs.

use ndarray::{Array2, Axis};

use super::Pca;
use crate::random::test_matrix;
use crate::KernelError;

#[test]
fn all_components_reconstruct_the_data() {
    let mixing = test_matrix(4, 4, 2);
    let x = test_matrix(400, 4, 1).dot(&mixing) + 10.0;
    let pca = Pca::params(4).check().unwrap().fit(x.view()).unwrap();
    let scores = pca.transform(x.view()).unwrap();
    let back = scores.dot(&pca.components) + &pca.mean;
    for (a, b) in back.iter().zip(&x) {
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
    // Orthonormal axes, variances in decreasing order summing to the total variance.
    let gram = pca.components.dot(&pca.components.t());
    for ((i, j), v) in gram.indexed_iter() {
        assert!((v - f64::from(u8::from(i == j))).abs() < 1e-12);
    }
    let total: f64 = x.var_axis(Axis(0), 1.0).sum();
    assert!((pca.explained_variance.sum() - total).abs() < 1e-10 * total);
    assert!(pca
        .explained_variance
        .windows(2)
        .into_iter()
        .all(|w| w[0] >= w[1]));
    assert!((pca.explained_variance_ratio.sum() - 1.0).abs() < 1e-12);
    // Each score column's variance is its explained variance.
    let score_var = scores.var_axis(Axis(0), 1.0);
    for (a, b) in score_var.iter().zip(&pca.explained_variance) {
        assert!((a - b).abs() < 1e-10 * b);
    }
}

#[test]
fn components_follow_the_sign_convention() {
    let x = test_matrix(200, 6, 3);
    let pca = Pca::params(3).check().unwrap().fit(x.view()).unwrap();
    for row in pca.components.rows() {
        let largest = row
            .iter()
            .fold(0.0f64, |m, v| if v.abs() > m.abs() { *v } else { m });
        assert!(largest > 0.0);
    }
}

#[test]
fn bad_k_is_refused() {
    let x = Array2::<f64>::zeros((5, 3));
    assert!(matches!(
        Pca::params(0).check(),
        Err(KernelError::InvalidParameter { .. })
    ));
    let fit = |k| Pca::params(k).check().unwrap().fit(x.view());
    assert!(matches!(
        fit(4),
        Err(KernelError::InvalidParameter { name: "k", .. })
    ));
    let one = Array2::<f64>::zeros((1, 3));
    assert!(Pca::params(1).check().unwrap().fit(one.view()).is_err());
}
