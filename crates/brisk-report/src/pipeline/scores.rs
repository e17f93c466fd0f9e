//! The importance scores' accumulator: per-class moments of the features for `f_classif`, or
//! co-moments of the features with the target for `f_regression`, over the rows where the
//! target and every feature hold a finite value (`dropna(subset=features + [target])`).

use brisk_data::batch::{Batch, BatchColumn, Batches, RowIndex};
use brisk_data::input::Input;
use brisk_kernels::accumulate::{ClassMoments, CoMoments};
use brisk_kernels::feature_selection::{f_classif_from, f_regression_from, FScores};
use ndarray::ArrayView2;

use super::plan::{AnalysisPlan, Target, Test};
use super::rows::{complete, gather, numeric_columns};
use crate::error::{ReportError, Result};
use crate::importance::{rank_scores, Importance, Method};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum State {
    Classif(ClassMoments),
    /// The features and, last, the target.
    Regression(CoMoments),
}

/// The running scores of the features against a target.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ScoreState {
    target: Target,
    features: Vec<usize>,
    state: State,
    /// Rows offered.
    rows: u64,
    #[serde(skip)]
    scratch: Scratch,
}

/// A batch's complete rows, in buffers kept from batch to batch (so that their pages are not
/// faulted in anew for every batch).
#[derive(Debug, Clone, Default)]
struct Scratch {
    /// Each complete row's class.
    ids: Vec<u32>,
    /// The complete rows of the features (and, for `f_regression`, the target), column-major.
    cells: Vec<f64>,
}

impl ScoreState {
    /// Empty accumulators for `features` against `target`.
    pub fn new(target: Target, features: Vec<usize>) -> Self {
        let state = match target.test {
            Test::Classif => State::Classif(ClassMoments::new(features.len())),
            Test::Regression => State::Regression(CoMoments::new(features.len() + 1)),
        };
        ScoreState {
            target,
            features,
            state,
            rows: 0,
            scratch: Scratch::default(),
        }
    }

    /// Folds in a batch.
    ///
    /// # Errors
    /// A kernel's refusal (a shape that does not fit).
    pub fn add(&mut self, batch: &Batch) -> Result<()> {
        let features = numeric_columns(batch, &self.features);
        let keep = complete(batch, &features);
        self.add_complete(batch, keep, &features, None)
    }

    /// Folds in a batch whose rows with every feature finite are `keep`, already gathered
    /// column-major into `block` (the correlation's block, when the features are its columns):
    /// the block serves as it is unless the target is null in one of those rows.
    ///
    /// # Errors
    /// As [`ScoreState::add`].
    pub(crate) fn add_gathered(
        &mut self,
        batch: &Batch,
        keep: &[bool],
        block: ArrayView2<'_, f64>,
    ) -> Result<()> {
        let features = numeric_columns(batch, &self.features);
        self.add_complete(batch, keep.to_vec(), &features, Some(block))
    }

    /// Folds in the rows of `keep` where the target holds a value; `gathered`, when given, is
    /// the features' block of the rows of `keep`.
    fn add_complete(
        &mut self,
        batch: &Batch,
        mut keep: Vec<bool>,
        features: &[Option<&[f64]>],
        gathered: Option<ArrayView2<'_, f64>>,
    ) -> Result<()> {
        self.rows += batch.rows() as u64;
        let complete_rows = keep.iter().filter(|&&k| k).count();
        let target = batch.column(self.target.column);
        match target {
            BatchColumn::Numeric(t) => {
                for (k, x) in keep.iter_mut().zip(t.values()) {
                    *k &= x.is_finite();
                }
            }
            BatchColumn::Text(t) => {
                for (i, k) in keep.iter_mut().enumerate() {
                    *k &= !t.is_null(i);
                }
            }
        }
        // The given block holds exactly the kept rows when the target dropped none of them.
        let gathered = gathered.filter(|_| keep.iter().filter(|&&k| k).count() == complete_rows);
        let kernel = ReportError::kernel("importance accumulator");
        let Scratch { ids, cells } = &mut self.scratch;
        match &mut self.state {
            State::Regression(moments) => {
                let mut columns = features.to_vec();
                columns.push(match target {
                    BatchColumn::Numeric(t) => Some(t.values()),
                    BatchColumn::Text(_) => None,
                });
                moments
                    .add_block(gather(&columns, &keep, cells))
                    .map_err(kernel)
            }
            State::Classif(classes) => {
                ids.clear();
                let kept = (0..batch.rows()).filter(|&r| keep[r]);
                match target {
                    BatchColumn::Text(t) => {
                        // A class looked up once a distinct label of the batch, in the order
                        // the complete rows first show it (which numbers the new classes).
                        let codes = t.codes();
                        let mut class_of = vec![u32::MAX; codes.distinct()];
                        ids.extend(kept.map(|r| {
                            // The target is not null in a complete row.
                            let code = codes.rows()[r];
                            let class = &mut class_of[code as usize];
                            if *class == u32::MAX {
                                *class = classes.class_id(t.value_of(code));
                            }
                            *class
                        }));
                    }
                    // One class per number, -0.0 equal to 0.0.
                    BatchColumn::Numeric(t) => {
                        ids.extend(kept.map(|r| {
                            classes.class_id(&(t.values()[r] + 0.0).to_bits().to_le_bytes())
                        }))
                    }
                }
                // The complete rows column-major: each feature's values lie together.
                let block = match gathered {
                    Some(block) => block,
                    None => gather(features, &keep, cells),
                };
                let slices: Vec<&[f64]> = block
                    .columns()
                    .into_iter()
                    .map(|c| c.to_slice().expect("a column-major block"))
                    .collect();
                classes.add_block(ids, &slices).map_err(kernel)
            }
        }
    }

    /// Adds the rows another state took (the same features and target; rows disjoint).
    ///
    /// # Errors
    /// A kernel's refusal (states of other shapes).
    pub fn merge(&mut self, other: &ScoreState) -> Result<()> {
        let kernel = ReportError::kernel("merging the importance accumulators".to_owned());
        match (&mut self.state, &other.state) {
            (State::Classif(mine), State::Classif(theirs)) => mine.merge(theirs).map_err(kernel)?,
            (State::Regression(mine), State::Regression(theirs)) => {
                mine.merge(theirs).map_err(kernel)?
            }
            _ => {
                return Err(kernel(brisk_kernels::KernelError::ShapeMismatch(
                    "the states score with other tests".into(),
                )))
            }
        }
        self.rows += other.rows;
        Ok(())
    }

    /// The scores, highest first, with the features named from `plan`.
    ///
    /// # Errors
    /// No feature; fewer than two classes; a kernel's refusal.
    pub fn finish(self, source: &str, plan: &AnalysisPlan) -> Result<Importance> {
        let target = &self.target.name;
        if self.features.is_empty() {
            return Err(ReportError::invalid(
                source,
                format!("no numeric column besides the target {target:?} to score"),
            ));
        }
        let context = format!("{source}: importance of the features for {target:?}");
        let (scores, rows, classes, method): (FScores, u64, Option<usize>, &'static str) =
            match self.state {
                State::Classif(classes) => {
                    let rows = (0..classes.classes() as u32)
                        .map(|id| classes.rows(id))
                        .sum();
                    let k = classes.classes();
                    if k < 2 {
                        return Err(ReportError::invalid(
                            source,
                            format!(
                                "--target {target:?} has {k} class in the {rows} rows without \
                                 nulls; f_classif needs at least two"
                            ),
                        ));
                    }
                    let f = f_classif_from(&classes).map_err(ReportError::kernel(context))?;
                    (f, rows, Some(k), "f_classif")
                }
                State::Regression(moments) => {
                    let rows = moments.count();
                    let last = moments.columns() - 1;
                    let f =
                        f_regression_from(&moments, last).map_err(ReportError::kernel(context))?;
                    (f, rows, None, "f_regression")
                }
            };
        Ok(Importance {
            target: target.clone(),
            method,
            rows: rows as usize,
            rows_dropped: (self.rows - rows) as usize,
            classes,
            features: rank_scores(&plan.names_of(&self.features), scores),
            index_dropped: plan.row_index.map(|j| plan.names[j].clone()),
        })
    }
}

/// `brisk importance`: one pass over `input`, memory bound by the classes and the columns (a
/// second pass only when a column turns to text late or a numeric column holds no value).
///
/// # Errors
/// As the reader; an unknown target; `f_regression` of a text target; too few rows or classes.
pub fn importance(
    input: &Input,
    target: &str,
    method: Method,
    batch_rows: usize,
    keep_index: bool,
) -> Result<Importance> {
    let source = input.name();
    let mut batches = Batches::open(input, batch_rows)?;
    let mut has_values: Option<Vec<bool>> = None;
    // Whether the first column is a row index, once a whole pass has said.
    let mut index_known: Option<Option<usize>> = None;
    let keep = |index: Option<usize>| index.filter(|_| !keep_index);
    loop {
        let first = batches.next_batch()?;
        let types = batches.types().clone();
        let known = |j: usize| has_values.as_ref().is_none_or(|h| h[j]);
        let mut row_index = RowIndex::new(&types);
        if let Some(batch) = &first {
            row_index.add(batch);
        }
        let index = index_known.unwrap_or_else(|| keep(row_index.column()));
        let plan = AnalysisPlan::new(source, &types, Some(target), method, &known, index)?;
        let resolved = plan.target.clone().expect("a target was given");
        let mut state = ScoreState::new(resolved, plan.features.clone());
        let mut seen = vec![false; types.len()];
        let mut next = first;
        while let Some(batch) = next {
            for (j, s) in seen.iter_mut().enumerate() {
                if !*s {
                    if let BatchColumn::Numeric(c) = batch.column(j) {
                        *s = c.values().iter().any(|x| !x.is_nan());
                    }
                }
            }
            row_index.add(&batch);
            state.add(&batch)?;
            next = batches.next_batch()?;
        }
        let types = batches.types().clone();
        let final_index = keep(row_index.column());
        let final_plan = AnalysisPlan::new(
            source,
            &types,
            Some(target),
            method,
            &|j| seen[j],
            final_index,
        )?;
        if !types.turned_late() && final_plan == plan {
            return state.finish(source, &plan);
        }
        if has_values.is_some() {
            return Err(ReportError::Data(brisk_data::DataError::new(
                brisk_data::ErrorKind::Io,
                brisk_data::Location::source(source),
                "the file changed between the passes over it; run again on a file at rest",
            )));
        }
        has_values = Some(seen);
        index_known = Some(final_index);
        batches = Batches::with_types(input, &types, batch_rows)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_data::batch::{NumericColumn, TextColumn};

    /// A batch of two features (with NaN and infinities) and a text target (with nulls).
    fn batch(target_nulls: bool) -> Batch {
        let rows = 300;
        let feature = |step: usize| {
            let values = (0..rows)
                .map(|r| match (r * step) % 23 {
                    0 => f64::NAN,
                    1 => f64::INFINITY,
                    v => v as f64 * 0.5 - 3.0,
                })
                .collect();
            BatchColumn::Numeric(NumericColumn::new(values))
        };
        let mut target = TextColumn::with_capacity(rows, 0);
        for r in 0..rows {
            let label: &[u8] = [b"a".as_slice(), b"bb", b"c"][r % 3];
            target.push((!(target_nulls && r % 29 == 4)).then_some(label));
        }
        Batch::from_columns(0, vec![feature(3), feature(7), BatchColumn::Text(target)])
    }

    #[test]
    fn a_gathered_block_scores_as_the_batch_does() {
        let target = Target {
            column: 2,
            name: "label".into(),
            numeric: false,
            test: Test::Classif,
        };
        for target_nulls in [false, true] {
            let batch = batch(target_nulls);
            let mut plain = ScoreState::new(target.clone(), vec![0, 1]);
            plain.add(&batch).unwrap();
            let mut shared = ScoreState::new(target.clone(), vec![0, 1]);
            let features = numeric_columns(&batch, &[0, 1]);
            let keep = complete(&batch, &features);
            let mut cells = Vec::new();
            let block = gather(&features, &keep, &mut cells);
            shared.add_gathered(&batch, &keep, block).unwrap();
            assert_eq!(shared.rows, plain.rows);
            // The states but their label index (a hash map, printed in no fixed order).
            let state = |s: &ScoreState| {
                let text = format!("{:?}", s.state);
                text[..text.find("index:").expect("an index")].to_owned()
            };
            assert_eq!(state(&shared), state(&plain));
        }
    }
}
