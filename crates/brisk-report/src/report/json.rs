//! The page's figures, machine-readable (`brisk report --json`), as ydata-profiling's `to_json`
//! gives its users the numbers behind its page.

use brisk_data::cleaning::RemovedValue;
use brisk_data::frame::CleanReport;
use brisk_data::stats::ColumnStats;
use serde::{Serialize, Serializer};

use super::alerts::{Alert, AlertThresholds};
use crate::importance::Importance;
use crate::pipeline::CategoricalScore;
use crate::pipeline::Figures;
use brisk_data::profile::ColumnProfile;
use brisk_data::sample_rows::SampledRow;

/// Every figure of the page.
#[derive(Debug, Clone, Serialize)]
pub struct ReportJson {
    /// The input as named by the user.
    pub source: String,
    /// Data rows read.
    pub rows_in: u64,
    /// Rows after `brisk clean`'s rules; null when the cleaning preview was not run.
    pub rows_out: Option<u64>,
    /// The alerts, in page order.
    pub alerts: Vec<Alert>,
    /// The thresholds that raised them.
    pub alert_thresholds: AlertThresholds,
    /// Per-column statistics of the data as read (the figures of `brisk stats`).
    pub columns: Vec<ColumnStats>,
    /// What `brisk clean` does to the data (every column but the target).
    pub cleaning: Option<CleanReport>,
    /// Values of discrete columns (at most 20 distinct numbers) that the outlier rule removes
    /// wherever they occur.
    pub cleaning_warnings: Vec<RemovedValue>,
    /// `"as read"` or `"cleaned"`: the rows the analyses ran on.
    pub analysis_rows: &'static str,
    /// A first column the analyses left out as a row index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index_dropped: Option<String>,
    /// Pearson correlation over the complete rows of the numeric columns.
    pub correlation: Option<CorrelationJson>,
    /// StandardScaler + PCA(2) of the features over their complete rows.
    pub pca: Option<PcaJson>,
    /// The importance scores of the numeric features.
    pub importance: Option<Importance>,
    /// The scores of the text and boolean features against the target (χ² or one-way F).
    pub categorical_importance: Vec<CategoricalScore>,
    /// Pearson's r and Spearman's ρ, each pair over the rows where both hold a value.
    pub pairwise_correlation: Option<PairwiseJson>,
    /// The bias-corrected Cramér's V of the text and boolean columns of at most 100 values.
    pub cramers_v: Option<MatrixJson>,
    /// Per-column profiles (distinct values, extremes, zeros, text facts), in column order.
    pub column_profiles: Vec<ColumnProfile>,
    /// Nulls per column and the nullity correlation, as read.
    pub missing: MissingJson,
    /// The first rows and a seeded sample of rows, as text (null for a null).
    pub sample_rows: SampleJson,
    /// k-means, fitted on a sample and applied to every complete row.
    pub kmeans: Option<KMeansJson>,
}

/// The correlation matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CorrelationJson {
    /// Its columns.
    pub columns: Vec<String>,
    /// Complete rows it was computed on.
    pub rows: u64,
    /// Row by row; null where undefined (a constant column).
    #[serde(serialize_with = "finite_rows")]
    pub matrix: Vec<Vec<f64>>,
}

/// A matrix over some columns.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixJson {
    /// Its columns.
    pub columns: Vec<String>,
    /// Row by row; null where undefined.
    #[serde(serialize_with = "finite_rows")]
    pub matrix: Vec<Vec<f64>>,
}

impl MatrixJson {
    fn new(columns: Vec<String>, matrix: &ndarray::Array2<f64>) -> Self {
        MatrixJson {
            columns,
            matrix: matrix.rows().into_iter().map(|r| r.to_vec()).collect(),
        }
    }
}

/// Pairwise Pearson and Spearman.
#[derive(Debug, Clone, Serialize)]
pub struct PairwiseJson {
    /// Rows they were computed on.
    pub rows: u64,
    /// Whether those were every row (else a seeded uniform sample).
    pub exact: bool,
    /// Pearson's r (pandas' `corr()`).
    pub pearson: MatrixJson,
    /// Spearman's ρ (pandas' `corr(method="spearman")`).
    pub spearman: MatrixJson,
}

/// Where values are missing.
#[derive(Debug, Clone, Serialize)]
pub struct MissingJson {
    /// Nulls per column, in column order.
    pub nulls: Vec<u64>,
    /// `df.isnull().corr()` over the columns with some but not all values missing.
    pub nullity_correlation: Option<MatrixJson>,
}

/// Rows to look at.
#[derive(Debug, Clone, Serialize)]
pub struct SampleJson {
    /// The first rows.
    pub head: Vec<SampledRow>,
    /// A seeded uniform sample, in file order.
    pub sample: Vec<SampledRow>,
}

/// The projection's variance.
#[derive(Debug, Clone, Serialize)]
pub struct PcaJson {
    /// The features.
    pub features: Vec<String>,
    /// Complete rows of the features.
    pub rows: u64,
    /// `explained_variance_` of the two components (ddof 1).
    pub explained_variance: Vec<f64>,
    /// `explained_variance_ratio_`.
    pub explained_variance_ratio: Vec<f64>,
}

/// The clusters.
#[derive(Debug, Clone, Serialize)]
pub struct KMeansJson {
    /// Clusters.
    pub k: usize,
    /// Seed of the sample and of k-means++.
    pub seed: u32,
    /// Rows k-means was fitted on.
    pub sample_rows: usize,
    /// Rows assigned: every complete row of the features.
    pub rows: u64,
    /// Rows per cluster.
    pub sizes: Vec<u64>,
    /// Σ of squared distances to the assigned centroid, in standardised units, over every row.
    pub inertia: f64,
}

fn finite_rows<S: Serializer>(rows: &[Vec<f64>], serializer: S) -> Result<S::Ok, S::Error> {
    let rows: Vec<Vec<Option<f64>>> = rows
        .iter()
        .map(|r| r.iter().map(|x| x.is_finite().then_some(*x)).collect())
        .collect();
    rows.serialize(serializer)
}

impl ReportJson {
    /// The figures of a run: statistics from `read` (the data as read), analyses from
    /// `analysed` (the same run, or the cleaned rows' with `--clean`); no alert (the caller sets
    /// them).
    pub fn new(
        read: &Figures,
        analysed: &Figures,
        cleaning: Option<&CleanReport>,
        cleaning_warnings: &[RemovedValue],
        analysis_rows: &'static str,
        seed: u32,
    ) -> ReportJson {
        let figures = analysed;
        let analyses = &figures.analyses;
        let correlation = analyses.correlation.as_ref().map(|c| CorrelationJson {
            columns: c.columns.clone(),
            rows: c.rows,
            matrix: c.matrix.rows().into_iter().map(|r| r.to_vec()).collect(),
        });
        let projection = analyses.projection.as_ref().ok();
        let pca = projection.map(|p| PcaJson {
            features: p.features.clone(),
            rows: p.rows,
            explained_variance: p.pca.explained_variance.to_vec(),
            explained_variance_ratio: p
                .pca
                .explained_variance_ratio
                .iter()
                .take(2)
                .copied()
                .collect(),
        });
        let kmeans = projection
            .zip(figures.assignment.as_ref())
            .map(|(p, a)| KMeansJson {
                k: a.sizes.len(),
                seed,
                sample_rows: p.sample_rows,
                rows: a.sizes.iter().sum(),
                sizes: a.sizes.clone(),
                inertia: a.inertia,
            });
        ReportJson {
            source: read.source.clone(),
            rows_in: read.rows,
            rows_out: cleaning.map(|c| c.rows_out),
            alerts: Vec::new(),
            alert_thresholds: AlertThresholds::default(),
            columns: read.columns.clone(),
            cleaning: cleaning.cloned(),
            cleaning_warnings: cleaning_warnings.to_vec(),
            analysis_rows,
            index_dropped: analyses
                .plan
                .row_index
                .map(|j| analyses.plan.names[j].clone()),
            correlation,
            pca,
            importance: analyses.importance.clone(),
            categorical_importance: figures.profile.associations.scores.clone(),
            pairwise_correlation: figures.profile.associations.pairwise.as_ref().map(|p| {
                PairwiseJson {
                    rows: p.rows,
                    exact: p.exact,
                    pearson: MatrixJson::new(p.columns.clone(), &p.pearson),
                    spearman: MatrixJson::new(p.columns.clone(), &p.spearman),
                }
            }),
            cramers_v: figures
                .profile
                .associations
                .cramers
                .as_ref()
                .map(|v| MatrixJson::new(v.columns.clone(), &v.matrix)),
            column_profiles: read.profiles.clone(),
            missing: MissingJson {
                nulls: read.profile.nullity.nulls.clone(),
                nullity_correlation: read.profile.nullity.correlation.as_ref().map(|c| {
                    let names = c.columns.iter().map(|&j| read.types.names()[j].clone());
                    MatrixJson::new(names.collect(), &c.matrix)
                }),
            },
            sample_rows: SampleJson {
                head: read.profile.rows.head.clone(),
                sample: read.profile.rows.sample.clone(),
            },
            kmeans,
        }
    }
}
