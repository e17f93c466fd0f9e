//! Per-group accumulators of one value column, updated batch by batch.
//!
//! The numerics are the kernels': sums are Neumaier-compensated by [`CompensatedSum`] (pandas'
//! group sums and means are Kahan-compensated), `std` and `var` come from the Welford update of
//! [`Moments`], and distinct numbers are keyed by [`canonical_zero`] bits. A numeric column's
//! values arrive as `f64` with NaN for null; a text column's as its bytes, for `count`, `min`,
//! `max` and `nunique`. Medians and distinct counts keep the values of each group.
//!
//! The accumulators are plain data (serde), and those of other rows merge in group by group
//! ([`Accumulator::merge_group`]): counts add, sums merge with their compensations, moments by
//! Chan's formulas, extremes by comparison, and the kept values and distinct sets by union.

use std::collections::HashSet;

use brisk_kernels::numeric::{canonical_zero, CompensatedSum};
use brisk_kernels::stats::Moments;
use serde::{Deserialize, Serialize};

use super::spec::Func;
use crate::batch::TextColumn;

/// Which figures the aggregates of one column need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    pub sum: bool,
    pub moments: bool,
    pub extremes: bool,
    pub median: bool,
    pub distinct: bool,
}

impl Needs {
    /// Adds what `func` needs.
    pub fn add(&mut self, func: Func) {
        match func {
            Func::Sum | Func::Mean => self.sum = true,
            Func::Std | Func::Var => self.moments = true,
            Func::Min | Func::Max => self.extremes = true,
            Func::Median => self.median = true,
            Func::Nunique => self.distinct = true,
            Func::Count | Func::CountRows => {}
        }
    }
}

/// The accumulators of one value column, one slot per group.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Accumulator {
    needs: Needs,
    /// Non-null values.
    pub count: Vec<u64>,
    /// Non-null values that are numbers (text excluded).
    pub numbers: Vec<u64>,
    sum: Vec<CompensatedSum>,
    moments: Vec<Moments>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    pub values: Vec<Vec<f64>>,
    /// Distinct numbers, as canonical bits.
    distinct_numbers: Vec<HashSet<u64>>,
    /// Distinct texts.
    distinct_texts: Vec<HashSet<Box<[u8]>>>,
    /// Smallest and largest text, for min/max of a text column (pandas compares strings).
    pub text_min: Vec<Option<Box<[u8]>>>,
    pub text_max: Vec<Option<Box<[u8]>>>,
}

impl Accumulator {
    /// Accumulators for the figures in `needs`.
    pub fn new(needs: Needs) -> Self {
        Accumulator {
            needs,
            ..Accumulator::default()
        }
    }

    /// Makes room for `groups` groups.
    pub fn grow(&mut self, groups: usize) {
        if self.count.len() >= groups {
            return;
        }
        let n = self.needs;
        self.count.resize(groups, 0);
        self.numbers.resize(groups, 0);
        if n.sum {
            self.sum.resize(groups, CompensatedSum::new());
        }
        if n.moments {
            self.moments.resize(groups, Moments::new());
        }
        if n.extremes {
            self.min.resize(groups, f64::INFINITY);
            self.max.resize(groups, f64::NEG_INFINITY);
            self.text_min.resize(groups, None);
            self.text_max.resize(groups, None);
        }
        if n.median {
            self.values.resize_with(groups, Vec::new);
        }
        if n.distinct {
            self.distinct_numbers.resize_with(groups, HashSet::new);
            self.distinct_texts.resize_with(groups, HashSet::new);
        }
    }

    /// What the accumulators hold.
    pub fn needs(&self) -> Needs {
        self.needs
    }

    /// Whether every accumulator has one slot for each of `groups` groups (a state read back
    /// is checked before it is used).
    pub fn fits(&self, groups: usize) -> bool {
        let n = self.needs;
        let slots = |needed: bool| if needed { groups } else { 0 };
        self.count.len() == groups
            && self.numbers.len() == groups
            && self.sum.len() == slots(n.sum)
            && self.moments.len() == slots(n.moments)
            && self.min.len() == slots(n.extremes)
            && self.max.len() == slots(n.extremes)
            && self.text_min.len() == slots(n.extremes)
            && self.text_max.len() == slots(n.extremes)
            && self.values.len() == slots(n.median)
            && self.distinct_numbers.len() == slots(n.distinct)
            && self.distinct_texts.len() == slots(n.distinct)
    }

    /// Folds group `h` of `other` (the same column's accumulators over other rows) into group
    /// `g`, which must have room; the values `other` keeps for the group are moved out of it.
    pub fn merge_group(&mut self, g: usize, other: &mut Accumulator, h: usize) {
        self.count[g] += other.count[h];
        self.numbers[g] += other.numbers[h];
        if self.needs.sum {
            self.sum[g].merge(&other.sum[h]);
        }
        if self.needs.moments {
            self.moments[g].merge(&other.moments[h]);
        }
        if self.needs.extremes {
            self.min[g] = self.min[g].min(other.min[h]);
            self.max[g] = self.max[g].max(other.max[h]);
            for text in [other.text_min[h].take(), other.text_max[h].take()]
                .into_iter()
                .flatten()
            {
                self.add_text_extremes(g, &text);
            }
        }
        if self.needs.median {
            let values = std::mem::take(&mut other.values[h]);
            if self.values[g].is_empty() {
                self.values[g] = values;
            } else {
                self.values[g].extend(values);
            }
        }
        if self.needs.distinct {
            self.distinct_numbers[g].extend(other.distinct_numbers[h].drain());
            self.distinct_texts[g].extend(other.distinct_texts[h].drain());
        }
    }

    /// Folds one batch of numbers in: `ids[r]` is row r's group, `values[r]` its number, NaN
    /// when null.
    pub fn add_numbers(&mut self, ids: &[u32], values: &[f64]) {
        for (&g, &x) in ids.iter().zip(values) {
            if x.is_nan() {
                continue;
            }
            let g = g as usize;
            self.count[g] += 1;
            self.numbers[g] += 1;
            if self.needs.sum {
                self.sum[g].add(x);
            }
            if self.needs.moments {
                self.moments[g].add(x);
            }
            if self.needs.extremes {
                self.min[g] = self.min[g].min(x);
                self.max[g] = self.max[g].max(x);
            }
            if self.needs.median {
                self.values[g].push(x);
            }
            if self.needs.distinct {
                self.distinct_numbers[g].insert(canonical_zero(x).to_bits());
            }
        }
    }

    /// Folds one batch of text in: the count, the text min/max and the distinct texts.
    pub fn add_texts(&mut self, ids: &[u32], texts: &TextColumn) {
        for (&g, text) in ids.iter().zip(texts.iter()) {
            let Some(text) = text else { continue };
            let g = g as usize;
            self.count[g] += 1;
            if self.needs.extremes {
                self.add_text_extremes(g, text);
            }
            if self.needs.distinct && !self.distinct_texts[g].contains(text) {
                self.distinct_texts[g].insert(text.into());
            }
        }
    }

    fn add_text_extremes(&mut self, g: usize, text: &[u8]) {
        if self.text_min[g].as_deref().is_none_or(|m| text < m) {
            self.text_min[g] = Some(text.into());
        }
        if self.text_max[g].as_deref().is_none_or(|m| text > m) {
            self.text_max[g] = Some(text.into());
        }
    }

    /// The compensated sum of group `g`.
    pub fn total(&self, g: usize) -> f64 {
        self.sum[g].value()
    }

    /// The variance of group `g` with ddof 1: `None` below two values, NaN with an infinity.
    pub fn variance(&self, g: usize) -> Option<f64> {
        self.moments[g].variance(1.0)
    }

    /// The number of distinct non-null values of group `g`.
    pub fn distinct(&self, g: usize) -> usize {
        self.distinct_numbers[g].len() + self.distinct_texts[g].len()
    }
}
