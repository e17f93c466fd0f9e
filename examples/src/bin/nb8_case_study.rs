//! NumPy notebook §8, the mini case study: given X of shape (10000, 100), normalise the features,
//! compute their covariance, and extract the top-k eigenvectors (k = 10).
//!
//! Standardisation and `Xnᵀ Xn / (n − 1)` are written with ndarray, the covariance also with
//! `brisk_kernels::linalg::covariance`, and the top eigenpairs come from
//! `brisk_kernels::decomposition::Pca` with `standardize(true)` (scikit-learn's `StandardScaler`
//! then `PCA(10)`). Checked: `C v = λ v` for every component, orthonormal components, eigenvalues in
//! decreasing order, and all 100 eigenvalues summing to the trace of C. `--quick` uses (2000, 30).

use brisk_examples::{check, check_close, max_abs_diff, normal_matrix, num, quick, secs, timed};
use brisk_kernels::decomposition::Pca;
use brisk_kernels::linalg::covariance;
use ndarray::{Array2, Axis};

fn main() {
    let (n, d, k) = if quick() {
        (2_000, 30, 10)
    } else {
        (10_000, 100, 10)
    };
    let x = normal_matrix(n, d, 8);

    // Normalise the features: mean 0, std 1 (ddof 0), as the notebook does.
    let xn = (&x - &x.mean_axis(Axis(0)).unwrap()) / &x.std_axis(Axis(0), 0.0);
    let cov = xn.t().dot(&xn) / (n - 1) as f64;
    let brisk_cov = covariance(xn.view(), 1).unwrap();
    println!(
        "X: {n} × {d}; covariance of the standardised features: {:?}",
        cov.dim()
    );
    check(
        max_abs_diff(cov.view(), brisk_cov.view()) <= 1e-12,
        "Xnᵀ Xn / (n − 1) equals brisk's covariance",
    );

    let (pca, t) = timed(|| {
        Pca::params(k)
            .standardize(true)
            .check()
            .unwrap()
            .fit(x.view())
            .unwrap()
    });
    let lambdas = &pca.explained_variance;
    println!("top-{k} eigenvalues in {}: {lambdas:.4}", secs(t));
    println!(
        "explained variance ratio: {:.4} (total {:.4})",
        pca.explained_variance_ratio,
        pca.explained_variance_ratio.sum()
    );

    let mut worst = 0.0f64;
    for (v, &lambda) in pca.components.outer_iter().zip(lambdas) {
        let residual = cov.dot(&v) - &v * lambda;
        worst = worst.max(residual.iter().fold(0.0f64, |m, r| m.max(r.abs())));
    }
    println!(
        "largest |C v − λ v| over the {k} components: {}",
        num(worst)
    );
    check(
        worst <= 1e-10,
        "every component is an eigenvector of C with its eigenvalue",
    );
    let gram = pca.components.dot(&pca.components.t());
    check(
        max_abs_diff(gram.view(), Array2::eye(k).view()) <= 1e-12,
        "the components are orthonormal",
    );
    check(
        lambdas.windows(2).into_iter().all(|w| w[0] >= w[1]),
        "eigenvalues in decreasing order",
    );

    // All d eigenvalues together hold the whole variance: trace(C) = d · n / (n − 1).
    let all = Pca::params(d)
        .standardize(true)
        .check()
        .unwrap()
        .fit(x.view())
        .unwrap();
    let trace = cov.diag().sum();
    check_close(
        all.explained_variance.sum(),
        trace,
        1e-10 * trace,
        "the eigenvalues sum to trace(C)",
    );
    check_close(
        trace,
        d as f64 * n as f64 / (n - 1) as f64,
        1e-9,
        "trace(C) = d·n/(n − 1) for standardised columns",
    );
    let top = all
        .explained_variance
        .iter()
        .take(k)
        .zip(lambdas)
        .all(|(a, b)| (a - b).abs() <= 1e-12);
    check(top, "the top-k eigenvalues are the k largest of all d");
    // Independent features: the sample eigenvalues only spread around 1 by sampling noise, within
    // the Marchenko–Pastur bounds (1 ± √(d/n))².
    let gamma = (d as f64 / n as f64).sqrt();
    let (lo, hi) = ((1.0 - gamma).powi(2), (1.0 + gamma).powi(2));
    let (min, max) = (all.explained_variance[d - 1], all.explained_variance[0]);
    println!("eigenvalues from {min:.4} to {max:.4}; Marchenko–Pastur edges {lo:.4} and {hi:.4}");
    check(
        0.9 * lo <= min && max <= 1.1 * hi,
        "no direction stands out of the noise",
    );
}
