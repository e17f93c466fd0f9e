//! Small numerical building blocks shared by the kernels and the crates above them: an exact
//! floating-point addition ([`two_sum`]), a compensated running sum ([`CompensatedSum`]), NumPy's
//! own summation order ([`pairwise_sum`], [`NumpySum`]) for figures that must equal pandas' bit
//! for bit, and the canonical form of zero ([`canonical_zero`]).
//!
//! ```
//! use brisk_kernels::numeric::{canonical_zero, CompensatedSum};
//! let sum: CompensatedSum = [1e16, 1.0, -1e16].into_iter().collect();
//! assert_eq!(sum.value(), 1.0); // a plain left-to-right sum gives 0
//! assert_eq!(canonical_zero(-0.0).to_bits(), 0.0f64.to_bits());
//! ```

pub(crate) mod double_double;
mod pairwise;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use pairwise::{pairwise_sum, NumpySum, SumOrder};

/// `a + b` as the rounded sum `s` and its rounding error `e`, so that `s + e = a + b` exactly
/// (Knuth's TwoSum, six operations, no branch; *The Art of Computer Programming* vol. 2, §4.2.2,
/// Theorem B). When the sum overflows, `e` is NaN.
///
/// ```
/// let (s, e) = brisk_kernels::numeric::two_sum(1.0, 1e-20);
/// assert_eq!((s, e), (1.0, 1e-20));
/// ```
#[inline]
pub fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let a_part = s - b;
    let b_part = s - a_part;
    (s, (a - a_part) + (b - b_part))
}

/// A compensated running sum (Neumaier's improvement of Kahan's summation, also called
/// Kahan–Babuška): the rounding error of every addition, found exactly by [`two_sum`], is added up
/// apart and added back at the end. The result is as accurate as a sum in twice the precision,
/// rounded once: `|value − Σx| ≤ ε|Σx| + O(nε²) Σ|x|`, whatever the order of the values.
///
/// Past an infinity or a NaN the correction means nothing, so it is dropped and the value is the
/// plain sum (±∞ or NaN, as NumPy's sum gives). `merge` adds two partial sums, so chunks of a
/// column can be summed apart.
///
/// The state is bit for bit that of Neumaier's original, branching form
/// (`c += if |s| ≥ |x| { (s − t) + x } else { (x − t) + s }`, skipped when `t = s + x` is not
/// finite): while `t` is finite both forms give the exact rounding error of `s + x` (Fast2Sum is
/// exact when its operands are ordered, TwoSum always, and TwoSum does not overflow when `t`
/// does not — Boldo, Graillat & Muller, *ACM TOMS* 44 (2017)), and the correction starts at +0, so
/// it never becomes −0 either. The callers that replaced their own copies (`brisk-data`'s clean
/// and groupby) rely on this.
///
/// Reference: A. Neumaier, "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher
/// Summen", *ZAMM* 54 (1974) 39–51; Higham, *Accuracy and Stability of Numerical Algorithms*
/// (2002) §4.3.
///
/// ```
/// use brisk_kernels::numeric::CompensatedSum;
/// let mut left = CompensatedSum::new();
/// left.add(1e100);
/// left.add(1.0);
/// let mut right: CompensatedSum = [-1e100, 0.5].into_iter().collect();
/// right.merge(&left);
/// assert_eq!(right.value(), 1.5); // a plain sum gives 0.5 or 0
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// The empty sum, 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value.
    #[inline]
    pub fn add(&mut self, value: f64) {
        let (sum, error) = two_sum(self.sum, value);
        if sum.is_finite() {
            self.compensation += error;
        }
        self.sum = sum;
    }

    /// Adds another partial sum.
    pub fn merge(&mut self, other: &CompensatedSum) {
        self.add(other.sum);
        self.compensation += other.compensation;
    }

    /// The sum, rounded once.
    pub fn value(&self) -> f64 {
        if self.sum.is_finite() {
            self.sum + self.compensation
        } else {
            self.sum
        }
    }
}

impl FromIterator<f64> for CompensatedSum {
    fn from_iter<I: IntoIterator<Item = f64>>(values: I) -> Self {
        let mut sum = CompensatedSum::new();
        values.into_iter().for_each(|v| sum.add(v));
        sum
    }
}

/// `x` with a negative zero replaced by a positive one; every other value (NaN included) is
/// unchanged. Use it before hashing or comparing bit patterns, so that `-0.0` and `0.0`, which
/// compare equal, also group and count as one value (as pandas and NumPy's `unique` treat them).
///
/// In round-to-nearest, `−0 + +0 = +0` (IEEE 754-2019 §6.3), so the function is one addition.
///
/// ```
/// use brisk_kernels::numeric::canonical_zero;
/// assert_eq!(canonical_zero(-0.0).to_bits(), 0);
/// assert_eq!(canonical_zero(-2.5), -2.5);
/// assert!(canonical_zero(f64::NAN).is_nan());
/// ```
#[inline]
pub fn canonical_zero(x: f64) -> f64 {
    x + 0.0
}

/// The index of the first NaN or infinite value of `values`, or `None` when all are finite.
///
/// The common case, all finite, is one branch-free pass: `v · 0` is `0` for a finite `v` and NaN
/// for NaN or ±∞, so a block's sum of `v · 0` is NaN exactly when the block holds a non-finite
/// value (the sum never overflows: every term is 0 or NaN). Only such a block is searched element
/// by element. This is scikit-learn's `_assert_all_finite` idea without its overflow caveat.
///
/// ```
/// use brisk_kernels::numeric::first_non_finite;
/// assert_eq!(first_non_finite(&[1.0, 2.0, 3.0]), None);
/// assert_eq!(first_non_finite(&[1.0, f64::INFINITY, f64::NAN]), Some(1));
/// ```
pub fn first_non_finite(values: &[f64]) -> Option<usize> {
    const BLOCK: usize = 256;
    values
        .chunks(BLOCK)
        .enumerate()
        .find(|(_, block)| {
            let mut lanes = [0.0f64; 8];
            let mut pieces = block.chunks_exact(8);
            for piece in &mut pieces {
                for (lane, &v) in lanes.iter_mut().zip(piece) {
                    *lane += v * 0.0;
                }
            }
            let rest: f64 = pieces.remainder().iter().map(|&v| v * 0.0).sum();
            (lanes.iter().sum::<f64>() + rest).is_nan()
        })
        .and_then(|(b, block)| {
            let at = block.iter().position(|v| !v.is_finite())?;
            Some(b * BLOCK + at)
        })
}
