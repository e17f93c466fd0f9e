//! Per-group accumulators of one value column, updated chunk by chunk.
//!
//! Sums are Neumaier-compensated by the kernels' [`CompensatedSum`] (pandas' group sums and means
//! are Kahan-compensated); the variance uses Welford's update in the very form of pandas'
//! `group_var` (`mean += (x − old) / n; M2 += (x − mean)(x − old)`), which gives pandas' digits
//! exactly. It is kept here rather than `brisk_kernels::stats::Moments`, whose shifted update
//! (`δ = (x − shift) − offset; M2 += δ · δ/n · (n − 1)`) rounds differently: on the golden
//! fixtures it moves six std/var cells by 1–3 ulp away from pandas' (within the tests' 1e-9, but
//! no longer the same value), and it also updates M3 and M4, which groupby never reads. Medians
//! and distinct counts keep the values of each group.

use std::collections::HashSet;

use brisk_kernels::numeric::{canonical_zero, CompensatedSum};

use super::spec::Func;

/// Which figures the aggregates of one column need.
#[derive(Debug, Clone, Copy, Default)]
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
#[derive(Debug, Default)]
pub struct Accumulator {
    needs: Needs,
    /// Non-null values.
    pub count: Vec<u64>,
    /// Non-null values that are numbers (text excluded).
    pub numbers: Vec<u64>,
    sum: Vec<CompensatedSum>,
    welford_mean: Vec<f64>,
    pub m2: Vec<f64>,
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    pub values: Vec<Vec<f64>>,
    /// Distinct texts (raw columns) or canonical number bits (derived columns).
    pub distinct_text: Vec<HashSet<Box<[u8]>>>,
    pub distinct_bits: Vec<HashSet<u64>>,
    /// Smallest and largest text, for min/max of a text column (pandas compares strings).
    pub text_min: Vec<Option<Box<[u8]>>>,
    pub text_max: Vec<Option<Box<[u8]>>>,
    text_extremes: bool,
}

impl Accumulator {
    /// Accumulators for the figures in `needs`.
    pub fn new(needs: Needs, text_extremes: bool) -> Self {
        Accumulator {
            needs,
            text_extremes,
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
            self.welford_mean.resize(groups, 0.0);
            self.m2.resize(groups, 0.0);
        }
        if n.extremes {
            self.min.resize(groups, f64::INFINITY);
            self.max.resize(groups, f64::NEG_INFINITY);
        }
        if n.median {
            self.values.resize_with(groups, Vec::new);
        }
        if n.distinct {
            self.distinct_text.resize_with(groups, HashSet::new);
            self.distinct_bits.resize_with(groups, HashSet::new);
        }
        if self.text_extremes {
            self.text_min.resize(groups, None);
            self.text_max.resize(groups, None);
        }
    }

    /// Whether min/max compare text.
    pub fn text_extremes(&self) -> bool {
        self.text_extremes
    }

    /// Folds the non-null fields of one chunk into the text min/max.
    pub fn add_text_extremes<'a>(
        &mut self,
        ids: &[u32],
        fields: impl Iterator<Item = Option<&'a [u8]>>,
    ) {
        for (&g, field) in ids.iter().zip(fields) {
            let Some(field) = field else { continue };
            let g = g as usize;
            if self.text_min[g].as_deref().is_none_or(|m| field < m) {
                self.text_min[g] = Some(field.into());
            }
            if self.text_max[g].as_deref().is_none_or(|m| field > m) {
                self.text_max[g] = Some(field.into());
            }
        }
    }

    /// Folds one chunk in: `ids[r]` is row r's group, `values[r]` its number (NaN when null or
    /// text), `present[r]` whether it is non-null.
    pub fn add(&mut self, ids: &[u32], values: &[f64], present: &[bool]) {
        for ((&g, &x), &here) in ids.iter().zip(values).zip(present) {
            let g = g as usize;
            self.count[g] += u64::from(here);
            if x.is_nan() {
                continue;
            }
            self.numbers[g] += 1;
            if self.needs.sum {
                self.sum[g].add(x);
            }
            if self.needs.moments {
                let n = self.numbers[g] as f64;
                let old = self.welford_mean[g];
                let mean = old + (x - old) / n;
                self.welford_mean[g] = mean;
                self.m2[g] += (x - mean) * (x - old);
            }
            if self.needs.extremes {
                self.min[g] = self.min[g].min(x);
                self.max[g] = self.max[g].max(x);
            }
            if self.needs.median {
                self.values[g].push(x);
            }
        }
    }

    /// Records the distinct raw texts of one chunk's non-null fields.
    pub fn add_distinct_text<'a>(
        &mut self,
        ids: &[u32],
        fields: impl Iterator<Item = Option<&'a [u8]>>,
    ) {
        for (&g, field) in ids.iter().zip(fields) {
            if let Some(field) = field {
                let set = &mut self.distinct_text[g as usize];
                if !set.contains(field) {
                    set.insert(field.into());
                }
            }
        }
    }

    /// Records the distinct numbers of one chunk (derived columns).
    pub fn add_distinct_numbers(&mut self, ids: &[u32], values: &[f64]) {
        for (&g, &x) in ids.iter().zip(values) {
            if !x.is_nan() {
                self.distinct_bits[g as usize].insert(canonical_zero(x).to_bits());
            }
        }
    }

    /// The compensated sum of group `g`.
    pub fn total(&self, g: usize) -> f64 {
        self.sum[g].value()
    }
}
