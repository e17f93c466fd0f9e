//! `brisk._internal`: the Python module behind `import brisk`.
//!
//! Each submodule binds one part of brisk and registers its functions and classes here. The
//! wrappers that users call, with their docstrings and NumPy-style argument handling, are the
//! Python package's (`python/brisk`); this module takes arrays that are already C-contiguous
//! `float64` (read without a copy), releases the GIL while a kernel runs, and maps brisk's errors
//! to the package's exceptions ([`errors`]).

use pyo3::prelude::*;

mod arrays;
mod arrow;
mod charts;
mod errors;
mod estimators;
mod input;
mod partial_groupby;
mod partial_report;
mod partial_stats;
mod profile;
mod report;
mod tables;

/// brisk's allocations are counted (for `profile_block` and the report's stage profile) by the
/// same allocator the command line uses.
#[global_allocator]
static ALLOCATOR: brisk_profile::CountingAllocator<std::alloc::System> =
    brisk_profile::CountingAllocator(std::alloc::System);

#[pymodule]
#[pyo3(name = "_internal")]
fn brisk_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    arrays::register(m)?;
    estimators::register(m)?;
    tables::register(m)?;
    charts::register(m)?;
    report::register(m)?;
    profile::register(m)?;
    partial_stats::register(m)?;
    partial_report::register(m)?;
    partial_groupby::register(m)?;
    Ok(())
}
