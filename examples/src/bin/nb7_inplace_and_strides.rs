//! NumPy notebook §7: in-place against out-of-place operations on 2,000,000 values (`Z = X + 1.0`
//! allocates a new array, `Y += 1.0` does not), and the strides of `A = np.arange(24).reshape(6, 4)`
//! and `B = A[:, ::2]` — (32, 8) and (32, 16) — with those of transposes and reversed slices.
//!
//! The allocations are counted by brisk-profile's counting allocator; strides come from
//! `brisk_kernels::layout` (NumPy's rules) and are compared with ndarray's own views. `--quick`
//! uses 200,000 values.

use std::alloc::System;

use brisk_examples::{check, mib, normal_matrix, quick, secs, timed};
use brisk_kernels::layout::index::index;
use brisk_kernels::layout::strides::strides;
use brisk_kernels::layout::{tuple, Dtype, Order};
use brisk_profile::{set_enabled, take_report, with_block, CountingAllocator};
use ndarray::{s, Array, Array2, ArrayView2};

#[global_allocator]
static GLOBAL: CountingAllocator<System> = CountingAllocator(System);

/// ndarray's strides of a view, in bytes.
fn bytes(view: ArrayView2<'_, i64>) -> Vec<isize> {
    view.strides().iter().map(|s| s * 8).collect()
}

fn main() {
    let n = if quick() { 200_000 } else { 2_000_000 };
    let x = normal_matrix(1, n, 8);
    let mut y = x.clone();
    set_enabled(true);
    let (z, t_out) = timed(|| with_block("out-of-place", || &x + 1.0));
    let ((), t_in) = timed(|| with_block("in-place", || y += 1.0));
    set_enabled(false);
    let report = take_report();
    println!("{n} float64 values:");
    for (stage, t) in report.stages.iter().zip([t_out, t_in]) {
        let (name, peak, count) = (&stage.name, mib(stage.peak_bytes), stage.allocations);
        println!(
            "  {name:<13} {:>10}  {count} allocation(s), {peak} more heap",
            secs(t)
        );
    }
    check(z == y, "Z = X + 1.0 and Y += 1.0 give the same values");
    check(
        report.stages[0].peak_bytes >= 8 * n as u64,
        "X + 1.0 allocates a new 8n-byte array",
    );
    check(
        report.stages[1].allocations == 0,
        "Y += 1.0 allocates nothing",
    );

    let a: Array2<i64> = Array::from_iter(0..24)
        .into_shape_with_order((6, 4))
        .unwrap();
    let b = a.slice(s![.., ..;2]);
    println!("\nA = arange(24).reshape(6, 4), int64:");
    let views: [(&str, &str, ArrayView2<'_, i64>); 4] = [
        ("A", ":, :", a.view()),
        ("B = A[:, ::2]", ":, ::2", b),
        ("A[::-1]", "::-1", a.slice(s![..;-1, ..])),
        ("A[1:, 1:3]", "1:, 1:3", a.slice(s![1.., 1..3])),
    ];
    for (name, expr, view) in views {
        let rule = index(&[6, 4], Dtype::Int64, Order::C, expr).unwrap();
        let (shape, strides) = (tuple(&rule.shape), tuple(&rule.strides));
        println!(
            "  {name:<14} shape {shape:<7} strides {strides:<9} view: {}",
            rule.view
        );
        check(
            bytes(view) == rule.strides && rule.view,
            format!("{name}: ndarray agrees"),
        );
    }
    let at = strides(&[4, 6], Dtype::Int64, Order::F).unwrap().strides;
    let bt_bytes = bytes(b.t());
    println!(
        "  A.T            shape (4, 6)  strides {}  (a C array's transpose is F-ordered)",
        tuple(&at)
    );
    println!(
        "  B.T            shape (2, 6)  strides {}",
        tuple(&bt_bytes)
    );
    check(
        bytes(a.t()) == at && at == [8, 32],
        "A.T: strides (8, 32), the same memory read by columns",
    );
    check(bt_bytes == [16, 32], "B.T: strides (16, 32)");
    check(
        bytes(a.view()) == [32, 8] && bytes(b) == [32, 16],
        "A (32, 8) and B (32, 16), as the notebook prints",
    );
}
