//! Feature importance over a table (exercise C.3): every numeric column scored against a target
//! with scikit-learn's univariate F tests.

use std::collections::HashMap;

use brisk_kernels::feature_selection::{f_classif, f_regression, FScores};
use brisk_kernels::numeric::canonical_zero;
use ndarray::{Array1, Array2};
use serde::{Serialize, Serializer};

use crate::error::{ReportError, Result};
use brisk_data::table::TableColumn;

/// Which test scores the features.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Method {
    /// `f_classif` for a text target, `f_regression` for a numeric one.
    Auto,
    /// One-way ANOVA F between the classes of the target (`sklearn.feature_selection.f_classif`).
    Classif,
    /// F of the univariate linear regression on the target (`sklearn.feature_selection.f_regression`).
    Regression,
}

/// The test a [`Method`] resolves to for a given target.
enum Test<'a> {
    Classif,
    /// With the target's values.
    Regression(&'a [f64]),
}

/// One feature's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureScore {
    /// The column.
    pub feature: String,
    /// The F statistic; null in JSON when undefined (a constant feature) or infinite.
    #[serde(serialize_with = "finite_or_null")]
    pub score: f64,
    /// Its p-value under the F distribution; null in JSON when undefined.
    #[serde(serialize_with = "finite_or_null")]
    pub p_value: f64,
}

/// The scores of every numeric feature for one target, highest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Importance {
    /// The target column.
    pub target: String,
    /// `f_classif` or `f_regression`.
    pub method: &'static str,
    /// Rows used: those with no null in the target or any feature.
    pub rows: usize,
    /// Rows left out for a null (or, for numbers, an infinity) in a used column.
    pub rows_dropped: usize,
    /// Classes of the target (f_classif only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<usize>,
    /// The features by score, highest first; undefined scores last, ties in column order.
    pub features: Vec<FeatureScore>,
    /// A first column left out as a row index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_dropped: Option<String>,
}

fn finite_or_null<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_finite() {
        serializer.serialize_f64(*value)
    } else {
        serializer.serialize_none()
    }
}

/// Scores every numeric column of `columns` but the target against `target`.
///
/// As `df.dropna(subset=features + [target])` followed by scikit-learn's `f_classif(X, y)` (ANOVA
/// F, Fisher 1925) or `f_regression(X, y)` (F = r²/(1 − r²)·(n − 2), with its defaults
/// `center=True, force_finite=True`); [`Method::Auto`] picks `f_classif` for a text target and
/// `f_regression` for a numeric one. A numeric target under [`Method::Classif`] has one class per
/// distinct value. Rows whose numbers include an infinity are left out too, as scikit-learn
/// refuses them.
///
/// # Errors
/// An unknown target; `f_regression` asked of a text target; no numeric feature; too few rows or a
/// single class after dropping nulls.
///
/// ```
/// use brisk_data::table::TableColumn;
/// use brisk_report::importance::{feature_importance, Method};
/// let columns = vec![
///     TableColumn::Numeric { name: "x".into(), values: vec![1.0, 2.0, 8.0, 9.0] },
///     TableColumn::Text { name: "y".into(), values: ["a", "a", "b", "b"].map(|s| Some(s.into())).to_vec() },
/// ];
/// let scores = feature_importance(&columns, "t.csv", "y", Method::Auto).unwrap();
/// assert_eq!(scores.method, "f_classif");
/// // Between-class mean square 49 over within-class 0.5.
/// assert!((scores.features[0].score - 98.0).abs() < 1e-12);
/// ```
pub fn feature_importance(
    columns: &[TableColumn],
    source: &str,
    target: &str,
    method: Method,
) -> Result<Importance> {
    let Some(target_column) = columns.iter().find(|c| c.name() == target) else {
        let names: Vec<&str> = columns.iter().map(TableColumn::name).collect();
        return Err(ReportError::invalid(
            source,
            format!(
                "--target names the column {target:?}, which is not in the input; its columns \
                 are {}",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let features: Vec<(&str, &[f64])> = columns
        .iter()
        .filter(|c| c.name() != target)
        .filter_map(|c| match c {
            TableColumn::Numeric { name, values } => Some((name.as_str(), values.as_slice())),
            TableColumn::Text { .. } => None,
        })
        .collect();
    if features.is_empty() {
        return Err(ReportError::invalid(
            source,
            format!("no numeric column besides the target {target:?} to score"),
        ));
    }
    let test = match (method, target_column) {
        (Method::Regression, TableColumn::Text { .. }) => {
            return Err(ReportError::invalid(
                source,
                format!(
                    "--target {target:?} holds text, and f_regression needs numbers; use \
                     --method classif (or auto)"
                ),
            ))
        }
        (Method::Auto | Method::Regression, TableColumn::Numeric { values, .. }) => {
            Test::Regression(values)
        }
        (Method::Auto | Method::Classif, _) => Test::Classif,
    };
    let rows = target_column_len(target_column);
    let keep: Vec<usize> = (0..rows)
        .filter(|&r| {
            let target_ok = match target_column {
                TableColumn::Numeric { values, .. } => values[r].is_finite(),
                TableColumn::Text { values, .. } => values[r].is_some(),
            };
            target_ok && features.iter().all(|(_, v)| v[r].is_finite())
        })
        .collect();
    let x = Array2::from_shape_fn((keep.len(), features.len()), |(i, j)| {
        features[j].1[keep[i]]
    });
    let context = format!("{source}: importance of the features for {target:?}");
    let (scores, classes) = match test {
        Test::Classif => {
            let labels = class_labels(target_column, &keep);
            let classes = labels.iter().max().map_or(0, |m| m + 1);
            if classes < 2 {
                return Err(ReportError::invalid(
                    source,
                    format!(
                        "--target {target:?} has {classes} class in the {} rows without nulls; \
                         f_classif needs at least two",
                        keep.len()
                    ),
                ));
            }
            let scores = f_classif(x.view(), &labels).map_err(ReportError::kernel(context))?;
            (scores, Some(classes))
        }
        Test::Regression(values) => {
            let y: Array1<f64> = keep.iter().map(|&r| values[r]).collect();
            let scores = f_regression(x.view(), y.view()).map_err(ReportError::kernel(context))?;
            (scores, None)
        }
    };
    let names: Vec<String> = features.iter().map(|(n, _)| (*n).to_owned()).collect();
    let ranked = rank_scores(&names, scores);
    Ok(Importance {
        target: target.to_owned(),
        method: match test {
            Test::Classif => "f_classif",
            Test::Regression(_) => "f_regression",
        },
        rows: keep.len(),
        rows_dropped: rows - keep.len(),
        index_dropped: None,
        classes,
        features: ranked,
    })
}

/// The features with their scores, highest first, NaN last; ties keep column order.
pub(crate) fn rank_scores(features: &[String], scores: FScores) -> Vec<FeatureScore> {
    let FScores { scores, p_values } = scores;
    let mut ranked: Vec<FeatureScore> = features
        .iter()
        .zip(scores.iter().zip(&p_values))
        .map(|(name, (&score, &p_value))| FeatureScore {
            feature: name.clone(),
            score,
            p_value,
        })
        .collect();
    // The sort is stable, so ties keep column order.
    ranked.sort_by(|a, b| match (a.score.is_nan(), b.score.is_nan()) {
        (false, false) => b.score.total_cmp(&a.score),
        (nan_a, nan_b) => nan_a.cmp(&nan_b),
    });
    ranked
}

fn target_column_len(column: &TableColumn) -> usize {
    match column {
        TableColumn::Numeric { values, .. } => values.len(),
        TableColumn::Text { values, .. } => values.len(),
    }
}

/// Class ids 0, 1, … in order of first appearance among the kept rows; numbers are one class per
/// value (`-0.0` equal to `0.0`).
fn class_labels(target: &TableColumn, keep: &[usize]) -> Vec<usize> {
    match target {
        TableColumn::Text { values, .. } => {
            let mut ids: HashMap<&str, usize> = HashMap::new();
            keep.iter()
                .map(|&r| {
                    let key = values[r].as_deref().unwrap_or_default();
                    let next = ids.len();
                    *ids.entry(key).or_insert(next)
                })
                .collect()
        }
        TableColumn::Numeric { values, .. } => {
            let mut ids: HashMap<u64, usize> = HashMap::new();
            keep.iter()
                .map(|&r| {
                    let key = canonical_zero(values[r]).to_bits();
                    let next = ids.len();
                    *ids.entry(key).or_insert(next)
                })
                .collect()
        }
    }
}
