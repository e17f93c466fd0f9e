//! Exercise D.3 (exercise sheet): a (1000, 100, 50) float64 array; Operation A sums along axis 0,
//! Operation B along axis 2. a) Which layout, C or Fortran, suits each? b) Which one layout to
//! choose? c) Estimate the cache difference with 64-byte cache lines.
//!
//! Both layouts are built and both sums timed, each output element computed by walking its lane
//! along the summed axis (the access pattern the question is about), and also with ndarray's
//! `sum_axis` (NumPy's `a.sum(axis=...)`), which adds whole slices where it can. Strides come from
//! `brisk_kernels::layout`; the results of all eight runs are checked to agree. `--quick` uses a
//! (200, 100, 50) array.

use brisk_examples::{best_of, check, quick, secs, Normals};
use brisk_kernels::layout::strides::strides;
use brisk_kernels::layout::{tuple, Dtype, Order};
use ndarray::{Array2, Array3, Axis, ShapeBuilder};

const LINE: usize = 64;

fn main() {
    let shape = [if quick() { 200 } else { 1000 }, 100, 50];
    let mut rng = Normals::new(3);
    let c_array = Array3::from_shape_simple_fn(shape, || rng.uniform());
    let mut f_array = Array3::<f64>::zeros(shape.f());
    f_array.assign(&c_array);

    let mut results: Vec<Array2<f64>> = Vec::new();
    let mut lane_times = [[0.0; 2]; 2];
    println!(
        "shape {}, float64, {} MB per array",
        tuple(&shape),
        c_array.len() * 8 / 1_000_000
    );
    println!(
        "\n{:<8} {:>24} {:>12} {:>12} {:>12}",
        "layout", "strides (bytes)", "op", "lane walk", "sum_axis"
    );
    for (o, (order, array)) in [(Order::C, &c_array), (Order::F, &f_array)]
        .into_iter()
        .enumerate()
    {
        let layout = strides(&shape, Dtype::Float64, order).unwrap();
        let bytes: Vec<isize> = array.strides().iter().map(|s| s * 8).collect();
        check(
            bytes == layout.strides,
            format!("{order} strides {}", tuple(&layout.strides)),
        );
        for (a, axis) in [0, 2].into_iter().enumerate() {
            let (walked, t_walk) = best_of(3, || array.map_axis(Axis(axis), |lane| lane.sum()));
            let (summed, t_sum) = best_of(3, || array.sum_axis(Axis(axis)));
            lane_times[o][a] = t_walk;
            let op = if axis == 0 { "A: axis 0" } else { "B: axis 2" };
            let strides = tuple(&layout.strides);
            println!(
                "{order:<8} {strides:>24} {op:>12} {:>12} {:>12}",
                secs(t_walk),
                secs(t_sum)
            );
            results.push(walked.as_standard_layout().into_owned());
            results.push(summed.as_standard_layout().into_owned());
        }
    }
    // Runs 0, 1, 4, 5 are axis-0 sums, 2, 3, 6, 7 axis-2 sums (C then F).
    for (first, others) in [(0, [1, 4, 5]), (2, [3, 6, 7])] {
        let same = others.iter().all(|&i| {
            let worst = (&results[i] - &results[first])
                .mapv(f64::abs)
                .fold(0.0, |m: f64, &v| m.max(v));
            worst <= 1e-9
        });
        check(same, "both layouts and both methods give the same sums");
    }

    // c) The estimate: a contiguous walk loads a 64-byte line per 8 values; a walk whose stride is
    // at least 64 bytes loads a line per value, 8 times the traffic when lines are not reused.
    let n = c_array.len();
    let (contiguous, strided) = (n * 8 / LINE, n);
    println!(
        "\nc) {n} values: a contiguous walk touches {contiguous} lines of {LINE} bytes ({} MB);",
        contiguous * LINE / 1_000_000
    );
    println!(
        "   a walk with a stride ≥ {LINE} B touches up to {strided} lines ({} MB), {}× more.",
        strided * LINE / 1_000_000,
        strided / contiguous
    );
    let step = |order, axis: usize| strides(&shape, Dtype::Float64, order).unwrap().strides[axis];
    let (ca, cb, fa, fb) = (
        step(Order::C, 0),
        step(Order::C, 2),
        step(Order::F, 0),
        step(Order::F, 2),
    );
    println!(
        "   Lanes step {ca} B (A) and {cb} B (B) in C order, {fa} B (A) and {fb} B (B) in F order."
    );
    let ratio = |o: usize, a: usize| lane_times[o][a] / lane_times[1 - o][a];
    let (a_ratio, b_ratio) = (ratio(0, 0), ratio(1, 1));
    println!("   Measured lane walks: A is {a_ratio:.1}× slower in C than in F, B {b_ratio:.1}× slower in F than in C.");
    println!("   (less than 8×: neighbouring lanes reuse lines still in cache, and the prefetcher");
    println!("   follows a constant stride)");
    println!("\na) A (axis 0) suits Fortran order, B (axis 2) suits C order: the summed axis is contiguous.");
    println!(
        "b) With one layout: the one that makes the more frequent operation contiguous; if both"
    );
    println!("   are as frequent, C (NumPy's default, what other libraries expect). A strided sum can also");
    println!("   stream memory by adding contiguous slices (a[i] in C order, a[:, :, k] in F order) instead");
    println!("   of walking lanes, which is what sum_axis does for axis 0 in C order.");
}
