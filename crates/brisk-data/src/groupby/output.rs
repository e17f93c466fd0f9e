//! The finished pass as a table: groups sorted by key (or by `--sort`), one column per key and
//! per aggregate, typed as pandas types them.

use crate::dates::datetime_text;
use crate::value::bool_text;
use std::cmp::Ordering;

use polars::prelude::*;

use super::pass::Pass;
use super::plan::{Plan, Source};
use super::spec::{Agg, Func};
use super::{GroupByOptions, SortBy};
use crate::batch::ColumnTypes;
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::frame::median;

/// How a key column's groups are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyType {
    /// `int64`: the exact integers as read.
    Integer,
    /// `float64`.
    Float,
    /// UTF-8 text.
    Text,
    /// `bool`: 1 and 0, written as pandas writes them, `True` and `False`.
    Bool,
    /// `datetime64`: seconds since the epoch, written as pandas writes them (dates when no value
    /// has a time of day).
    Datetime { with_time: bool },
}

impl KeyType {
    fn of(types: &ColumnTypes, column: usize) -> KeyType {
        if types.is_integer(column) {
            KeyType::Integer
        } else if types.is_numeric(column) {
            KeyType::Float
        } else if types.is_bool(column) {
            KeyType::Bool
        } else if types.is_datetime(column) {
            KeyType::Datetime {
                with_time: types.has_time_of_day(column),
            }
        } else {
            KeyType::Text
        }
    }
}

impl Pass {
    /// The output table of the pass, with the final column `types`.
    ///
    /// # Errors
    /// A `--sort` naming no output column.
    pub fn finish(
        self,
        plan: &Plan,
        types: &ColumnTypes,
        options: &GroupByOptions,
        source: &str,
    ) -> Result<DataFrame> {
        let order = self.key_order(plan.key_columns.len());
        let mut columns: Vec<Column> = Vec::new();
        for (c, &col) in plan.key_columns.iter().enumerate() {
            let key_type = KeyType::of(types, col);
            columns.push(self.key_column(&types.names()[col], c, key_type, &order));
        }
        for (agg, source_index) in options.aggs.iter().zip(&plan.agg_sources) {
            columns.push(self.agg_column(plan, types, agg, *source_index, &order));
        }
        let frame = DataFrame::new(order.len(), columns).map_err(|e| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source(source),
                e.to_string(),
            )
        })?;
        match &options.sort {
            Some(sort) => sort_frame(frame, sort),
            None => Ok(frame),
        }
    }

    /// The groups sorted by key: numbers by value, text by bytes, nulls last.
    fn key_order(&self, width: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.groups.len()).collect();
        order.sort_by(|&a, &b| {
            (0..width)
                .map(|c| self.compare_keys(a, b, c))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        order
    }

    fn compare_keys(&self, a: usize, b: usize, c: usize) -> Ordering {
        use super::groups::KeyPart::{Null, Number, Text};
        match (self.groups.part(a, c), self.groups.part(b, c)) {
            (Null, Null) => Ordering::Equal,
            (Null, _) => Ordering::Greater,
            (_, Null) => Ordering::Less,
            (Number { bits: x, .. }, Number { bits: y, .. }) => {
                f64::from_bits(x).total_cmp(&f64::from_bits(y))
            }
            (Text(x), Text(y)) => self.groups.text(x).cmp(self.groups.text(y)),
            // One pass types a column one way: a key column is all numbers or all text.
            (Number { .. }, Text(_)) => Ordering::Less,
            (Text(_), Number { .. }) => Ordering::Greater,
        }
    }

    fn key_column(&self, name: &str, c: usize, key_type: KeyType, order: &[usize]) -> Column {
        use super::groups::KeyPart::{Null, Number, Text};
        let name = PlSmallStr::from(name);
        let parts = order.iter().map(|&g| self.groups.part(g, c));
        match key_type {
            KeyType::Text => {
                let texts: Vec<Option<String>> = parts
                    .map(|p| match p {
                        Text(span) => Some(String::from_utf8_lossy(self.groups.text(span)).into()),
                        Null | Number { .. } => None,
                    })
                    .collect();
                StringChunked::from_iter_options(name, texts.iter().map(Option::as_deref))
                    .into_column()
            }
            KeyType::Integer => Int64Chunked::from_iter_options(
                name,
                parts.map(|p| match p {
                    Number { exact, .. } => exact,
                    Null | Text(_) => None,
                }),
            )
            .into_column(),
            KeyType::Float => Float64Chunked::from_iter_options(
                name,
                parts.map(|p| match p {
                    Number { bits, .. } => Some(f64::from_bits(bits)),
                    Null | Text(_) => None,
                }),
            )
            .into_column(),
            KeyType::Bool => StringChunked::from_iter_options(
                name,
                parts.map(|p| match p {
                    Number { bits, .. } => Some(bool_text(f64::from_bits(bits) == 1.0)),
                    Null | Text(_) => None,
                }),
            )
            .into_column(),
            KeyType::Datetime { with_time } => {
                let texts: Vec<Option<String>> = parts
                    .map(|p| match p {
                        Number { bits, .. } => Some(datetime_text(f64::from_bits(bits), with_time)),
                        Null | Text(_) => None,
                    })
                    .collect();
                StringChunked::from_iter_options(name, texts.iter().map(Option::as_deref))
                    .into_column()
            }
        }
    }

    /// Whether a source is what pandas types `int64`: an integer column, or a `--with` of
    /// integers without division and without a null.
    fn source_integer(&self, plan: &Plan, types: &ColumnTypes, source: Source) -> bool {
        match source {
            Source::Raw(c) => types.is_integer(c),
            Source::Derived(d) => {
                let resolved = &plan.derived[d];
                !self.derived_nulls[d]
                    && resolved.expr.is_integer(&|name| {
                        self.source_integer(plan, types, resolved.binding(name))
                    })
            }
        }
    }

    fn agg_column(
        &self,
        plan: &Plan,
        types: &ColumnTypes,
        agg: &Agg,
        source_index: Option<usize>,
        order: &[usize],
    ) -> Column {
        let name = PlSmallStr::from(agg.name.as_str());
        let ints = |f: &dyn Fn(usize) -> u64| {
            Int64Chunked::from_iter_values(name.clone(), order.iter().map(|&g| f(g) as i64))
                .into_column()
        };
        let Some(s) = source_index else {
            return ints(&|g| self.rows_per_group[g]);
        };
        let (source, _) = plan.sources[s];
        let acc = &self.accumulators[s];
        let integer = self.source_integer(plan, types, source);
        let floats = |f: &dyn Fn(usize) -> Option<f64>| {
            let values = order.iter().map(|&g| f(g).filter(|x| !x.is_nan()));
            if integer && matches!(agg.func, Func::Sum | Func::Min | Func::Max) {
                Int64Chunked::from_iter_options(name.clone(), values.map(|v| v.map(|x| x as i64)))
                    .into_column()
            } else {
                Float64Chunked::from_iter_options(name.clone(), values).into_column()
            }
        };
        let numbers = |g: usize| acc.numbers[g];
        let text = matches!(source, Source::Raw(c) if !types.holds_numbers(c));
        match agg.func {
            Func::CountRows => ints(&|g| self.rows_per_group[g]),
            Func::Count => ints(&|g| acc.count[g]),
            Func::Sum => floats(&|g| Some(acc.total(g))),
            Func::Mean => floats(&|g| (numbers(g) > 0).then(|| acc.total(g) / numbers(g) as f64)),
            Func::Var => floats(&|g| acc.variance(g)),
            Func::Std => floats(&|g| acc.variance(g).map(f64::sqrt)),
            Func::Min if text => text_column(name, &acc.text_min, order),
            Func::Max if text => text_column(name, &acc.text_max, order),
            Func::Min => floats(&|g| (numbers(g) > 0).then(|| acc.min[g])),
            Func::Max => floats(&|g| (numbers(g) > 0).then(|| acc.max[g])),
            Func::Median => floats(&|g| median(acc.values[g].clone())),
            Func::Nunique => ints(&|g| acc.distinct(g) as u64),
        }
    }
}

/// A text aggregate (min or max of a text column), in group `order`.
fn text_column(name: PlSmallStr, texts: &[Option<Box<[u8]>>], order: &[usize]) -> Column {
    let values: Vec<Option<String>> = order
        .iter()
        .map(|&g| {
            texts[g]
                .as_deref()
                .map(|t| String::from_utf8_lossy(t).into_owned())
        })
        .collect();
    StringChunked::from_iter_options(name, values.iter().map(Option::as_deref)).into_column()
}

/// Sorts groups by an output column, stably (ties keep key order), nulls last either way.
fn sort_frame(frame: DataFrame, sort: &SortBy) -> Result<DataFrame> {
    let names = frame.get_column_names();
    let column = frame.column(&sort.column).map_err(|_| {
        let known: Vec<String> = names.iter().map(|n| format!("{:?}", n.as_str())).collect();
        DataError::new(
            ErrorKind::UnknownColumn,
            Location::source("--sort"),
            format!(
                "{:?} is not an output column; the output has {}",
                sort.column,
                known.join(", ")
            ),
        )
    })?;
    let order = if let Ok(text) = column.str() {
        let values: Vec<Option<&str>> = text.iter().collect();
        stable_order(&values, sort.descending, |x, y| x.cmp(y))
    } else {
        let floats = column.cast(&DataType::Float64).map_err(|e| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source("--sort"),
                e.to_string(),
            )
        })?;
        let values: Vec<Option<f64>> = floats.f64().expect("Float64").iter().collect();
        stable_order(&values, sort.descending, f64::total_cmp)
    };
    frame
        .take(&IdxCa::from_vec(PlSmallStr::EMPTY, order))
        .map_err(|e| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source("--sort"),
                e.to_string(),
            )
        })
}

/// The row order that sorts `values` stably, nulls last whichever the direction.
fn stable_order<T: Copy>(
    values: &[Option<T>],
    descending: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Vec<IdxSize> {
    let mut order: Vec<IdxSize> = (0..values.len() as IdxSize).collect();
    order.sort_by(|&a, &b| nulls_last(values[a as usize], values[b as usize], descending, &cmp));
    order
}

fn nulls_last<T: Copy>(
    a: Option<T>,
    b: Option<T>,
    descending: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Greater,
        (_, None) => Ordering::Less,
        (Some(x), Some(y)) if descending => cmp(&y, &x),
        (Some(x), Some(y)) => cmp(&x, &y),
    }
}
