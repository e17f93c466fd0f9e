//! The second pass's accumulators: every complete row assigned to its nearest k-means centroid
//! (cluster sizes and inertia over all rows, not only the sample), and the histograms' counts in
//! bins fixed by the first pass's ranges.

use brisk_data::batch::{Batch, BatchColumn};
use brisk_kernels::accumulate::Histogram;
use ndarray::{Array1, Array2};

use super::analysis::{ColumnRange, Projection};
use super::rows::{complete, gather, numeric_columns};

/// Cluster sizes and inertia of every complete row under a fitted model.
#[derive(Debug)]
pub struct Assignment {
    features: Vec<usize>,
    mean: Array1<f64>,
    scale: Array1<f64>,
    centroids: Array2<f64>,
    /// Rows per cluster.
    pub sizes: Vec<u64>,
    /// Σ of the squared distance of every row to its centroid, in standardised units.
    pub inertia: f64,
}

impl Assignment {
    /// Assigns rows of the `features` columns with the projection's standardisation and model.
    pub fn new(features: Vec<usize>, projection: &Projection) -> Self {
        let pca = &projection.pca;
        let scale = pca
            .scale
            .clone()
            .unwrap_or_else(|| Array1::ones(pca.mean.len()));
        let k = projection.kmeans.centroids.nrows();
        Assignment {
            features,
            mean: pca.mean.clone(),
            scale,
            centroids: projection.kmeans.centroids.clone(),
            sizes: vec![0; k],
            inertia: 0.0,
        }
    }

    /// Folds in a batch: each complete row goes to its nearest centroid (ties to the lowest
    /// index, as scikit-learn's `predict`).
    pub fn add(&mut self, batch: &Batch) {
        let columns = numeric_columns(batch, &self.features);
        let keep = complete(batch, &columns);
        let block = gather(&columns, &keep);
        let mut inertia = 0.0;
        let mut z = vec![0.0; self.mean.len()];
        for row in block.rows() {
            for (j, zj) in z.iter_mut().enumerate() {
                *zj = (row[j] - self.mean[j]) / self.scale[j];
            }
            let (best, distance) = self
                .centroids
                .rows()
                .into_iter()
                .map(|c| {
                    c.iter()
                        .zip(&z)
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum::<f64>()
                })
                .enumerate()
                .fold(
                    (0, f64::INFINITY),
                    |best, (k, d)| if d < best.1 { (k, d) } else { best },
                );
            self.sizes[best] += 1;
            inertia += distance;
        }
        self.inertia += inertia;
    }
}

/// One column's histogram.
#[derive(Debug)]
pub struct ColumnHistogram {
    /// The column's index.
    pub column: usize,
    /// Its name.
    pub name: String,
    /// Its bins; `None` without a finite value.
    pub histogram: Option<Histogram>,
}

/// One histogram per numeric column, over its finite range.
#[derive(Debug)]
pub struct Histograms {
    /// The columns' histograms, in table order.
    pub columns: Vec<ColumnHistogram>,
}

impl Histograms {
    /// Empty histograms of `bins` bins over each column's `[min, max]` of finite values.
    pub fn new(ranges: &[ColumnRange], bins: usize) -> Self {
        let columns = ranges
            .iter()
            .map(|r| ColumnHistogram {
                column: r.column,
                name: r.name.clone(),
                histogram: r
                    .range
                    .and_then(|(lo, hi)| Histogram::new(lo, hi, bins).ok()),
            })
            .collect();
        Histograms { columns }
    }

    /// Folds in a batch.
    pub fn add(&mut self, batch: &Batch) {
        for c in &mut self.columns {
            if let (Some(h), BatchColumn::Numeric(values)) =
                (&mut c.histogram, batch.column(c.column))
            {
                values
                    .values()
                    .iter()
                    .filter(|x| x.is_finite())
                    .for_each(|&x| h.add(x));
            }
        }
    }
}
