//! Named, nested stages and the report they make.

use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

use crate::allocator::{allocations, current_bytes, COUNTING, PEAK};

/// One finished stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    /// The name given to [`block`].
    pub name: String,
    /// Wall-clock seconds from the block's start to its end.
    pub wall_seconds: f64,
    /// The most heap bytes in use during the block, above the level at its start.
    pub peak_bytes: u64,
    /// Allocations made during the block (by every thread).
    pub allocations: u64,
    /// How many blocks enclose this one (0 for a top-level stage).
    #[serde(skip)]
    pub depth: usize,
}

/// Every stage recorded since the last [`take_report`], and the time they cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Stages in the order they started.
    pub stages: Vec<Stage>,
    /// Wall seconds of the top-level stages together.
    pub total_seconds: f64,
}

struct Open {
    index: usize,
    start: Instant,
    allocations: u64,
    base_bytes: usize,
    outer_peak: usize,
}

#[derive(Default)]
struct State {
    stages: Vec<Stage>,
    open: Vec<Open>,
}

static STATE: Mutex<State> = Mutex::new(State {
    stages: Vec::new(),
    open: Vec::new(),
});

/// Turns profiling (and the allocator's counting) on or off.
pub fn set_enabled(on: bool) {
    COUNTING.store(on, Ordering::Relaxed);
}

/// Whether profiling is on.
pub fn enabled() -> bool {
    COUNTING.load(Ordering::Relaxed)
}

/// Ends its stage when dropped.
#[must_use = "the stage ends when the guard is dropped"]
pub struct Guard {
    /// The stage's place in the record; `None` while profiling is off.
    index: Option<usize>,
}

impl Guard {
    /// The stage's place in the record (as [`snapshot`] and [`take_report`] list the stages),
    /// so that figures measured elsewhere, such as Python's memory, can be joined to it; `None`
    /// when profiling was off and nothing is recorded.
    pub fn index(&self) -> Option<usize> {
        self.index
    }
}

/// Starts a stage named `name`; it ends when the returned guard drops. Does nothing while
/// profiling is off.
pub fn block(name: &str) -> Guard {
    if !enabled() {
        return Guard { index: None };
    }
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let base_bytes = current_bytes();
    // The block's peak is measured from its start: the outer peak is kept aside and restored
    // (as the larger of the two) when the block ends.
    let outer_peak = PEAK.swap(base_bytes, Ordering::Relaxed);
    let index = state.stages.len();
    let depth = state.open.len();
    state.stages.push(Stage {
        name: name.to_owned(),
        wall_seconds: 0.0,
        peak_bytes: 0,
        allocations: 0,
        depth,
    });
    state.open.push(Open {
        index,
        start: Instant::now(),
        allocations: allocations(),
        base_bytes,
        outer_peak,
    });
    Guard { index: Some(index) }
}

/// Runs `f` as a stage named `name` and returns its result.
///
/// ```
/// let sum: u64 = brisk_profile::with_block("sum", || (1..=10).sum());
/// assert_eq!(sum, 55);
/// ```
pub fn with_block<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let _guard = block(name);
    f()
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.index.is_none() {
            return;
        }
        let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
        let Some(open) = state.open.pop() else { return };
        let peak = PEAK.load(Ordering::Relaxed);
        PEAK.fetch_max(open.outer_peak, Ordering::Relaxed);
        let stage = &mut state.stages[open.index];
        stage.wall_seconds = open.start.elapsed().as_secs_f64();
        stage.peak_bytes = peak.saturating_sub(open.base_bytes) as u64;
        stage.allocations = allocations() - open.allocations;
    }
}

/// The stages recorded so far (finished ones), leaving none behind.
pub fn take_report() -> Report {
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    Report::of(std::mem::take(&mut state.stages))
}

/// The stages so far without ending any: finished stages as recorded, and the stages still open
/// (such as the enclosing command) measured up to now. The record goes on; a page that shows its
/// own run's profile takes this before it is written.
///
/// ```
/// use brisk_profile::{block, set_enabled, snapshot, take_report, with_block};
/// set_enabled(true);
/// let whole = block("run");
/// with_block("step", || std::thread::sleep(std::time::Duration::from_millis(2)));
/// let so_far = snapshot();
/// assert_eq!(so_far.stages[0].name, "run");
/// assert!(so_far.stages[0].wall_seconds >= so_far.stages[1].wall_seconds);
/// assert!(so_far.total_seconds >= 0.002);
/// drop(whole);
/// assert_eq!(take_report().stages.len(), 2);
/// ```
pub fn snapshot() -> Report {
    snapshot_from(0)
}

/// [`snapshot`] of the stages from the `first`-th on, and of the blocks still open around them.
fn snapshot_from(first: usize) -> Report {
    let state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    let mut stages = state.stages.clone();
    // The innermost open block's peak counter runs from its own start; an outer open block's
    // peak is at least its saved outer peak and the current one.
    let mut peak = PEAK.load(Ordering::Relaxed);
    for open in state.open.iter().rev() {
        let stage = &mut stages[open.index];
        stage.wall_seconds = open.start.elapsed().as_secs_f64();
        stage.peak_bytes = peak.saturating_sub(open.base_bytes) as u64;
        stage.allocations = allocations() - open.allocations;
        peak = peak.max(open.outer_peak);
    }
    let kept = stages
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i >= first || state.open.iter().any(|o| o.index == *i))
        .map(|(_, stage)| stage)
        .collect();
    Report::of(kept)
}

/// One run profiled on its own: profiling is on while the session lives and is put back as it
/// was when it drops.
///
/// When the session turned profiling on, the stages recorded during it leave the record at its
/// end, so that a library call which profiles itself (the report's page shows its own stage
/// profile) leaves nothing behind. When profiling was on already, the caller is profiling: the
/// stages stay in the caller's record.
///
/// ```
/// use brisk_profile::{enabled, session, set_enabled, take_report, with_block};
/// set_enabled(false);
/// {
///     let run = session();
///     with_block("step", || ());
///     assert_eq!(run.snapshot().stages[0].name, "step");
/// }
/// assert!(!enabled());
/// assert!(take_report().stages.is_empty());
/// ```
#[must_use = "the session ends when it is dropped"]
pub struct Session {
    /// Profiling was off and the session turned it on.
    turned_on: bool,
    /// The record's length when the session began.
    first: usize,
}

/// Starts a [`Session`].
pub fn session() -> Session {
    let first = STATE.lock().unwrap_or_else(|e| e.into_inner()).stages.len();
    let turned_on = !enabled();
    if turned_on {
        set_enabled(true);
    }
    Session { turned_on, first }
}

impl Session {
    /// The session's stages so far and the blocks still open around it, measured as
    /// [`snapshot`] measures them; stages that ended before the session began are left out.
    pub fn snapshot(&self) -> Report {
        snapshot_from(self.first)
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.turned_on {
            return;
        }
        set_enabled(false);
        let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
        // A block still open (another thread's) keeps its place in the record.
        if state.open.iter().all(|open| open.index < self.first) {
            state.stages.truncate(self.first);
        }
    }
}

impl Report {
    fn of(stages: Vec<Stage>) -> Report {
        let total_seconds = stages
            .iter()
            .filter(|s| s.depth == 0)
            .map(|s| s.wall_seconds)
            .sum();
        Report {
            stages,
            total_seconds,
        }
    }
}
