//! Helpers shared by the example programs in `src/bin`: command-line mode, seeded data, timing and
//! checks that end the program with a non-zero status.
//!
//! Every program answers one exercise of the seed documents, prints what the exercise asks and
//! checks its answer against a plain reference or a known value. Timing programs take `--quick`
//! (small sizes, used by `tests/run_all.rs`) and otherwise run at the exercise's full size.

use std::fmt::Display;
use std::time::Instant;

use brisk_kernels::random::Mt19937;
use brisk_profile::{hints, Report};
use ndarray::{Array2, ArrayView2};

/// Whether `--quick` was given; any other argument prints the usage and exits with status 2.
pub fn quick() -> bool {
    let mut quick = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => quick = true,
            _ => {
                eprintln!("usage: {} [--quick]", program());
                std::process::exit(2);
            }
        }
    }
    quick
}

fn program() -> String {
    std::env::args().next().unwrap_or_default()
}

/// A seeded matrix of standard normal draws (Box–Muller on NumPy's MT19937 stream).
pub fn normal_matrix(rows: usize, cols: usize, seed: u32) -> Array2<f64> {
    let mut normals = Normals::new(seed);
    Array2::from_shape_simple_fn((rows, cols), || normals.next())
}

/// Standard normal draws from a seeded MT19937, two per pair of uniforms (Box–Muller).
pub struct Normals {
    rng: Mt19937,
    spare: Option<f64>,
}

impl Normals {
    /// The stream for `seed`.
    pub fn new(seed: u32) -> Self {
        Normals {
            rng: Mt19937::new(seed),
            spare: None,
        }
    }

    /// A uniform draw in `[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        self.rng.random_sample()
    }

    /// The next standard normal draw.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let u1 = 1.0 - self.rng.random_sample(); // in (0, 1], so ln is finite
        let u2 = self.rng.random_sample();
        let r = (-2.0 * u1.ln()).sqrt();
        let theta = std::f64::consts::TAU * u2;
        self.spare = Some(r * theta.sin());
        r * theta.cos()
    }
}

/// Runs `f` once and returns its result with the wall time in seconds (`std::time::Instant`).
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let value = f();
    (value, start.elapsed().as_secs_f64())
}

/// The best of `repeats` runs of `f`, in seconds (the result of the last run is returned).
pub fn best_of<T>(repeats: usize, mut f: impl FnMut() -> T) -> (T, f64) {
    let (mut value, mut best) = timed(&mut f);
    for _ in 1..repeats {
        let (v, t) = timed(&mut f);
        value = v;
        best = best.min(t);
    }
    (value, best)
}

/// Seconds as a short human figure: `812 µs`, `4.21 ms`, `1.372 s`.
pub fn secs(t: f64) -> String {
    if t < 1e-3 {
        format!("{:.0} µs", t * 1e6)
    } else if t < 1.0 {
        format!("{:.2} ms", t * 1e3)
    } else {
        format!("{t:.3} s")
    }
}

/// Bytes in MiB with two decimals.
pub fn mib(bytes: u64) -> String {
    format!("{:.2} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Ends the program with status 1 when `ok` is false, naming the failed check.
pub fn check(ok: bool, what: impl Display) {
    if ok {
        println!("  ok: {what}");
    } else {
        eprintln!("CHECK FAILED: {what}");
        std::process::exit(1);
    }
}

/// Checks `|actual − expected| ≤ tol`.
pub fn check_close(actual: f64, expected: f64, tol: f64, what: impl Display) {
    let ok = (actual - expected).abs() <= tol;
    check(
        ok,
        format!(
            "{what}: {} vs {} (tolerance {tol:e})",
            num(actual),
            num(expected)
        ),
    );
}

/// A number as Rust prints it, in scientific notation when tiny or huge.
pub fn num(x: f64) -> String {
    if x != 0.0 && x.is_finite() && !(1e-4..1e12).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The largest `|a − b|` over two matrices of the same shape (infinite when the shapes differ).
pub fn max_abs_diff(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>) -> f64 {
    if a.dim() != b.dim() {
        return f64::INFINITY;
    }
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Prints a profile as a table (stage, wall seconds, share, peak heap, allocations), then the
/// Amdahl hints for halving each stage.
pub fn print_profile(profile: &Report) {
    let header = ["stage", "wall s", "share", "peak heap", "allocations"];
    println!(
        "{:<18} {:>9} {:>7} {:>12} {:>12}",
        header[0], header[1], header[2], header[3], header[4]
    );
    for stage in &profile.stages {
        let share = 100.0 * stage.wall_seconds / profile.total_seconds;
        let name = format!("{}{}", "  ".repeat(stage.depth), stage.name);
        let (wall, peak) = (stage.wall_seconds, mib(stage.peak_bytes));
        println!(
            "{name:<18} {wall:>9.4} {share:>6.1}% {peak:>12} {:>12}",
            stage.allocations
        );
    }
    println!("{:<18} {:>9.4}\n", "total", profile.total_seconds);
    for hint in hints(profile) {
        println!("{hint}");
    }
}
