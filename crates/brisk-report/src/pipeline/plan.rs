//! Which columns each analysis reads: decided from the column types and, once the first pass
//! has counted them, the columns that hold a value.

use brisk_data::batch::{ColumnType, ColumnTypes};
use brisk_data::frame::unknown_column;

use crate::error::{ReportError, Result};
use crate::importance::Method;

/// The test that scores the features against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Test {
    /// One-way ANOVA F between the target's classes (`f_classif`).
    Classif,
    /// F of the univariate regression on a numeric target (`f_regression`).
    Regression,
}

/// The target of the importance scores.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Target {
    /// Its column.
    pub column: usize,
    /// Its name.
    pub name: String,
    /// Whether it holds numbers.
    pub numeric: bool,
    /// The test that scores the features.
    pub test: Test,
}

/// The columns of every analysis.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnalysisPlan {
    /// Column names, in table order.
    pub names: Vec<String>,
    /// Numeric and boolean (1/0) columns with at least one value (a numeric target included):
    /// the correlation's, as `DataFrame.corr(numeric_only=True)` takes them.
    pub numeric: Vec<usize>,
    /// The numeric columns but the target: the projection's, k-means' and importance's features.
    pub features: Vec<usize>,
    /// The importance target, when one was given.
    pub target: Option<Target>,
    /// A first column left out of every analysis as a row index ([`brisk_data::batch::RowIndex`]).
    pub row_index: Option<usize>,
}

impl AnalysisPlan {
    /// The plan for a table of these types; `has_values(j)` says whether numeric column `j` holds
    /// a value (all columns do before a pass has counted them); `row_index` is a column to leave
    /// out as a row index (it stays the target if it is named as one).
    ///
    /// # Errors
    /// An unknown target, or `f_regression` asked of a text target.
    pub fn new(
        source: &str,
        types: &ColumnTypes,
        target: Option<&str>,
        method: Method,
        has_values: &dyn Fn(usize) -> bool,
        row_index: Option<usize>,
    ) -> Result<AnalysisPlan> {
        let target = match target {
            None => None,
            Some(name) => Some(resolve_target(source, types, name, method)?),
        };
        let is_target = |j: usize| target.as_ref().is_some_and(|t| t.column == j);
        let row_index = row_index.filter(|&j| !is_target(j));
        let numeric: Vec<usize> = (0..types.len())
            .filter(|&j| types.counts_as_number(j) && has_values(j) && row_index != Some(j))
            .collect();
        let features = numeric
            .iter()
            .copied()
            .filter(|&j| target.as_ref().is_none_or(|t| t.column != j))
            .collect();
        Ok(AnalysisPlan {
            names: types.names().to_vec(),
            numeric,
            features,
            target,
            row_index,
        })
    }

    /// The names of some columns.
    pub fn names_of(&self, columns: &[usize]) -> Vec<String> {
        columns.iter().map(|&j| self.names[j].clone()).collect()
    }
}

fn resolve_target(source: &str, types: &ColumnTypes, name: &str, method: Method) -> Result<Target> {
    let Some(column) = types.position(name) else {
        return Err(unknown_column(source, name, "--target", types.names()).into());
    };
    let numeric = types.holds_numbers(column);
    let test = match (method, types.get(column)) {
        (Method::Regression, ColumnType::Text) => {
            return Err(ReportError::invalid(
                source,
                format!(
                    "--target {name:?} holds text, and f_regression needs numbers; use --method \
                     classif (or auto)"
                ),
            ))
        }
        (Method::Auto, ColumnType::Numeric) | (Method::Regression, _) => Test::Regression,
        // A boolean target has two classes, as scikit-learn takes a bool `y`.
        (Method::Auto | Method::Classif, _) => Test::Classif,
    };
    Ok(Target {
        column,
        name: name.to_owned(),
        numeric,
        test,
    })
}
