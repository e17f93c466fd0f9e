//! The first pass's accumulators for the profile beside the statistics: where values are missing
//! (counts, pairs and a sample of rows for the nullity matrix), sample rows to show, and the
//! associations ([`AssociationState`]).

use brisk_data::batch::{Batch, ColumnTypes};
use brisk_data::nullity::{Nullity, NullityCounts};
use brisk_data::sample_rows::{RowSample, SampleOptions, SampledRows};

use super::association::{AssociationState, Associations};
use super::plan::AnalysisPlan;
use crate::error::Result;

/// The profile's accumulators of one pass.
#[derive(Debug)]
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
