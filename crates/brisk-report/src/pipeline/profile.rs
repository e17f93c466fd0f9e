//! The first pass's accumulators for the profile beside the statistics: where values are missing
//! (counts, pairs and a sample of rows for the nullity matrix), sample rows to show, and the
//! associations ([`AssociationState`]).

use brisk_data::batch::{Batch, ColumnTypes};
use brisk_data::nullity::{Nullity, NullityCounts};
use brisk_data::sample_rows::{RowSample, SampleOptions, SampledRows};

use brisk_kernels::accumulate::Reservoir;

use super::association::{AssociationState, Associations};
use super::plan::AnalysisPlan;
use crate::error::Result;

/// The profile's accumulators of one pass.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct ProfileState {
    nullity: NullityCounts,
    rows: RowSample,
    associations: AssociationState,
    types: ColumnTypes,
}

impl ProfileState {
    /// Empty accumulators for a table of `types` analysed by `plan`; samples drawn with `seed`.
    /// The correlations' sample takes at most `sample_rows` rows and an eighth of
    /// `memory_limit`.
    pub fn new(
        plan: &AnalysisPlan,
        types: &ColumnTypes,
        sample_rows: usize,
        memory_limit: u64,
        seed: u64,
    ) -> Self {
        // A sampled row: 8 bytes a numeric column, half as much again while candidates wait.
        let row_bytes = 12 * plan.numeric.len().max(1) as u64;
        let affordable = usize::try_from(memory_limit / 8 / row_bytes).unwrap_or(usize::MAX);
        let sample_rows = sample_rows.min(affordable.max(1_000));
        let options = SampleOptions {
            seed,
            ..SampleOptions::default()
        };
        ProfileState {
            nullity: NullityCounts::new(types.len()),
            rows: RowSample::new(types.len(), options),
            associations: AssociationState::new(plan, types, sample_rows, seed),
            types: types.clone(),
        }
    }

    /// Folds in a batch.
    ///
    /// # Errors
    /// A kernel's refusal.
    pub fn add(&mut self, batch: &Batch) -> Result<()> {
        self.nullity.add(batch);
        self.rows.add(batch, &self.types, batch.first_row());
        self.associations.add(batch)
    }

    /// Adds the rows another state took (the same plan and types, rows disjoint).
    ///
    /// # Errors
    /// States of different plans.
    pub fn merge(&mut self, other: &ProfileState) -> Result<()> {
        self.nullity.merge(&other.nullity);
        self.rows.merge(&other.rows);
        self.associations.merge(&other.associations)
    }

    /// The finished figures with the rows to show and the pairwise correlations' sample drawn in
    /// another pass over the same rows (numbered as one table's where this pass's were not).
    ///
    /// # Errors
    /// A kernel's refusal.
    pub(crate) fn finish_with_samples(
        mut self,
        types: &ColumnTypes,
        rows: RowSample,
        pairwise: Reservoir,
    ) -> Result<ProfileFigures> {
        self.rows = rows;
        self.associations.replace_sample(pairwise);
        self.finish(types)
    }

    /// The associations' accumulators.
    pub(crate) fn associations(&self) -> &AssociationState {
        &self.associations
    }

    /// The finished figures; `types` are the column types the pass ended with (a column may
    /// have widened after its first batches).
    ///
    /// # Errors
    /// A kernel's refusal.
    pub fn finish(mut self, types: &ColumnTypes) -> Result<ProfileFigures> {
        self.rows.settle_types(types);
        Ok(ProfileFigures {
            nullity: self.nullity.finish(),
            rows: self.rows.finish(),
            associations: self.associations.finish()?,
        })
    }
}

/// What the profile's accumulators give the page.
#[derive(Debug, Clone)]
pub struct ProfileFigures {
    /// Null counts and the nullity correlation.
    pub nullity: Nullity,
    /// The first rows, a sample of rows, and the nullity matrix's rows.
    pub rows: SampledRows,
    /// Spearman, Cramér's V and the text features' scores.
    pub associations: Associations,
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_data::batch::Batches;
    use brisk_data::input::{Format, Input};

    use crate::importance::Method;

    /// A table with nulls, two text columns, a bool and a numeric target.
    fn table(cities: u64) -> String {
        let mut csv = String::from("x,y,kind,flag,city,target\n");
        for i in 0..700u64 {
            let x = if i % 13 == 0 {
                String::new()
            } else {
                format!("{}", (i * 37 % 101) as f64 / 3.0)
            };
            let y = if i % 17 == 0 {
                "NA".into()
            } else {
                format!("{}", (i * 11 % 29) as f64)
            };
            let kind = ["a", "b", "c", ""][(i % 4) as usize];
            let flag = ["True", "False"][(i * 7 % 3 % 2) as usize];
            let city = format!("c{}", i % cities);
            csv.push_str(&format!(
                "{x},{y},{kind},{flag},{city},{}\n",
                (i % 23) as f64 * 1.5
            ));
        }
        csv
    }

    /// The figures of `states` states merged: every exact one as text, and the F statistics and
    /// p-values (merged moments round differently in the last digits).
    fn figures(states: usize) -> (String, Vec<(f64, f64)>) {
        let (exact, scores, _) = profiled(states, 9);
        (exact, scores)
    }

    fn profiled(states: usize, cities: u64) -> (String, Vec<(f64, f64)>, ProfileFigures) {
        let text = table(cities);
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        // Types from a whole first pass, as the pipeline settles them.
        let mut batches = Batches::open(&input, 50).unwrap();
        while batches.next_batch().unwrap().is_some() {}
        let types = batches.types().clone();
        let plan = AnalysisPlan::new(
            "t.csv",
            &types,
            Some("target"),
            Method::Auto,
            &|_| true,
            None,
        )
        .unwrap();
        let mut parts: Vec<ProfileState> = (0..states)
            .map(|_| ProfileState::new(&plan, &types, 300, 1 << 30, 7))
            .collect();
        let mut batches = Batches::with_types(&input, &types, 50).unwrap();
        let mut k = 0;
        while let Some(batch) = batches.next_batch().unwrap() {
            parts[k % states].add(&batch).unwrap();
            k += 1;
        }
        let mut whole = parts.pop().unwrap();
        for part in parts.iter().rev() {
            whole.merge(part).unwrap();
        }
        let f = whole.finish(&types).unwrap();
        let a = &f.associations;
        let pairwise = a.pairwise.as_ref().unwrap();
        let exact = format!(
            "{:?} {:?} {:?} {:?} {:?}",
            f.nullity,
            f.rows,
            (
                pairwise.rows,
                pairwise.exact,
                &pairwise.pearson,
                &pairwise.spearman
            ),
            a.cramers.as_ref().map(|c| (&c.columns, &c.matrix)),
            a.scores
                .iter()
                .map(|s| (&s.feature, s.test, s.levels, s.rows))
                .collect::<Vec<_>>(),
        );
        let scores = a.scores.iter().map(|s| (s.statistic, s.p_value)).collect();
        (exact, scores, f)
    }

    #[test]
    fn a_text_feature_of_more_than_max_levels_values_is_not_scored_nor_correlated() {
        let (_, _, f) = profiled(2, 150);
        let scored: Vec<&str> = f
            .associations
            .scores
            .iter()
            .map(|s| s.feature.as_str())
            .collect();
        assert_eq!(scored, ["kind", "flag"]);
        let cramers = f.associations.cramers.unwrap();
        assert_eq!(cramers.columns, ["kind", "flag"]);
    }

    #[test]
    fn any_split_merged_gives_the_figures_of_one_state() {
        let (one, scores) = figures(1);
        assert!(one.contains("f_oneway"), "{one}");
        for states in [2, 3, 5] {
            let (merged, merged_scores) = figures(states);
            assert_eq!(merged, one, "{states} states");
            for ((a, p), (b, q)) in merged_scores.iter().zip(&scores) {
                assert!((a - b).abs() <= 1e-12 * b.abs(), "F {a} {b}");
                assert!((p - q).abs() <= 1e-12 * q.abs(), "p {p} {q}");
            }
        }
    }
}
