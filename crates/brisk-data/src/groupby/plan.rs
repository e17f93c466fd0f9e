//! The resolved job: key columns, where each aggregate's values come from, and what each needs.

use std::collections::HashSet;

use super::accumulate::Needs;
use super::expr::Expr;
use super::GroupByOptions;
use crate::batch::ColumnTypes;
use crate::error::{DataError, ErrorKind, Location, Result};

/// Where an aggregate's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A column of the input.
    Raw(usize),
    /// A `--with` column.
    Derived(usize),
}

/// A derived column's expression, with each name bound to a raw column or an earlier derived one.
pub struct Resolved {
    pub expr: Expr,
    pub bindings: Vec<(String, Source)>,
}

impl Resolved {
    /// The source a name of the expression is bound to.
    pub fn binding(&self, name: &str) -> Source {
        self.bindings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| *s)
            .expect("every name is bound at planning")
    }
}

/// The job with its names resolved against the input's columns.
pub struct Plan {
    pub key_columns: Vec<usize>,
    /// For each derived column, its expression with names resolved.
    pub derived: Vec<Resolved>,
    /// The distinct value sources, with what their aggregates need.
    pub sources: Vec<(Source, Needs)>,
    /// Per aggregate: its source (`None` for `count()`).
    pub agg_sources: Vec<Option<usize>>,
}

impl Plan {
    /// Resolves `options` against the input's column `names`.
    ///
    /// # Errors
    /// No key or no aggregate, a name that is no column, or two output columns of one name.
    pub fn new(source: &str, names: &[String], options: &GroupByOptions) -> Result<Plan> {
        check_arguments(options)?;
        let unknown =
            |name: &str, what: &str| crate::frame::unknown_column(source, name, what, names);
        let raw = |name: &str| names.iter().position(|h| h == name);
        let key_columns = options
            .by
            .iter()
            .map(|name| raw(name).ok_or_else(|| unknown(name, "--by")))
            .collect::<Result<Vec<_>>>()?;
        let lookup = |name: &str, before: usize| -> Option<Source> {
            options.derived[..before]
                .iter()
                .rposition(|d| d.name == name)
                .map(Source::Derived)
                .or_else(|| raw(name).map(Source::Raw))
        };
        let mut derived = Vec::with_capacity(options.derived.len());
        for (i, d) in options.derived.iter().enumerate() {
            let bindings = d
                .expr
                .columns()
                .into_iter()
                .map(|name| match lookup(&name, i) {
                    Some(bound) => Ok((name, bound)),
                    None => Err(unknown(&name, &format!("--with {:?}", d.name))),
                })
                .collect::<Result<Vec<_>>>()?;
            derived.push(Resolved {
                expr: d.expr.clone(),
                bindings,
            });
        }
        let mut sources: Vec<(Source, Needs)> = Vec::new();
        let mut agg_sources = Vec::with_capacity(options.aggs.len());
        for agg in &options.aggs {
            let Some(name) = &agg.column else {
                agg_sources.push(None);
                continue;
            };
            let source = lookup(name, options.derived.len())
                .ok_or_else(|| unknown(name, &format!("--agg {:?}", agg.name)))?;
            let index = match sources.iter().position(|(s, _)| *s == source) {
                Some(i) => i,
                None => {
                    sources.push((source, Needs::default()));
                    sources.len() - 1
                }
            };
            sources[index].1.add(agg.func);
            agg_sources.push(Some(index));
        }
        Ok(Plan {
            key_columns,
            derived,
            sources,
            agg_sources,
        })
    }

    /// The input columns the job reads: its keys, the aggregated columns and those the `--with`
    /// expressions use.
    pub fn used_columns(&self) -> Vec<usize> {
        let raw = |source: &Source| match source {
            Source::Raw(j) => Some(*j),
            Source::Derived(_) => None,
        };
        let mut used: Vec<usize> = self.key_columns.clone();
        used.extend(self.sources.iter().filter_map(|(source, _)| raw(source)));
        used.extend(
            self.derived
                .iter()
                .flat_map(|d| d.bindings.iter().filter_map(|(_, source)| raw(source))),
        );
        used.sort_unstable();
        used.dedup();
        used
    }

    /// Refuses text where the job needs numbers: a `--with` over a text column, or `sum`, `mean`,
    /// `std`, `var` or `median` of one. Types only ever turn to text, so this can be asked after
    /// every batch.
    ///
    /// # Errors
    /// The first such column, with where its text was first seen.
    pub fn check_numbers(
        &self,
        types: &ColumnTypes,
        options: &GroupByOptions,
        source: &str,
    ) -> Result<()> {
        // Text in column `c`, said with the sighting's location and value.
        let refuse = |c: usize, say: &dyn Fn(&str) -> String| {
            let (location, value) = text_sighting(types, source, c);
            Err(DataError::new(
                ErrorKind::InvalidArgument,
                location,
                say(&value),
            ))
        };
        for (resolved, d) in self.derived.iter().zip(&options.derived) {
            for (name, bound) in &resolved.bindings {
                if let Source::Raw(c) = *bound {
                    if !types.counts_as_number(c) {
                        return refuse(c, &|value| {
                            format!(
                                "--with {:?} does arithmetic on {name:?}, which holds text{value}",
                                d.name
                            )
                        });
                    }
                }
            }
        }
        for (agg, source_index) in options.aggs.iter().zip(&self.agg_sources) {
            let Some(s) = source_index else { continue };
            if let (true, Source::Raw(c)) = (agg.func.needs_numbers(), self.sources[*s].0) {
                if !types.counts_as_number(c) {
                    return refuse(c, &|value| {
                        format!(
                            "{} needs numbers, but {:?} holds text{value}; use count, nunique, min or max for text",
                            agg.name,
                            types.names()[c]
                        )
                    });
                }
            }
        }
        Ok(())
    }
}

/// Keys and aggregates are given, and no two output columns share a name.
fn check_arguments(options: &GroupByOptions) -> Result<()> {
    if options.by.is_empty() {
        return Err(DataError::new(
            ErrorKind::InvalidArgument,
            Location::source("--by"),
            "give at least one key column",
        ));
    }
    if options.aggs.is_empty() {
        return Err(DataError::new(
            ErrorKind::InvalidArgument,
            Location::source("--agg"),
            "give at least one aggregate, e.g. --agg \"count(), mean(x)\"",
        ));
    }
    let mut outputs = HashSet::new();
    let names = options
        .by
        .iter()
        .chain(options.aggs.iter().map(|a| &a.name));
    for name in names {
        if !outputs.insert(name) {
            return Err(DataError::new(
                ErrorKind::InvalidArgument,
                Location::source("groupby"),
                format!(
                    "two output columns are named {name:?}; list each key once in --by and name \
                     aggregates apart with `as NAME`"
                ),
            ));
        }
    }
    Ok(())
}

/// Where text column `c` first showed text, and the text for a message (` ("…")`); a column typed
/// as text by its file (Parquet) is located by its column alone.
fn text_sighting(types: &ColumnTypes, source: &str, c: usize) -> (Location, String) {
    match types.first_text(c) {
        Some(sighting) => (
            sighting.location.clone(),
            format!(" ({:?})", sighting.value),
        ),
        None => (
            Location::source(source).at_column(c + 1, Some(&types.names()[c])),
            String::new(),
        ),
    }
}
