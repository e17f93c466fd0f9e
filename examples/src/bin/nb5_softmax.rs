//! NumPy notebook §5: a naive softmax `exp(x) / Σ exp(x)` overflows on `[[1000, 1001, 1002]]`
//! (exp(1000) is inf, inf / inf is NaN); subtracting the row maximum first gives the same function
//! (softmax is shift-invariant) without overflow: `[0.09003057, 0.24472847, 0.66524096]`.
//!
//! The stable versions are brisk's `softmax::{softmax, log_softmax, logsumexp}`; checked against
//! the notebook's printed values and the closed form `1002 + ln(1 + e⁻¹ + e⁻²)`.

use brisk_examples::{check, check_close};
use brisk_kernels::softmax::{log_softmax, logsumexp, softmax};
use ndarray::{array, Array2, Axis};

fn softmax_naive(x: &Array2<f64>) -> Array2<f64> {
    let e = x.mapv(f64::exp);
    let sums = e.sum_axis(Axis(1)).insert_axis(Axis(1));
    e / sums
}

fn main() {
    let x = array![[1000.0, 1001.0, 1002.0]];
    let naive = softmax_naive(&x);
    println!("naive:  exp(x) = {} → softmax = {naive}", x.mapv(f64::exp));
    check(
        naive.iter().all(|v| v.is_nan()),
        "the naive softmax overflows to NaN",
    );

    let stable = softmax(x.view(), Axis(1));
    println!("stable: softmax = {stable:.8}, row sum = {}", stable.sum());
    for (got, expected) in stable.iter().zip([0.09003057, 0.24472847, 0.66524096]) {
        check_close(*got, expected, 5e-9, "equals the notebook's value");
    }
    check_close(stable.sum(), 1.0, 1e-15, "the row sums to 1");

    let shifted = softmax(array![[0.0, 1.0, 2.0]].view(), Axis(1));
    check(
        stable == shifted,
        "shift-invariant: softmax(x) == softmax(x - 1000)",
    );

    let lse = logsumexp(x.view(), Axis(1))[0];
    let closed = 1002.0 + (1.0 + (-1.0f64).exp() + (-2.0f64).exp()).ln();
    println!(
        "log-sum-exp = {lse} (naive: ln(Σ exp(x)) = {})",
        x.mapv(f64::exp).sum().ln()
    );
    check_close(
        lse,
        closed,
        1e-12,
        "log-sum-exp = 1002 + ln(1 + e^-1 + e^-2)",
    );

    // Log-probabilities keep their digits where softmax underflows to 0.
    let wide = array![[0.0, -800.0]];
    let log_p = log_softmax(wide.view(), Axis(1));
    let p = softmax(wide.view(), Axis(1));
    println!(
        "x = [0, -800]: softmax = {p}, log(softmax) = {}, log_softmax = {log_p}",
        p.mapv(f64::ln)
    );
    check(
        p[[0, 1]] == 0.0 && log_p[[0, 1]] == -800.0,
        "log_softmax gives -800 where softmax underflows to 0",
    );
}
