//! PCA with scikit-learn's semantics: parameters → validated parameters → `fit` → model.

use faer::linalg::matmul::matmul;
use faer::{Accum, Par, Side};
use ndarray::{s, Array1, Array2, ArrayView2, Zip};

use crate::accumulate::CoMoments;
use crate::error::{invalid, KernelError, Result};
use crate::linalg::{as_faer, as_faer_mut, block_rows, centred_gram};

/// PCA parameters: the number of components and whether to standardise the columns first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PcaParams {
    components: usize,
    standardize: bool,
}

/// Parameters that passed [`PcaParams::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPcaParams(PcaParams);

/// A fitted PCA: the top `k` principal axes of the (standardised) centred data.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// The principal axes, one per row (`k × d`), each of unit norm and with its
    /// largest-magnitude entry positive (scikit-learn's `svd_flip` convention).
    pub components: Array2<f64>,
    /// The variance along each axis, `λ_i` (ddof 1), in decreasing order.
    pub explained_variance: Array1<f64>,
    /// `λ_i / Σ_j λ_j` over all `min(n, d)` axes.
    pub explained_variance_ratio: Array1<f64>,
    /// The singular values of the centred data, `√(λ_i (n − 1))`.
    pub singular_values: Array1<f64>,
    /// The column means of the input.
    pub mean: Array1<f64>,
    /// The column standard deviations (ddof 0) the input was divided by, when standardised.
    pub scale: Option<Array1<f64>>,
    /// The mean variance of the discarded axes (0 when none is discarded), as scikit-learn's
    /// `noise_variance_`.
    pub noise_variance: f64,
}

impl Pca {
    /// Parameters for `k` components.
    pub fn params(k: usize) -> PcaParams {
        PcaParams {
            components: k,
            standardize: false,
        }
    }

    /// The scores `((x − μ) / σ) Wᵀ` of the rows of `x` (`n × k`), as `PCA.transform`, centred
    /// block by block.
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when `x` has another number of columns than the model.
    pub fn transform(&self, x: ArrayView2<'_, f64>) -> Result<Array2<f64>> {
        let (n, d) = x.dim();
        if d != self.mean.len() {
            return Err(KernelError::ShapeMismatch(format!(
                "the model has {} features, the data {d}",
                self.mean.len()
            )));
        }
        let k = self.components.nrows();
        let weights = match &self.scale {
            Some(scale) => &self.components / scale,
            None => self.components.clone(),
        };
        let mut scores = Array2::<f64>::zeros((n, k));
        let block = block_rows(d);
        let mut buffer = Array2::<f64>::zeros((block.min(n), d));
        for r0 in (0..n).step_by(block) {
            let r1 = (r0 + block).min(n);
            let mut centred = buffer.slice_mut(s![..r1 - r0, ..]);
            Zip::from(&mut centred)
                .and(x.slice(s![r0..r1, ..]))
                .and_broadcast(&self.mean)
                .for_each(|c, &v, &m| *c = v - m);
            matmul(
                as_faer_mut(scores.slice_mut(s![r0..r1, ..])),
                Accum::Replace,
                as_faer(centred.view()),
                as_faer(weights.t()),
                1.0,
                Par::Seq,
            );
        }
        Ok(scores)
    }
}

impl PcaParams {
    /// Divide every centred column by its standard deviation (ddof 0) first, as a
    /// `StandardScaler` before the PCA: the components of the correlation structure.
    pub fn standardize(mut self, standardize: bool) -> Self {
        self.standardize = standardize;
        self
    }

    /// Checks the parameters that do not depend on the data.
    ///
    /// # Errors
    /// [`KernelError::InvalidParameter`] when `k` is 0.
    pub fn check(self) -> Result<ValidPcaParams> {
        if self.components == 0 {
            return Err(invalid("k", "must be at least 1"));
        }
        Ok(ValidPcaParams(self))
    }
}

impl ValidPcaParams {
    /// Fits the model, as `PCA(n_components=k).fit(x)` in scikit-learn: centre the columns,
    /// form the covariance `C = X̄ᵀX̄ / (n − 1)` by the blocked centred product of
    /// [`covariance`](crate::linalg::covariance), take its symmetric eigen-decomposition
    /// `C = V Λ Vᵀ` (faer), and keep the `k` largest `λ` with their vectors; negative rounding
    /// noise in `λ` is set to 0. This is scikit-learn's `covariance_eigh` solver, but with the
    /// centring done before the product rather than subtracted after it, so data far from the
    /// origin keep their digits.
    ///
    /// Reference: Jolliffe, *Principal Component Analysis* (2002) §1; scikit-learn
    /// `sklearn/decomposition/_pca.py`.
    ///
    /// # Errors
    /// [`KernelError::InvalidParameter`] when `k` exceeds the columns or the rows;
    /// [`KernelError::TooFewRows`] with fewer than two rows; [`KernelError::NoConvergence`] if the
    /// eigen-solver fails.
    ///
    /// ```
    /// use brisk_kernels::decomposition::Pca;
    /// use ndarray::array;
    /// let x = array![[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]];
    /// let pca = Pca::params(1).check().unwrap().fit(x.view()).unwrap();
    /// assert!((pca.explained_variance[0] - 2.0).abs() < 1e-12);
    /// assert!((pca.explained_variance_ratio[0] - 1.0).abs() < 1e-12);
    /// let h = 0.5f64.sqrt();
    /// assert!((pca.components[[0, 0]] - h).abs() < 1e-12 && (pca.components[[0, 1]] - h).abs() < 1e-12);
    /// ```
    pub fn fit(&self, x: ArrayView2<'_, f64>) -> Result<Pca> {
        let (n, d) = x.dim();
        self.check_shape(n, d)?;
        let (mean, gram) = centred_gram(x);
        self.fit_centred(n, mean, gram)
    }

    /// Fits the model to the rows summarised by `moments`, as [`fit`](Self::fit) on those rows:
    /// with [`standardize`](PcaParams::standardize), what scikit-learn's
    /// `make_pipeline(StandardScaler(), PCA(k)).fit(x)` gives (the model's `mean` and `scale` are
    /// the scaler's `mean_` and `scale_`, so [`Pca::transform`] projects new rows), and without
    /// it `PCA(k).fit(x)`. The eigen-decomposition is the same; only the centred cross products
    /// `C` come from the mergeable state instead of a pass over the data, so a table too large
    /// for memory is fitted chunk by chunk.
    ///
    /// # Errors
    /// As [`fit`](Self::fit), with `n` the rows counted.
    ///
    /// ```
    /// use brisk_kernels::accumulate::CoMoments;
    /// use brisk_kernels::decomposition::Pca;
    /// use ndarray::array;
    /// let x = array![[1.0, 10.0], [2.0, 30.0], [3.0, 20.0], [4.0, 40.0]];
    /// let mut moments = CoMoments::new(2);
    /// for row in x.rows() {
    ///     moments.add_row(row.as_slice().unwrap())?;
    /// }
    /// let params = Pca::params(1).standardize(true).check()?;
    /// let streamed = params.fit_comoments(&moments)?;
    /// let in_memory = params.fit(x.view())?;
    /// assert!((streamed.explained_variance[0] - in_memory.explained_variance[0]).abs() < 1e-12);
    /// let (a, b) = (streamed.scale.unwrap(), in_memory.scale.unwrap());
    /// assert!((a[1] - b[1]).abs() < 1e-12 * b[1]); // population standard deviations
    /// # Ok::<(), brisk_kernels::KernelError>(())
    /// ```
    pub fn fit_comoments(&self, moments: &CoMoments) -> Result<Pca> {
        let n = usize::try_from(moments.count()).unwrap_or(usize::MAX);
        self.check_shape(n, moments.columns())?;
        self.fit_centred(n, moments.mean(), moments.cross_products())
    }

    /// Refuses fewer than two rows, and more components than columns or rows.
    fn check_shape(&self, n: usize, d: usize) -> Result<()> {
        let k = self.0.components;
        if n < 2 {
            return Err(KernelError::TooFewRows {
                what: "PCA",
                needed: 2,
                got: n,
            });
        }
        if k > d.min(n) {
            return Err(invalid(
                "k",
                format!("{k} components need at least {k} columns and rows; the data is {n}×{d}"),
            ));
        }
        Ok(())
    }

    /// The model from the column means and the centred cross products `X̄ᵀX̄` of `n` rows:
    /// the (standardised) covariance, its eigen-decomposition, and the top `k` axes.
    fn fit_centred(&self, n: usize, mean: Array1<f64>, gram: Array2<f64>) -> Result<Pca> {
        let d = mean.len();
        let k = self.0.components;
        let scale = self.0.standardize.then(|| {
            Zip::from(gram.diag())
                .and(&mean)
                .map_collect(|&ss, &m| standard_deviation(ss, m, n))
        });
        let mut covariance = gram / (n - 1) as f64;
        if let Some(scale) = &scale {
            for ((i, j), v) in covariance.indexed_iter_mut() {
                *v /= scale[i] * scale[j];
            }
        }
        let eigen = as_faer(covariance.view())
            .self_adjoint_eigen(Side::Lower)
            .map_err(|_| KernelError::NoConvergence("the symmetric eigen-decomposition"))?;
        // faer sorts the eigenvalues in increasing order.
        let rank = d.min(n);
        let values: Vec<f64> = (0..rank).map(|i| eigen.S()[d - 1 - i].max(0.0)).collect();
        let total: f64 = values.iter().sum();
        let vectors = eigen.U();
        let mut components = Array2::from_shape_fn((k, d), |(i, j)| vectors[(j, d - 1 - i)]);
        flip_signs(&mut components);
        let explained_variance = Array1::from_iter(values[..k].iter().copied());
        let noise_variance = if k < rank {
            values[k..].iter().sum::<f64>() / (rank - k) as f64
        } else {
            0.0
        };
        Ok(Pca {
            components,
            explained_variance_ratio: &explained_variance / total,
            singular_values: explained_variance.mapv(|v| (v * (n - 1) as f64).sqrt()),
            explained_variance,
            mean,
            scale,
            noise_variance,
        })
    }
}

/// Makes the largest-magnitude entry of every axis positive (scikit-learn's `svd_flip`).
fn flip_signs(components: &mut Array2<f64>) {
    for mut row in components.rows_mut() {
        let largest = row
            .iter()
            .enumerate()
            .fold(
                (0, -1.0),
                |b, (j, v)| if v.abs() > b.1 { (j, v.abs()) } else { b },
            )
            .0;
        if row[largest] < 0.0 {
            row.mapv_inplace(|v| -v);
        }
    }
}

/// `σ = √(Σ(x − μ)²/n)` from the centred sum of squares, 1 for a constant column (scikit-learn's
/// rule: a variance at most `(n·μ·ε)²` is rounding noise).
fn standard_deviation(sum_of_squares: f64, mean: f64, n: usize) -> f64 {
    let n = n as f64;
    let var = sum_of_squares / n;
    if var <= n * f64::EPSILON * var + (n * mean * f64::EPSILON).powi(2) {
        1.0
    } else {
        var.sqrt()
    }
}
