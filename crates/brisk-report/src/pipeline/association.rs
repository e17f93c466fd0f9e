//! The first pass's accumulators for the rank and categorical associations, and for the scores
//! of the text features:
//!
//! - **Pairwise Pearson and Spearman**: a seeded uniform sample ([`Reservoir`]) of every row's
//!   numeric columns, nulls kept, correlated (and ranked) at the end pair by pair over the rows
//!   where both hold a value (pandas' `DataFrame.corr()` and `corr(method="spearman")`). While
//!   the table has no more rows than the sample, the sample is the table and both are exact.
//!   The alerts take r from here.
//! - **Cramér's V**: a [`Contingency`] table for every pair of categorical (text or boolean)
//!   columns, exact, given up for a pair once either side passes [`MAX_LEVELS`] distinct values
//!   (ydata-profiling's `categorical_maximum_correlation_distinct`).
//! - **Text features against the target**: χ² of the feature × target table
//!   (`scipy.stats.chi2_contingency`) for a categorical target, which is one of the pairs above;
//!   the one-way ANOVA F of a numeric target across the feature's values (`scipy.stats.f_oneway`)
//!   from the target's moments per value ([`ClassMoments`]).
//!
//! Every state merges and none depends on the batch size.

use brisk_data::batch::{Batch, BatchColumn, ColumnTypes, NULL_CODE};
use brisk_kernels::accumulate::{ClassMoments, Contingency, Reservoir};
use brisk_kernels::feature_selection::f_classif_from;
use brisk_kernels::stats::{chi2_contingency, cramers_v, pearson_pairwise, spearman_matrix};
use ndarray::Array2;

use super::plan::{AnalysisPlan, Target};
use crate::error::{ReportError, Result};

/// Distinct values a categorical column may have to enter Cramér's V and the χ² scores.
pub const MAX_LEVELS: usize = 100;

/// Cells of a batch's pair tally kept in a dense table (beyond, a hash map).
const DENSE_CELLS: usize = 1 << 16;

/// The accumulators of the associations.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct AssociationState {
    numeric: Vec<usize>,
    names: Vec<String>,
    sample: Reservoir,
    categorical: Vec<usize>,
    /// `(i, j, table)` for positions `i < j` in `categorical`.
    pairs: Vec<(usize, usize, Contingency)>,
    /// A numeric target's moments per value of each categorical feature.
    /// `None` once the feature passed [`MAX_LEVELS`] values.
    by_value: Vec<(usize, Option<ClassMoments>)>,
    target: Option<Target>,
    /// The sample's size and seed, for a sample drawn in another pass.
    sample_rows: usize,
    seed: u64,
}

impl AssociationState {
    /// Empty accumulators for the plan's columns; the Spearman sample takes `sample_rows` rows
    /// drawn with `seed`.
    pub fn new(plan: &AnalysisPlan, types: &ColumnTypes, sample_rows: usize, seed: u64) -> Self {
        let categorical: Vec<usize> = (0..types.len())
            .filter(|&j| !types.holds_numbers(j) || types.is_bool(j))
            .filter(|&j| plan.row_index != Some(j) && !types.is_datetime(j))
            .collect();
        let mut pairs = Vec::new();
        for i in 0..categorical.len() {
            for j in i + 1..categorical.len() {
                pairs.push((i, j, Contingency::new(MAX_LEVELS)));
            }
        }
        let target = plan.target.clone();
        let by_value = match &target {
            Some(t) if t.numeric && !types.is_bool(t.column) => categorical
                .iter()
                .filter(|&&j| j != t.column)
                .map(|&j| (j, Some(ClassMoments::new(1))))
                .collect(),
            _ => Vec::new(),
        };
        AssociationState {
            numeric: plan.numeric.clone(),
            names: plan.names.clone(),
            sample: Reservoir::new(sample_rows, plan.numeric.len(), seed ^ SPEARMAN_STREAM),
            categorical,
            pairs,
            by_value,
            target,
            sample_rows,
            seed,
        }
    }

    /// An empty sample like this state's, for a pass that draws it over rows numbered otherwise
    /// ([`add_sample_rows`], [`AssociationState::replace_sample`]).
    pub(crate) fn fresh_sample(&self) -> Reservoir {
        Reservoir::new(
            self.sample_rows,
            self.numeric.len(),
            self.seed ^ SPEARMAN_STREAM,
        )
    }

    /// The numeric columns the sample takes.
    pub(crate) fn sampled_columns(&self) -> &[usize] {
        &self.numeric
    }

    /// Takes the sample drawn in another pass over the same rows instead of this state's own.
    pub(crate) fn replace_sample(&mut self, sample: Reservoir) {
        self.sample = sample;
    }

    /// Folds in a batch.
    ///
    /// # Errors
    /// A kernel's refusal (a row of the wrong width).
    pub fn add(&mut self, batch: &Batch) -> Result<()> {
        self.add_sample(batch)?;
        let coded: Vec<Coded<'_>> = self
            .categorical
            .iter()
            .map(|&j| Coded::of(batch.column(j)))
            .collect();
        for (i, j, table) in &mut self.pairs {
            if !table.is_overflowed() {
                tally_pair(&coded[*i], &coded[*j], table);
            }
        }
        if let Some(target) = &self.target {
            if let BatchColumn::Numeric(y) = batch.column(target.column) {
                for (feature, state) in &mut self.by_value {
                    let Some(moments) = state else { continue };
                    // The features are categorical columns, coded above.
                    let at = self
                        .categorical
                        .binary_search(feature)
                        .expect("a categorical column");
                    add_by_value(&coded[at], y.values(), moments)?;
                    if moments.classes() > MAX_LEVELS {
                        *state = None;
                    }
                }
            }
        }
        Ok(())
    }

    fn add_sample(&mut self, batch: &Batch) -> Result<()> {
        add_sample_rows(&mut self.sample, &self.numeric, batch)
    }

    /// Adds the rows another state took (states of the same plan, rows disjoint).
    ///
    /// # Errors
    /// States of different plans.
    pub fn merge(&mut self, other: &AssociationState) -> Result<()> {
        let kernel = |what: &'static str| ReportError::kernel(format!("merging the {what}"));
        if self.numeric != other.numeric || self.categorical != other.categorical {
            return Err(ReportError::kernel("merging associations".to_owned())(
                brisk_kernels::KernelError::ShapeMismatch(
                    "the states read different columns".into(),
                ),
            ));
        }
        self.sample.merge(&other.sample).map_err(kernel("sample"))?;
        for ((_, _, mine), (_, _, theirs)) in self.pairs.iter_mut().zip(&other.pairs) {
            mine.merge(theirs);
        }
        for ((_, mine), (_, theirs)) in self.by_value.iter_mut().zip(&other.by_value) {
            *mine = match (mine.take(), theirs) {
                (Some(mut a), Some(b)) => {
                    a.merge(b).map_err(kernel("per-value moments"))?;
                    Some(a).filter(|a| a.classes() <= MAX_LEVELS)
                }
                _ => None,
            };
        }
        Ok(())
    }

    /// The finished associations.
    ///
    /// # Errors
    /// A kernel's refusal.
    pub fn finish(self) -> Result<Associations> {
        let pairwise = (self.numeric.len() >= 2 && !self.sample.is_empty()).then(|| {
            let seen = self.sample.seen();
            let (_, x) = self.sample.finish();
            let columns: Vec<Vec<f64>> = x.columns().into_iter().map(|c| c.to_vec()).collect();
            let views: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
            Pairwise {
                columns: self
                    .numeric
                    .iter()
                    .map(|&j| self.names[j].clone())
                    .collect(),
                rows: x.nrows() as u64,
                exact: seen == x.nrows() as u64,
                pearson: pearson_pairwise(&views),
                spearman: spearman_matrix(&views),
            }
        });
        let mut tables = Vec::new();
        for (i, j, table) in &self.pairs {
            if let Some((_, _, counts)) = table.table() {
                tables.push((self.categorical[*i], self.categorical[*j], counts));
            }
        }
        let cramers = cramers_matrix(&self.names, &tables);
        let mut scores = Vec::new();
        if let Some(target) = &self.target {
            for (a, b, counts) in &tables {
                let feature = match (*a == target.column, *b == target.column) {
                    (true, false) => *b,
                    (false, true) => *a,
                    _ => continue,
                };
                let test = chi2_contingency(counts.view(), true)
                    .map_err(ReportError::kernel("chi-squared test".to_owned()))?;
                scores.push(CategoricalScore {
                    feature: self.names[feature].clone(),
                    test: "chi2_contingency",
                    statistic: test.statistic,
                    p_value: test.p_value,
                    cramers_v: cramers_v(counts.view()),
                    levels: if *a == feature {
                        counts.nrows()
                    } else {
                        counts.ncols()
                    },
                    rows: counts.sum() as u64,
                });
            }
            for (feature, moments) in self
                .by_value
                .iter()
                .filter_map(|(f, m)| Some((f, m.as_ref()?)))
            {
                // F needs two groups and more rows than groups (a value per row, as a name
                // column has, leaves no within-group variance to test against).
                let rows: u64 = (0..moments.classes() as u32).map(|c| moments.rows(c)).sum();
                if moments.classes() < 2 || rows <= moments.classes() as u64 {
                    continue;
                }
                let f = f_classif_from(moments)
                    .map_err(ReportError::kernel("one-way ANOVA".to_owned()))?;
                scores.push(CategoricalScore {
                    feature: self.names[*feature].clone(),
                    test: "f_oneway",
                    statistic: f.scores[0],
                    p_value: f.p_values[0],
                    cramers_v: None,
                    levels: moments.classes(),
                    rows,
                });
            }
        }
        Ok(Associations {
            pairwise,
            cramers,
            scores,
        })
    }
}

/// Offers a batch's rows of the `numeric` columns to the pairwise correlations' sample.
///
/// # Errors
/// A kernel's refusal (a sample of another width).
pub(crate) fn add_sample_rows(
    sample: &mut Reservoir,
    numeric: &[usize],
    batch: &Batch,
) -> Result<()> {
    if numeric.len() < 2 {
        return Ok(());
    }
    // A column that is not numeric in this batch (text so far, all null) offers NaNs.
    let nulls = vec![f64::NAN; batch.rows()];
    let columns: Vec<&[f64]> = numeric
        .iter()
        .map(|&j| match batch.column(j) {
            BatchColumn::Numeric(c) => c.values(),
            BatchColumn::Text(_) => &nulls[..],
        })
        .collect();
    sample
        .add_columns(batch.first_row(), &columns)
        .map_err(ReportError::kernel("Spearman sample".to_owned()))
}

/// Keeps the Spearman sample's rows apart from k-means' sample drawn with the same seed.
const SPEARMAN_STREAM: u64 = 0x5bd1_e995_0000_0001;

/// A batch column as codes: each row's code ([`NULL_CODE`] for a null) and each code's label.
struct Coded<'a> {
    rows: std::borrow::Cow<'a, [u32]>,
    labels: Vec<&'a [u8]>,
}

impl<'a> Coded<'a> {
    fn of(column: &'a BatchColumn) -> Self {
        match column {
            BatchColumn::Text(text) => {
                let codes = text.codes();
                let labels = (0..codes.distinct() as u32)
                    .map(|c| text.value_of(c))
                    .collect();
                Coded {
                    rows: std::borrow::Cow::Borrowed(codes.rows()),
                    labels,
                }
            }
            // A boolean column's 1s and 0s (a numeric column is not categorical here).
            BatchColumn::Numeric(values) => Coded {
                rows: values
                    .values()
                    .iter()
                    .map(|&x| {
                        if x.is_nan() {
                            NULL_CODE
                        } else {
                            u32::from(x != 0.0)
                        }
                    })
                    .collect(),
                labels: vec![b"False", b"True"],
            },
        }
    }
}

/// Adds the batch's pairs of values of two coded columns to `table`, tallied per distinct pair.
fn tally_pair(a: &Coded<'_>, b: &Coded<'_>, table: &mut Contingency) {
    let (na, nb) = (a.labels.len(), b.labels.len());
    if na * nb > DENSE_CELLS {
        // More values in one batch than a table may hold: row by row, the table overflows soon.
        for (&x, &y) in a.rows.iter().zip(b.rows.iter()) {
            if x != NULL_CODE && y != NULL_CODE {
                table.add_count(a.labels[x as usize], b.labels[y as usize], 1);
                if table.is_overflowed() {
                    return;
                }
            }
        }
        return;
    }
    let mut counts = vec![0u64; na * nb];
    for (&x, &y) in a.rows.iter().zip(b.rows.iter()) {
        if x != NULL_CODE && y != NULL_CODE {
            counts[x as usize * nb + y as usize] += 1;
        }
    }
    for (cell, &count) in counts.iter().enumerate().filter(|(_, &c)| c > 0) {
        table.add_count(a.labels[cell / nb], b.labels[cell % nb], count);
    }
}

/// Adds the finite target values of the rows where the feature holds a value, by the value.
fn add_by_value(feature: &Coded<'_>, target: &[f64], moments: &mut ClassMoments) -> Result<()> {
    let ids: Vec<u32> = feature
        .labels
        .iter()
        .map(|label| moments.class_id(label))
        .collect();
    let mut rows = Vec::new();
    let mut values = Vec::new();
    for (&code, &y) in feature.rows.iter().zip(target) {
        if code != NULL_CODE && y.is_finite() {
            rows.push(ids[code as usize]);
            values.push(y);
        }
    }
    moments
        .add_block(&rows, &[&values])
        .map_err(ReportError::kernel("one-way ANOVA".to_owned()))
}

fn cramers_matrix(names: &[String], tables: &[(usize, usize, Array2<f64>)]) -> Option<Cramers> {
    let mut columns: Vec<usize> = tables.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
    columns.sort_unstable();
    columns.dedup();
    if columns.len() < 2 {
        return None;
    }
    let at = |j: usize| columns.binary_search(&j).expect("a column of a table");
    let mut matrix = Array2::from_elem((columns.len(), columns.len()), f64::NAN);
    for i in 0..columns.len() {
        matrix[[i, i]] = 1.0;
    }
    for (a, b, counts) in tables {
        let v = cramers_v(counts.view()).unwrap_or(f64::NAN);
        matrix[[at(*a), at(*b)]] = v;
        matrix[[at(*b), at(*a)]] = v;
    }
    Some(Cramers {
        columns: columns.iter().map(|&j| names[j].clone()).collect(),
        matrix,
    })
}

/// Pearson's r and Spearman's ρ of the numeric columns, each pair over the rows where both
/// hold a value (pandas' `DataFrame.corr()`, `method="pearson"` and `"spearman"`).
#[derive(Debug, Clone)]
pub struct Pairwise {
    /// The columns.
    pub columns: Vec<String>,
    /// Rows they were computed on (the sample's).
    pub rows: u64,
    /// Whether the sample held every row (the coefficients exact).
    pub exact: bool,
    /// r; NaN where undefined.
    pub pearson: Array2<f64>,
    /// ρ; NaN where undefined.
    pub spearman: Array2<f64>,
}

/// The bias-corrected Cramér's V of the categorical columns.
#[derive(Debug, Clone)]
pub struct Cramers {
    /// The columns with at most [`MAX_LEVELS`] values.
    pub columns: Vec<String>,
    /// V; NaN where undefined.
    pub matrix: Array2<f64>,
}

/// A text feature's score against the target.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CategoricalScore {
    /// The feature.
    pub feature: String,
    /// `chi2_contingency` (a categorical target) or `f_oneway` (a numeric one).
    pub test: &'static str,
    /// χ² or F.
    pub statistic: f64,
    /// Its p-value.
    pub p_value: f64,
    /// The bias-corrected Cramér's V of the feature and a categorical target.
    pub cramers_v: Option<f64>,
    /// The feature's distinct values.
    pub levels: usize,
    /// Rows where the feature and the target hold values.
    pub rows: u64,
}

/// What the associations give the page.
#[derive(Debug, Clone, Default)]
pub struct Associations {
    /// Pairwise Pearson and Spearman, with two numeric columns or more.
    pub pairwise: Option<Pairwise>,
    /// Cramér's V, with two categorical columns or more within [`MAX_LEVELS`].
    pub cramers: Option<Cramers>,
    /// The text features' scores against the target.
    pub scores: Vec<CategoricalScore>,
}
