//! Mergeable central moments up to the fourth: count, mean, M2, M3, M4.
//!
//! `Mk = Σ (xᵢ − x̄)ᵏ`. Three ways in, all giving the same state up to rounding:
//! - [`Moments::add`]: one value, by Welford's update extended to M3 and M4 (Pébay 2008, eq. 2.1;
//!   Terriberry's form);
//! - [`Moments::from_slice`]: a block of values by the compensated two-pass algorithm (the mean of a
//!   first pass, then the sums of the deviations and their powers, corrected by the mean of the
//!   deviations — Chan, Golub & LeVeque 1983), written so the compiler vectorises it;
//! - [`Moments::merge`]: two states by Chan's pairwise formula for M2 and Pébay's for M3 and M4
//!   (Pébay, "Formulas for robust, one-pass parallel computation of covariances and arbitrary-order
//!   statistical moments", Sandia SAND2008-6212, eq. 3.1).
//!
//! Infinite values are counted apart and make the mean ±∞ (or NaN when both signs occur) and the
//! higher moments NaN, as NumPy and pandas do. NaN is the caller's to filter: pandas skips it.

use serde::{Deserialize, Serialize};

/// Which normalisation the finished statistics use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Convention {
    /// pandas' defaults: variance with ddof = 1, adjusted Fisher–Pearson skewness G1
    /// (`Series.skew`), bias-corrected excess kurtosis G2 (`Series.kurt`).
    #[default]
    Sample,
    /// NumPy's and SciPy's defaults: ddof = 0, biased g1 and g2
    /// (`numpy.std`, `scipy.stats.skew`, `scipy.stats.kurtosis`).
    Population,
}

/// The running state of the first four central moments of a set of finite values.
///
/// The mean is held as `shift + offset`, `shift` being the first value seen: for data such as
/// `1e9 ± 1e-3`, where the mean itself is only representable to ~1e-7, the offsets of two blocks
/// still differ by a precise amount, so merging blocks keeps the variance to full precision.
///
/// The state is plain data (serde), so partial states can be written by workers and merged
/// elsewhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    n: u64,
    shift: f64,
    offset: f64,
    m2: f64,
    m3: f64,
    m4: f64,
    pos_inf: u64,
    neg_inf: u64,
}

impl Moments {
    /// The empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value (Welford–Pébay update).
    ///
    /// ```
    /// use brisk_kernels::stats::Moments;
    /// let mut m = Moments::new();
    /// for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
    ///     m.add(x);
    /// }
    /// assert_eq!(m.mean(), Some(5.0));
    /// assert_eq!(m.variance(0.0), Some(4.0));
    /// ```
    #[inline]
    pub fn add(&mut self, x: f64) {
        if !x.is_finite() {
            self.add_non_finite(x);
            return;
        }
        if self.n == 0 {
            self.shift = x;
        }
        let n1 = self.n as f64;
        self.n += 1;
        let n = self.n as f64;
        let delta = (x - self.shift) - self.offset;
        let delta_n = delta / n;
        let delta_n2 = delta_n * delta_n;
        let term1 = delta * delta_n * n1;
        self.offset += delta_n;
        self.m4 += term1 * delta_n2 * (n * n - 3.0 * n + 3.0) + 6.0 * delta_n2 * self.m2
            - 4.0 * delta_n * self.m3;
        self.m3 += term1 * delta_n * (n - 2.0) - 3.0 * delta_n * self.m2;
        self.m2 += term1;
    }

    fn add_non_finite(&mut self, x: f64) {
        if x == f64::INFINITY {
            self.pos_inf += 1;
        } else if x == f64::NEG_INFINITY {
            self.neg_inf += 1;
        }
    }

    /// The moments of a block of values by the compensated two-pass algorithm.
    ///
    /// ```
    /// use brisk_kernels::stats::Moments;
    /// // Values 1e9 + k·h with h = 2⁻¹⁰, exactly representable: the variance is h².
    /// let h = 2f64.powi(-10);
    /// let m = Moments::from_slice(&[1e9 + h, 1e9 + 2.0 * h, 1e9 + 3.0 * h]);
    /// assert_eq!(m.variance(1.0), Some(h * h));
    /// ```
    pub fn from_slice(values: &[f64]) -> Self {
        let Some(&shift) = values.first() else {
            return Moments::new();
        };
        let n = values.len() as f64;
        let total = sum_deviations(values, shift);
        // A NaN or an infinity makes the sum non-finite: only then are the values looked at.
        if !total.is_finite() && values.iter().any(|x| !x.is_finite()) {
            let mut m = Moments::new();
            values.iter().for_each(|&x| m.add(x));
            return m;
        }
        let first = total / n;
        let center = shift + first;
        let [s1, s2, s3, s4] = deviation_power_sums(values, center);
        // The deviations' own mean corrects the rounding of the first pass (Chan, Golub & LeVeque).
        let c = s1 / n;
        Moments {
            n: values.len() as u64,
            shift,
            offset: (center - shift) + c,
            m2: (s2 - c * s1).max(0.0),
            m3: s3 - 3.0 * c * s2 + 2.0 * n * c * c * c,
            m4: s4 - 4.0 * c * s3 + 6.0 * c * c * s2 - 3.0 * n * c * c * c * c,
            pos_inf: 0,
            neg_inf: 0,
        }
    }

    /// Combines the moments of two disjoint sets into those of their union.
    ///
    /// ```
    /// use brisk_kernels::stats::Moments;
    /// let xs = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0];
    /// let mut left = Moments::from_slice(&xs[..3]);
    /// left.merge(&Moments::from_slice(&xs[3..]));
    /// let whole = Moments::from_slice(&xs);
    /// assert!((left.skewness(Default::default()).unwrap()
    ///     - whole.skewness(Default::default()).unwrap()).abs() < 1e-12);
    /// ```
    pub fn merge(&mut self, other: &Moments) {
        self.pos_inf += other.pos_inf;
        self.neg_inf += other.neg_inf;
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            let (p, q) = (self.pos_inf, self.neg_inf);
            *self = *other;
            self.pos_inf = p;
            self.neg_inf = q;
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean_difference(self);
        let delta_n = delta / n;
        let (m2a, m3a) = (self.m2, self.m3);
        let (m2b, m3b) = (other.m2, other.m3);
        let m2 = m2a + m2b + delta * delta_n * na * nb;
        let m3 = m3a
            + m3b
            + delta * delta_n * delta_n * na * nb * (na - nb)
            + 3.0 * delta_n * (na * m2b - nb * m2a);
        let m4 = self.m4
            + other.m4
            + delta * delta_n * delta_n * delta_n * na * nb * (na * na - na * nb + nb * nb)
            + 6.0 * delta_n * delta_n * (na * na * m2b + nb * nb * m2a)
            + 4.0 * delta_n * (na * m3b - nb * m3a);
        self.offset += delta_n * nb;
        self.n += other.n;
        self.m2 = m2;
        self.m3 = m3;
        self.m4 = m4;
    }

    /// The number of values added, infinite ones included.
    pub fn count(&self) -> u64 {
        self.n + self.pos_inf + self.neg_inf
    }

    /// The heap memory held, in bytes: none (the state is a few numbers).
    pub fn heap_bytes(&self) -> usize {
        0
    }

    /// The number of finite values added.
    pub(crate) fn finite_count(&self) -> u64 {
        self.n
    }

    /// `M2 = Σ (xᵢ − x̄)²` of the finite values.
    pub(crate) fn sum_of_squares(&self) -> f64 {
        self.m2
    }

    /// `x̄ − base.x̄` of the finite values, from the shifts and offsets: exact when the shifts are
    /// within a factor of two of each other (Sterbenz), so close means keep their difference.
    pub(crate) fn mean_difference(&self, base: &Moments) -> f64 {
        ((self.shift - base.shift) + self.offset) - base.offset
    }

    fn has_infinity(&self) -> bool {
        self.pos_inf + self.neg_inf > 0
    }

    /// The arithmetic mean; `None` without values.
    pub fn mean(&self) -> Option<f64> {
        match (self.pos_inf > 0, self.neg_inf > 0) {
            _ if self.count() == 0 => None,
            (true, true) => Some(f64::NAN),
            (true, false) => Some(f64::INFINITY),
            (false, true) => Some(f64::NEG_INFINITY),
            (false, false) => Some(self.shift + self.offset),
        }
    }

    /// `M2 / (n − ddof)`; `None` when `n ≤ ddof`.
    pub fn variance(&self, ddof: f64) -> Option<f64> {
        let n = self.count() as f64;
        if n - ddof <= 0.0 {
            return None;
        }
        Some(if self.has_infinity() {
            f64::NAN
        } else {
            self.m2 / (n - ddof)
        })
    }

    /// The standard deviation with the convention's ddof.
    pub fn std(&self, convention: Convention) -> Option<f64> {
        self.variance(ddof(convention)).map(f64::sqrt)
    }

    /// Whether the values are constant to within rounding, which leaves skewness and kurtosis
    /// undefined (SciPy's test: `μ2 ≤ (1e-15 · |x̄|)²`).
    fn is_degenerate(&self) -> bool {
        let n = self.n as f64;
        self.m2 <= 0.0 || self.m2 / n <= (1e-15 * (self.shift + self.offset)).powi(2)
    }

    /// The count when a shape statistic (skewness, kurtosis) is defined; otherwise its value: `None`
    /// below `sample_min` values (1 for the population convention) or for a constant column, NaN
    /// when infinities are present.
    fn shape_defined(&self, convention: Convention, sample_min: f64) -> Result<f64, Option<f64>> {
        let n = self.count() as f64;
        let min_n = match convention {
            Convention::Sample => sample_min,
            Convention::Population => 1.0,
        };
        if n < min_n || (!self.has_infinity() && self.is_degenerate()) {
            return Err(None);
        }
        if self.has_infinity() {
            return Err(Some(f64::NAN));
        }
        Ok(n)
    }

    /// Skewness: adjusted Fisher–Pearson `G1 = g1 · √(n(n−1)) / (n−2)` (pandas) for
    /// [`Convention::Sample`], `g1 = m3 / m2^{3/2}` (SciPy) for [`Convention::Population`].
    /// `None` for fewer than 3 (sample) or 1 values, or a constant column.
    pub fn skewness(&self, convention: Convention) -> Option<f64> {
        let n = match self.shape_defined(convention, 3.0) {
            Ok(n) => n,
            Err(undefined) => return undefined,
        };
        let g1 = n.sqrt() * self.m3 / self.m2.powf(1.5);
        Some(match convention {
            Convention::Sample => g1 * (n * (n - 1.0)).sqrt() / (n - 2.0),
            Convention::Population => g1,
        })
    }

    /// Excess kurtosis: bias-corrected `G2` (pandas' formula,
    /// `n(n+1)(n−1)·M4 / ((n−2)(n−3)·M2²) − 3(n−1)² / ((n−2)(n−3))`) for [`Convention::Sample`],
    /// `g2 = n·M4 / M2² − 3` (SciPy) for [`Convention::Population`]. `None` for fewer than 4
    /// (sample) or 1 values, or a constant column.
    pub fn kurtosis(&self, convention: Convention) -> Option<f64> {
        let n = match self.shape_defined(convention, 4.0) {
            Ok(n) => n,
            Err(undefined) => return undefined,
        };
        Some(match convention {
            Convention::Sample => {
                let numerator = n * (n + 1.0) * (n - 1.0) * self.m4;
                let denominator = (n - 2.0) * (n - 3.0) * self.m2 * self.m2;
                numerator / denominator - 3.0 * (n - 1.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
            }
            Convention::Population => n * self.m4 / (self.m2 * self.m2) - 3.0,
        })
    }
}

/// The delta degrees of freedom of a convention.
pub fn ddof(convention: Convention) -> f64 {
    match convention {
        Convention::Sample => 1.0,
        Convention::Population => 0.0,
    }
}

const LANES: usize = 16;

/// `Σ (xᵢ − shift)` over eight independent lanes, so the additions vectorise (four lanes to a
/// register where the processor has AVX2: [`with_avx2`](crate::simd::with_avx2), the same sums).
fn sum_deviations(values: &[f64], shift: f64) -> f64 {
    crate::simd::with_avx2(
        #[inline(always)]
        || sum_deviations_lanes(values, shift),
    )
}

#[inline(always)]
fn sum_deviations_lanes(values: &[f64], shift: f64) -> f64 {
    let mut acc = [0.0f64; LANES];
    let mut blocks = values.chunks_exact(LANES);
    for block in &mut blocks {
        for (a, &x) in acc.iter_mut().zip(block) {
            *a += x - shift;
        }
    }
    let tail: f64 = blocks.remainder().iter().map(|x| x - shift).sum();
    acc.iter().sum::<f64>() + tail
}

/// `[Σd, Σd², Σd³, Σd⁴]` with `d = x − shift`, over independent lanes (compiled for AVX2 where
/// the processor has it, as [`sum_deviations`]).
fn deviation_power_sums(values: &[f64], shift: f64) -> [f64; 4] {
    crate::simd::with_avx2(
        #[inline(always)]
        || deviation_power_sums_lanes(values, shift),
    )
}

#[inline(always)]
fn deviation_power_sums_lanes(values: &[f64], shift: f64) -> [f64; 4] {
    let mut acc = [[0.0f64; LANES]; 4];
    let mut blocks = values.chunks_exact(LANES);
    for block in &mut blocks {
        for (lane, &x) in block.iter().enumerate() {
            let d = x - shift;
            let d2 = d * d;
            acc[0][lane] += d;
            acc[1][lane] += d2;
            acc[2][lane] += d2 * d;
            acc[3][lane] += d2 * d2;
        }
    }
    let mut sums = acc.map(|lanes| lanes.iter().sum::<f64>());
    for &x in blocks.remainder() {
        let d = x - shift;
        sums[0] += d;
        sums[1] += d * d;
        sums[2] += d * d * d;
        sums[3] += d * d * d * d;
    }
    sums
}

#[cfg(test)]
mod tests;
