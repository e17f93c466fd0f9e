//! Whether a first column named as a row index counts the rows of the whole table, told from
//! each partition's part of it: each partition says whether its values count up by one from
//! its first, and the parts, in partition order, must follow on from one another and start at
//! 0 or 1 ([`brisk_data::batch::RowIndex`]'s rule over the concatenated rows).

use brisk_data::batch::{Batch, BatchColumn};
use serde::{Deserialize, Serialize};

/// One partition's run of the first column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Run {
    /// The partition, and the run's first row within it.
    pub(super) at: (u32, u64),
    /// The first row's value (NaN for a null).
    first: f64,
    /// Rows in the run.
    rows: u64,
    /// Every row held the first value plus its position.
    holds: bool,
}

impl Run {
    /// An empty run starting at row `row` of `partition`.
    pub(super) fn new(partition: u32, row: u64) -> Self {
        Run {
            at: (partition, row),
            first: f64::NAN,
            rows: 0,
            holds: true,
        }
    }

    /// Folds in the next batch of the run.
    pub(super) fn add(&mut self, batch: &Batch) {
        if batch.rows() == 0 || !self.holds {
            self.rows += batch.rows() as u64;
            return;
        }
        let BatchColumn::Numeric(values) = batch.column(0) else {
            self.holds = false;
            self.rows += batch.rows() as u64;
            return;
        };
        let values = values.values();
        if self.rows == 0 {
            self.first = values[0];
        }
        let start = self.first + self.rows as f64;
        self.holds = values
            .iter()
            .enumerate()
            .all(|(r, &x)| x == start + r as f64);
        self.rows += batch.rows() as u64;
    }
}

/// Whether the runs, put in partition order, count `0, 1, …` or `1, 2, …` from the first row to
/// the last with no gap and no null.
pub(super) fn counts_rows(runs: &[Run]) -> bool {
    let mut runs: Vec<&Run> = runs.iter().filter(|r| r.rows > 0).collect();
    runs.sort_by_key(|r| r.at);
    let Some(first) = runs.first() else {
        return false;
    };
    if first.first != 0.0 && first.first != 1.0 {
        return false;
    }
    let mut next = first.first;
    for run in runs {
        if !run.holds || run.first != next {
            return false;
        }
        next += run.rows as f64;
    }
    true
}
