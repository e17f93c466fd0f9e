//! The second pass's accumulators: every complete row assigned to its nearest k-means centroid
//! (cluster sizes and inertia over all rows, not only the sample), and the histograms' counts in
//! bins fixed by the first pass's ranges.

use brisk_data::batch::{Batch, BatchColumn};
use brisk_kernels::accumulate::Histogram;
use ndarray::Array1;
use rayon::prelude::*;

use super::analysis::{ColumnRange, Projection};
use super::rows::{compact, complete, grow, numeric_columns};

/// Rows whose squared distances to every centroid are kept in registers together: 8 rows are two
/// AVX2 vectors, and the sums of the `k` centroids are made one after another in them.
const BLOCK_ROWS: usize = 8;

/// Cluster sizes and inertia of every complete row under a fitted model.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    features: Vec<usize>,
    mean: Vec<f64>,
    scale: Vec<f64>,
    /// The centroids, row after row (`k × features`).
    centroids: Vec<f64>,
    /// Rows per cluster.
    pub sizes: Vec<u64>,
    /// Σ of the squared distance of every row to its centroid, in standardised units.
    pub inertia: f64,
    /// Each feature's standardised values in the complete rows (and stale cells past them, up to
    /// a whole block), kept from batch to batch so that their pages are not faulted in anew.
    #[serde(skip)]
    z: Vec<Vec<f64>>,
}

impl Assignment {
    /// Assigns rows of the `features` columns with the projection's standardisation and model.
    pub fn new(features: Vec<usize>, projection: &Projection) -> Self {
        let pca = &projection.pca;
        let scale = pca
            .scale
            .clone()
            .unwrap_or_else(|| Array1::ones(pca.mean.len()));
        let centroids = &projection.kmeans.centroids;
        Assignment {
            features,
            mean: pca.mean.to_vec(),
            scale: scale.to_vec(),
            centroids: centroids.iter().copied().collect(),
            sizes: vec![0; centroids.nrows()],
            inertia: 0.0,
            z: Vec::new(),
        }
    }

    /// Adds the rows another assignment of the same model counted (rows disjoint): sizes add,
    /// and the inertias' sum is the single pass's to rounding.
    ///
    /// # Errors
    /// Another model (other features, standardisation or centroids).
    pub fn merge(&mut self, other: &Assignment) -> Result<(), crate::ReportError> {
        let same = self.features == other.features
            && self.mean == other.mean
            && self.scale == other.scale
            && self.centroids == other.centroids;
        if !same {
            return Err(crate::ReportError::kernel(
                "merging cluster assignments".to_owned(),
            )(brisk_kernels::KernelError::ShapeMismatch(
                "other k-means models".into(),
            )));
        }
        for (mine, theirs) in self.sizes.iter_mut().zip(&other.sizes) {
            *mine += theirs;
        }
        self.inertia += other.inertia;
        Ok(())
    }

    /// Folds in a batch: each complete row goes to its nearest centroid (ties to the lowest
    /// index, as scikit-learn's `predict`).
    ///
    /// Column by column, the standardised features `z_j = (x_j − μ_j) / σ_j` of the complete
    /// rows; then, for a block of rows at a time, each centroid's squared distances
    /// `Σ_j (c_j − z_j)²` summed in `j` order (the same sums, bit for bit, as a loop over rows)
    /// in registers, compiled for AVX2 where the processor has it.
    pub fn add(&mut self, batch: &Batch) {
        let columns = numeric_columns(batch, &self.features);
        let keep = complete(batch, &columns);
        let rows = keep.iter().filter(|&&k| k).count();
        if rows == 0 {
            return;
        }
        // Every column is numeric when some row is complete.
        let columns: Vec<&[f64]> = columns.iter().flatten().copied().collect();
        let mut z = std::mem::take(&mut self.z);
        brisk_kernels::simd::with_avx2(
            #[inline(always)]
            || {
                self.standardise(&columns, &keep, rows, &mut z);
                self.assign(&z, rows);
            },
        );
        self.z = z;
    }

    /// The standardised features of the kept rows into `z`, each grown to whole blocks.
    #[inline(always)]
    fn standardise(&self, columns: &[&[f64]], keep: &[bool], rows: usize, z: &mut Vec<Vec<f64>>) {
        z.resize_with(columns.len(), Vec::new);
        for (zj, (values, (&mean, &scale))) in z
            .iter_mut()
            .zip(columns.iter().zip(self.mean.iter().zip(&self.scale)))
        {
            let standardise = |&x: &f64| (x - mean) / scale;
            // Only grown: the rows past `rows` are never counted.
            grow(zj, rows.div_ceil(BLOCK_ROWS) * BLOCK_ROWS + 1);
            if rows == values.len() {
                zj.iter_mut()
                    .zip(values.iter().map(standardise))
                    .for_each(|(z, x)| *z = x);
            } else {
                compact(zj, values.iter().map(standardise), keep);
            }
        }
    }

    /// Counts each of the first `rows` rows of `z` in its nearest centroid's size and its squared
    /// distance in the inertia, in row order (a running sum over the whole pass).
    #[inline(always)]
    fn assign(&mut self, z: &[Vec<f64>], rows: usize) {
        let width = z.len();
        for start in (0..rows).step_by(BLOCK_ROWS) {
            let mut nearest = [f64::INFINITY; BLOCK_ROWS];
            let mut best = [0usize; BLOCK_ROWS];
            for (k, centroid) in self.centroids.chunks_exact(width).enumerate() {
                let mut distance = [0.0; BLOCK_ROWS];
                for (zj, &cj) in z.iter().zip(centroid) {
                    let block: &[f64; BLOCK_ROWS] = zj[start..start + BLOCK_ROWS]
                        .try_into()
                        .expect("whole blocks");
                    for (d, &x) in distance.iter_mut().zip(block) {
                        let t = cj - x;
                        *d += t * t;
                    }
                }
                for ((n, b), &d) in nearest.iter_mut().zip(&mut best).zip(&distance) {
                    if d < *n {
                        (*n, *b) = (d, k);
                    }
                }
            }
            let kept = (rows - start).min(BLOCK_ROWS);
            for (&n, &b) in nearest[..kept].iter().zip(&best[..kept]) {
                self.sizes[b] += 1;
                // One sum over every row in order: the inertia does not depend on the batches.
                self.inertia += n;
            }
        }
    }
}

/// One column's histogram.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ColumnHistogram {
    /// The column's index.
    pub column: usize,
    /// Its name.
    pub name: String,
    /// Its bins; `None` without a finite value.
    pub histogram: Option<Histogram>,
}

/// One histogram per numeric column, over its finite range.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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

    /// Adds the counts of other rows in the same bins.
    ///
    /// # Errors
    /// Histograms of other columns or bins.
    pub fn merge(&mut self, other: &Histograms) -> Result<(), crate::ReportError> {
        let mismatch = || {
            crate::ReportError::kernel("merging histograms".to_owned())(
                brisk_kernels::KernelError::ShapeMismatch("other columns".into()),
            )
        };
        if self.columns.len() != other.columns.len() {
            return Err(mismatch());
        }
        for (mine, theirs) in self.columns.iter_mut().zip(&other.columns) {
            match (&mut mine.histogram, &theirs.histogram) {
                (Some(a), Some(b)) if mine.column == theirs.column => a
                    .merge(b)
                    .map_err(crate::ReportError::kernel("merging histograms".to_owned()))?,
                (None, None) if mine.column == theirs.column => {}
                _ => return Err(mismatch()),
            }
        }
        Ok(())
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
    use ndarray::Array2;

    /// The plain row-by-row assignment the column-wise one must equal bit for bit.
    fn by_rows(a: &Assignment, columns: &[Vec<f64>]) -> (Vec<u64>, f64) {
        let mut sizes = vec![0; a.sizes.len()];
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
            for (k, c) in a.centroids.chunks_exact(row.len()).enumerate() {
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
        let assign = |columns: &[Vec<f64>]| {
            let mut assignment = Assignment {
                features: (0..p).collect(),
                mean: (0..p).map(|j| 0.25 * j as f64).collect(),
                scale: (0..p).map(|j| 1.0 + 0.5 * j as f64).collect(),
                centroids: centroids.iter().copied().collect(),
                sizes: vec![0; k],
                inertia: 0.0,
                z: Vec::new(),
            };
            let batch = Batch::from_columns(
                0,
                columns
                    .iter()
                    .map(|c| BatchColumn::Numeric(NumericColumn::new(c.clone())))
                    .collect(),
            );
            let expected = by_rows(&assignment, columns);
            assignment.add(&batch);
            assert_eq!(assignment.sizes, expected.0);
            assert_eq!(assignment.inertia.to_bits(), expected.1.to_bits());
            assignment
        };
        assert_eq!(
            assign(&columns).sizes[2],
            0,
            "a tie goes to the lowest index"
        );
        // Every row complete, and fewer than a whole number of blocks.
        let complete: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| {
                c.iter()
                    .filter(|x| x.is_finite())
                    .take(13)
                    .copied()
                    .collect()
            })
            .collect();
        assign(&complete);
    }
}
