//! Out-of-core group-by (`brisk groupby`, exercises B.4 and B.7).
//!
//! One streaming pass over the input's typed batches ([`crate::batch::Batches`], the crate's one
//! type inference, for CSV/TSV, Parquet and `.npy` alike): each batch's rows get their group's id
//! from the key table ([`groups`]), `--with` columns are evaluated on whole batch columns, and
//! each aggregate folds the batch into per-group accumulators ([`accumulate`]). Memory grows with
//! the number of groups, not rows — except for `median` and `nunique`, which keep each group's
//! values. A column that turns to text after numeric batches has the pass run again with the
//! final types, so that every key and value is read with its column's final type from the first
//! row. Results follow pandas' `df.groupby(keys, dropna=False, sort=True).agg(...)`: null keys
//! form their own group, sorted last; keys compare by value in numeric columns and by text in
//! text columns; integer keys and sums of integer columns are integers; `std`/`var` use ddof 1;
//! undefined figures are null.
//!
//! ```
//! use brisk_data::groupby::{group_by, parse_aggs, parse_derived, GroupByOptions, SortBy};
//! use brisk_data::input::{Format, Input};
//! // Exercise B.4: salary per year, mean by department, highest first.
//! let text = "department,salary,years\neng,120000,5\neng,95000,2\nsales,85000,3\n\
//!             sales,110000,8\neng,105000,4\nsales,90000,1\n";
//! let input = Input::from_reader(text.as_bytes(), "b4.csv", Format::Csv).unwrap();
//! let options = GroupByOptions {
//!     by: vec!["department".into()],
//!     aggs: parse_aggs("mean(salary_per_year) as mean").unwrap(),
//!     derived: vec![parse_derived("salary_per_year = salary / years").unwrap()],
//!     sort: Some(SortBy { column: "mean".into(), descending: true }),
//!     ..GroupByOptions::default()
//! };
//! let frame = group_by(&input, &options, &mut |_| {}).unwrap();
//! let means = frame.column("mean").unwrap().f64().unwrap();
//! assert_eq!(frame.column("department").unwrap().str().unwrap().get(0), Some("sales"));
//! assert!((means.get(0).unwrap() - 44027.77777777778).abs() < 1e-9);
//! ```

mod accumulate;
mod expr;
mod groups;
mod merge;
mod output;
mod pass;
mod plan;
mod spec;

use polars::prelude::DataFrame;

pub use self::expr::{parse_derived, Derived, Expr, Op};
pub(crate) use self::pass::Pass;
use self::pass::Scratch;
pub(crate) use self::plan::Plan;
pub use self::spec::{parse_aggs, Agg, Func};
use crate::batch::{Batch, Batches, ColumnTypes};
use crate::error::Result;
use crate::input::Input;

/// What to group by and what to compute.
#[derive(Debug, Clone)]
pub struct GroupByOptions {
    /// Key columns.
    pub by: Vec<String>,
    /// Aggregates, in output order.
    pub aggs: Vec<Agg>,
    /// Derived columns, evaluated in order (each may use the ones before it).
    pub derived: Vec<Derived>,
    /// Sort the groups by an output column instead of by key.
    pub sort: Option<SortBy>,
    /// Rows per batch (results do not depend on it).
    pub chunk_rows: usize,
}

impl Default for GroupByOptions {
    fn default() -> Self {
        GroupByOptions {
            by: Vec::new(),
            aggs: Vec::new(),
            derived: Vec::new(),
            sort: None,
            chunk_rows: 65_536,
        }
    }
}

/// An output column to sort by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortBy {
    /// The output column.
    pub column: String,
    /// Largest first (nulls still last, as pandas' `sort_values`).
    pub descending: bool,
}

/// Groups the rows of `input` (CSV, TSV, Parquet or `.npy`, whose columns are named `0`, `1`, …)
/// and aggregates them; `progress` receives bytes read so far.
///
/// Errors: an unknown column (in `--by`, `--agg` or `--with`), `sum`/`mean`/`std`/`var`/`median`
/// of a text column, a `--with` expression over a text column, a `--sort` naming no output
/// column, and the reader's errors (with file, line and column).
pub fn group_by(
    input: &Input,
    options: &GroupByOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<DataFrame> {
    let folded = fold(input, options, progress, &mut |_, _| {})?;
    folded
        .pass
        .finish(&folded.plan, &folded.types, options, input.name())
}

/// The pass over every row of an input, with the plan it ran and the columns' final types.
pub(crate) struct Folded {
    pub plan: Plan,
    pub pass: Pass,
    pub types: ColumnTypes,
}

/// Folds every row of `input` into a pass: when a column turns to text after numeric batches,
/// the pass runs again with the final types. `seen` gets the plan and every batch read (those of
/// a pass run again too), `progress` the bytes read so far.
pub(crate) fn fold(
    input: &Input,
    options: &GroupByOptions,
    progress: &mut dyn FnMut(u64),
    seen: &mut dyn FnMut(&Plan, &Batch),
) -> Result<Folded> {
    let mut batches = Batches::open(input, options.chunk_rows)?;
    let plan = Plan::new(input.name(), batches.types().names(), options)?;
    let used = plan.used_columns();
    batches.decode_only(&used);
    let mut pass = run_pass(&mut batches, &plan, options, progress, seen)?;
    if batches.types().turned_late() {
        let types = batches.types().clone();
        batches = Batches::with_types(input, &types, options.chunk_rows)?;
        batches.decode_only(&used);
        pass = run_pass(&mut batches, &plan, options, progress, seen)?;
    }
    Ok(Folded {
        plan,
        pass,
        types: batches.types().clone(),
    })
}

/// One pass over `batches`, refusing text where numbers are needed as soon as it shows.
fn run_pass(
    batches: &mut Batches,
    plan: &Plan,
    options: &GroupByOptions,
    progress: &mut dyn FnMut(u64),
    seen: &mut dyn FnMut(&Plan, &Batch),
) -> Result<Pass> {
    let mut pass = Pass::new(plan);
    let mut scratch = Scratch::default();
    // Parquet declares its text columns before the first row.
    plan.check_numbers(batches.types(), options, batches.name())?;
    while let Some(batch) = batches.next_batch()? {
        plan.check_numbers(batches.types(), options, batches.name())?;
        pass.fold(plan, &batch, &mut scratch);
        seen(plan, &batch);
        progress(batches.progress().0);
    }
    Ok(pass)
}

#[cfg(test)]
mod tests;
