//! The partial state of `brisk groupby` ([`GroupByState`]).
//!
//! A state is the group-by's one pass ([`crate::groupby`]) over some rows of a table: the key
//! of every group seen, with its rows and, per aggregated column, its accumulators (counts,
//! compensated sums, moments, extremes), and what the rows showed of each column read (its type,
//! whether it holds only integers and no null, whether it holds a value). States of a table's
//! partitions merge in any order and grouping: groups are matched by key, counts and sums add
//! (the sums with their compensations), moments merge by Chan's formulas, extremes by comparison.
//! The merged state's frame is `group_by`'s on the concatenated rows: the same columns, types
//! and order (groups sorted by key, the null key last; integer keys and sums of integer columns
//! integers), floats to rounding (1e-12 relative), every other figure equal.
//!
//! A state is O(groups × aggregates), except for `median` and `nunique`, which keep each group's
//! values (distinct values for `nunique`): their state grows with the values, as the single pass
//! does, and merges exactly.
//!
//! A column must hold one type in every partition: numbers in one and text in another (each with
//! values) is an error, where the single pass would read the whole column as text. A column with
//! no value in a partition takes the type of the others.
//!
//! ```
//! use brisk_data::groupby::{group_by, parse_aggs, GroupByOptions};
//! use brisk_data::input::{Format, Input};
//! use brisk_data::partial::{decode, encode, GroupByPartialOptions, GroupByState, StateKind};
//! let part = |text: &str| Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
//! let (a, b) = ("k,x\na,1\nb,5\n", "k,x\na,2\n,4\n");
//! let options = |partition| GroupByPartialOptions {
//!     by: vec!["k".into()],
//!     aggs: parse_aggs("count(), sum(x), mean(x)").unwrap(),
//!     derived: Vec::new(),
//!     partition,
//! };
//! let mut first = GroupByState::new(options(0));
//! first.update(&part(a)).unwrap();
//! let mut second = GroupByState::new(options(1));
//! second.update(&part(b)).unwrap();
//! // Shipped as bytes, merged elsewhere.
//! let second: GroupByState = decode(StateKind::GroupBy, &encode(StateKind::GroupBy, &second), "b")
//!     .unwrap();
//! first.merge(second).unwrap();
//! let frame = first.finish(None, "parts").unwrap();
//! let whole = GroupByOptions {
//!     by: vec!["k".into()],
//!     aggs: parse_aggs("count(), sum(x), mean(x)").unwrap(),
//!     ..GroupByOptions::default()
//! };
//! let single = group_by(&part("k,x\na,1\nb,5\na,2\n,4\n"), &whole, &mut |_| {}).unwrap();
//! assert!(frame.equals_missing(&single));
//! let sums = frame.column("sum(x)").unwrap().i64().unwrap();
//! assert_eq!(sums.iter().collect::<Vec<_>>(), [Some(3), Some(5), Some(4)]);
//! ```

use polars::prelude::DataFrame;
use serde::{Deserialize, Serialize};

use super::envelope::refused;
use super::stats::{mixed, other_columns};
use crate::batch::{ColumnType, ColumnTypes};
use crate::error::Result;
use crate::groupby::{fold, Agg, Derived, GroupByOptions, Pass, Plan, SortBy};
use crate::input::Input;

/// What a group-by state computes: `brisk groupby`'s job without the output's order, which
/// [`GroupByState::finish`] takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupByPartialOptions {
    /// Key columns.
    pub by: Vec<String>,
    /// Aggregates, in output order ([`crate::groupby::parse_aggs`]).
    pub aggs: Vec<Agg>,
    /// Derived columns, evaluated in order ([`crate::groupby::parse_derived`]).
    pub derived: Vec<Derived>,
    /// The partition's position among the table's partitions: of an integer key beyond 2⁵³,
    /// whose nearest `float64` other integers share, the group keeps the integer met first, in
    /// the lowest partition, as one pass over the partitions in this order would.
    pub partition: u32,
}

impl GroupByPartialOptions {
    /// The group-by job, its groups in `sort`'s order (by key when `None`).
    fn job(&self, sort: Option<SortBy>) -> GroupByOptions {
        GroupByOptions {
            by: self.by.clone(),
            aggs: self.aggs.clone(),
            derived: self.derived.clone(),
            sort,
            ..GroupByOptions::default()
        }
    }

    /// Whether states of these options and of `other` merge: the same job.
    fn same_job(&self, other: &GroupByPartialOptions) -> bool {
        (&self.by, &self.aggs, &self.derived) == (&other.by, &other.aggs, &other.derived)
    }
}

/// The group-by of some rows of a table; see the [module](self).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "Unchecked")]
pub struct GroupByState {
    options: GroupByPartialOptions,
    table: Option<Grouped>,
}

/// The groups of the rows seen, with the table's columns.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Grouped {
    /// Every column of the table, in order.
    names: Vec<String>,
    /// What the rows showed of each column the job reads, in the plan's order
    /// ([`Plan::used_columns`]).
    columns: Vec<ColumnFacts>,
    /// The groups and their accumulators.
    pass: Pass,
    /// Per group: the lowest partition whose rows hold it.
    first: Vec<u32>,
}

/// What the rows showed of one column.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct ColumnFacts {
    ty: ColumnType,
    /// Every value an integer, and no null (pandas' `int64`); true of no rows.
    integer: bool,
    /// A date-time value with a time of day other than midnight.
    time_of_day: bool,
    /// A value that is not null.
    has_value: bool,
}

impl ColumnFacts {
    /// The facts of two sets of rows together; `None` when the column holds values of two
    /// types.
    fn merge(self, other: ColumnFacts) -> Option<ColumnFacts> {
        // With no value anywhere, a type a file declares outranks the numbers of no value.
        let rank = |ty: ColumnType| match ty {
            ColumnType::Numeric => 0,
            ColumnType::Bool => 1,
            ColumnType::Datetime => 2,
            ColumnType::Text => 3,
        };
        let ty = match (self.has_value, other.has_value) {
            _ if self.ty == other.ty => self.ty,
            (true, true) => return None,
            (true, false) => self.ty,
            (false, true) => other.ty,
            (false, false) => std::cmp::max_by_key(self.ty, other.ty, |&t| rank(t)),
        };
        Some(ColumnFacts {
            ty,
            integer: self.integer && other.integer,
            time_of_day: self.time_of_day || other.time_of_day,
            has_value: self.has_value || other.has_value,
        })
    }
}

impl GroupByState {
    /// A state of no rows.
    pub fn new(options: GroupByPartialOptions) -> Self {
        GroupByState {
            options,
            table: None,
        }
    }

    /// The options the state was made with.
    pub fn options(&self) -> &GroupByPartialOptions {
        &self.options
    }

    /// Rows grouped.
    pub fn rows(&self) -> u64 {
        self.table
            .as_ref()
            .map_or(0, |t| t.pass.rows_per_group.iter().sum())
    }

    /// Folds in every row of `input` (rows after those already seen). A column that turns to
    /// text after numeric rows is read as text from its first row, as `group_by` reads it.
    ///
    /// # Errors
    /// `group_by`'s (an unknown column, text where numbers are needed, a malformed input), an
    /// input of other columns than the rows before it, or a column of another type than theirs.
    pub fn update(&mut self, input: &Input) -> Result<()> {
        let job = self.options.job(None);
        let mut used: Vec<usize> = Vec::new();
        let mut has_value: Vec<bool> = Vec::new();
        let folded = fold(input, &job, &mut |_| {}, &mut |plan, batch| {
            if used.is_empty() {
                used = plan.used_columns();
                has_value = vec![false; used.len()];
            }
            for (seen, &j) in has_value.iter_mut().zip(&used) {
                if !*seen {
                    let column = batch.column(j);
                    *seen = (0..batch.rows()).any(|r| !column.is_null(r));
                }
            }
        })?;
        let used = folded.plan.used_columns();
        has_value.resize(used.len(), false);
        let types = &folded.types;
        let empty = folded.pass.rows_per_group.is_empty();
        let columns = used
            .iter()
            .zip(has_value)
            .map(|(&j, has_value)| ColumnFacts {
                ty: types.get(j),
                integer: types.is_integer(j) || empty,
                time_of_day: types.has_time_of_day(j),
                has_value,
            })
            .collect();
        let part = GroupByState {
            options: self.options.clone(),
            table: Some(Grouped {
                names: types.names().to_vec(),
                columns,
                first: vec![self.options.partition; folded.pass.groups.len()],
                pass: folded.pass,
            }),
        };
        self.merge_named(part, input.name())
    }

    /// Folds in the state of other rows of the same table (another partition): the result does
    /// not depend on the order or grouping of merges.
    ///
    /// # Errors
    /// States of other options, of other columns, or of a column that holds numbers in one and
    /// text (or booleans, or date-times) in the other.
    pub fn merge(&mut self, other: GroupByState) -> Result<()> {
        self.merge_named(other, "the merged state")
    }

    fn merge_named(&mut self, other: GroupByState, source: &str) -> Result<()> {
        if !self.options.same_job(&other.options) {
            return Err(refused(
                source,
                "the states were made with other options (keys, aggregates or derived columns): \
                 make every state of a job with the same options",
            ));
        }
        let partition = self.options.partition.min(other.options.partition);
        let Some(mut theirs) = other.table else {
            self.options.partition = partition;
            return Ok(());
        };
        let Some(mine) = &mut self.table else {
            self.options.partition = partition;
            self.table = Some(theirs);
            return Ok(());
        };
        if mine.names != theirs.names {
            return Err(other_columns(source, &mine.names, &theirs.names));
        }
        let mut columns = Vec::with_capacity(mine.columns.len());
        for (i, (&a, &b)) in mine.columns.iter().zip(&theirs.columns).enumerate() {
            match a.merge(b) {
                Some(facts) => columns.push(facts),
                None => {
                    let plan = Plan::new(source, &mine.names, &self.options.job(None))?;
                    let name = &mine.names[plan.used_columns()[i]];
                    return Err(mixed(source, name, a.ty, b.ty));
                }
            }
        }
        mine.columns = columns;
        let ids = mine.pass.absorb(&mut theirs.pass);
        mine.first.resize(mine.pass.groups.len(), u32::MAX);
        for (h, &(g, new)) in ids.iter().enumerate() {
            let (g, earlier) = (g as usize, theirs.first[h]);
            if earlier < mine.first[g] {
                if !new {
                    mine.pass.groups.take_exact(g, &theirs.pass.groups, h);
                }
                mine.first[g] = earlier;
            }
        }
        self.options.partition = partition;
        Ok(())
    }

    /// The groups of every row merged in, as `group_by` gives them for the concatenated rows,
    /// sorted by key or by `sort`; `source` names the data in messages.
    ///
    /// # Errors
    /// A `sort` naming no output column.
    pub fn finish(self, sort: Option<SortBy>, source: &str) -> Result<DataFrame> {
        let job = self.options.job(sort);
        match self.table {
            Some(table) => {
                let plan = Plan::new(source, &table.names, &job)?;
                let mut types = ColumnTypes::infer(table.names);
                for (&j, facts) in plan.used_columns().iter().zip(&table.columns) {
                    types.set(j, facts.ty, facts.integer);
                    if facts.time_of_day {
                        types.saw_time_of_day(j);
                    }
                }
                table.pass.finish(&plan, &types, &job, source)
            }
            // No rows at all: the groups of a table of the columns the job names, and no row.
            None => {
                let names = named_columns(&job);
                let plan = Plan::new(source, &names, &job)?;
                let types = ColumnTypes::infer(names);
                Pass::new(&plan).finish(&plan, &types, &job, source)
            }
        }
    }
}

/// The input columns `job` names: its keys, the columns its aggregates and derived columns read
/// that no derived column defines before.
fn named_columns(job: &GroupByOptions) -> Vec<String> {
    let mut names = job.by.clone();
    let mut defined: Vec<&str> = Vec::new();
    let mut read = |name: &str, defined: &[&str]| {
        if !defined.contains(&name) && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    };
    for d in &job.derived {
        for name in d.expr.columns() {
            read(&name, &defined);
        }
        defined.push(&d.name);
    }
    for column in job.aggs.iter().filter_map(|a| a.column.as_deref()) {
        read(column, &defined);
    }
    names
}

/// A state as read, before it is checked.
#[derive(Deserialize)]
struct Unchecked {
    options: GroupByPartialOptions,
    table: Option<Grouped>,
}

impl TryFrom<Unchecked> for GroupByState {
    type Error = String;

    /// The state, once its parts fit together: its options make a job on its columns, and its
    /// groups and accumulators have the job's shape.
    fn try_from(state: Unchecked) -> std::result::Result<Self, String> {
        if let Some(table) = &state.table {
            let plan = Plan::new("the state", &table.names, &state.options.job(None))
                .map_err(|e| e.to_string())?;
            if table.columns.len() != plan.used_columns().len()
                || table.first.len() != table.pass.groups.len()
                || !table.pass.fits(&plan)
            {
                return Err("its groups do not fit its job".to_owned());
            }
        }
        Ok(GroupByState {
            options: state.options,
            table: state.table,
        })
    }
}

#[cfg(test)]
#[path = "groupby_tests.rs"]
mod tests;
