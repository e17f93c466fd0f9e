//! The transform stage of the report and the panel: statistics, correlation, a standardised PCA
//! with k-means clusters on it, and feature importance, each timed as its own profile stage.

use std::collections::HashMap;

use brisk_kernels::cluster::KMeans;
use brisk_kernels::decomposition::Pca;
use brisk_kernels::linalg::correlation;
use brisk_kernels::preprocessing::{normalize, Method as Scaling};
use brisk_kernels::stats::{compute_statistics, Convention, Statistics};
use brisk_profile::with_block;
use ndarray::{Array2, Axis};

use crate::error::{ReportError, Result};
use crate::importance::{feature_importance, Importance, Method};
use brisk_data::table::TableColumn;

/// What to analyse and how.
#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// The column to score the features against; no importance without one.
    pub target: Option<String>,
    /// The importance test.
    pub method: Method,
    /// k-means clusters; by default the target's classes (2 to 10) or 3.
    pub clusters: Option<usize>,
    /// Seed of the k-means++ initialisation.
    pub seed: u32,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            target: None,
            method: Method::Auto,
            clusters: None,
            seed: 0,
        }
    }
}

/// The summary of one text column (pandas' `describe()` of an object column).
#[derive(Debug, Clone, PartialEq)]
pub struct TextSummary {
    /// The column.
    pub name: String,
    /// Non-null values.
    pub count: usize,
    /// Nulls.
    pub null_count: usize,
    /// Distinct non-null values.
    pub unique: usize,
    /// The most frequent value (ties go to the one seen first); `None` for an all-null column.
    pub top: Option<String>,
    /// How often `top` occurs.
    pub freq: usize,
}

/// The data projected on its first two principal components, and the k-means clusters.
#[derive(Debug, Clone)]
pub struct Projection {
    /// The features used (numeric columns but the target, in order).
    pub features: Vec<String>,
    /// Rows used: those with every feature finite.
    pub rows: usize,
    /// `rows × 2` principal-component scores of the standardised features.
    pub scores: Array2<f64>,
    /// Share of the variance of the two components.
    pub explained_variance_ratio: [f64; 2],
    /// The cluster of each used row.
    pub labels: Vec<usize>,
    /// Rows per cluster.
    pub sizes: Vec<usize>,
    /// k-means inertia on the standardised features.
    pub inertia: f64,
}

impl Projection {
    /// The projected rows to draw, at most `at_most` of them: all, or one row in
    /// `⌈rows / at_most⌉`, evenly spread over the table; with their clusters.
    pub fn even_sample(&self, at_most: usize) -> (Array2<f64>, Vec<usize>) {
        let step = self.rows.div_ceil(at_most.max(1)).max(1);
        let picked: Vec<usize> = (0..self.rows).step_by(step).collect();
        (
            self.scores.select(Axis(0), &picked),
            picked.iter().map(|&r| self.labels[r]).collect(),
        )
    }
}

/// Everything the report and the panel show about a table.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Rows in the table.
    pub rows: usize,
    /// Numeric columns with at least one value, in order.
    pub numeric: Vec<String>,
    /// The same columns with their values (NaN for null), as the histograms take them.
    pub numeric_columns: Vec<(String, Vec<f64>)>,
    /// Statistics of the numeric columns, sample convention, nulls skipped.
    pub statistics: Statistics,
    /// Summaries of the text columns.
    pub text: Vec<TextSummary>,
    /// Pearson correlation of the numeric columns over the rows where all are finite; `None`
    /// with fewer than two such columns or rows.
    pub correlation: Option<Array2<f64>>,
    /// Why there is no projection, or the projection.
    pub projection: std::result::Result<Projection, String>,
    /// Feature importance, when a target was given.
    pub importance: Option<Importance>,
}

/// Analyses `columns` (from `source`): each step is a profile stage under the caller's current
/// one — `statistics`, `correlation`, `pca`, `kmeans`, `importance`.
///
/// PCA follows `make_pipeline(StandardScaler(), PCA(2))` and k-means (scikit-learn's Lloyd, best
/// of 10 k-means++ starts) runs on the same standardised features, so that no column dominates
/// by its unit. Rows with a null or an infinity in a feature are left out of both.
///
/// # Errors
/// An unknown target or an importance that cannot be computed (see
/// [`feature_importance`]); a kernel's refusal.
///
/// ```
/// use brisk_report::analysis::{analyse, AnalysisOptions};
/// use brisk_data::table::TableColumn;
/// let x: Vec<f64> = (0..20).map(|i| i as f64).collect();
/// let y: Vec<f64> = x.iter().map(|v| (v * 0.7).sin()).collect();
/// let columns = vec![
///     TableColumn::Numeric { name: "x".into(), values: x },
///     TableColumn::Numeric { name: "y".into(), values: y },
/// ];
/// let analysis = analyse(&columns, "t.csv", &AnalysisOptions::default()).unwrap();
/// assert_eq!(analysis.numeric, ["x", "y"]);
/// assert_eq!(analysis.projection.unwrap().labels.len(), 20);
/// ```
pub fn analyse(
    columns: &[TableColumn],
    source: &str,
    options: &AnalysisOptions,
) -> Result<Analysis> {
    let rows = columns.first().map_or(0, column_len);
    let numeric: Vec<(&str, &Vec<f64>)> = columns
        .iter()
        .filter_map(|c| match c {
            TableColumn::Numeric { name, values } if values.iter().any(|v| !v.is_nan()) => {
                Some((name.as_str(), values))
            }
            _ => None,
        })
        .collect();
    let statistics = with_block("statistics", || {
        let matrix = Array2::from_shape_fn((rows, numeric.len()), |(i, j)| numeric[j].1[i]);
        compute_statistics(matrix.view(), Convention::Sample)
    });
    let text = with_block("text summaries", || {
        columns
            .iter()
            .filter_map(|c| match c {
                TableColumn::Text { name, values } => Some(summarise_text(name, values)),
                TableColumn::Numeric { .. } => None,
            })
            .collect()
    });
    let correlation = with_block("correlation", || {
        let all: Vec<&[f64]> = numeric.iter().map(|(_, v)| v.as_slice()).collect();
        let x = complete_rows(&all);
        if x.ncols() < 2 || x.nrows() < 2 {
            return Ok(None);
        }
        correlation(x.view())
            .map(Some)
            .map_err(ReportError::kernel(format!("{source}: correlation")))
    })?;
    let importance = match &options.target {
        Some(target) => Some(with_block("importance", || {
            feature_importance(columns, source, target, options.method)
        })?),
        None => None,
    };
    let clusters = options.clusters.unwrap_or_else(|| {
        importance
            .as_ref()
            .and_then(|i| i.classes)
            .map_or(3, |k| k.clamp(2, 10))
    });
    let features: Vec<(&str, &[f64])> = numeric
        .iter()
        .filter(|(name, _)| Some(*name) != options.target.as_deref())
        .map(|(name, values)| (*name, values.as_slice()))
        .collect();
    let projection = project(&features, clusters, options.seed, source)?;
    Ok(Analysis {
        rows,
        numeric: numeric.iter().map(|(n, _)| (*n).to_owned()).collect(),
        numeric_columns: numeric
            .iter()
            .map(|(name, values)| ((*name).to_owned(), (*values).clone()))
            .collect(),
        statistics,
        text,
        correlation,
        projection,
        importance,
    })
}

/// PCA to two components and k-means, on the standardised complete rows of `features`; `Err`
/// with the reason when the data are too small for it.
fn project(
    features: &[(&str, &[f64])],
    clusters: usize,
    seed: u32,
    source: &str,
) -> Result<std::result::Result<Projection, String>> {
    let columns: Vec<&[f64]> = features.iter().map(|(_, v)| *v).collect();
    let x = complete_rows(&columns);
    if x.ncols() < 2 {
        return Ok(Err(format!(
            "a projection needs at least two numeric features; the data has {}",
            x.ncols()
        )));
    }
    if x.nrows() < clusters.max(3) {
        return Ok(Err(format!(
            "{} complete rows are too few for {clusters} clusters",
            x.nrows()
        )));
    }
    let z = normalize(x.view(), Scaling::ZScore, Axis(0));
    let pca = with_block("pca", || {
        let model = Pca::params(2)
            .check()
            .and_then(|p| p.fit(z.view()))
            .map_err(ReportError::kernel(format!("{source}: PCA")))?;
        let scores = model
            .transform(z.view())
            .map_err(ReportError::kernel(format!("{source}: PCA")))?;
        Ok::<_, ReportError>((scores, model.explained_variance_ratio))
    })?;
    let kmeans = with_block("kmeans", || {
        KMeans::params(clusters)
            .n_init(10)
            .seed(seed)
            .check()
            .and_then(|p| p.fit(z.view()))
            .map_err(ReportError::kernel(format!("{source}: k-means")))
    })?;
    Ok(Ok(Projection {
        features: features.iter().map(|(n, _)| (*n).to_owned()).collect(),
        rows: x.nrows(),
        scores: pca.0,
        explained_variance_ratio: [pca.1[0], pca.1[1]],
        labels: kmeans.labels.to_vec(),
        sizes: kmeans.sizes,
        inertia: kmeans.inertia,
    }))
}

/// The rows where every column is finite, as a matrix (`dropna()`, and infinities too).
fn complete_rows(columns: &[&[f64]]) -> Array2<f64> {
    let rows = columns.first().map_or(0, |c| c.len());
    let keep: Vec<usize> = (0..rows)
        .filter(|&r| columns.iter().all(|c| c[r].is_finite()))
        .collect();
    Array2::from_shape_fn((keep.len(), columns.len()), |(i, j)| columns[j][keep[i]])
}

fn column_len(column: &TableColumn) -> usize {
    match column {
        TableColumn::Numeric { values, .. } => values.len(),
        TableColumn::Text { values, .. } => values.len(),
    }
}

fn summarise_text(name: &str, values: &[Option<String>]) -> TextSummary {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (seen, value) in values.iter().flatten().enumerate() {
        counts.entry(value).or_insert((0, seen)).0 += 1;
    }
    let top = counts
        .iter()
        .max_by(|a, b| a.1 .0.cmp(&b.1 .0).then(b.1 .1.cmp(&a.1 .1)));
    let count = values.iter().flatten().count();
    TextSummary {
        name: name.to_owned(),
        count,
        null_count: values.len() - count,
        unique: counts.len(),
        top: top.map(|(v, _)| (*v).to_owned()),
        freq: top.map_or(0, |(_, (n, _))| *n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(values: &[Option<&str>]) -> Vec<Option<String>> {
        values.iter().map(|v| v.map(str::to_owned)).collect()
    }

    #[test]
    fn text_summary_ties_go_to_the_value_seen_first() {
        let summary = summarise_text(
            "c",
            &text(&[Some("b"), None, Some("a"), Some("a"), Some("b")]),
        );
        assert_eq!(summary.count, 4);
        assert_eq!(summary.null_count, 1);
        assert_eq!(summary.unique, 2);
        assert_eq!(summary.top.as_deref(), Some("b"));
        assert_eq!(summary.freq, 2);
        let empty = summarise_text("c", &text(&[None, None]));
        assert_eq!((empty.top, empty.freq, empty.unique), (None, 0, 0));
    }

    #[test]
    fn complete_rows_drop_nulls_and_infinities() {
        let a = [1.0, f64::NAN, 3.0, 4.0];
        let b = [5.0, 6.0, f64::INFINITY, 8.0];
        let x = complete_rows(&[&a, &b]);
        assert_eq!(x, ndarray::array![[1.0, 5.0], [4.0, 8.0]]);
    }

    #[test]
    fn a_single_feature_gives_no_projection_but_the_rest() {
        let columns = vec![
            TableColumn::Numeric {
                name: "x".into(),
                values: vec![1.0, 2.0, 3.0, 4.0],
            },
            TableColumn::Text {
                name: "y".into(),
                values: text(&[Some("a"), Some("a"), Some("b"), Some("b")]),
            },
        ];
        let options = AnalysisOptions {
            target: Some("y".into()),
            ..AnalysisOptions::default()
        };
        let analysis = analyse(&columns, "t.csv", &options).unwrap();
        assert!(analysis
            .projection
            .unwrap_err()
            .contains("two numeric features"));
        assert!(analysis.correlation.is_none());
        assert_eq!(analysis.importance.unwrap().classes, Some(2));
        assert_eq!(analysis.text[0].unique, 2);
    }

    #[test]
    fn clusters_default_to_the_target_classes() {
        // Three well separated groups in two features, labelled by a text target.
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut label = Vec::new();
        for (g, name) in ["p", "q", "r"].iter().enumerate() {
            for i in 0..10 {
                x.push(g as f64 * 10.0 + (i as f64) * 0.1);
                y.push((g as f64 * 7.0) - (i as f64) * 0.05);
                label.push(Some(*name));
            }
        }
        let columns = vec![
            TableColumn::Numeric {
                name: "x".into(),
                values: x,
            },
            TableColumn::Numeric {
                name: "y".into(),
                values: y,
            },
            TableColumn::Text {
                name: "label".into(),
                values: text(&label),
            },
        ];
        let options = AnalysisOptions {
            target: Some("label".into()),
            ..AnalysisOptions::default()
        };
        let projection = analyse(&columns, "t.csv", &options)
            .unwrap()
            .projection
            .unwrap();
        assert_eq!(projection.sizes, [10, 10, 10]);
        assert_eq!(projection.rows, 30);
        assert_eq!(projection.scores.dim(), (30, 2));
    }
}
