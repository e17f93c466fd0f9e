//! One pass over the input's batches into the group table and the per-group accumulators.

use serde::{Deserialize, Serialize};

use super::accumulate::Accumulator;
use super::groups::Groups;
use super::plan::{Plan, Source};
use crate::batch::{Batch, BatchColumn};

/// The state after one pass over the input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pass {
    pub groups: Groups,
    pub rows_per_group: Vec<u64>,
    /// Per value source of the plan.
    pub accumulators: Vec<Accumulator>,
    /// Per derived column: some row gave null.
    pub derived_nulls: Vec<bool>,
}

/// Per-batch buffers, reused.
#[derive(Default)]
pub struct Scratch {
    ids: Vec<u32>,
    derived: Vec<Vec<f64>>,
    /// All null: what a text column reads as in arithmetic (never, once the plan's checks pass).
    nulls: Vec<f64>,
}

impl Pass {
    /// An empty pass for `plan`.
    pub fn new(plan: &Plan) -> Self {
        Pass {
            groups: Groups::new(plan.key_columns.len()),
            rows_per_group: Vec::new(),
            accumulators: plan
                .sources
                .iter()
                .map(|(_, needs)| Accumulator::new(*needs))
                .collect(),
            derived_nulls: vec![false; plan.derived.len()],
        }
    }

    /// Folds one batch in: group ids, then the derived columns, then every accumulator.
    pub fn fold(&mut self, plan: &Plan, batch: &Batch, scratch: &mut Scratch) {
        self.groups
            .assign(batch, &plan.key_columns, &mut scratch.ids);
        self.rows_per_group.resize(self.groups.len(), 0);
        for &g in &scratch.ids {
            self.rows_per_group[g as usize] += 1;
        }
        self.derive(plan, batch, scratch);
        for ((source, _), acc) in plan.sources.iter().zip(&mut self.accumulators) {
            acc.grow(self.groups.len());
            match *source {
                Source::Raw(c) => match batch.column(c) {
                    BatchColumn::Numeric(numbers) => {
                        acc.add_numbers(&scratch.ids, numbers.values())
                    }
                    BatchColumn::Text(texts) => acc.add_texts(&scratch.ids, texts),
                },
                Source::Derived(d) => acc.add_numbers(&scratch.ids, &scratch.derived[d]),
            }
        }
    }

    /// Evaluates the `--with` columns of a batch, in order, on whole columns.
    fn derive(&mut self, plan: &Plan, batch: &Batch, scratch: &mut Scratch) {
        let rows = batch.rows();
        scratch.derived.clear();
        scratch.nulls.resize(rows, f64::NAN);
        for (i, resolved) in plan.derived.iter().enumerate() {
            let values = {
                let lookup = |name: &str| -> &[f64] {
                    match resolved.binding(name) {
                        Source::Raw(c) => match batch.column(c) {
                            BatchColumn::Numeric(numbers) => numbers.values(),
                            BatchColumn::Text(_) => &scratch.nulls[..rows],
                        },
                        Source::Derived(j) => &scratch.derived[j],
                    }
                };
                resolved.expr.eval_columns(rows, &lookup)
            };
            self.derived_nulls[i] |= values.iter().any(|x| x.is_nan());
            scratch.derived.push(values);
        }
    }
}
