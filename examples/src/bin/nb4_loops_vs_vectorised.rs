//! NumPy notebook §4: normalise 1,000,000 values by a loop and vectorised (§4.1), then the pairwise
//! Euclidean distance matrix of 200 points in 10 dimensions without loops, checking that the
//! diagonal is 0 and the matrix symmetric (§4.2).
//!
//! In Rust the loop is compiled: in an optimised build it stays within a few times the vectorised
//! form (indexing element by element checks bounds at every step), where the notebook's Python
//! loop was 71× slower — that gap is the interpreter's overhead, not the arithmetic. For distances,
//! a double loop over pairs is compared with the notebook's expansion `‖x‖² + ‖y‖² − 2 x·y`
//! written with ndarray, and with `brisk_kernels::linalg::pairwise_distances` (one matrix product,
//! clamped, exact zeros on the diagonal), on the notebook's (200, 10) and on (2000, 64) for
//! timing. `--quick` normalises 100,000 values and skips the (2000, 64) case.

use brisk_examples::{best_of, check, max_abs_diff, normal_matrix, num, quick, secs};
use brisk_kernels::linalg::pairwise_distances;
use ndarray::{Array1, Array2, Axis};

fn by_loops(x: &Array2<f64>) -> Array2<f64> {
    let n = x.nrows();
    let mut d = Array2::zeros((n, n));
    for i in 0..n {
        for j in 0..n {
            let s: f64 = (0..x.ncols())
                .map(|k| (x[[i, k]] - x[[j, k]]).powi(2))
                .sum();
            d[[i, j]] = s.sqrt();
        }
    }
    d
}

/// The notebook's `pairwise_distance`: the squared norms as a column plus as a row, minus 2 X Xᵀ.
fn by_expansion(x: &Array2<f64>) -> Array2<f64> {
    let sq = x.map_axis(Axis(1), |r| r.dot(&r)).insert_axis(Axis(1));
    let total = &sq + &sq.t() - 2.0 * x.dot(&x.t());
    total.mapv(|v| v.max(0.0).sqrt())
}

fn main() {
    let n = if quick() { 100_000 } else { 1_000_000 };
    let values = normal_matrix(1, n, 2).into_shape_with_order(n).unwrap();
    let (mean, sigma) = (values.mean().unwrap(), values.std(0.0));
    let (out_loop, t_loop) = best_of(3, || {
        let mut out = Array1::zeros(values.len());
        for i in 0..values.len() {
            out[i] = (values[i] - mean) / sigma;
        }
        out
    });
    let (out_vec, t_vec) = best_of(3, || (&values - mean) / sigma);
    println!(
        "§4.1 normalise {n} values: loop {}, vectorised {} ({:.1}×)",
        secs(t_loop),
        secs(t_vec),
        t_loop / t_vec
    );
    check(
        out_loop == out_vec,
        "loop and vectorised results are identical",
    );

    let mut sizes = vec![(200, 10)];
    if !quick() {
        sizes.push((2000, 64));
    }
    for (n, d) in sizes {
        let y = normal_matrix(n, d, 3);
        let (loops, t_loops) = best_of(3, || by_loops(&y));
        let (expanded, t_exp) = best_of(3, || by_expansion(&y));
        let (brisk, t_brisk) = best_of(3, || pairwise_distances(y.view(), None).unwrap());
        println!(
            "\n§4.2 pairwise distances of ({n}, {d}) → {:?}",
            brisk.dim()
        );
        println!("  double loop over pairs      {:>10}", secs(t_loops));
        println!(
            "  expansion, ndarray          {:>10}  {:>6.1}×",
            secs(t_exp),
            t_loops / t_exp
        );
        println!(
            "  brisk pairwise_distances    {:>10}  {:>6.1}×",
            secs(t_brisk),
            t_loops / t_brisk
        );
        let diag = brisk.diag().iter().all(|&v| v == 0.0);
        let diag_expanded = expanded.diag().iter().fold(0.0f64, |m, v| m.max(v.abs()));
        println!(
            "  diagonal: brisk exactly 0, expansion up to {}",
            num(diag_expanded)
        );
        check(
            diag && brisk == brisk.t(),
            "brisk: diagonal exactly 0, exactly symmetric",
        );
        check(
            diag_expanded <= 1e-6,
            "expansion: diag ~ 0 (within 1e-6; the notebook checks 1e-7)",
        );
        let (e1, e2) = (
            max_abs_diff(brisk.view(), loops.view()),
            max_abs_diff(expanded.view(), loops.view()),
        );
        println!(
            "  max |brisk − loops| = {}, max |expansion − loops| = {}",
            num(e1),
            num(e2)
        );
        check(e1 <= 1e-12, "brisk equals the double loop within 1e-12");
        check(e2 <= 1e-6, "the expansion equals it within 1e-6");
    }
}
