//! k-means at the size of the Python bench's case: 200,000 × 32, k = 16, 50 Lloyd iterations
//! from given centres with `tol = 0`, on overlapping clusters (so Lloyd does not converge and
//! the bounds cannot skip every point).
//!
//! The data, as the Python bench's: 16 centres with normal coordinates of standard deviation 0.4,
//! each point one of them plus standard normal noise per coordinate (normal draws taken as a sum
//! of 12 uniform draws minus 6), all from `Mt19937::new(7)`; the start is 16 of the points. The bench prints the best
//! of 5 fits (after a warm-up) with the inertia, to stderr:
//!
//! ```text
//! cargo bench -p brisk-kernels --bench kmeans
//! RAYON_NUM_THREADS=1 cargo bench -p brisk-kernels --bench kmeans   # one thread
//! ```
//!
//! `cargo test -p brisk-kernels --benches` (which does not pass `--bench`) fits once on 2,000
//! points.

use std::time::Instant;

use brisk_kernels::cluster::{KMeans, KMeansInit};
use brisk_kernels::random::Mt19937;
use ndarray::Array2;

/// Rows, columns and clusters of the benchmarked data.
const SHAPE: (usize, usize, usize) = (200_000, 32, 16);

/// Nearly a standard normal draw: the sum of 12 uniform draws, minus 6.
fn normal(rng: &mut Mt19937) -> f64 {
    (0..12).map(|_| rng.random_sample()).sum::<f64>() - 6.0
}

/// `n × d` points around `k` random centres, and `k` of the points as the start.
fn clustered(n: usize, d: usize, k: usize) -> (Array2<f64>, Array2<f64>) {
    let mut rng = Mt19937::new(7);
    let centres = Array2::from_shape_simple_fn((k, d), || 0.4 * normal(&mut rng));
    let mut x = Array2::zeros((n, d));
    for mut row in x.outer_iter_mut() {
        let c = rng.interval(k as u64 - 1) as usize;
        for (v, m) in row.iter_mut().zip(centres.row(c)) {
            *v = m + normal(&mut rng);
        }
    }
    let start = Array2::from_shape_fn((k, d), |(c, j)| x[[c * (n / k), j]]);
    (x, start)
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let (n, d, k) = SHAPE;
    let n = if quick { 2_000 } else { n };
    let (x, start) = clustered(n, d, k);
    let params = KMeans::params(k)
        .init(KMeansInit::Centroids(start))
        .n_init(1)
        .max_iter(50)
        .tol(0.0)
        .check()
        .expect("valid parameters");
    let inertia = params.fit(x.view()).expect("a fit").inertia;
    if !quick {
        let best = (0..5)
            .map(|_| {
                let clock = Instant::now();
                params.fit(x.view()).expect("a fit");
                clock.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        eprintln!(
            "k-means {n}x{d}, k = {k}, 50 iterations: best of 5 {best:.3} s (inertia {inertia:.6})"
        );
    }
}
