//! NumPy notebook §6: valid and invalid matrix products ((2, 4) @ (4, 5) works, (2, 4) @ (2, 4)
//! does not), and solving `Ax = b` with a check of the residual (§6.2) — with exercise A.9's point:
//! `solve(A, b)` beats `inv(A) @ b`.
//!
//! The product shapes and NumPy's error text come from `brisk_kernels::layout::matmul_shape`. Each
//! system is solved twice with `brisk_kernels::linalg::solve` (LU with partial pivoting): directly,
//! and through the inverse (`solve(A, I)`, as `np.linalg.inv` does) times b. Both residuals
//! `‖Ax − b‖` and errors `‖x − x_true‖` are printed for a well-conditioned random 5 × 5 system and
//! the ill-conditioned 11 × 11 Hilbert matrix, with b = A·1 so the true solution is all ones.

use brisk_examples::{check, normal_matrix};
use brisk_kernels::layout::{matmul_shape, tuple};
use brisk_kernels::linalg::solve;
use ndarray::{Array1, Array2};

fn norm(v: &Array1<f64>) -> f64 {
    v.dot(v).sqrt()
}

fn sci(x: f64) -> String {
    format!("{x:.2e}")
}

fn main() {
    let (a, b) = (normal_matrix(2, 4, 3), normal_matrix(4, 5, 4));
    let product = a.dot(&b);
    let shape = matmul_shape(&[2, 4], &[4, 5]).unwrap().shape;
    println!("(2, 4) @ (4, 5) → {}:\n{product:.8}", tuple(&shape));
    check(
        shape == [2, 5] && product.dim() == (2, 5),
        "A @ B has shape (2, 5)",
    );
    let err = matmul_shape(&[2, 4], &[2, 4]).unwrap_err();
    println!("(2, 4) @ (2, 4): {} {err}", err.kind().python_name());
    check(
        err.to_string() == "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 2 is different from 4)",
        "A @ A fails with the notebook's message",
    );

    let random = normal_matrix(5, 5, 6);
    let hilbert = Array2::from_shape_fn((11, 11), |(i, j)| 1.0 / (i + j + 1) as f64);
    println!(
        "\n{:<22} {:>9} {:>12} {:>12} {:>12} {:>12}",
        "system", "cond₁", "‖Ax−b‖ solve", "‖Ax−b‖ inv", "‖x−1‖ solve", "‖x−1‖ inv"
    );
    for (name, a) in [("random 5 × 5", random), ("Hilbert 11 × 11", hilbert)] {
        let n = a.nrows();
        let truth = Array1::<f64>::ones(n);
        let b = a.dot(&truth);
        let direct = solve(a.view(), b.view().insert_axis(ndarray::Axis(1))).unwrap();
        let x_solve = direct.x.column(0).to_owned();
        let inverse = solve(a.view(), Array2::<f64>::eye(n).view()).unwrap().x;
        let x_inv = inverse.dot(&b);
        let residual = |x: &Array1<f64>| norm(&(a.dot(x) - &b));
        let (r_solve, r_inv) = (residual(&x_solve), residual(&x_inv));
        let (e_solve, e_inv) = (norm(&(&x_solve - &truth)), norm(&(&x_inv - &truth)));
        println!(
            "{name:<22} {:>9.2e} {:>12} {:>12} {:>12} {:>12}",
            direct.condition,
            sci(r_solve),
            sci(r_inv),
            sci(e_solve),
            sci(e_inv)
        );
        check(
            r_solve <= 1e-14 * norm(&b),
            format!("{name}: solve's residual is at rounding level"),
        );
        check(
            r_solve <= r_inv,
            format!("{name}: solve's residual is no larger than the inverse's"),
        );
    }
    println!("\nThe inverse costs about three times the work of one LU solve and multiplies the");
    println!(
        "rounding of every entry of A⁻¹ into b: on the Hilbert matrix its residual is far larger."
    );
}
