//! The facts of a numeric column's profile gathered batch by batch.

use brisk_kernels::accumulate::Extremes;

use super::{Distinct, NumericProfile, EXTREME_VALUES};

/// Zeros, negatives, infinities and the extreme values of a column's non-null values.
#[derive(Debug, Clone)]
pub(crate) struct NumericFacts {
    zeros: u64,
    negatives: u64,
    infinite: u64,
    extremes: Extremes,
}

impl NumericFacts {
    pub(crate) fn new() -> Self {
        NumericFacts {
            zeros: 0,
            negatives: 0,
            infinite: 0,
            extremes: Extremes::new(EXTREME_VALUES),
        }
    }

    /// Folds in a batch's non-null values.
    pub(crate) fn add_slice(&mut self, values: &[f64]) {
        // Branch-free counts, so the loop vectorises.
        let (mut zeros, mut negatives, mut infinite) = (0u64, 0u64, 0u64);
        for &x in values {
            zeros += u64::from(x == 0.0);
            negatives += u64::from(x < 0.0);
            infinite += u64::from(x.is_infinite());
        }
        self.zeros += zeros;
        self.negatives += negatives;
        self.infinite += infinite;
        self.extremes.add_slice(values);
    }

    pub(crate) fn finish(self, distinct: Distinct) -> NumericProfile {
        NumericProfile {
            distinct,
            zeros: self.zeros,
            negatives: self.negatives,
            infinite: self.infinite,
            smallest: self.extremes.smallest().to_vec(),
            largest: self.extremes.largest().to_vec(),
        }
    }
}

/// The number of distinct values of `values` (no NaN; `−0.0` equals `0.0`), which it sorts.
pub(crate) fn distinct_of_values(values: &mut [f64]) -> u64 {
    values.sort_unstable_by(f64::total_cmp);
    // −0.0 sorts next to 0.0 and compares equal to it.
    let changes = values.windows(2).filter(|w| w[0] != w[1]).count();
    (changes + usize::from(!values.is_empty())) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_distinct_values_as_pandas() {
        // pandas: s = Series([0.0, -0.0, -1.5, inf, -inf, 3.0, 3.0]); (s == 0).sum() → 2,
        // (s < 0).sum() → 2, np.isinf(s).sum() → 2, s.nunique() → 5.
        let mut values = vec![0.0, -0.0, -1.5, f64::INFINITY, f64::NEG_INFINITY, 3.0, 3.0];
        let mut facts = NumericFacts::new();
        facts.add_slice(&values[..3]);
        facts.add_slice(&values[3..]);
        let profile = facts.finish(Distinct::exact(distinct_of_values(&mut values)));
        assert_eq!(
            (profile.zeros, profile.negatives, profile.infinite),
            (2, 2, 2)
        );
        assert_eq!(profile.distinct.count, 5);
        assert_eq!(profile.smallest[0].value, f64::NEG_INFINITY);
        assert_eq!(
            (profile.largest[4].value, profile.largest[4].count),
            (f64::INFINITY, 1)
        );
        assert_eq!(distinct_of_values(&mut []), 0);
    }
}
