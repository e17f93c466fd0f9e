//! NumPy notebook §3 and §3.2: with A of shape (1000, 50) and b of shape (50,), add b to every row
//! of A (no reshape needed), normalise every row of A (`keepdims` matters), then trigger the
//! classic trap — subtracting a (1000,) vector from A — and fix it with a (1000, 1) column.
//!
//! ndarray applies NumPy's broadcasting rules; `brisk_kernels::layout::broadcast_shapes` explains
//! them step by step and gives NumPy's error text for the trap. Every result is checked against a
//! plain loop.

use brisk_examples::{check, check_close, normal_matrix};
use brisk_kernels::layout::{broadcast_shapes, tuple};
use ndarray::{Array1, Axis};

fn main() {
    let a = normal_matrix(1000, 50, 1);
    let b: Array1<f64> = normal_matrix(1, 50, 2).row(0).to_owned();

    // Add b to each row: (1000, 50) + (50,) → (1000, 50).
    let rule = broadcast_shapes(&[vec![1000, 50], vec![50]]).unwrap();
    println!("A + b: (1000, 50) + (50,) → {}", tuple(&rule.shape));
    for line in rule.steps.lines() {
        println!("    {line}");
    }
    let ab = &a + &b;
    let same = ab.indexed_iter().all(|((i, j), &v)| v == a[[i, j]] + b[j]);
    check(
        ab.dim() == (1000, 50) && same,
        "A + b adds b[j] to every A[i, j]",
    );

    // Normalise every row: the row means and stds keep a length-1 axis, (1000, 1).
    let mean = a.mean_axis(Axis(1)).unwrap().insert_axis(Axis(1));
    let std = a.std_axis(Axis(1), 0.0).insert_axis(Axis(1));
    let a_norm = (&a - &mean) / &std;
    println!(
        "\nrow mean and std keep dims: {:?} and {:?} → A_norm {:?}",
        mean.dim(),
        std.dim(),
        a_norm.dim()
    );
    let (mut worst_mean, mut worst_std) = (0.0f64, 0.0f64);
    for row in a_norm.outer_iter() {
        let m = row.iter().sum::<f64>() / 50.0;
        let s = (row.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 50.0).sqrt();
        (worst_mean, worst_std) = (worst_mean.max(m.abs()), worst_std.max((s - 1.0).abs()));
    }
    check_close(worst_mean, 0.0, 1e-12, "every normalised row has mean 0");
    check_close(worst_std, 0.0, 1e-12, "every normalised row has std 1");

    // The trap: (1000, 50) − (1000,) aligns the 1000 with the 50 columns.
    let col = Array1::from_iter((0..1000).map(f64::from));
    let err = broadcast_shapes(&[vec![1000, 50], vec![1000]]).unwrap_err();
    println!(
        "\nA - col with col of shape (1000,): {} {err}",
        err.kind().python_name()
    );
    check(
        col.broadcast((1000, 50)).is_none(),
        "ndarray refuses to broadcast (1000,) to (1000, 50)",
    );
    for line in err.steps().lines() {
        println!("    {line}");
    }

    // The fix: a (1000, 1) column broadcasts along the 50 columns.
    let col2 = col.insert_axis(Axis(1));
    let fixed = &a - &col2;
    let rule = broadcast_shapes(&[vec![1000, 50], vec![1000, 1]]).unwrap();
    println!(
        "\nA - col.reshape(-1, 1): (1000, 50) - {:?} → {}",
        col2.dim(),
        tuple(&rule.shape)
    );
    check(
        rule.shape == [1000, 50] && fixed.dim() == (1000, 50),
        "the fixed shapes broadcast to (1000, 50)",
    );
    let same = fixed
        .indexed_iter()
        .all(|((i, j), &v)| v == a[[i, j]] - i as f64);
    check(same, "row i of A minus i");
}
