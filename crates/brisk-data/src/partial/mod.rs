//! Partial states: what brisk computes, summarised where a partition of the data lives, shipped
//! as a few kilobytes, and merged.
//!
//! Every figure of a job comes from mergeable accumulators, so a job over partitions (Dask's,
//! Spark's, files of a job array) summarises each partition into a state, and the states merge
//! in any order and grouping into the state of all the rows: its figures are the single pass's
//! (moments to rounding, 1e-12 relative; counts, extremes and exact quartiles equal). A state
//! holds no reference into its input and converts to and from versioned bytes ([`encode`],
//! [`decode`]), checked on read.
//!
//! The group-by's state ([`GroupByState`]) holds each group's accumulators; its `median` and
//! `nunique` keep each group's values.
//!
//! Exact quartiles take two passes: pass 1's merged histograms locate the quartiles' ranks, and
//! a second pass over each partition keeps only the values near them ([`StatsState`]). Rows
//! never move: a state is O(columns × histogram) for numeric columns, plus the distinct values
//! of text columns.

mod envelope;
mod groupby;
mod stats;

pub use envelope::{decode, encode, kind_of, StateKind, FORMAT_VERSION};
pub use groupby::{GroupByPartialOptions, GroupByState};
pub use stats::{PartialOptions, QuartilesState, StatsState};

#[cfg(test)]
mod tests;
