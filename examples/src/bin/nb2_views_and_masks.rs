//! NumPy notebook §2 and §2.2: slice every other row of `np.arange(16).reshape(4, 4)`, modify the
//! slice and observe the original (a view shares memory; `.copy()` does not); then boolean masks on
//! 1000 random values: the values above the mean, and negatives replaced by 0 without a loop.
//!
//! The view/copy rule is also asked of `brisk_kernels::layout::index` (basic slicing → view,
//! fancy indexing → copy, exercise A.7). Checked against the arrays the notebook prints.

use brisk_examples::{check, Normals};
use brisk_kernels::layout::index::index;
use brisk_kernels::layout::{tuple, Dtype, Order};
use ndarray::{array, s, Array, Array1, Array2};

fn main() {
    let mut a: Array2<i64> = Array::from_iter(0..16)
        .into_shape_with_order((4, 4))
        .unwrap();
    println!("A =\n{a}\nA[::2, :] =\n{}", a.slice(s![..;2, ..]));

    // A view: writing through it writes A.
    a.slice_mut(s![..;2, ..]).fill(-1);
    println!("\nafter A_slice = A[::2, :]; A_slice[:] = -1, A =\n{a}");
    let expected = array![
        [-1, -1, -1, -1],
        [4, 5, 6, 7],
        [-1, -1, -1, -1],
        [12, 13, 14, 15]
    ];
    check(a == expected, "the view wrote rows 0 and 2 of A");

    // A copy: its own memory.
    let fresh: Array2<i64> = Array::from_iter(0..16)
        .into_shape_with_order((4, 4))
        .unwrap();
    let mut copy = fresh.slice(s![..;2, ..]).to_owned();
    copy.fill(-1);
    println!("\nafter A_slice2 = A[::2, :].copy(); A_slice2[:] = -1, A is unchanged:\n{fresh}");
    check(
        fresh
            == Array::from_iter(0..16)
                .into_shape_with_order((4, 4))
                .unwrap(),
        "the copy left A alone",
    );

    for expr in ["::2, :", "[0, 2], :"] {
        let r = index(&[4, 4], Dtype::Int64, Order::C, expr).unwrap();
        let kind = if r.view { "a view" } else { "a copy" };
        println!(
            "A[{expr}]: shape {}, strides {}, {kind}",
            tuple(&r.shape),
            tuple(&r.strides)
        );
        let fancy = expr.contains('['); // an integer list: advanced indexing
        check(r.view != fancy, format!("A[{expr}] is {kind}"));
    }

    // Boolean masks on 1000 standard normal values.
    let mut normals = Normals::new(0);
    let x = Array1::from_shape_simple_fn(1000, || normals.next());
    let m = x.mean().unwrap();
    let above: Array1<f64> = x.iter().copied().filter(|&v| v > m).collect();
    let mut clipped = x.clone();
    clipped.mapv_inplace(|v| if v < 0.0 { 0.0 } else { v });
    let negatives = clipped.iter().filter(|&&v| v < 0.0).count();
    println!("\nmean: {m}\nvalues greater than the mean: {}\nnegative values after X[X < 0] = 0: {negatives}", above.len());

    let mut loop_count = 0;
    for i in 0..x.len() {
        loop_count += usize::from(x[i] > m);
    }
    check(
        above.len() == loop_count,
        "the mask selects as many values as a loop counts",
    );
    check(
        above.iter().all(|&v| v > m),
        "every selected value is above the mean",
    );
    check(negatives == 0, "no negative value left");
    let kept = x
        .iter()
        .zip(&clipped)
        .all(|(&v, &c)| if v < 0.0 { c == 0.0 } else { c == v });
    check(kept, "non-negative values untouched, negatives now 0");
}
