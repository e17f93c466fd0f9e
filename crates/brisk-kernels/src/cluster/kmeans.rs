//! k-means as scikit-learn's `KMeans(algorithm="lloyd")`: parameters → validated parameters →
//! `fit` → model.

use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

use super::init::{kmeans_plus_plus, random_rows};
use super::lloyd::{lloyd, nearest_labels};
use crate::buffer::HugeBuffer;
use crate::error::{invalid, KernelError, Result};
use crate::linalg::column_means;
use crate::random::Mt19937;

/// How the first centres are chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum KMeansInit {
    /// Greedy k-means++ (scikit-learn's default).
    KMeansPlusPlus,
    /// `k` distinct rows drawn uniformly.
    Random,
    /// These centres (`k × d`), used as given.
    Centroids(Array2<f64>),
}

/// k-means parameters, with scikit-learn's defaults: k-means++ init, `n_init` 1 for k-means++
/// and given centres and 10 for random rows, `max_iter` 300, `tol` 1e-4, seed 0.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams {
    k: usize,
    init: KMeansInit,
    n_init: Option<usize>,
    max_iter: usize,
    tol: f64,
    seed: u32,
}

/// Parameters that passed [`KMeansParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidKMeansParams(KMeansParams);

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeans {
    /// The centres, `k × d`.
    pub centroids: Array2<f64>,
    /// The cluster of every training row.
    pub labels: Array1<usize>,
    /// `Σ ‖x_i − c_{label i}‖²` over the training rows.
    pub inertia: f64,
    /// Lloyd iterations of the best run.
    pub n_iter: usize,
    /// Rows per cluster.
    pub sizes: Vec<usize>,
}

impl KMeans {
    /// Parameters for `k` clusters, to refine with the builder methods.
    pub fn params(k: usize) -> KMeansParams {
        KMeansParams {
            k,
            init: KMeansInit::KMeansPlusPlus,
            n_init: None,
            max_iter: 300,
            tol: 1e-4,
            seed: 0,
        }
    }

    /// The nearest centroid of every row of `x` (first on ties).
    ///
    /// # Errors
    /// [`KernelError::ShapeMismatch`] when `x` has another number of columns than the centroids.
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Result<Array1<usize>> {
        if x.ncols() != self.centroids.ncols() {
            return Err(KernelError::ShapeMismatch(format!(
                "the model has {} features, the data {}",
                self.centroids.ncols(),
                x.ncols()
            )));
        }
        let x = x.as_standard_layout();
        let labels = nearest_labels(x.view(), self.centroids.view());
        Ok(labels.into_iter().map(|l| l as usize).collect())
    }
}

impl KMeansParams {
    /// How to choose the first centres.
    pub fn init(mut self, init: KMeansInit) -> Self {
        self.init = init;
        self
    }

    /// Runs from different starts; the one with the lowest inertia wins.
    pub fn n_init(mut self, n_init: usize) -> Self {
        self.n_init = Some(n_init);
        self
    }

    /// The most Lloyd iterations per run.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Stop when the summed squared centre shift is at most `tol` × the mean column variance;
    /// 0 runs until the labels stop changing.
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    /// The seed of the `numpy.random.RandomState` stream the starts are drawn from, as
    /// scikit-learn's `random_state`.
    pub fn seed(mut self, seed: u32) -> Self {
        self.seed = seed;
        self
    }

    /// Checks every parameter that does not depend on the data.
    ///
    /// # Errors
    /// [`KernelError::InvalidParameter`] for `k`, `n_init` or `max_iter` of 0, a negative or
    /// non-finite `tol`, given centres with another number of rows than `k` or with non-finite
    /// values, or `n_init` above 1 with given centres.
    pub fn check(self) -> Result<ValidKMeansParams> {
        if self.k == 0 {
            return Err(invalid("k", "must be at least 1"));
        }
        if self.max_iter == 0 {
            return Err(invalid("max-iter", "must be at least 1"));
        }
        if self.n_init == Some(0) {
            return Err(invalid("n-init", "must be at least 1"));
        }
        if !(self.tol >= 0.0 && self.tol.is_finite()) {
            return Err(invalid(
                "tol",
                format!("must be a finite number >= 0, got {}", self.tol),
            ));
        }
        if let KMeansInit::Centroids(c) = &self.init {
            if c.nrows() != self.k {
                return Err(invalid(
                    "init",
                    format!(
                        "the initial centroids have {} rows but k is {}",
                        c.nrows(),
                        self.k
                    ),
                ));
            }
            if c.iter().any(|v| !v.is_finite()) {
                return Err(invalid("init", "the initial centroids hold NaN or inf"));
            }
            if self.n_init.is_some_and(|n| n > 1) {
                return Err(invalid(
                    "n-init",
                    "given centroids make every run the same; use --n-init 1",
                ));
            }
        }
        Ok(ValidKMeansParams(self))
    }
}

impl ValidKMeansParams {
    /// Clusters the rows of `x`, as `KMeans(n_clusters=k, init, n_init, max_iter, tol,
    /// random_state=seed, algorithm="lloyd").fit(x)`: the data are centred on their column means
    /// first (as scikit-learn does, for accuracy), each run starts from its init and iterates
    /// Lloyd steps (see the crate docs of `cluster`), and the run with the lowest inertia wins.
    /// With given centroids and `tol = 0`, the labels equal scikit-learn's.
    ///
    /// Reference: Lloyd (1982); Arthur & Vassilvitskii (2007); scikit-learn `sklearn/cluster/_kmeans.py`.
    ///
    /// # Errors
    /// [`KernelError::InvalidParameter`] when `k` exceeds the rows or the centroids have another
    /// number of columns than `x`.
    ///
    /// ```
    /// use brisk_kernels::cluster::{KMeans, KMeansInit};
    /// use ndarray::array;
    /// let x = array![[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]];
    /// let model = KMeans::params(2)
    ///     .init(KMeansInit::Centroids(array![[1.0, 0.0], [9.0, 0.0]]))
    ///     .check().unwrap()
    ///     .fit(x.view()).unwrap();
    /// assert_eq!(model.labels.to_vec(), [0, 0, 1, 1]);
    /// assert_eq!(model.centroids, array![[0.0, 0.5], [10.0, 0.5]]);
    /// assert_eq!(model.inertia, 1.0);
    /// ```
    pub fn fit(&self, x: ArrayView2<'_, f64>) -> Result<KMeans> {
        let p = &self.0;
        let (n, d) = x.dim();
        if p.k > n {
            return Err(invalid(
                "k",
                format!(
                    "{} clusters need at least as many rows; the data has {n}",
                    p.k
                ),
            ));
        }
        if let KMeansInit::Centroids(c) = &p.init {
            if c.ncols() != d {
                return Err(invalid(
                    "init",
                    format!(
                        "the initial centroids have {} columns but the data has {d}",
                        c.ncols()
                    ),
                ));
            }
        }
        let mean = column_means(x);
        let (buffer, norms) = centre_rows(x, &mean);
        let centred = ArrayView2::from_shape((n, d), buffer.as_slice()).expect("n × d values");
        let tol = if p.tol == 0.0 {
            0.0
        } else {
            let variances = centred.var_axis(Axis(0), 0.0);
            variances.mean().unwrap_or(0.0) * p.tol
        };
        let runs = p.n_init.unwrap_or(match p.init {
            KMeansInit::Random => 10,
            _ => 1,
        });
        let mut rng = Mt19937::new(p.seed);
        let mut best = None;
        for _ in 0..runs {
            let start = match &p.init {
                KMeansInit::KMeansPlusPlus => {
                    kmeans_plus_plus(centred.view(), &norms, p.k, &mut rng).0
                }
                KMeansInit::Random => random_rows(centred.view(), p.k, &mut rng).0,
                KMeansInit::Centroids(c) => c - &mean,
            };
            let run = lloyd(centred.view(), &norms, start, p.max_iter, tol);
            // scikit-learn keeps the earlier run when a later one is the same partition.
            if best.as_ref().is_none_or(|b: &super::lloyd::LloydRun| {
                run.inertia < b.inertia && !same_partition(&run.labels, &b.labels, p.k)
            }) {
                best = Some(run);
            }
        }
        let best = best.expect("at least one run");
        let mut sizes = vec![0usize; p.k];
        for &l in &best.labels {
            sizes[l as usize] += 1;
        }
        Ok(KMeans {
            centroids: best.centres + &mean,
            labels: best.labels.iter().map(|&l| l as usize).collect(),
            inertia: best.inertia,
            n_iter: best.n_iter,
            sizes,
        })
    }
}

/// Whether two labellings are the same partition up to renaming the clusters.
fn same_partition(a: &[u32], b: &[u32], k: usize) -> bool {
    let mut map = vec![u32::MAX; k];
    a.iter().zip(b).all(|(&x, &y)| {
        let m = &mut map[x as usize];
        if *m == u32::MAX {
            *m = y;
        }
        *m == y
    })
}

/// `x − 1μᵀ` as a row-major copy in a huge-page buffer, row by row on slices (vectorised) and in
/// parallel, with the squared norm of every centred row (taken while the row is in cache).
fn centre_rows(x: ArrayView2<'_, f64>, mean: &Array1<f64>) -> (HugeBuffer, Vec<f64>) {
    use rayon::prelude::*;
    let mean = mean.as_slice().expect("a fresh vector");
    let mut buffer = HugeBuffer::zeros(x.len());
    let mut norms = vec![0.0; x.nrows()];
    let d = x.ncols().max(1);
    buffer
        .as_mut_slice()
        .par_chunks_mut(d * 4096)
        .zip(norms.par_chunks_mut(4096))
        .enumerate()
        .for_each(|(c, (block, norms))| {
            for (r, (target, norm)) in block.chunks_exact_mut(d).zip(norms).enumerate() {
                let row = x.row(c * 4096 + r);
                match row.as_slice() {
                    Some(row) => {
                        for ((t, v), m) in target.iter_mut().zip(row).zip(mean) {
                            *t = v - m;
                        }
                    }
                    None => {
                        for ((t, v), m) in target.iter_mut().zip(row.iter()).zip(mean) {
                            *t = v - m;
                        }
                    }
                }
                let centred = ArrayView1::from(&*target);
                *norm = centred.dot(&centred);
            }
        });
    (buffer, norms)
}
