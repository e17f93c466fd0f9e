//! Exercise B.3 (exercise sheet): a vectorised `row_normalize(X)` that scales each row to unit L2
//! norm, and a check that every output row has norm 1.0 within floating-point tolerance.
//!
//! Shown twice: ndarray broadcasting (`X / ‖X‖₂` with the norms as a column) and brisk's
//! `preprocessing::row_normalize`; a row of zeros stays zero in both (scikit-learn's rule).

use brisk_examples::{check, check_close, max_abs_diff, normal_matrix};
use brisk_kernels::preprocessing::row_normalize;
use ndarray::{array, Array2, Axis};

/// `X / ‖X‖₂` row by row, by broadcasting a (n, 1) column of norms over the (n, d) matrix.
fn row_normalize_broadcast(x: &Array2<f64>) -> Array2<f64> {
    let norms = x.map_axis(Axis(1), |row| row.dot(&row).sqrt());
    let safe = norms.mapv(|n| if n == 0.0 { 1.0 } else { n });
    x / &safe.insert_axis(Axis(1))
}

fn main() {
    let small = array![[3.0, 4.0], [1.0, 1.0], [0.0, 0.0]];
    println!(
        "X =\n{small}\nrow_normalize(X) =\n{}\n",
        row_normalize(small.view())
    );

    let mut x = normal_matrix(1000, 20, 3);
    x.row_mut(17).fill(0.0); // one zero row, which must stay zero
    let brisk = row_normalize(x.view());
    let ours = row_normalize_broadcast(&x);

    // The plain reference: each row's norm by a loop.
    let mut worst = 0.0f64;
    for (i, row) in brisk.outer_iter().enumerate() {
        if i == 17 {
            continue;
        }
        let norm = row.iter().map(|v| v * v).sum::<f64>().sqrt();
        worst = worst.max((norm - 1.0).abs());
    }
    println!("1000 × 20 rows: largest |‖row‖₂ − 1| = {worst:e}");
    check(
        worst <= 1e-12,
        "every non-zero row has unit norm (within 1e-12)",
    );
    check(
        brisk.row(17).iter().all(|&v| v == 0.0),
        "the zero row stays zero",
    );
    check_close(
        max_abs_diff(brisk.view(), ours.view()),
        0.0,
        1e-15,
        "brisk's row_normalize equals the broadcast version",
    );
    let h = 0.5f64.sqrt();
    let expected = array![[0.6, 0.8], [h, h], [0.0, 0.0]];
    check_close(
        max_abs_diff(row_normalize(small.view()).view(), expected.view()),
        0.0,
        1e-15,
        "[[3, 4], [1, 1], [0, 0]] → [[0.6, 0.8], [√½, √½], [0, 0]]",
    );
}
