//! Exercise B.5 (exercise sheet): the strides of a (3, 4, 5) float32 array in C order and in
//! Fortran order, with the calculation.
//!
//! C order: the last axis is contiguous, so strides are (4·5·4, 5·4, 4) = (80, 20, 4) bytes.
//! Fortran order: the first axis is contiguous, so strides are (4, 3·4, 3·4·4) = (4, 12, 48).
//! Computed by `brisk_kernels::layout::strides` (which prints its rule per axis) and read back from
//! real ndarray arrays of both orders.

use brisk_examples::check;
use brisk_kernels::layout::strides::strides;
use brisk_kernels::layout::{tuple, Dtype, Order};
use ndarray::{Array3, ShapeBuilder};

fn main() {
    let shape = [3, 4, 5];
    let itemsize = Dtype::Float32.itemsize() as isize;
    let c_array = Array3::<f32>::zeros((3, 4, 5));
    let f_array = Array3::<f32>::zeros((3, 4, 5).f());

    for (order, array, expected) in [
        (Order::C, &c_array, [80, 20, 4]),
        (Order::F, &f_array, [4, 12, 48]),
    ] {
        let layout = strides(&shape, Dtype::Float32, order).unwrap();
        println!(
            "{order} order: shape {}, float32 → strides {} bytes, itemsize {}, nbytes {}",
            tuple(&shape),
            tuple(&layout.strides),
            layout.itemsize,
            layout.nbytes
        );
        for line in layout.steps.lines() {
            println!("    {line}");
        }
        let from_ndarray: Vec<isize> = array.strides().iter().map(|s| s * itemsize).collect();
        println!(
            "    ndarray's {order}-order array: {} bytes",
            tuple(&from_ndarray)
        );
        check(
            layout.strides == expected,
            format!("{order} strides {}", tuple(&expected)),
        );
        check(from_ndarray == expected, "ndarray agrees");
        check(
            layout.nbytes == 3 * 4 * 5 * 4,
            "nbytes = 60 elements × 4 bytes = 240",
        );
        println!();
    }
}
