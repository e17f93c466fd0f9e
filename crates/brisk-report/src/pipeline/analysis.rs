//! The first pass's accumulators for the analyses, and what they finish into: the correlation
//! matrix, the standardised PCA, the importance scores, and a seeded sample for k-means.

use brisk_data::batch::Batch;
use brisk_kernels::accumulate::{CoMoments, MinMax, Reservoir};
use brisk_kernels::decomposition::Pca;
use ndarray::{Array2, ArrayView2};

use super::plan::AnalysisPlan;
use super::rows::{complete, gather, numeric_columns};
use super::scores::ScoreState;
use crate::error::{ReportError, Result};
use crate::importance::Importance;

/// The accumulators of one pass over the rows the analyses read.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AnalysisState {
    plan: AnalysisPlan,
    correlation: CoMoments,
    /// The features' co-moments; `None` when the features are the correlation's columns (a
    /// text target, or none), whose co-moments then serve both.
    projection: Option<CoMoments>,
    sample: Reservoir,
    scores: Option<ScoreState>,
    /// The finite range of each numeric column, for the histograms' bins.
    ranges: Vec<MinMax>,
    /// The cells of a batch's blocks of complete rows, kept from batch to batch.
    #[serde(skip)]
    numeric_cells: Vec<f64>,
    #[serde(skip)]
    feature_cells: Vec<f64>,
    /// The complete rows' indices in the input, for the sample.
    #[serde(skip)]
    row_indices: Vec<u64>,
}

impl AnalysisState {
    /// Empty accumulators; k-means will be fitted on at most `sample_rows` rows drawn with `seed`.
    pub fn new(plan: AnalysisPlan, sample_rows: usize, seed: u64) -> Self {
        let features = plan.features.len();
        let scores = plan
            .target
            .clone()
            .map(|t| ScoreState::new(t, plan.features.clone()));
        AnalysisState {
            correlation: CoMoments::new(plan.numeric.len()),
            projection: (plan.features != plan.numeric).then(|| CoMoments::new(features)),
            sample: Reservoir::new(sample_rows, features, seed),
            scores,
            ranges: vec![MinMax::new(); plan.numeric.len()],
            numeric_cells: Vec::new(),
            feature_cells: Vec::new(),
            row_indices: Vec::new(),
            plan,
        }
    }

    /// The plan this state accumulates for.
    pub fn plan(&self) -> &AnalysisPlan {
        &self.plan
    }

    /// Folds in a batch.
    ///
    /// # Errors
    /// A kernel's refusal (a shape that does not fit the plan).
    pub fn add(&mut self, batch: &Batch) -> Result<()> {
        let numeric = numeric_columns(batch, &self.plan.numeric);
        for (range, values) in self.ranges.iter_mut().zip(&numeric) {
            if let Some(values) = values {
                range.add_finite_slice(values);
            }
        }
        let keep = complete(batch, &numeric);
        let mut cells = std::mem::take(&mut self.numeric_cells);
        let block = gather(&numeric, &keep, &mut cells);
        // The features are most often the numeric columns themselves: their block is this one,
        // and the importance scores take it too.
        let shared = self.plan.features == self.plan.numeric;
        // The importance scores take the batch side by side with the rest.
        let mut scores = self.scores.take();
        let (scored, added) = rayon::join(
            || match scores.as_mut() {
                Some(s) if shared => s.add_gathered(batch, &keep, block),
                Some(s) => s.add(batch),
                None => Ok(()),
            },
            || self.add_moments_and_sample(batch, &keep, block, shared),
        );
        self.scores = scores;
        self.numeric_cells = cells;
        scored.and(added)
    }

    /// The co-moments and sample of a batch whose complete numeric rows are `keep`, gathered
    /// into `numeric_block`.
    fn add_moments_and_sample(
        &mut self,
        batch: &Batch,
        keep: &[bool],
        numeric_block: ArrayView2<'_, f64>,
        shared: bool,
    ) -> Result<()> {
        // Lazy: the context is formatted only for an error, not for every row offered.
        let kernel = |what: &'static str| {
            move |error| ReportError::kernel(format!("{what} accumulator"))(error)
        };
        if self.plan.numeric.len() >= 2 {
            self.correlation
                .add_block(numeric_block)
                .map_err(kernel("correlation"))?;
        }
        let features = numeric_columns(batch, &self.plan.features);
        let feature_keep;
        let (keep, block) = if shared {
            (keep, numeric_block)
        } else {
            feature_keep = complete(batch, &features);
            let block = gather(&features, &feature_keep, &mut self.feature_cells);
            (&feature_keep[..], block)
        };
        if !features.is_empty() {
            if let Some(projection) = &mut self.projection {
                projection.add_block(block).map_err(kernel("projection"))?;
            }
            let first = batch.first_row();
            self.row_indices.clear();
            let rows = (0..batch.rows()).filter(|&r| keep[r]);
            self.row_indices.extend(rows.map(|r| first + r as u64));
            self.sample
                .add_rows(&self.row_indices, block)
                .map_err(kernel("sample"))?;
        }
        Ok(())
    }

    /// Adds the rows another state took (the same plan; rows disjoint, numbered apart).
    ///
    /// # Errors
    /// States of other plans, or of other samples.
    pub fn merge(&mut self, other: &AnalysisState) -> Result<()> {
        let kernel = |what: &'static str| ReportError::kernel(format!("merging the {what}"));
        if self.plan != other.plan {
            return Err(ReportError::kernel("merging analyses".to_owned())(
                brisk_kernels::KernelError::ShapeMismatch("the states follow other plans".into()),
            ));
        }
        self.correlation
            .merge(&other.correlation)
            .map_err(kernel("correlation"))?;
        if let (Some(mine), Some(theirs)) = (&mut self.projection, &other.projection) {
            mine.merge(theirs).map_err(kernel("projection"))?;
        }
        self.sample.merge(&other.sample).map_err(kernel("sample"))?;
        if let (Some(mine), Some(theirs)) = (&mut self.scores, &other.scores) {
            mine.merge(theirs)?;
        }
        for (mine, theirs) in self.ranges.iter_mut().zip(&other.ranges) {
            mine.merge(theirs);
        }
        Ok(())
    }

    /// The finished analyses, for the rows of `source`.
    ///
    /// # Errors
    /// A kernel's refusal (PCA, k-means, the F tests) on data it cannot take.
    pub fn finish(self, source: &str, options: &FitOptions) -> Result<Analyses> {
        let plan = self.plan;
        let ranges = plan
            .numeric
            .iter()
            .zip(&self.ranges)
            .map(|(&j, r)| ColumnRange {
                column: j,
                name: plan.names[j].clone(),
                range: r.min().zip(r.max()),
            })
            .collect();
        let correlation =
            (plan.numeric.len() >= 2 && self.correlation.count() >= 2).then(|| Correlation {
                columns: plan.names_of(&plan.numeric),
                rows: self.correlation.count(),
                matrix: self.correlation.correlation(),
            });
        let importance = match self.scores {
            Some(scores) => Some(scores.finish(source, &plan)?),
            None => None,
        };
        let clusters = options.clusters.unwrap_or_else(|| {
            importance
                .as_ref()
                .and_then(|i: &Importance| i.classes)
                .map_or(3, |k| k.clamp(2, 10))
        });
        let projection = project(
            &plan,
            self.projection.as_ref().unwrap_or(&self.correlation),
            self.sample,
            clusters,
            options.seed,
            source,
        )?;
        Ok(Analyses {
            plan,
            ranges,
            correlation,
            projection,
            importance,
        })
    }
}

/// How to fit k-means.
#[derive(Debug, Clone)]
pub struct FitOptions {
    /// Clusters; by default the target's classes (2 to 10) or 3.
    pub clusters: Option<usize>,
    /// Seed of the sample and of k-means++.
    pub seed: u32,
}

/// A numeric column's finite `[min, max]`, the histogram's range.
#[derive(Debug, Clone)]
pub struct ColumnRange {
    /// The column's index.
    pub column: usize,
    /// Its name.
    pub name: String,
    /// `None` without a finite value.
    pub range: Option<(f64, f64)>,
}

/// Pearson correlation over the complete rows of the numeric columns.
#[derive(Debug, Clone)]
pub struct Correlation {
    /// The columns.
    pub columns: Vec<String>,
    /// Complete rows.
    pub rows: u64,
    /// The matrix; NaN where a column is constant.
    pub matrix: Array2<f64>,
}

/// The standardised PCA and the k-means model fitted on the sample.
#[derive(Debug, Clone)]
pub struct Projection {
    /// The features.
    pub features: Vec<String>,
    /// Complete rows of the features.
    pub rows: u64,
    /// The fitted PCA (mean and scale of every complete row).
    pub pca: Pca,
    /// The k-means model fitted on the standardised sample.
    pub kmeans: brisk_kernels::cluster::KMeans,
    /// The sampled rows' scores on the first two components.
    pub sample_scores: Array2<f64>,
    /// Rows in the sample.
    pub sample_rows: usize,
}

/// Everything the first pass gives the page.
#[derive(Debug, Clone)]
pub struct Analyses {
    /// The plan the analyses followed.
    pub plan: AnalysisPlan,
    /// Each numeric column's finite range.
    pub ranges: Vec<ColumnRange>,
    /// `None` with fewer than two numeric columns or complete rows.
    pub correlation: Option<Correlation>,
    /// Why there is no projection, or the projection.
    pub projection: std::result::Result<Projection, String>,
    /// The scores, when a target was given.
    pub importance: Option<Importance>,
}

fn project(
    plan: &AnalysisPlan,
    moments: &CoMoments,
    sample: Reservoir,
    clusters: usize,
    seed: u32,
    source: &str,
) -> Result<std::result::Result<Projection, String>> {
    let features = plan.features.len();
    if features < 2 {
        return Ok(Err(format!(
            "a projection needs at least two numeric features; the data has {features}"
        )));
    }
    let rows = moments.count();
    if rows < clusters.max(3) as u64 {
        return Ok(Err(format!(
            "{rows} complete rows are too few for {clusters} clusters"
        )));
    }
    let pca = Pca::params(2)
        .standardize(true)
        .check()
        .and_then(|p| p.fit_comoments(moments))
        .map_err(ReportError::kernel(format!("{source}: PCA")))?;
    let (_, x) = sample.finish();
    let scale = pca
        .scale
        .clone()
        .unwrap_or_else(|| ndarray::Array1::ones(features));
    let z = (&x - &pca.mean) / &scale;
    // One k-means++ start, as scikit-learn's `n_init="auto"` (its default since 1.4) runs.
    let kmeans = brisk_kernels::cluster::KMeans::params(clusters)
        .n_init(1)
        .seed(seed)
        .check()
        .and_then(|p| p.fit(z.view()))
        .map_err(ReportError::kernel(format!("{source}: k-means")))?;
    let sample_scores = pca
        .transform(x.view())
        .map_err(ReportError::kernel(format!("{source}: PCA")))?;
    Ok(Ok(Projection {
        features: plan.names_of(&plan.features),
        rows,
        sample_rows: x.nrows(),
        pca,
        kmeans,
        sample_scores,
    }))
}
