//! `brisk.profile_block` and `brisk.profile_report`: Python's blocks as stages of brisk's own
//! profiler (`brisk_profile`), so that a block around `brisk.report()` holds the report's stages
//! and the table shares the command line's figures and Amdahl hints.
//!
//! The Python wrapper measures NumPy's side of a block with `tracemalloc` and attaches it to the
//! block's stage here; brisk's side (wall time, brisk's heap peak and allocations) is the stage's.

use std::collections::BTreeMap;
use std::sync::Mutex;

use brisk_profile::{enabled, hints, set_enabled, snapshot, take_report, Guard, Report, Stage};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::brisk_error;

/// What the Python side adds to brisk's record.
#[derive(Default)]
struct PythonBlocks {
    /// Python blocks open now.
    open: usize,
    /// The outermost block turned profiling on (and turns it off when it ends).
    turned_on: bool,
    /// NumPy's figures of each ended Python block, by its stage's place in the record: the
    /// traced peak above the block's start, in bytes, and NumPy's allocations.
    numpy: BTreeMap<usize, (u64, u64)>,
}

static BLOCKS: Mutex<PythonBlocks> = Mutex::new(PythonBlocks {
    open: 0,
    turned_on: false,
    numpy: BTreeMap::new(),
});

fn blocks() -> std::sync::MutexGuard<'static, PythonBlocks> {
    BLOCKS.lock().unwrap_or_else(|e| e.into_inner())
}

/// An open Python block: a stage of brisk's profiler until [`StageGuard::end`].
#[pyclass(module = "brisk._internal")]
struct StageGuard {
    guard: Option<Guard>,
}

#[pymethods]
impl StageGuard {
    /// Ends the stage (once) and returns its place in the record, if it is recorded.
    fn end(&mut self) -> Option<usize> {
        let guard = self.guard.take()?;
        let index = guard.index();
        drop(guard);
        let mut blocks = blocks();
        blocks.open = blocks.open.saturating_sub(1);
        if blocks.open == 0 && blocks.turned_on {
            blocks.turned_on = false;
            set_enabled(false);
        }
        index
    }
}

/// Starts a stage named `name`, turning profiling on until the outermost Python block ends.
#[pyfunction]
fn profile_begin(name: &str) -> StageGuard {
    let mut blocks = blocks();
    if blocks.open == 0 && !enabled() {
        blocks.turned_on = true;
        set_enabled(true);
    }
    blocks.open += 1;
    StageGuard {
        guard: Some(brisk_profile::block(name)),
    }
}

/// Attaches NumPy's figures to the ended stage at `index`: the traced peak above the block's
/// start, in bytes, and the NumPy allocations counted.
#[pyfunction]
fn profile_attach(index: usize, peak_bytes: u64, allocations: u64) {
    blocks().numpy.insert(index, (peak_bytes, allocations));
}

/// One row of the table: the stages of one name under one parent row.
struct Row {
    name: String,
    depth: usize,
    parent: Option<usize>,
    calls: u64,
    wall_seconds: f64,
    peak_bytes: u64,
    allocations: u64,
    numpy_peak_bytes: u64,
    numpy_allocations: u64,
}

/// The record's stages merged by name under the same parent row, in the order they first
/// started: calls counted, wall time and allocations summed, peaks the largest of one call.
fn rows(report: &Report, numpy: &BTreeMap<usize, (u64, u64)>) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    // The row of the stage open at each depth, while walking the record.
    let mut path: Vec<usize> = Vec::new();
    for (index, stage) in report.stages.iter().enumerate() {
        path.truncate(stage.depth);
        let parent = path.last().copied();
        let found = rows
            .iter()
            .position(|r| r.parent == parent && r.depth == stage.depth && r.name == stage.name);
        let at = found.unwrap_or_else(|| {
            rows.push(Row {
                name: stage.name.clone(),
                depth: stage.depth,
                parent,
                calls: 0,
                wall_seconds: 0.0,
                peak_bytes: 0,
                allocations: 0,
                numpy_peak_bytes: 0,
                numpy_allocations: 0,
            });
            rows.len() - 1
        });
        let (numpy_peak, numpy_allocations) = numpy.get(&index).copied().unwrap_or_default();
        let row = &mut rows[at];
        row.calls += 1;
        row.wall_seconds += stage.wall_seconds;
        row.peak_bytes = row.peak_bytes.max(stage.peak_bytes + numpy_peak);
        row.allocations += stage.allocations + numpy_allocations;
        row.numpy_peak_bytes = row.numpy_peak_bytes.max(numpy_peak);
        row.numpy_allocations += numpy_allocations;
        path.push(at);
    }
    rows
}

/// The record (emptied with `reset`, which an open Python block refuses) merged into rows.
fn record(reset: bool) -> PyResult<(Vec<Row>, f64)> {
    let mut blocks = blocks();
    if !reset {
        let report = snapshot();
        return Ok((rows(&report, &blocks.numpy), report.total_seconds));
    }
    if blocks.open > 0 {
        return Err(brisk_error(
            "cannot reset the profile while a profile_block is open; reset after it ends",
        ));
    }
    let report = take_report();
    let rows = rows(&report, &blocks.numpy);
    blocks.numpy.clear();
    Ok((rows, report.total_seconds))
}

/// Each row's Amdahl speed-ups (if halved, if free) from `brisk_profile::hints` over the merged
/// rows; NaN for the rows it gives no hint for.
fn speedups(rows: &[Row], total_seconds: f64) -> Vec<(f64, f64)> {
    let merged = Report {
        stages: rows
            .iter()
            .map(|r| Stage {
                name: r.name.clone(),
                wall_seconds: r.wall_seconds,
                peak_bytes: r.peak_bytes,
                allocations: r.allocations,
                depth: r.depth,
            })
            .collect(),
        total_seconds,
    };
    // The hints are those of the top-level rows, or of the rows inside the one top-level row
    // (as `hints` picks them): one per name there, as the rows are merged.
    let hint_depth = usize::from(rows.iter().filter(|r| r.depth == 0).count() == 1);
    let advice = hints(&merged);
    rows.iter()
        .map(|row| {
            advice
                .iter()
                .find(|h| row.depth == hint_depth && h.stage == row.name)
                .map_or((f64::NAN, f64::NAN), |h| (h.if_halved, h.if_free))
        })
        .collect()
}

/// Sets `columns[name]` to the list of `values`.
fn column<'py, T: IntoPyObject<'py>>(
    columns: &Bound<'py, PyDict>,
    name: &str,
    values: impl Iterator<Item = T>,
) -> PyResult<()> {
    columns.set_item(name, values.collect::<Vec<T>>())
}

/// The stage table as columns (name, depth, parent, calls, wall_seconds, share, peak_bytes,
/// allocations, numpy_peak_bytes, numpy_allocations, if_halved, if_free), one row per stage
/// name under its parent; with `reset`, the record is emptied after it is read.
#[pyfunction]
fn profile_table(py: Python<'_>, reset: bool) -> PyResult<Bound<'_, PyDict>> {
    let (rows, total) = record(reset)?;
    let speedups = speedups(&rows, total);
    let share = |r: &Row| {
        if total > 0.0 {
            r.wall_seconds / total
        } else {
            f64::NAN
        }
    };
    let columns = PyDict::new(py);
    column(&columns, "name", rows.iter().map(|r| r.name.as_str()))?;
    column(&columns, "depth", rows.iter().map(|r| r.depth))?;
    let parent = |r: &Row| r.parent.map(|p| rows[p].name.as_str());
    column(&columns, "parent", rows.iter().map(parent))?;
    column(&columns, "calls", rows.iter().map(|r| r.calls))?;
    column(
        &columns,
        "wall_seconds",
        rows.iter().map(|r| r.wall_seconds),
    )?;
    column(&columns, "share", rows.iter().map(share))?;
    column(&columns, "peak_bytes", rows.iter().map(|r| r.peak_bytes))?;
    column(&columns, "allocations", rows.iter().map(|r| r.allocations))?;
    let numpy_peak = |r: &Row| r.numpy_peak_bytes;
    column(&columns, "numpy_peak_bytes", rows.iter().map(numpy_peak))?;
    let numpy_allocations = |r: &Row| r.numpy_allocations;
    column(
        &columns,
        "numpy_allocations",
        rows.iter().map(numpy_allocations),
    )?;
    column(&columns, "if_halved", speedups.iter().map(|s| s.0))?;
    column(&columns, "if_free", speedups.iter().map(|s| s.1))?;
    Ok(columns)
}

/// Adds this module's functions and classes to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<StageGuard>()?;
    m.add_function(wrap_pyfunction!(profile_begin, m)?)?;
    m.add_function(wrap_pyfunction!(profile_attach, m)?)?;
    m.add_function(wrap_pyfunction!(profile_table, m)?)?;
    Ok(())
}
