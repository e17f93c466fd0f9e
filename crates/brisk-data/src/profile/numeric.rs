//! The facts of a numeric column's profile gathered batch by batch.

use brisk_kernels::accumulate::Extremes;
use serde::{Deserialize, Serialize};

use super::{Distinct, NumericProfile, EXTREME_VALUES};

/// Zeros, negatives, infinities and the extreme values of a column's non-null values.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
        let [zeros, negatives, infinite] = sign_counts(values);
        self.zeros += zeros;
        self.negatives += negatives;
        self.infinite += infinite;
        self.extremes.add_slice(values);
    }

    /// Adds the facts of other values.
    pub(crate) fn merge(&mut self, other: &NumericFacts) {
        self.zeros += other.zeros;
        self.negatives += other.negatives;
        self.infinite += other.infinite;
        self.extremes.merge(&other.extremes);
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

/// The zeros, negatives and infinities of `values`, counted in 8 independent lanes so that the
/// loop vectorises (about 1.5 ns a value where one branchy loop took 2–3).
fn sign_counts(values: &[f64]) -> [u64; 3] {
    const LANES: usize = 8;
    let mut lanes = [[0u64; LANES]; 3];
    let mut blocks = values.chunks_exact(LANES);
    for block in &mut blocks {
        for (i, &x) in block.iter().enumerate() {
            lanes[0][i] += u64::from(x == 0.0);
            lanes[1][i] += u64::from(x < 0.0);
            lanes[2][i] += u64::from(x.abs() == f64::INFINITY);
        }
    }
    let mut counts = lanes.map(|lane| lane.iter().sum::<u64>());
    for &x in blocks.remainder() {
        counts[0] += u64::from(x == 0.0);
        counts[1] += u64::from(x < 0.0);
        counts[2] += u64::from(x.abs() == f64::INFINITY);
    }
    counts
}

#[cfg(test)]
mod tests {
    use brisk_kernels::accumulate::count_distinct;

    use super::*;

    #[test]
    fn counts_and_distinct_values_as_pandas() {
        // pandas: s = Series([0.0, -0.0, -1.5, inf, -inf, 3.0, 3.0]); (s == 0).sum() → 2,
        // (s < 0).sum() → 2, np.isinf(s).sum() → 2, s.nunique() → 5.
        let mut values = vec![0.0, -0.0, -1.5, f64::INFINITY, f64::NEG_INFINITY, 3.0, 3.0];
        let mut facts = NumericFacts::new();
        facts.add_slice(&values[..3]);
        facts.add_slice(&values[3..]);
        let profile = facts.finish(Distinct::exact(count_distinct(&mut values)));
        assert_eq!(
            (profile.zeros, profile.negatives, profile.infinite),
            (2, 2, 2)
        );
        assert_eq!(profile.distinct.count, 5);
        let many: Vec<f64> = (0..21).map(|i| f64::from(i % 7) - 3.0).collect();
        assert_eq!(sign_counts(&many), [3, 9, 0]);
        assert_eq!(profile.smallest[0].value, f64::NEG_INFINITY);
        assert_eq!(
            (profile.largest[4].value, profile.largest[4].count),
            (f64::INFINITY, 1)
        );
    }
}
