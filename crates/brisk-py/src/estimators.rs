//! The fitted models behind `brisk.PCA` and `brisk.KMeans`: fit functions that validate the data,
//! release the GIL while fitting, and return the model as a class with its arrays and its
//! `transform` or `predict`.
//!
//! The estimator objects users hold (parameters at construction, `fit`, the attributes with
//! trailing underscores) are the Python package's (`python/brisk/_estimators.py`).

use brisk_kernels::cluster::{KMeans, KMeansInit};
use brisk_kernels::decomposition::Pca;
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2, ToPyArray};
use pyo3::prelude::*;

use crate::arrays::require_finite;
use crate::errors::{brisk_error, kernel_error};

/// A fitted principal component analysis (`brisk_kernels::decomposition::Pca`).
#[pyclass(frozen, module = "brisk._internal")]
struct PcaModel(Pca);

#[pymethods]
impl PcaModel {
    /// The principal axes, `k × d`, the largest-magnitude entry of each positive.
    #[getter]
    fn components<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.0.components.to_pyarray(py)
    }

    /// The variance along each axis (ddof 1).
    #[getter]
    fn explained_variance<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.0.explained_variance.to_pyarray(py)
    }

    /// Each axis's share of the total variance.
    #[getter]
    fn explained_variance_ratio<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.0.explained_variance_ratio.to_pyarray(py)
    }

    /// The singular values of the centred data.
    #[getter]
    fn singular_values<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.0.singular_values.to_pyarray(py)
    }

    /// The column means of the training data.
    #[getter]
    fn mean<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        self.0.mean.to_pyarray(py)
    }

    /// The mean variance of the discarded axes.
    #[getter]
    fn noise_variance(&self) -> f64 {
        self.0.noise_variance
    }

    /// The scores `(x − mean) componentsᵀ` of the rows of `x`.
    fn transform<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f64>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let view = x.as_array();
        let scores = py.detach(|| self.0.transform(view)).map_err(kernel_error)?;
        Ok(scores.into_pyarray(py))
    }
}

/// `sklearn.decomposition.PCA(n_components=k).fit(x)`; NaN and infinities are refused.
#[pyfunction]
fn pca_fit(py: Python<'_>, x: PyReadonlyArray2<'_, f64>, k: usize) -> PyResult<PcaModel> {
    let view = x.as_array();
    require_finite(py, view, "X")?;
    let params = Pca::params(k).check().map_err(kernel_error)?;
    let model = py.detach(|| params.fit(view)).map_err(kernel_error)?;
    Ok(PcaModel(model))
}

/// A fitted k-means model (`brisk_kernels::cluster::KMeans`).
#[pyclass(frozen, module = "brisk._internal")]
struct KMeansModel(KMeans);

#[pymethods]
impl KMeansModel {
    /// The centres, `k × d`.
    #[getter]
    fn cluster_centers<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray2<f64>> {
        self.0.centroids.to_pyarray(py)
    }

    /// The cluster of every training row.
    #[getter]
    fn labels<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<i64>> {
        // Labels are below k, itself at most the number of rows of an array in memory.
        self.0.labels.mapv(|l| l as i64).into_pyarray(py)
    }

    /// The sum of squared distances of the training rows to their centres.
    #[getter]
    fn inertia(&self) -> f64 {
        self.0.inertia
    }

    /// The Lloyd iterations of the best run.
    #[getter]
    fn n_iter(&self) -> usize {
        self.0.n_iter
    }

    /// The nearest centre of every row of `x` (the first on ties); NaN is refused.
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f64>,
    ) -> PyResult<Bound<'py, PyArray1<i64>>> {
        let view = x.as_array();
        require_finite(py, view, "X")?;
        let labels = py.detach(|| self.0.predict(view)).map_err(kernel_error)?;
        Ok(labels.mapv(|l| l as i64).into_pyarray(py))
    }
}

/// `sklearn.cluster.KMeans(n_clusters=k, init, n_init, max_iter, tol, random_state=seed,
/// algorithm="lloyd").fit(x)`. `init` is `"k-means++"`, `"random"` or `"array"` (then the
/// `centroids` are the start); NaN and infinities are refused.
#[pyfunction]
#[allow(clippy::too_many_arguments)] // scikit-learn's parameters, one for one
fn kmeans_fit(
    py: Python<'_>,
    x: PyReadonlyArray2<'_, f64>,
    k: usize,
    init: &str,
    centroids: Option<PyReadonlyArray2<'_, f64>>,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    seed: u32,
) -> PyResult<KMeansModel> {
    let view = x.as_array();
    require_finite(py, view, "X")?;
    let init = match (init, centroids) {
        ("k-means++", None) => KMeansInit::KMeansPlusPlus,
        ("random", None) => KMeansInit::Random,
        ("array", Some(c)) => KMeansInit::Centroids(c.as_array().to_owned()),
        (other, _) => {
            return Err(brisk_error(format!(
                "init must be 'k-means++', 'random' or an array of centres, not {other:?}"
            )))
        }
    };
    let params = KMeans::params(k)
        .init(init)
        .n_init(n_init)
        .max_iter(max_iter)
        .tol(tol)
        .seed(seed)
        .check()
        .map_err(kernel_error)?;
    let model = py.detach(|| params.fit(view)).map_err(kernel_error)?;
    Ok(KMeansModel(model))
}

/// Adds this module's classes and functions to `brisk._internal`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PcaModel>()?;
    m.add_class::<KMeansModel>()?;
    m.add_function(wrap_pyfunction!(pca_fit, m)?)?;
    m.add_function(wrap_pyfunction!(kmeans_fit, m)?)?;
    Ok(())
}
