//! C.4: naive triple loop vs the vectorised covariance.
//!
//! Exercise C.4 computes the sample covariance of a matrix's columns twice: once as the plain
//! triple loop over a list of rows, once with the vectorised kernel, and expects the kernel to be
//! at least 100× faster. This bench measures both on seeded uniform `[0, 1)` matrices (the
//! `numpy.random.RandomState(seed).random_sample` stream, filled row by row):
//!
//! * `naive`: the exercise's Python loop written out in Rust on a `Vec<Vec<f64>>` (one vector per
//!   row, as a list of lists): column means by a loop, then for every pair of columns `(j, k)` a
//!   loop over the rows accumulating `(x[i][j] − m[j])·(x[i][k] − m[k])`, divided by `n − 1`. It
//!   does all `n·d²` products, indexing with bounds checks, and no symmetry shortcut.
//! * `vectorised`: [`brisk_kernels::linalg::covariance`] with `ddof = 1` on an `ndarray` view
//!   (blocked centring, a triangular GEMM through faer, and rayon over row groups; set
//!   `RAYON_NUM_THREADS=1` for a single-threaded comparison).
//!
//! Two sizes, each a criterion group with both functions: `2000x20` (quick) and `10000x100` (the
//! exercise's size). Before a group is measured the two results are checked to agree within
//! `1e-10` relative to the largest covariance (off-diagonal covariances of independent columns
//! are near zero, so an elementwise relative error would measure only noise). After the groups,
//! each size is timed once more outside criterion, the median of 3 runs of each, and one line per
//! size goes to stderr:
//!
//! ```text
//! C.4 2000x20: naive 1.38 ms, vectorised 74.4 µs, speedup 19x
//! C.4 10000x100: naive 403 ms, vectorised 2.60 ms, speedup 155x
//! ```
//!
//! (one run on two cores). At the exercise's size the vectorised kernel clears its 100× even
//! against the loop compiled; against the loop in interpreted Python the gap is far larger.
//!
//! Run it (the whole bench takes about half a minute on two cores):
//!
//! ```text
//! cargo bench -p brisk-kernels --bench covariance
//! cargo bench -p brisk-kernels --bench covariance -- 2000x20   # the quick group only
//! ```
//!
//! A filter selects groups as usual, and the speedup lines follow it. `cargo test -p brisk-kernels
//! --benches` runs each function once, with the agreement check, and prints no speedup.

use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, Instant};

use brisk_kernels::linalg::covariance;
use brisk_kernels::random::Mt19937;
use criterion::Criterion;
use ndarray::Array2;

/// `(rows, columns, seed)` of the benchmarked matrices, quick one first.
const SIZES: [(usize, usize, u32); 2] = [(2_000, 20, 42), (10_000, 100, 7)];

/// Largest allowed `max |naive − vectorised| / max |C|`.
const TOLERANCE: f64 = 1e-10;

/// An `n × d` matrix of `random_sample()` draws from `Mt19937::new(seed)`, in row-major order.
fn random_matrix(n: usize, d: usize, seed: u32) -> Array2<f64> {
    let mut rng = Mt19937::new(seed);
    Array2::from_shape_simple_fn((n, d), || rng.random_sample())
}

/// The matrix as a list of rows, the way a Python list of lists holds it.
fn to_rows(x: &Array2<f64>) -> Vec<Vec<f64>> {
    x.rows().into_iter().map(|row| row.to_vec()).collect()
}

/// The exercise's triple loop, statement for statement: column means, then
/// `C[j][k] = Σ_i (x[i][j] − m[j])(x[i][k] − m[k]) / (n − 1)` for every `j` and `k`.
#[allow(clippy::needless_range_loop)] // Indexed loops are the point: this is the naive version.
fn naive_covariance(x: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = x.len();
    let d = x[0].len();
    let mut m = vec![0.0; d];
    for j in 0..d {
        let mut s = 0.0;
        for i in 0..n {
            s += x[i][j];
        }
        m[j] = s / n as f64;
    }
    let mut c = vec![vec![0.0; d]; d];
    for j in 0..d {
        for k in 0..d {
            let mut s = 0.0;
            for i in 0..n {
                s += (x[i][j] - m[j]) * (x[i][k] - m[k]);
            }
            c[j][k] = s / (n - 1) as f64;
        }
    }
    c
}

fn vectorised_covariance(x: &Array2<f64>) -> Array2<f64> {
    covariance(x.view(), 1).expect("more than one row")
}

/// Panics unless the two covariances have the same shape and agree within [`TOLERANCE`] of the
/// largest entry.
fn assert_agree(label: &str, naive: &[Vec<f64>], vectorised: &Array2<f64>) {
    let d = naive.len();
    assert_eq!(vectorised.dim(), (d, d), "{label}: shapes differ");
    let mut scale = 0.0f64;
    let mut worst = 0.0f64;
    for j in 0..d {
        for k in 0..d {
            scale = scale.max(naive[j][k].abs());
            worst = worst.max((naive[j][k] - vectorised[[j, k]]).abs());
        }
    }
    assert!(
        worst <= TOLERANCE * scale,
        "{label}: naive and vectorised covariances differ by {worst:e} (largest |C| {scale:e})"
    );
}

/// The median wall time of three calls of `f`.
fn median_of_3<T>(mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[1]
}

/// A duration with three significant digits in s, ms or µs.
fn human(t: Duration) -> String {
    let secs = t.as_secs_f64();
    let (value, unit) = if secs >= 1.0 {
        (secs, "s")
    } else if secs >= 1e-3 {
        (secs * 1e3, "ms")
    } else {
        (secs * 1e6, "µs")
    };
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}

/// Whether criterion will measure (`cargo bench`), rather than test (`cargo test --benches`,
/// `-- --test`), list or profile.
fn measuring() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    has("--bench") && !has("--test") && !has("--list") && !has("--profile-time")
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .configure_from_args();

    let matrices: Vec<(String, Array2<f64>, Vec<Vec<f64>>)> = SIZES
        .iter()
        .map(|&(n, d, seed)| {
            let x = random_matrix(n, d, seed);
            let rows = to_rows(&x);
            (format!("{n}x{d}"), x, rows)
        })
        .collect();

    // The sizes whose group criterion ran (not filtered out on the command line).
    let mut ran = Vec::new();
    for (label, x, rows) in &matrices {
        assert_agree(label, &naive_covariance(rows), &vectorised_covariance(x));

        let mut group = criterion.benchmark_group(format!("covariance_{label}"));
        // Ten samples (criterion's minimum) in a few seconds: the naive loop takes tens of ms.
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(4));
        let selected = Cell::new(false);
        group.bench_function("naive", |b| {
            selected.set(true);
            b.iter(|| naive_covariance(black_box(rows)));
        });
        group.bench_function("vectorised", |b| {
            selected.set(true);
            b.iter(|| vectorised_covariance(black_box(x)));
        });
        group.finish();
        if selected.get() {
            ran.push((label, x, rows));
        }
    }

    criterion.final_summary();

    if measuring() {
        for (label, x, rows) in ran {
            let naive = median_of_3(|| naive_covariance(black_box(rows)));
            let vectorised = median_of_3(|| vectorised_covariance(black_box(x)));
            eprintln!(
                "C.4 {label}: naive {}, vectorised {}, speedup {:.0}x",
                human(naive),
                human(vectorised),
                naive.as_secs_f64() / vectorised.as_secs_f64()
            );
        }
    }
}
