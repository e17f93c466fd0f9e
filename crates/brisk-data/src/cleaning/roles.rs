//! What each column's cleaning is, from the options and the column types, checked once.

use crate::batch::{ColumnType, ColumnTypes};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::frame::{unknown_column, CleanOptions};

/// How one column is cleaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Not cleaned: written as read.
    Keep,
    /// A numeric column: median fill, and the outlier rule.
    Median,
    /// A numeric column named categorical: filled with its most frequent number.
    NumberMode,
    /// A text column: filled with its most frequent value, then lowercased.
    TextMode,
}

/// The role of every column, and the lists as the report names them.
#[derive(Debug, Clone)]
pub(crate) struct Roles {
    pub(crate) roles: Vec<Role>,
    /// The numeric columns, in the order given.
    pub(crate) numeric: Vec<usize>,
    /// The categorical columns, in the order given.
    pub(crate) categorical: Vec<usize>,
}

impl Roles {
    /// The roles `options` give the columns of `types` (read from `source`).
    ///
    /// # Errors
    /// A listed column the table lacks, a column in both lists, a numeric column that holds text
    /// (named with where its first text is), a negative or non-finite sigma.
    pub(crate) fn new(source: &str, types: &ColumnTypes, options: &CleanOptions) -> Result<Roles> {
        let fail = |message: String| {
            DataError::new(
                ErrorKind::InvalidArgument,
                Location::source(source),
                message,
            )
        };
        if !(options.sigma.is_finite() && options.sigma >= 0.0) {
            return Err(fail(format!(
                "--sigma must be a finite number ≥ 0, not {}",
                options.sigma
            )));
        }
        let names = types.names();
        let pick = |given: &Option<Vec<String>>,
                    other: &Option<Vec<String>>,
                    default: &dyn Fn(usize) -> bool,
                    what: &str|
         -> Result<Vec<usize>> {
            let mut picked: Vec<usize> = Vec::new();
            match given {
                Some(list) => {
                    for name in list {
                        let j = types
                            .position(name)
                            .ok_or_else(|| unknown_column(source, name, what, names))?;
                        if !picked.contains(&j) {
                            picked.push(j);
                        }
                    }
                }
                None => {
                    let claimed = |j: usize| {
                        other.iter().flatten().any(|o| *o == names[j])
                            || options.except.iter().any(|o| *o == names[j])
                    };
                    picked.extend((0..names.len()).filter(|&j| default(j) && !claimed(j)));
                }
            }
            Ok(picked)
        };
        let numeric = pick(
            &options.numeric,
            &options.categorical,
            &|j| types.is_numeric(j),
            "--numeric",
        )?;
        let categorical = pick(
            &options.categorical,
            &options.numeric,
            // Boolean columns are neither, as pandas' select_dtypes("number") and ("object") leave
            // them out; naming one puts it in that role.
            &|j| types.get(j) == ColumnType::Text,
            "--categorical",
        )?;
        if let Some(&both) = numeric.iter().find(|j| categorical.contains(j)) {
            return Err(fail(format!(
                "{:?} is named by both --numeric and --categorical; list it under one",
                names[both]
            )));
        }
        for &j in &numeric {
            if let Some(sighting) = types.first_text(j) {
                return Err(DataError::new(
                    ErrorKind::InvalidArgument,
                    sighting.location.clone(),
                    format!(
                        "--numeric names {:?}, but it holds text ({:?}); list it under \
                         --categorical or fix the value",
                        names[j], sighting.value
                    ),
                ));
            }
        }
        let mut roles = vec![Role::Keep; names.len()];
        for &j in &numeric {
            roles[j] = Role::Median;
        }
        for &j in &categorical {
            roles[j] = if types.holds_numbers(j) {
                Role::NumberMode
            } else {
                Role::TextMode
            };
        }
        Ok(Roles {
            roles,
            numeric,
            categorical,
        })
    }
}
