//! Exercise C.1 (exercise sheet): `compute_statistics(X)` — per column of a 2-D array, the mean,
//! median, standard deviation, skewness and kurtosis, with no loop over the columns; tested on
//! `X = np.random.randn(10000, 5)` with `stats['mean'].shape == (5,)` and
//! `np.allclose(stats['mean'], X.mean(axis=0))`.
//!
//! Shown three ways: brisk's `stats::compute_statistics` (pandas' conventions: ddof 1, adjusted
//! G1 skewness, bias-corrected excess G2 kurtosis), the NumPy answer written with ndarray axis
//! reductions and broadcasting, and a plain loop per column as the reference.

use brisk_examples::{check, check_close, normal_matrix};
use brisk_kernels::stats::{compute_statistics, Convention};
use ndarray::{array, Array1, Array2, Axis};

/// The NumPy-style answer: whole-array reductions along axis 0 and broadcasting, no column loop.
fn vectorised(x: &Array2<f64>) -> [Array1<f64>; 4] {
    let n = x.nrows() as f64;
    let mean = x.mean_axis(Axis(0)).unwrap();
    let centred = x - &mean;
    let moment = |p: i32| centred.mapv(|v| v.powi(p)).mean_axis(Axis(0)).unwrap();
    let (m2, m3, m4) = (moment(2), moment(3), moment(4));
    let std = m2.mapv(|v| (v * n / (n - 1.0)).sqrt());
    let g1 = &m3 / &m2.mapv(|v| v.powf(1.5));
    let skew = g1 * ((n * (n - 1.0)).sqrt() / (n - 2.0));
    let g2 = &m4 / &m2.mapv(|v| v * v) - 3.0;
    let kurt = g2.mapv(|g| ((n + 1.0) * g + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)));
    [mean, std, skew, kurt]
}

/// The plain reference for one column: mean, median, std (ddof 1), G1, G2.
fn by_loop(column: &[f64]) -> [f64; 5] {
    let n = column.len() as f64;
    let mean = column.iter().sum::<f64>() / n;
    let m = |p: i32| column.iter().map(|v| (v - mean).powi(p)).sum::<f64>() / n;
    let (m2, m3, m4) = (m(2), m(3), m(4));
    let mut sorted = column.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = (sorted[(sorted.len() - 1) / 2] + sorted[sorted.len() / 2]) / 2.0;
    let skew = (n * (n - 1.0)).sqrt() / (n - 2.0) * m3 / m2.powf(1.5);
    let kurt = ((n + 1.0) * (m4 / (m2 * m2) - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
    [mean, median, (m2 * n / (n - 1.0)).sqrt(), skew, kurt]
}

fn main() {
    let docs = compute_statistics(
        array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]].view(),
        Convention::Sample,
    );
    println!("docstring example: mean {} (expected [3, 4])", docs.mean);
    check(
        docs.mean == array![3.0, 4.0],
        "compute_statistics([[1, 2], [3, 4], [5, 6]])['mean'] == [3, 4]",
    );

    let x = normal_matrix(10_000, 5, 42);
    let stats = compute_statistics(x.view(), Convention::Sample);
    println!("\nX: 10000 × 5 standard normal draws (seed 42)");
    println!("column      mean    median       std  skewness  kurtosis");
    for j in 0..5 {
        println!(
            "{j:>6} {:>9.5} {:>9.5} {:>9.5} {:>9.5} {:>9.5}",
            stats.mean[j], stats.median[j], stats.std[j], stats.skewness[j], stats.kurtosis[j]
        );
    }
    check(stats.mean.shape() == [5], "stats['mean'].shape == (5,)");

    let [mean, std, skew, kurt] = vectorised(&x);
    let mut worst = [0.0f64; 5];
    for (j, column) in x.axis_iter(Axis(1)).enumerate() {
        let expected = by_loop(&column.to_vec());
        let got = [
            stats.mean[j],
            stats.median[j],
            stats.std[j],
            stats.skewness[j],
            stats.kurtosis[j],
        ];
        let numpy = [mean[j], expected[1], std[j], skew[j], kurt[j]];
        for k in 0..5 {
            worst[k] = worst[k]
                .max((got[k] - expected[k]).abs())
                .max((numpy[k] - expected[k]).abs());
        }
    }
    for (name, w) in ["mean", "median", "std", "skewness", "kurtosis"]
        .iter()
        .zip(worst)
    {
        check_close(
            w,
            0.0,
            1e-10,
            format!("{name}: brisk and the ndarray version equal the loop"),
        );
    }
}
