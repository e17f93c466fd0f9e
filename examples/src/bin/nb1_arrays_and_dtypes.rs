//! NumPy notebook §1 and §1.2: create arrays without loops (`np.arange(100)`, reshaped to (10, 10)
//! without copying, a (4, 5, 3) array), compare the memory of the same 1000 values in each dtype
//! (`.nbytes`), and — exercise A.1's question — why a list of boxed numbers takes several times
//! the memory of a flat array.
//!
//! The flat `Vec<f64>` against a `Vec<Box<f64>>` (a pointer per element to a separately allocated
//! number, as a Python list holds pointers to float objects) is measured with brisk-profile's
//! counting allocator (bytes requested) and, on Linux, the process's resident memory.
//! `--quick` uses 100,000 elements, otherwise 1,000,000.

use std::alloc::System;

use brisk_examples::{check, quick};
use brisk_kernels::layout::strides::strides;
use brisk_kernels::layout::{Dtype, Order};
use brisk_profile::{current_bytes, set_enabled, CountingAllocator};
use ndarray::{Array1, Array3};

#[global_allocator]
static GLOBAL: CountingAllocator<System> = CountingAllocator(System);

/// Resident memory in bytes (Linux `/proc/self/statm`, 4 KiB pages); `None` elsewhere.
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    Some(statm.split_whitespace().nth(1)?.parse::<u64>().ok()? * 4096)
}

/// Heap bytes requested and resident bytes gained while `build` runs (the result is kept alive).
fn measure<T>(build: impl FnOnce() -> T) -> (T, u64, Option<u64>) {
    let (heap, rss) = (current_bytes(), resident());
    let value = build();
    let grown = rss.zip(resident()).map(|(a, b)| b.saturating_sub(a));
    (value, (current_bytes() - heap) as u64, grown)
}

fn main() {
    let arr_1d = Array1::from_iter(0..100i64);
    let arr_2d = arr_1d.view().into_shape_with_order((10, 10)).unwrap();
    let arr_3d = Array3::from_shape_vec((4, 5, 3), (0..60i64).collect()).unwrap();
    let (shape, row) = (arr_2d.dim(), arr_2d.row(3));
    println!("arange(100) → reshape(10, 10): shape {shape:?}, row 3 = {row}");
    println!("arange(60).reshape(4, 5, 3): shape {:?}", arr_3d.dim());
    check(
        arr_2d.as_ptr() == arr_1d.as_ptr(),
        "reshape is a view of the same memory (no copy)",
    );
    check(
        arr_3d.shape() == [4, 5, 3] && arr_3d[[3, 4, 2]] == 59,
        "a (4, 5, 3) array, last element 59",
    );

    println!("\n1000 values in each dtype (np.arange(1000).astype(dtype).nbytes):");
    for dtype in Dtype::ALL {
        let layout = strides(&[1000], dtype, Order::C).unwrap();
        let (name, itemsize, nbytes) = (dtype.name(), dtype.itemsize(), layout.nbytes);
        println!("  {name:<10} itemsize {itemsize:>2}  nbytes {nbytes:>6}");
    }
    let ints: Vec<i64> = (0..1000).collect();
    let floats: Vec<f64> = ints.iter().map(|&i| i as f64).collect();
    let sizes = (size_of_val(&ints[..]), size_of_val(&floats[..]));
    println!(
        "Rust: Vec<i64> holds {} bytes, Vec<f64> {} bytes",
        sizes.0, sizes.1
    );
    check(
        sizes == (8000, 8000),
        "int64 and float64: 8000 bytes each, as the notebook prints",
    );
    let f32_bytes = strides(&[1000], Dtype::Float32, Order::C).unwrap().nbytes;
    check(f32_bytes == 4000, "float32 halves it: 4000 bytes");

    let n: usize = if quick() { 100_000 } else { 1_000_000 };
    set_enabled(true);
    let (flat, flat_heap, flat_rss) = measure(|| Vec::from_iter((0..n).map(|i| i as f64)));
    let (boxed, boxed_heap, boxed_rss) = measure(|| {
        let mut v: Vec<Box<f64>> = Vec::with_capacity(n);
        v.extend((0..n).map(|i| Box::new(i as f64)));
        v
    });
    set_enabled(false);
    let size = |bytes: u64| {
        format!(
            "{:.1} MB, {:.1} B each",
            bytes as f64 / 1e6,
            bytes as f64 / n as f64
        )
    };
    println!("\n{n} float64 values:");
    println!("  flat Vec<f64>:       requested {}", size(flat_heap));
    println!(
        "  boxed Vec<Box<f64>>: requested {} (an 8 B pointer + an 8 B box)",
        size(boxed_heap)
    );
    if let (Some(f), Some(b)) = (flat_rss, boxed_rss) {
        let (f, b) = (size(f), size(b));
        println!("  resident memory gained: flat {f}; boxed {b}");
        println!(
            "    (the allocator adds a header to every box and rounds it up to its minimum chunk)"
        );
    }
    let python = 32.0 * n as f64 / 1e6;
    println!("  a Python list: an 8 B pointer + a 24 B float object = 32 B each, {python:.0} MB");
    check(flat_heap == 8 * n as u64, "flat: exactly 8 bytes per value");
    check(
        boxed_heap == 16 * n as u64,
        "boxed: 16 bytes per value requested, twice the flat array",
    );
    let same = flat.iter().zip(&boxed).all(|(f, b)| f == &**b);
    check(same && flat.len() == n && boxed.len() == n, "same values");
}
