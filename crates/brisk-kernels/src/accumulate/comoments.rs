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
/// raw sums run column pair by column pair over tiles of 256 rows, in eight lanes (AVX2
/// registers and fused multiply-adds where the processor has them, the same sums to the bit
/// elsewhere): about 0.7 ns per pair of columns per row on one core, 28 ms for 200,000 rows of
/// 20 columns (where [`linalg::covariance`](crate::linalg::covariance) takes 11 ms on two
/// threads, in plain double precision). `add_block` runs on the calling thread: to use more
/// cores, give each worker its own state and merge.
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
        let sums = RawSums::of(x, &state.shift);
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

/// Running sums over rows kept in this many lanes, one per row modulo `LANES`, so that the loops
/// over rows run in SIMD registers; the lanes are added together (by TwoSum) at the end.
const LANES: usize = 8;

/// Each lane's running TwoSum total and its plain sum of errors.
type Lanes = ([f64; LANES], [f64; LANES]);

/// Rows of a block whose deviations are formed together: their columns stay in the first
/// caches while every pair of columns is summed.
const TILE_ROWS: usize = 256;

/// A tile's deviations from the shift, column by column: `d = high + low` exactly (TwoSum).
/// Column `j` is at `j·rows..(j + 1)·rows`.
struct Deviations {
    rows: usize,
    high: Vec<f64>,
    low: Vec<f64>,
}

impl Deviations {
    fn new() -> Self {
        Deviations {
            rows: 0,
            high: Vec::new(),
            low: Vec::new(),
        }
    }

    /// The deviations of the rows of `x` from `shift`.
    fn set(&mut self, x: ArrayView2<'_, f64>, shift: &[f64]) {
        let (rows, p) = x.dim();
        self.rows = rows;
        self.high.resize(rows * p, 0.0);
        self.low.resize(rows * p, 0.0);
        let columns =
            (self.high.chunks_exact_mut(rows.max(1))).zip(self.low.chunks_exact_mut(rows.max(1)));
        for ((column, &s), (high, low)) in x.columns().into_iter().zip(shift).zip(columns) {
            for ((h, l), &v) in high.iter_mut().zip(low.iter_mut()).zip(column.iter()) {
                (*h, *l) = two_sum(v, -s);
            }
        }
    }

    fn column(&self, j: usize) -> Column<'_> {
        let range = j * self.rows..(j + 1) * self.rows;
        Column {
            high: &self.high[range.clone()],
            low: &self.low[range],
        }
    }
}

/// One column of [`Deviations`].
#[derive(Clone, Copy)]
struct Column<'a> {
    high: &'a [f64],
    low: &'a [f64],
}

impl<'a> Column<'a> {
    /// The rows that fill whole groups of [`LANES`].
    fn whole_lanes(self) -> Self {
        let whole = self.high.len() / LANES * LANES;
        Column {
            high: &self.high[..whole],
            low: &self.low[..whole],
        }
    }

    /// The rows past the whole groups of [`LANES`].
    fn tail(self) -> impl Iterator<Item = (f64, f64)> + 'a {
        let whole = self.high.len() / LANES * LANES;
        self.high[whole..]
            .iter()
            .copied()
            .zip(self.low[whole..].iter().copied())
    }
}

/// `S₁ = Σd` and the lower triangle of `S₂ = Σddᵀ` of a block, each as a TwoSum total and a plain
/// sum of the errors.
struct RawSums {
    s1_hi: Vec<f64>,
    s1_lo: Vec<f64>,
    s2_hi: Vec<f64>,
    s2_lo: Vec<f64>,
}

/// How the lanes of the sums over rows are computed.
#[derive(Clone, Copy)]
enum Kernel {
    /// Plain code; a product's error from Dekker's splits.
    Portable,
    /// AVX2 registers of four lanes; a product's error from a fused multiply-add.
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Kernel {
    fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            return Kernel::Avx2;
        }
        Kernel::Portable
    }

    /// Adds `Σ(high + low)` over the whole groups of lanes of `a` to `lanes`.
    fn sum_lanes(self, (hi, lo): &mut Lanes, a: Column<'_>) {
        match self {
            Kernel::Portable => {
                for (high, low) in a.high.chunks_exact(LANES).zip(a.low.chunks_exact(LANES)) {
                    for l in 0..LANES {
                        add_term(&mut hi[l], &mut lo[l], high[l], low[l]);
                    }
                }
            }
            // SAFETY: `detect` chose this kernel because the processor has AVX2 and FMA.
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => unsafe { avx2::sum_lanes((hi, lo), a) },
        }
    }

    /// Adds `Σ(a_high + a_low)(b_high + b_low)` over the whole groups of lanes of `a` and `b`
    /// to `lanes`.
    fn dot_lanes(self, (hi, lo): &mut Lanes, a: Column<'_>, b: Column<'_>) {
        match self {
            Kernel::Portable => {
                let a = a.high.chunks_exact(LANES).zip(a.low.chunks_exact(LANES));
                let b = b.high.chunks_exact(LANES).zip(b.low.chunks_exact(LANES));
                for ((ah, al), (bh, bl)) in a.zip(b) {
                    for l in 0..LANES {
                        add_product(&mut hi[l], &mut lo[l], (ah[l], al[l]), (bh[l], bl[l]));
                    }
                }
            }
            // SAFETY: `detect` chose this kernel because the processor has AVX2 and FMA.
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => unsafe { avx2::dot_lanes((hi, lo), a, b) },
        }
    }
}

impl RawSums {
    /// The sums of the deviations of every row of `x` from `shift` (Ogita, Rump & Oishi's
    /// `Sum2` and `Dot2`), with the kernel this processor runs best. Every kernel does the same
    /// operations on the same lanes, so they give the same sums to the bit.
    fn of(x: ArrayView2<'_, f64>, shift: &[f64]) -> Self {
        Self::with_kernel(x, shift, Kernel::detect())
    }

    fn with_kernel(x: ArrayView2<'_, f64>, shift: &[f64], kernel: Kernel) -> Self {
        let p = x.ncols();
        let zero = ([0.0; LANES], [0.0; LANES]);
        let (mut s1, mut s2) = (vec![zero; p], vec![zero; triangle(p)]);
        let mut d = Deviations::new();
        for tile in x.axis_chunks_iter(Axis(0), TILE_ROWS) {
            d.set(tile, shift);
            let mut pairs = s2.iter_mut();
            for (i, s1) in s1.iter_mut().enumerate() {
                let a = d.column(i);
                kernel.sum_lanes(s1, a.whole_lanes());
                for (high, low) in a.tail() {
                    add_term(&mut s1.0[0], &mut s1.1[0], high, low);
                }
                for (j, s2) in (0..=i).zip(&mut pairs) {
                    let b = d.column(j);
                    kernel.dot_lanes(s2, a.whole_lanes(), b.whole_lanes());
                    for (a, b) in a.tail().zip(b.tail()) {
                        add_product(&mut s2.0[0], &mut s2.1[0], a, b);
                    }
                }
            }
        }
        let (s1_hi, s1_lo) = s1.iter().map(|&(hi, lo)| join_lanes(hi, lo)).unzip();
        let (s2_hi, s2_lo) = s2.iter().map(|&(hi, lo)| join_lanes(hi, lo)).unzip();
        RawSums {
            s1_hi,
            s1_lo,
            s2_hi,
            s2_lo,
        }
    }
}

/// Adds `high + low` to a lane: `high` by TwoSum, its error and `low` to the lane's errors.
#[inline(always)]
fn add_term(hi: &mut f64, lo: &mut f64, high: f64, low: f64) {
    let (s, e) = two_sum(*hi, high);
    *hi = s;
    *lo += e + low;
}

/// Adds `(ah + al)(bh + bl)` to a lane: `ah·bh` by TwoSum; its exact rounding error (Dekker's
/// TwoProduct) plus the small cross terms `ah·bl + al·bh` to the lane's errors.
#[inline(always)]
fn add_product(hi: &mut f64, lo: &mut f64, (ah, al): (f64, f64), (bh, bl): (f64, f64)) {
    let product = ah * bh;
    let error = product_error(product, split(ah), split(bh)) + (ah * bl + al * bh);
    let (s, e) = two_sum(*hi, product);
    *hi = s;
    *lo += e + error;
}

/// The lanes' totals and errors as one total (TwoSum) and one error.
fn join_lanes(hi: [f64; LANES], lo: [f64; LANES]) -> (f64, f64) {
    let (mut total, mut error) = (0.0, 0.0);
    for (h, l) in hi.into_iter().zip(lo) {
        let (s, e) = two_sum(total, h);
        total = s;
        error += e + l;
    }
    (total, error)
}

/// The lanes of [`Kernel`] in AVX2 registers, two of four lanes each: the operations of
/// [`add_term`] and [`add_product`] in the same order, the product's error from a fused
/// multiply-add (exact, as Dekker's).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{Column, LANES};

    /// TwoSum in each lane.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn two_sum(a: __m256d, b: __m256d) -> (__m256d, __m256d) {
        let s = _mm256_add_pd(a, b);
        let a_part = _mm256_sub_pd(s, b);
        let b_part = _mm256_sub_pd(s, a_part);
        let error = _mm256_add_pd(_mm256_sub_pd(a, a_part), _mm256_sub_pd(b, b_part));
        (s, error)
    }

    /// The eight lanes in two registers.
    #[target_feature(enable = "avx2,fma")]
    fn registers(lanes: &[f64; LANES]) -> [__m256d; 2] {
        [load(lanes, 0), load(lanes, 4)]
    }

    /// Two registers back into the eight lanes.
    #[target_feature(enable = "avx2,fma")]
    fn store(lanes: &mut [f64; LANES], registers: [__m256d; 2]) {
        for (half, register) in registers.into_iter().enumerate() {
            // SAFETY: each half stores four lanes inside the eight.
            unsafe { _mm256_storeu_pd(lanes.as_mut_ptr().add(4 * half), register) };
        }
    }

    /// Four lanes of `values` from `at`.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn load(values: &[f64], at: usize) -> __m256d {
        assert!(at + 4 <= values.len());
        // SAFETY: the four values are inside the slice, asserted above.
        unsafe { _mm256_loadu_pd(values.as_ptr().add(at)) }
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn sum_lanes(
        (lanes_hi, lanes_lo): (&mut [f64; LANES], &mut [f64; LANES]),
        a: Column<'_>,
    ) {
        let (mut hi, mut lo) = (registers(lanes_hi), registers(lanes_lo));
        for (high, low) in a.high.chunks_exact(LANES).zip(a.low.chunks_exact(LANES)) {
            for half in 0..2 {
                let (s, e) = two_sum(hi[half], load(high, 4 * half));
                hi[half] = s;
                lo[half] = _mm256_add_pd(lo[half], _mm256_add_pd(e, load(low, 4 * half)));
            }
        }
        store(lanes_hi, hi);
        store(lanes_lo, lo);
    }

    #[target_feature(enable = "avx2,fma")]
    pub(super) fn dot_lanes(
        (lanes_hi, lanes_lo): (&mut [f64; LANES], &mut [f64; LANES]),
        a: Column<'_>,
        b: Column<'_>,
    ) {
        let (mut hi, mut lo) = (registers(lanes_hi), registers(lanes_lo));
        let a = a.high.chunks_exact(LANES).zip(a.low.chunks_exact(LANES));
        let b = b.high.chunks_exact(LANES).zip(b.low.chunks_exact(LANES));
        for ((ah, al), (bh, bl)) in a.zip(b) {
            for half in 0..2 {
                let at = 4 * half;
                let (ah, al, bh, bl) = (load(ah, at), load(al, at), load(bh, at), load(bl, at));
                let product = _mm256_mul_pd(ah, bh);
                let cross = _mm256_add_pd(_mm256_mul_pd(ah, bl), _mm256_mul_pd(al, bh));
                let error = _mm256_add_pd(_mm256_fmsub_pd(ah, bh, product), cross);
                let (s, e) = two_sum(hi[half], product);
                hi[half] = s;
                lo[half] = _mm256_add_pd(lo[half], _mm256_add_pd(e, error));
            }
        }
        store(lanes_hi, hi);
        store(lanes_lo, lo);
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
mod kernel_tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn every_kernel_gives_the_same_sums_to_the_bit() {
        let mut state = 7u64;
        // 3001 rows: whole groups of lanes and a tail.
        let x = Array2::from_shape_fn((3001, 5), |(i, j)| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            [1e9, 1.0, -3e-7, 42.0, 1e15][j] + unit * [1e-3, 1.0, 1e-9, 1e3, 1.0][j] * i as f64
        });
        let shift = x.row(0).to_vec();
        let portable = RawSums::with_kernel(x.view(), &shift, Kernel::Portable);
        let chosen = RawSums::of(x.view(), &shift);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&portable.s2_hi), bits(&chosen.s2_hi));
        assert_eq!(bits(&portable.s2_lo), bits(&chosen.s2_lo));
        assert_eq!(bits(&portable.s1_hi), bits(&chosen.s1_hi));
        assert_eq!(bits(&portable.s1_lo), bits(&chosen.s1_lo));
    }
}
