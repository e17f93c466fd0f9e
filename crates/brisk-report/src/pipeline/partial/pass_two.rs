//! The report's second pass over a table's partitions ([`ReportPass2`]).

use std::collections::{BTreeMap, BTreeSet};

use brisk_data::batch::{Batches, ColumnTypes};
use brisk_data::input::Input;
use brisk_data::partial::{decode, encode, StateKind};
use brisk_data::sample_rows::{RowSample, SampleOptions};
use brisk_data::summary::{QuartilePass, TableSummary};
use brisk_kernels::accumulate::Reservoir;
use serde::{Deserialize, Serialize};

use super::{changed, refused, PartialReportOptions, BATCH_ROWS};
use crate::error::Result;
use crate::pipeline::association::add_sample_rows;
use crate::pipeline::{Analyses, Assignment, Histograms, ProfileState};

/// The report's second pass, made by [`ReportState::pass_two`](super::ReportState::pass_two);
/// each partition runs its own copy ([`ReportPass2::for_partition`]) over its rows, and the
/// copies merge in any order.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportPass2 {
    /// `None` when pass 1 saw no row.
    body: Option<Body>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    /// The merged column types, to read every partition with.
    types: ColumnTypes,
    /// Each partition's first row among the table's.
    offsets: BTreeMap<u32, u64>,
    /// Rows pass 1 saw.
    expected: u64,
    /// The partition this copy reads, and its rows read so far.
    partition: Option<(u32, u64)>,
    /// The partitions read in this round, and their rows.
    read: BTreeSet<u32>,
    rows: u64,
    /// 0 for the pass itself; then each further pass for crowded quartile buckets, which reads
    /// only the quartiles.
    round: u32,
    quartiles: Option<QuartilePass>,
    histograms: Histograms,
    assignment: Option<Assignment>,
    /// The rows to show, by their numbers in the table.
    shown: RowSample,
    /// The pairwise correlations' sample of `sampled` columns, by the rows' numbers in the table.
    pairwise: Reservoir,
    sampled: Vec<usize>,
}

/// What the merged second pass gives the figures.
pub(super) struct Settled {
    pub(super) quartiles: Option<QuartilePass>,
    pub(super) histograms: Histograms,
    pub(super) assignment: Option<Assignment>,
    pub(super) rows: RowSample,
    pub(super) pairwise: Reservoir,
}

impl ReportPass2 {
    /// The pass of a table of no row.
    pub(super) fn empty() -> Self {
        ReportPass2 { body: None }
    }

    /// The pass after pass 1's merged `summary` and the `analyses` fitted on it.
    pub(super) fn new(
        types: &ColumnTypes,
        summary: &TableSummary,
        analyses: &Analyses,
        profile: &ProfileState,
        rows: &BTreeMap<u32, u64>,
        options: &PartialReportOptions,
    ) -> Self {
        let mut offsets = BTreeMap::new();
        let mut next = 0u64;
        for (&p, &n) in rows {
            offsets.insert(p, next);
            next += n;
        }
        let sample = SampleOptions {
            seed: u64::from(options.seed),
            ..SampleOptions::default()
        };
        let associations = profile.associations();
        ReportPass2 {
            body: Some(Body {
                types: types.clone(),
                offsets,
                expected: summary.rows(),
                partition: None,
                read: BTreeSet::new(),
                rows: 0,
                round: 0,
                quartiles: summary
                    .needs_second_pass()
                    .then(|| summary.quartile_pass_within(options.memory_limit)),
                histograms: Histograms::new(&analyses.ranges, options.bins),
                assignment: analyses
                    .projection
                    .as_ref()
                    .ok()
                    .map(|p| Assignment::new(analyses.plan.features.clone(), p)),
                shown: RowSample::new(types.len(), sample),
                pairwise: associations.fresh_sample(),
                sampled: associations.sampled_columns().to_vec(),
            }),
        }
    }

    /// The copy for partition `partition` to run over its rows (the partition numbers of pass
    /// 1).
    pub fn for_partition(&self, partition: u32) -> ReportPass2 {
        let mut copy = self.clone();
        if let Some(body) = &mut copy.body {
            body.partition = Some((partition, 0));
        }
        copy
    }

    /// The pass's versioned bytes ([`brisk_data::partial::encode`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(StateKind::ReportPass2, self)
    }

    /// The pass in `bytes`; `source` names them in messages.
    ///
    /// # Errors
    /// Bytes that are not a report's pass-2 state of this brisk release, truncated or corrupt.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Self> {
        Ok(decode(StateKind::ReportPass2, bytes, source)?)
    }

    /// Folds in the rows of `input`: rows of this copy's partition, after those already read,
    /// as pass 1 read them.
    ///
    /// # Errors
    /// A copy made for no partition, a partition pass 1 did not see, a malformed input, or rows
    /// of other columns than pass 1's.
    pub fn update(&mut self, input: &Input) -> Result<()> {
        let Some(body) = &mut self.body else {
            return Ok(());
        };
        let Some((partition, before)) = body.partition else {
            return Err(refused(
                input.name(),
                "a second pass made for no partition: run the copy for_partition gives",
            ));
        };
        // A partition of no row in pass 1 may be read again, and must have no row now.
        let offset = body.offsets.get(&partition).copied();
        let mut batches = Batches::with_types(input, &body.types, BATCH_ROWS)?;
        if batches.types().names() != body.types.names() {
            return Err(refused(
                input.name(),
                format!(
                    "other columns than pass 1 saw ({} and {})",
                    batches.types().names().join(", "),
                    body.types.names().join(", ")
                ),
            ));
        }
        let mut read = 0u64;
        while let Some(batch) = batches.next_batch()? {
            let Some(offset) = offset else {
                if batch.rows() == 0 {
                    continue;
                }
                return Err(refused(
                    input.name(),
                    format!(
                        "partition {partition} had no row in pass 1: run both passes over the \
                         same partitions"
                    ),
                ));
            };
            let batch = batch.with_first_row(offset + before + read);
            read += batch.rows() as u64;
            if let Some(q) = &mut body.quartiles {
                q.add(&batch);
            }
            if body.round == 0 {
                body.histograms.add(&batch);
                if let Some(a) = &mut body.assignment {
                    a.add(&batch);
                }
                body.shown.add(&batch, &body.types, batch.first_row());
                add_sample_rows(&mut body.pairwise, &body.sampled, &batch)?;
            }
        }
        body.partition = Some((partition, before + read));
        body.rows += read;
        body.read.insert(partition);
        Ok(())
    }

    /// Folds in another partition's copy of the same pass.
    ///
    /// # Errors
    /// A copy of another pass (or round of it), or two copies of one partition.
    pub fn merge(&mut self, other: &ReportPass2) -> Result<()> {
        let source = "the merged second pass";
        let mismatch = || {
            refused(
                source,
                "the second passes were made from other pass-1 states (or are of other rounds): \
                 give every partition a copy of the same pass",
            )
        };
        let (mine, theirs) = match (&mut self.body, &other.body) {
            (None, None) => return Ok(()),
            (Some(mine), Some(theirs)) => (mine, theirs),
            _ => return Err(mismatch()),
        };
        let same = mine.types.names() == theirs.types.names()
            && mine.offsets == theirs.offsets
            && mine.expected == theirs.expected
            && mine.round == theirs.round
            && mine.sampled == theirs.sampled;
        if !same {
            return Err(mismatch());
        }
        if let Some(p) = theirs.read.iter().find(|p| mine.read.contains(p)) {
            return Err(refused(
                source,
                format!("two copies read partition {p}: merge each partition's copy once"),
            ));
        }
        match (&mut mine.quartiles, &theirs.quartiles) {
            (Some(a), Some(b)) => a.merge(b).map_err(|_| mismatch())?,
            (None, None) => {}
            _ => return Err(mismatch()),
        }
        if mine.round == 0 {
            mine.histograms.merge(&theirs.histograms)?;
            match (&mut mine.assignment, &theirs.assignment) {
                (Some(a), Some(b)) => a.merge(b)?,
                (None, None) => {}
                _ => return Err(mismatch()),
            }
            mine.shown.merge(&theirs.shown);
            mine.pairwise
                .merge(&theirs.pairwise)
                .map_err(crate::ReportError::kernel(
                    "merging the pairwise sample".to_owned(),
                ))?;
        }
        mine.read.extend(theirs.read.iter().copied());
        mine.rows += theirs.rows;
        mine.partition = None;
        Ok(())
    }

    /// Whether a quartile's bucket held too many distinct values: [`ReportPass2::another_pass`]
    /// then makes one more pass over the partitions (each narrows the bucket by about 2¹¹).
    pub fn needs_another_pass(&self) -> bool {
        self.body
            .as_ref()
            .and_then(|b| b.quartiles.as_ref())
            .is_some_and(QuartilePass::needs_another_pass)
    }

    /// Ends this (merged) pass and makes the next, for each partition to run again
    /// ([`ReportPass2::for_partition`]); it reads only the quartiles' values.
    ///
    /// # Errors
    /// The pass saw other rows than pass 1.
    pub fn another_pass(&mut self) -> Result<()> {
        let Some(body) = &mut self.body else {
            return Ok(());
        };
        let source = "the merged second pass";
        if body.rows != body.expected {
            return Err(changed(source));
        }
        if let Some(q) = &mut body.quartiles {
            q.another_pass().map_err(|_| changed(source))?;
        }
        body.round += 1;
        body.rows = 0;
        body.read.clear();
        body.partition = None;
        Ok(())
    }

    /// The merged pass's figures, for pass 1's `types` and `rows`.
    pub(super) fn settle(self, source: &str, types: &ColumnTypes, rows: u64) -> Result<Settled> {
        let Some(body) = self.body else {
            return Err(changed(source));
        };
        if body.types.names() != types.names() || body.expected != rows || body.rows != rows {
            return Err(changed(source));
        }
        if body
            .quartiles
            .as_ref()
            .is_some_and(QuartilePass::needs_another_pass)
        {
            return Err(refused(
                source,
                "the second pass needs another pass over the partitions (a quartile's bucket \
                 held too many distinct values): call another_pass and run it",
            ));
        }
        Ok(Settled {
            quartiles: body.quartiles,
            histograms: body.histograms,
            assignment: body.assignment,
            rows: body.shown,
            pairwise: body.pairwise,
        })
    }
}
