//! Passes over other rows, merged: the partial state of a group-by
//! ([`crate::partial::GroupByState`]).
//!
//! Groups are matched by key, the groups new to a pass appended; each aggregate's accumulators
//! merge group by group. The output sorts the groups by key, so the order in which passes merge
//! does not show in it.

use super::pass::Pass;
use super::plan::Plan;

impl Pass {
    /// Folds in `other`, a pass of the same plan over other rows, moving the values it keeps
    /// (for medians and distinct counts) out of it: for each of its groups, the group's id here
    /// and whether it is new.
    pub fn absorb(&mut self, other: &mut Pass) -> Vec<(u32, bool)> {
        let ids = self.groups.absorb(&other.groups);
        let groups = self.groups.len();
        self.rows_per_group.resize(groups, 0);
        for (&(g, _), rows) in ids.iter().zip(&other.rows_per_group) {
            self.rows_per_group[g as usize] += rows;
        }
        for (mine, theirs) in self.accumulators.iter_mut().zip(&mut other.accumulators) {
            mine.grow(groups);
            for (h, &(g, _)) in ids.iter().enumerate() {
                mine.merge_group(g as usize, theirs, h);
            }
        }
        for (mine, theirs) in self.derived_nulls.iter_mut().zip(&other.derived_nulls) {
            *mine |= theirs;
        }
        ids
    }

    /// Whether the pass has the shape `plan` gives a pass (a state read back is checked before
    /// it is used): one slot per group in every accumulator, each with what its aggregates need.
    pub fn fits(&self, plan: &Plan) -> bool {
        let groups = self.groups.len();
        self.groups.width() == plan.key_columns.len()
            && self.rows_per_group.len() == groups
            && self.derived_nulls.len() == plan.derived.len()
            && self.accumulators.len() == plan.sources.len()
            && self
                .accumulators
                .iter()
                .zip(&plan.sources)
                .all(|(acc, (_, needs))| acc.needs() == *needs && acc.fits(groups))
    }
}
