//! Exercise C.4 (exercise sheet): make `slow_covariance(X)` — a triple loop over features × features
//! × samples — at least 100× faster on a (10000, 100) array, matching `np.cov(X, rowvar=False)`
//! within 1e-10, without calling `np.cov`, with benchmarking code showing the speed-up.
//!
//! Three versions on the same seeded data: the exercise's triple loop translated line by line; the
//! vectorised math `X̄ᵀX̄ / (n − 1)` written with ndarray (centre by broadcasting, one matrix
//! product); and `brisk_kernels::linalg::covariance` (blocked centring fused into faer's symmetric
//! product). Prints the times and speed-ups and checks the largest difference is at most 1e-10.
//! `--quick` uses a 2000 × 30 array.

use brisk_examples::{best_of, check, max_abs_diff, normal_matrix, num, quick, secs, timed};
use brisk_kernels::linalg::covariance;
use ndarray::{Array2, ArrayView2, Axis};

/// The exercise's `slow_covariance`, loop for loop.
fn slow_covariance(x: ArrayView2<'_, f64>) -> Array2<f64> {
    let (n, d) = x.dim();
    let mean: Vec<f64> = (0..d)
        .map(|j| (0..n).map(|k| x[[k, j]]).sum::<f64>() / n as f64)
        .collect();
    let mut cov = vec![vec![0.0; d]; d];
    for i in 0..d {
        for j in 0..d {
            for k in 0..n {
                cov[i][j] += (x[[k, i]] - mean[i]) * (x[[k, j]] - mean[j]);
            }
            cov[i][j] /= (n - 1) as f64;
        }
    }
    Array2::from_shape_fn((d, d), |(i, j)| cov[i][j])
}

/// The vectorised answer: centre every column by broadcasting, then one matrix product.
fn vectorised_covariance(x: ArrayView2<'_, f64>) -> Array2<f64> {
    let centred = &x - &x.mean_axis(Axis(0)).unwrap();
    centred.t().dot(&centred) / (x.nrows() - 1) as f64
}

fn main() {
    let (n, d) = if quick() { (2_000, 30) } else { (10_000, 100) };
    let x = normal_matrix(n, d, 4);
    println!("X: {n} × {d} standard normal draws, float64");

    let (slow, t_slow) = timed(|| slow_covariance(x.view()));
    let (vectorised, t_vec) = best_of(5, || vectorised_covariance(x.view()));
    let (brisk, t_brisk) = best_of(5, || covariance(x.view(), 1).unwrap());

    println!("\n{:<34} {:>10} {:>10}", "version", "time", "speed-up");
    println!(
        "{:<34} {:>10} {:>9.1}×",
        "triple loop (slow_covariance)",
        secs(t_slow),
        1.0
    );
    println!(
        "{:<34} {:>10} {:>9.1}×",
        "ndarray: Xc.t().dot(Xc) / (n - 1)",
        secs(t_vec),
        t_slow / t_vec
    );
    println!(
        "{:<34} {:>10} {:>9.1}×",
        "brisk_kernels::linalg::covariance",
        secs(t_brisk),
        t_slow / t_brisk
    );
    println!("(the loop is timed once, the others as the best of 5 runs)\n");

    let diff_vec = max_abs_diff(vectorised.view(), slow.view());
    let diff_brisk = max_abs_diff(brisk.view(), slow.view());
    println!(
        "max |ndarray − loop| = {}, max |brisk − loop| = {}",
        num(diff_vec),
        num(diff_brisk)
    );
    check(
        diff_vec <= 1e-10,
        "the ndarray version matches the loop within 1e-10",
    );
    check(
        diff_brisk <= 1e-10,
        "brisk's covariance matches the loop within 1e-10",
    );
    let symmetric = (0..d).all(|i| (0..d).all(|j| brisk[[i, j]] == brisk[[j, i]]));
    check(symmetric, "the covariance is exactly symmetric");
    let variances_near_one = brisk.diag().iter().all(|v| (v - 1.0).abs() < 0.2);
    check(
        variances_near_one,
        "the diagonal holds the variances, near 1 for standard normal data",
    );
}
