//! Stage-by-stage profiling (exercise E.3's `profile_block`, and D.1's Amdahl's law).
//!
//! [`CountingAllocator`] wraps the program's global allocator and counts, process-wide, the bytes
//! in use, their peak and the number of allocations — only while profiling is on, so it costs one
//! relaxed atomic load per allocation otherwise. [`block`] opens a named stage: when its guard
//! drops, the stage's wall time, the peak heap above the level at its start, and the allocations
//! made during it are recorded. Blocks nest; [`take_report`] returns the stages in the order they
//! started, with their depth.
//!
//! ```
//! use brisk_profile::{block, take_report, set_enabled};
//! set_enabled(true);
//! {
//!     let _load = block("load");
//!     let data: Vec<u64> = (0..1000).collect();
//!     assert_eq!(data.len(), 1000);
//! }
//! let report = take_report();
//! assert_eq!(report.stages[0].name, "load");
//! assert!(report.stages[0].wall_seconds >= 0.0);
//! ```

mod allocator;
mod amdahl;
mod stages;

pub use allocator::{allocations, current_bytes, peak_bytes, CountingAllocator};
pub use amdahl::{amdahl_speedup, hints, Hint};
pub use stages::{
    block, enabled, session, set_enabled, snapshot, take_report, with_block, Guard, Report,
    Session, Stage,
};
