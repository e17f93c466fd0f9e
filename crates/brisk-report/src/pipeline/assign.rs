//! The second pass's accumulators: every complete row assigned to its nearest k-means centroid
//! (cluster sizes and inertia over all rows, not only the sample), and the histograms' counts in
//! bins fixed by the first pass's ranges.

use brisk_data::batch::{Batch, BatchColumn};
use brisk_kernels::accumulate::Histogram;
use ndarray::{Array1, Array2};
use rayon::prelude::*;

use super::analysis::{ColumnRange, Projection};
use super::rows::{compact, complete, grow, numeric_columns};

/// Rows whose squared distances to the centroids are summed together.
const TILE_ROWS: usize = 512;

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
    scratch: Scratch,
}

/// A batch's standardised features, nearest distances and centroids, in buffers kept from batch
/// to batch (so that their pages are not faulted in anew for every batch).
#[derive(Debug, Default)]
struct Scratch {
    /// Each feature's standardised values in the complete rows (and stale cells past them).
    z: Vec<Vec<f64>>,
    /// Each complete row's squared distance to its nearest centroid.
    nearest: Vec<f64>,
    /// That centroid.
    best: Vec<usize>,
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
            scratch: Scratch::default(),
        }
    }

    /// Folds in a batch: each complete row goes to its nearest centroid (ties to the lowest
    /// index, as scikit-learn's `predict`).
    ///
    /// Column by column: the standardised features `z_j = (x_j − μ_j) / σ_j` of the complete
    /// rows, then for each centroid `c` the squared distances `Σ_j (c_j − z_j)²`, summed in `j`
    /// order for every row at once (the same sums, row by row, as a loop over rows), compiled for
    /// AVX2 where the processor has it.
    pub fn add(&mut self, batch: &Batch) {
        let columns = numeric_columns(batch, &self.features);
        let keep = complete(batch, &columns);
        let rows = keep.iter().filter(|&&k| k).count();
        if rows == 0 {
            return;
        }
        // Every column is numeric when some row is complete.
        let columns: Vec<&[f64]> = columns.iter().flatten().copied().collect();
        let mut scratch = std::mem::take(&mut self.scratch);
        brisk_kernels::simd::with_avx2(
            #[inline(always)]
            || self.nearest_centroids(&columns, &keep, rows, &mut scratch),
        );
        let mut inertia = 0.0;
        for (&b, &n) in scratch.best.iter().zip(&scratch.nearest) {
            self.sizes[b] += 1;
            inertia += n;
        }
        self.inertia += inertia;
        self.scratch = scratch;
    }

    /// The squared distance of each kept row to its nearest centroid, and that centroid, into
    /// `scratch.nearest` and `scratch.best`.
    #[inline(always)]
    fn nearest_centroids(
        &self,
        columns: &[&[f64]],
        keep: &[bool],
        rows: usize,
        Scratch { z, nearest, best }: &mut Scratch,
    ) {
        z.resize_with(columns.len(), Vec::new);
        for (zj, (values, (&mean, &scale))) in z
            .iter_mut()
            .zip(columns.iter().zip(self.mean.iter().zip(&self.scale)))
        {
            let standardise = |&x: &f64| (x - mean) / scale;
            // Only grown: the rows past `rows` are never read.
            grow(zj, rows + 1);
            if rows == values.len() {
                zj.iter_mut()
                    .zip(values.iter().map(standardise))
                    .for_each(|(z, x)| *z = x);
            } else {
                compact(zj, values.iter().map(standardise), keep);
            }
        }
        nearest.clear();
        nearest.resize(rows, f64::INFINITY);
        best.clear();
        best.resize(rows, 0);
        // Rows in tiles whose distances stay in the first-level cache across the centroids.
        let mut distance = [0.0; TILE_ROWS];
        for start in (0..rows).step_by(TILE_ROWS) {
            let end = (start + TILE_ROWS).min(rows);
            let distance = &mut distance[..end - start];
            for (k, centroid) in self.centroids.rows().into_iter().enumerate() {
                distance.fill(0.0);
                for (zj, &cj) in z.iter().zip(centroid.iter()) {
                    for (d, &x) in distance.iter_mut().zip(&zj[start..end]) {
                        let t = cj - x;
                        *d += t * t;
                    }
                }
                let tile = nearest[start..end].iter_mut().zip(&mut best[start..end]);
                for ((n, b), &d) in tile.zip(distance.iter()) {
                    if d < *n {
                        (*n, *b) = (d, k);
                    }
                }
            }
        }
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

    /// Folds in a batch, the columns side by side (the most work of the second pass, which
    /// would otherwise wait on this one thread).
    pub fn add(&mut self, batch: &Batch) {
        self.columns.par_iter_mut().for_each(|c| {
            if let (Some(h), BatchColumn::Numeric(values)) =
                (&mut c.histogram, batch.column(c.column))
            {
                // Infinities and NaN lie outside the finite range: they are not counted.
                h.add_slice(values.values());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_data::batch::NumericColumn;
    use brisk_kernels::random::Mt19937;

    /// The plain row-by-row assignment the column-wise one must equal bit for bit.
    fn by_rows(a: &Assignment, columns: &[Vec<f64>]) -> (Vec<u64>, f64) {
        let mut sizes = vec![0; a.centroids.nrows()];
        let mut inertia = 0.0;
        for r in 0..columns[0].len() {
            let row: Vec<f64> = columns.iter().map(|c| c[r]).collect();
            if !row.iter().all(|x| x.is_finite()) {
                continue;
            }
            let z: Vec<f64> = (0..row.len())
                .map(|j| (row[j] - a.mean[j]) / a.scale[j])
                .collect();
            let (mut best, mut nearest) = (0, f64::INFINITY);
            for (k, c) in a.centroids.rows().into_iter().enumerate() {
                let d: f64 = c.iter().zip(&z).map(|(c, z)| (c - z) * (c - z)).sum();
                if d < nearest {
                    (best, nearest) = (k, d);
                }
            }
            sizes[best] += 1;
            inertia += nearest;
        }
        (sizes, inertia)
    }

    #[test]
    fn the_column_wise_assignment_is_the_row_by_row_one() {
        let mut rng = Mt19937::new(7);
        let (p, k, rows) = (5, 4, 3000);
        let mut uniform = move || rng.random_sample() * 4.0 - 2.0;
        let columns: Vec<Vec<f64>> = (0..p)
            .map(|j| {
                (0..rows)
                    .map(|r| match (r * (j + 3)) % 97 {
                        0 => f64::NAN,
                        1 => f64::INFINITY,
                        // Coarse values, so that some rows are as near to two centroids.
                        _ => (uniform() * 2.0).round() / 2.0,
                    })
                    .collect()
            })
            .collect();
        let mut centroids = Array2::from_shape_fn((k, p), |_| (uniform() * 2.0).round() / 2.0);
        let first = centroids.row(0).to_owned();
        centroids.row_mut(2).assign(&first);
        let mut assignment = Assignment {
            features: (0..p).collect(),
            mean: Array1::from_shape_fn(p, |j| 0.25 * j as f64),
            scale: Array1::from_shape_fn(p, |j| 1.0 + 0.5 * j as f64),
            centroids,
            sizes: vec![0; k],
            inertia: 0.0,
            scratch: Scratch::default(),
        };
        let batch = Batch::from_columns(
            0,
            columns
                .iter()
                .map(|c| BatchColumn::Numeric(NumericColumn::new(c.clone())))
                .collect(),
        );
        let expected = by_rows(&assignment, &columns);
        assignment.add(&batch);
        assert_eq!(assignment.sizes, expected.0);
        assert_eq!(assignment.inertia.to_bits(), expected.1.to_bits());
        assert_eq!(assignment.sizes[2], 0, "a tie goes to the lowest index");
    }
}
