//! brisk's pictures and pages: charts drawn with plotters (SVG or PNG, with an embedded font so
//! that a bare machine renders them), feature importance over a table, and the self-contained
//! HTML report of the main job.

pub mod analysis;
pub mod chart;
pub mod error;
pub mod html;
pub mod importance;
pub mod pipeline;
pub mod report;

pub use error::{ReportError, Result};
