//! Exercise B.2 (exercise sheet, Part B): predict five operations on
//! `a = np.arange(12).reshape(3, 4)` —
//! a) `a[1:, ::2]`, b) `a[a > 5]`, c) `a.sum(axis=0)`, d) `a.reshape(2, 6).strides` for float64,
//! e) `np.where(a % 3 == 0, a, -1)`.
//!
//! Each is computed on an ndarray array, the shapes and strides also with
//! `brisk_kernels::layout` (NumPy's rules on shapes alone), and both are checked against the
//! values NumPy prints.

use brisk_examples::check;
use brisk_kernels::layout::index::index;
use brisk_kernels::layout::strides::strides;
use brisk_kernels::layout::{tuple, Dtype, Order};
use ndarray::{array, s, Array, Array1, Array2, Axis};

fn main() {
    let a: Array2<i64> = Array::from_iter(0..12)
        .into_shape_with_order((3, 4))
        .unwrap();
    println!("a =\n{a}\n");

    // a) Basic slicing: rows 1.., every second column. A view.
    let sliced = a.slice(s![1.., ..;2]);
    let rule = index(&[3, 4], Dtype::Int64, Order::C, "1:, ::2").unwrap();
    println!("a) a[1:, ::2] =\n{sliced}");
    println!(
        "   shape {}, strides {} (int64), view: {}",
        tuple(&rule.shape),
        tuple(&rule.strides),
        rule.view
    );
    check(
        sliced == array![[4, 6], [8, 10]],
        "a[1:, ::2] == [[4, 6], [8, 10]]",
    );
    let element_strides: Vec<isize> = sliced.strides().iter().map(|s| s * 8).collect();
    check(
        rule.shape == [2, 2] && rule.strides == [32, 16] && rule.view,
        "layout: shape (2, 2), strides (32, 16), a view",
    );
    check(
        element_strides == rule.strides,
        "ndarray's view has the same strides",
    );

    // b) A boolean mask selects a copy, flattened in C order.
    let masked: Array1<i64> = a.iter().copied().filter(|&v| v > 5).collect();
    println!("\nb) a[a > 5] = {masked}  (a 1-D copy)");
    check(
        masked.to_vec() == [6, 7, 8, 9, 10, 11],
        "a[a > 5] == [6, 7, 8, 9, 10, 11]",
    );

    // c) Summing over axis 0 collapses the rows: one total per column.
    let sums = a.sum_axis(Axis(0));
    println!("\nc) a.sum(axis=0) = {sums}");
    check(
        sums.to_vec() == [12, 15, 18, 21],
        "a.sum(axis=0) == [12, 15, 18, 21]",
    );

    // d) The (2, 6) float64 array: a row is 6 × 8 = 48 bytes, an element 8.
    let as_float = a.mapv(|v| v as f64).into_shape_with_order((2, 6)).unwrap();
    let layout = strides(&[2, 6], Dtype::Float64, Order::C).unwrap();
    let ndarray_bytes: Vec<isize> = as_float.strides().iter().map(|s| s * 8).collect();
    println!(
        "\nd) a.reshape(2, 6).strides (float64) = {}",
        tuple(&layout.strides)
    );
    for line in layout.steps.lines() {
        println!("   {line}");
    }
    check(layout.strides == [48, 8], "strides (48, 8)");
    check(
        ndarray_bytes == [48, 8],
        "ndarray's (2, 6) f64 array has strides (48, 8) in bytes",
    );

    // e) np.where keeps multiples of 3 and puts -1 elsewhere.
    let chosen = a.mapv(|v| if v % 3 == 0 { v } else { -1 });
    println!("\ne) np.where(a % 3 == 0, a, -1) =\n{chosen}");
    check(
        chosen == array![[0, -1, -1, 3], [-1, -1, 6, -1], [-1, 9, -1, -1]],
        "np.where(a % 3 == 0, a, -1) == [[0, -1, -1, 3], [-1, -1, 6, -1], [-1, 9, -1, -1]]",
    );
}
