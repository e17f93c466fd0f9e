//! Mergeable co-moments of `p` columns: the count, the mean vector and the centred cross-product
//! matrix, from which covariance, correlation, PCA and `f_regression` are finished.

use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use crate::error::{KernelError, Result};
use crate::numeric::double_double::{product_error, split, DoubleDouble};
use crate::numeric::two_sum;

/// Rows summed raw (about their first row) before they are centred and merged. The error of the
/// raw sums grows as `(rows·ε)²` of their size, so 1024 rows keep it near the double-double
/// resolution.
const BLOCK_ROWS: usize = 1024;

/// The co-moments of `p` columns over the rows seen: the count `n`, the mean vector `x̄` and the
/// centred cross products `C = Σᵢ (xᵢ − x̄)(xᵢ − x̄)ᵀ` (`p × p`, symmetric), so that the
/// covariance is `C / (n − ddof)` as `numpy.cov(x, rowvar=False, ddof=ddof)`.
///
/// Two states of disjoint row sets merge by Chan's pairwise formula, extended to co-moments by
/// Pébay:
///
/// `n = n_a + n_b`, `δ = x̄_b − x̄_a`, `x̄ = x̄_a + δ·n_b/n`,
/// `C = C_a + C_b + (n_a n_b / n)·δδᵀ`
///
/// (Chan, Golub & LeVeque, "Algorithms for computing the sample variance", *The American
/// Statistician* 37 (1983) 242–247; Pébay, Sandia report SAND2008-6212, §3.1). A block of rows is
/// summed raw about its first row, `S₁ = Σd`, `S₂ = Σddᵀ` with `d = x − x_first` (the
/// compensated two-pass idea of Chan, Golub & LeVeque in one pass), centred as
/// `C_b = S₂ − S₁S₁ᵀ/n_b`, then merged as above.
///
/// Precision: the mean is held as `shift + offset` (`shift` the first row seen, as
/// [`Moments`](crate::stats::Moments) does), and the offset and `C` are double-double numbers
/// (about 106 bits), every deviation and product formed exactly (TwoSum, Dekker's TwoProduct). So
/// `C` is exact to about 2⁻¹⁰⁰ of its size, whatever the chunking: columns such as `1e9 ± 1e-3`
/// keep their digits, and a regression that explains all but 10⁻¹² of a target's variance keeps
/// its residual's (which `f_regression_from` needs; a double-precision product loses them). The
/// cost is about 25 floating-point operations per pair of columns per row: 2.4 ns on one core,
/// three times a plain product loop (100 ms for 200,000 rows of 20 columns, where
/// [`linalg::covariance`](crate::linalg::covariance) takes 11 ms on two threads). `add_block`
/// runs on the calling thread: to use more cores, give each worker its own state and merge.
///
/// Rows must be complete and finite: a NaN or an infinity makes every statistic it touches NaN.
/// Deviations from the shift must stay within about 1e±150 so their products neither overflow nor
/// underflow.
///
/// ```
/// use brisk_kernels::accumulate::CoMoments;
/// use ndarray::array;
/// let x = array![[1.0, 2.0], [2.0, 4.0], [3.0, 7.0]];
/// let mut top = CoMoments::new(2);
/// top.add_block(x.slice(ndarray::s![..2, ..]))?;
/// let mut bottom = CoMoments::new(2);
/// bottom.add_row(&[3.0, 7.0])?;
/// top.merge(&bottom)?;
/// assert_eq!(top.count(), 3);
/// assert_eq!(top.mean(), array![2.0, 13.0 / 3.0]);
/// assert_eq!(top.covariance(1.0), brisk_kernels::linalg::covariance(x.view(), 1)?);
/// # Ok::<(), brisk_kernels::KernelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CoMomentsState")]
pub struct CoMoments {
    columns: usize,
    count: u64,
    /// The first row seen (zeros before).
    shift: Vec<f64>,
    /// `x̄ − shift`.
    offset: Vec<DoubleDouble>,
    /// The lower triangle of `C`, row by row: `(i, j ≤ i)` at `i(i+1)/2 + j`.
    cross: Vec<DoubleDouble>,
}

impl CoMoments {
    /// The empty state of `columns` columns.
    pub fn new(columns: usize) -> Self {
        CoMoments {
            columns,
            count: 0,
            shift: vec![0.0; columns],
            offset: vec![DoubleDouble::ZERO; columns],
            cross: vec![DoubleDouble::ZERO; triangle(columns)],
        }
    }

    /// The number of columns `p`.
    pub fn columns(&self) -> usize {
        self.columns
    }

    /// The number of rows `n`.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds one row (Welford's update, the merge of a one-row state).
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when the row does not have `p` values.
    pub fn add_row(&mut self, row: &[f64]) -> Result<()> {
        self.check_columns(row.len(), "the row")?;
        if self.count == 0 {
            self.shift.copy_from_slice(row);
            self.count = 1;
            return Ok(());
        }
        let delta: Vec<DoubleDouble> = (0..self.columns)
            .map(|j| DoubleDouble::sum_of(row[j], -self.shift[j]).sub(self.offset[j]))
            .collect();
        self.absorb(1, &delta, None);
        Ok(())
    }

    /// Adds a block of complete rows (`rows × p`, any memory order), 1024 rows at a time: each
    /// run is summed raw about its first row, centred, and merged.
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when the block does not have `p` columns.
    pub fn add_block(&mut self, x: ArrayView2<'_, f64>) -> Result<()> {
        self.check_columns(x.ncols(), "the block")?;
        for rows in x.axis_chunks_iter(Axis(0), BLOCK_ROWS) {
            self.merge_same_shape(&CoMoments::of_block(rows));
        }
        Ok(())
    }

    /// Adds the rows summarised by `other` (Chan's merge, above).
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when the states have different numbers of columns.
    pub fn merge(&mut self, other: &CoMoments) -> Result<()> {
        self.check_columns(other.columns, "the other state")?;
        self.merge_same_shape(other);
        Ok(())
    }

    /// The column means `x̄` (NaN without rows).
    pub fn mean(&self) -> Array1<f64> {
        if self.count == 0 {
            return Array1::from_elem(self.columns, f64::NAN);
        }
        Array1::from_shape_fn(self.columns, |j| {
            DoubleDouble::from(self.shift[j])
                .add(self.offset[j])
                .value()
        })
    }

    /// The centred cross products `C = Σ (x − x̄)(x − x̄)ᵀ`, rounded to doubles (zeros without
    /// rows).
    pub fn cross_products(&self) -> Array2<f64> {
        Array2::from_shape_fn((self.columns, self.columns), |(i, j)| {
            self.cross_product(i, j).value()
        })
    }

    /// The covariance `C / (n − ddof)`, as `numpy.cov(x, rowvar=False, ddof=ddof)`; NaN
    /// everywhere when `n − ddof ≤ 0` (where NumPy warns and divides by zero).
    pub fn covariance(&self, ddof: f64) -> Array2<f64> {
        let denominator = self.count as f64 - ddof;
        if denominator <= 0.0 {
            return Array2::from_elem((self.columns, self.columns), f64::NAN);
        }
        self.cross_products() / denominator
    }

    /// Pearson's correlation `R_ij = S_ij / (σ_i σ_j)` from the sample covariance `S`, clipped to
    /// `[−1, 1]`, as `numpy.corrcoef(x, rowvar=False)`: a constant column's row and column are
    /// NaN, and so is everything with fewer than two rows.
    pub fn correlation(&self) -> Array2<f64> {
        let mut c = self.covariance(1.0);
        let std: Array1<f64> = c.diag().mapv(f64::sqrt);
        for ((i, j), v) in c.indexed_iter_mut() {
            *v = (*v / std[i] / std[j]).clamp(-1.0, 1.0);
        }
        c
    }

    /// The heap memory held, in bytes: `p` shifts and offsets and `p(p+1)/2` cross products.
    pub fn heap_bytes(&self) -> usize {
        self.shift.capacity() * size_of::<f64>()
            + (self.offset.capacity() + self.cross.capacity()) * size_of::<DoubleDouble>()
    }

    /// `C_ij` in double-double precision.
    pub(crate) fn cross_product(&self, i: usize, j: usize) -> DoubleDouble {
        let (i, j) = if i >= j { (i, j) } else { (j, i) };
        self.cross[i * (i + 1) / 2 + j]
    }

    fn check_columns(&self, got: usize, what: &str) -> Result<()> {
        if got == self.columns {
            return Ok(());
        }
        Err(KernelError::ShapeMismatch(format!(
            "co-moments of {} columns, {what} has {got}",
            self.columns
        )))
    }

    fn merge_same_shape(&mut self, other: &CoMoments) {
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            self.clone_from(other);
            return;
        }
        let delta: Vec<DoubleDouble> = (0..self.columns)
            .map(|j| {
                DoubleDouble::sum_of(other.shift[j], -self.shift[j])
                    .add(other.offset[j])
                    .sub(self.offset[j])
            })
            .collect();
        self.absorb(other.count, &delta, Some(&other.cross));
    }

    /// Merges `count` rows whose mean is `x̄ + delta` and whose centred cross products are
    /// `cross` (none for a single row): Chan's update of `C` and the mean.
    fn absorb(&mut self, count: u64, delta: &[DoubleDouble], cross: Option<&[DoubleDouble]>) {
        let n = self.count + count;
        let weight = DoubleDouble::from(count as f64).divide((n as f64).into());
        let factor = weight.scale(self.count as f64);
        let mut k = 0;
        for i in 0..self.columns {
            let scaled = factor.mul(delta[i]);
            for &delta_j in &delta[..=i] {
                let mut c = self.cross[k].add(scaled.mul(delta_j));
                if let Some(cross) = cross {
                    c = c.add(cross[k]);
                }
                self.cross[k] = c;
                k += 1;
            }
        }
        for (offset, &d) in self.offset.iter_mut().zip(delta) {
            *offset = offset.add(d.mul(weight));
        }
        self.count = n;
    }

    /// The state of a non-empty block of rows: raw sums of the deviations from the first row,
    /// each deviation and product split exactly into a rounded part and its error, the rounded
    /// parts added by TwoSum and the errors summed apart (Ogita, Rump & Oishi's `Sum2`/`Dot2`).
    fn of_block(x: ArrayView2<'_, f64>) -> CoMoments {
        let (n, p) = x.dim();
        let mut state = CoMoments::new(p);
        if n == 0 {
            return state;
        }
        state.shift = x.row(0).to_vec();
        let mut deviations = Deviations::new(p);
        let mut sums = RawSums::new(p);
        sums.add_rows(x, &mut deviations, &state.shift);
        let n_f = n as f64;
        let s1: Vec<DoubleDouble> = sums
            .s1_hi
            .iter()
            .zip(&sums.s1_lo)
            .map(|(&hi, &lo)| DoubleDouble::from_parts(hi, lo))
            .collect();
        state.offset = s1.iter().map(|s| s.divide(n_f.into())).collect();
        let mut k = 0;
        for (i, s1_i) in s1.iter().enumerate() {
            for offset_j in &state.offset[..=i] {
                let s2 = DoubleDouble::from_parts(sums.s2_hi[k], sums.s2_lo[k]);
                state.cross[k] = s2.sub(s1_i.mul(*offset_j));
                k += 1;
            }
        }
        state.count = n as u64;
        state
    }
}

/// The entries of a `p × p` lower triangle.
fn triangle(p: usize) -> usize {
    p * (p + 1) / 2
}

/// One row's deviations from the shift, `d = high + low` exactly, with `high` split in halves
/// for Dekker's product.
struct Deviations {
    high: Vec<f64>,
    low: Vec<f64>,
    high_head: Vec<f64>,
    high_tail: Vec<f64>,
}

impl Deviations {
    fn new(p: usize) -> Self {
        Deviations {
            high: vec![0.0; p],
            low: vec![0.0; p],
            high_head: vec![0.0; p],
            high_tail: vec![0.0; p],
        }
    }

    fn set(&mut self, row: impl Iterator<Item = f64>, shift: &[f64]) {
        for (j, (x, &s)) in row.zip(shift).enumerate() {
            let (high, low) = two_sum(x, -s);
            let (head, tail) = split(high);
            self.high[j] = high;
            self.low[j] = low;
            self.high_head[j] = head;
            self.high_tail[j] = tail;
        }
    }
}

/// `S₁ = Σd` and the lower triangle of `S₂ = Σddᵀ`, each as a running TwoSum total and a plain
/// sum of the errors.
struct RawSums {
    s1_hi: Vec<f64>,
    s1_lo: Vec<f64>,
    s2_hi: Vec<f64>,
    s2_lo: Vec<f64>,
}

impl RawSums {
    fn new(p: usize) -> Self {
        RawSums {
            s1_hi: vec![0.0; p],
            s1_lo: vec![0.0; p],
            s2_hi: vec![0.0; triangle(p)],
            s2_lo: vec![0.0; triangle(p)],
        }
    }

    /// Adds the deviations of every row of `x` from `shift`. The products' rounding errors come
    /// from a fused multiply-add where the processor has one, else from Dekker's splits: both
    /// are exact, so the sums are the same to the bit.
    fn add_rows(&mut self, x: ArrayView2<'_, f64>, d: &mut Deviations, shift: &[f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("fma") {
            // SAFETY: the processor has FMA, checked just above.
            unsafe { self.add_rows_fma(x, d, shift) };
            return;
        }
        self.add_rows_portable(x, d, shift);
    }

    fn add_rows_portable(&mut self, x: ArrayView2<'_, f64>, d: &mut Deviations, shift: &[f64]) {
        for row in x.rows() {
            d.set(row.iter().copied(), shift);
            self.add(d, |product, _, _, a, b| product_error(product, a, b));
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "fma")]
    unsafe fn add_rows_fma(&mut self, x: ArrayView2<'_, f64>, d: &mut Deviations, shift: &[f64]) {
        for row in x.rows() {
            d.set(row.iter().copied(), shift);
            self.add(d, |product, a, b, _, _| a.mul_add(b, -product));
        }
    }

    /// Adds one row's deviations; `error(a·b, a, b, split a, split b)` is the exact rounding
    /// error of the product.
    #[inline(always)]
    fn add(
        &mut self,
        d: &Deviations,
        error: impl Fn(f64, f64, f64, (f64, f64), (f64, f64)) -> f64,
    ) {
        for j in 0..d.high.len() {
            let (s, e) = two_sum(self.s1_hi[j], d.high[j]);
            self.s1_hi[j] = s;
            self.s1_lo[j] += e + d.low[j];
        }
        let mut start = 0;
        for i in 0..d.high.len() {
            let (hi_i, lo_i) = (d.high[i], d.low[i]);
            let split_i = (d.high_head[i], d.high_tail[i]);
            let end = start + i + 1;
            let (acc_hi, acc_lo) = (&mut self.s2_hi[start..end], &mut self.s2_lo[start..end]);
            let (high, low) = (&d.high[..=i], &d.low[..=i]);
            let (head, tail) = (&d.high_head[..=i], &d.high_tail[..=i]);
            for j in 0..=i {
                let product = hi_i * high[j];
                let error = error(product, hi_i, high[j], split_i, (head[j], tail[j]))
                    + (hi_i * low[j] + lo_i * high[j]);
                let (s, e) = two_sum(acc_hi[j], product);
                acc_hi[j] = s;
                acc_lo[j] += e + error;
            }
            start = end;
        }
    }
}

/// The serialized form of [`CoMoments`], checked before use.
#[derive(Deserialize)]
struct CoMomentsState {
    columns: usize,
    count: u64,
    shift: Vec<f64>,
    offset: Vec<DoubleDouble>,
    cross: Vec<DoubleDouble>,
}

impl TryFrom<CoMomentsState> for CoMoments {
    type Error = String;

    fn try_from(state: CoMomentsState) -> std::result::Result<Self, String> {
        let p = state.columns;
        if state.shift.len() != p || state.offset.len() != p || state.cross.len() != triangle(p) {
            return Err(format!(
                "co-moments of {p} columns need {p} shifts and offsets and {} cross products",
                triangle(p)
            ));
        }
        Ok(CoMoments {
            columns: p,
            count: state.count,
            shift: state.shift,
            offset: state.offset,
            cross: state.cross,
        })
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fma_tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn the_fused_and_the_split_products_give_the_same_sums() {
        let mut state = 7u64;
        let x = Array2::from_shape_fn((3000, 5), |(i, j)| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            [1e9, 1.0, -3e-7, 42.0, 1e15][j] + unit * [1e-3, 1.0, 1e-9, 1e3, 1.0][j] * i as f64
        });
        let shift = x.row(0).to_vec();
        let mut d = Deviations::new(5);
        let mut portable = RawSums::new(5);
        portable.add_rows_portable(x.view(), &mut d, &shift);
        let mut chosen = RawSums::new(5);
        chosen.add_rows(x.view(), &mut d, &shift);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&portable.s2_hi), bits(&chosen.s2_hi));
        assert_eq!(bits(&portable.s2_lo), bits(&chosen.s2_lo));
        assert_eq!(bits(&portable.s1_lo), bits(&chosen.s1_lo));
    }
}
