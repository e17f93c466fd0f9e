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

/// The stage table as columns (name, depth, parent, calls, wall_seconds, share, peak_bytes,
/// allocations, numpy_peak_bytes, numpy_allocations, if_halved, if_free), one row per stage
/// name under its parent; with `reset`, the record is emptied after it is read.
#[pyfunction]
fn profile_table(py: Python<'_>, reset: bool) -> PyResult<Bound<'_, PyDict>> {
    let mut blocks = blocks();
    let report = if reset {
        if blocks.open > 0 {
            return Err(brisk_error(
                "cannot reset the profile while a profile_block is open; reset after it ends",
            ));
        }
        take_report()
    } else {
        snapshot()
    };
    let rows = rows(&report, &blocks.numpy);
    if reset {
        blocks.numpy.clear();
    }
    drop(blocks);
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
        total_seconds: report.total_seconds,
    };
    // The hints are those of the top-level rows, or of the rows inside the one top-level row
    // (as `brisk_profile::hints` picks them): one per name there, as the rows are merged.
    let hint_depth = usize::from(rows.iter().filter(|r| r.depth == 0).count() == 1);
    let advice = hints(&merged);
    let hint = |row: &Row| {
        advice
            .iter()
            .find(|h| row.depth == hint_depth && h.stage == row.name)
    };
    let total = report.total_seconds;
    let columns = PyDict::new(py);
    columns.set_item(
        "name",
        rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>(),
    )?;
    columns.set_item("depth", rows.iter().map(|r| r.depth).collect::<Vec<_>>())?;
    columns.set_item(
        "parent",
        rows.iter()
            .map(|r| r.parent.map(|p| rows[p].name.clone()))
            .collect::<Vec<_>>(),
    )?;
    columns.set_item("calls", rows.iter().map(|r| r.calls).collect::<Vec<_>>())?;
    columns.set_item(
        "wall_seconds",
        rows.iter().map(|r| r.wall_seconds).collect::<Vec<_>>(),
    )?;
    let share = |r: &Row| {
        if total > 0.0 {
            r.wall_seconds / total
        } else {
            f64::NAN
        }
    };
    columns.set_item("share", rows.iter().map(share).collect::<Vec<_>>())?;
    columns.set_item(
        "peak_bytes",
        rows.iter().map(|r| r.peak_bytes).collect::<Vec<_>>(),
    )?;
    columns.set_item(
        "allocations",
        rows.iter().map(|r| r.allocations).collect::<Vec<_>>(),
    )?;
    columns.set_item(
        "numpy_peak_bytes",
        rows.iter().map(|r| r.numpy_peak_bytes).collect::<Vec<_>>(),
    )?;
    columns.set_item(
        "numpy_allocations",
        rows.iter().map(|r| r.numpy_allocations).collect::<Vec<_>>(),
    )?;
    columns.set_item(
        "if_halved",
        rows.iter()
            .map(|r| hint(r).map_or(f64::NAN, |h| h.if_halved))
            .collect::<Vec<_>>(),
    )?;
    columns.set_item(
        "if_free",
        rows.iter()
            .map(|r| hint(r).map_or(f64::NAN, |h| h.if_free))
            .collect::<Vec<_>>(),
    )?;
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
