//! The two steps of one Lloyd iteration on their own (exercise C.6 b and c): assign every point to
//! its nearest centroid, then move every centroid to the mean of its points.

use ndarray::{Array1, Array2, ArrayView2, Axis};

use crate::error::{invalid, KernelError, Result};

/// The column of the smallest entry of every row of a distance matrix `d` (`n × k`), as
/// `numpy.argmin(d, axis=1)`: `label_i = argmin_j d_ij`, the first such column on ties.
///
/// # Errors
/// [`KernelError::InvalidParameter`] when `d` has no column (no centroid to choose) or holds a
/// NaN, whose order against the other distances is undefined.
///
/// ```
/// use ndarray::array;
/// let d = array![[3.0, 1.0, 2.0], [0.5, 0.5, 4.0]];
/// let labels = brisk_kernels::cluster::assign_clusters(d.view()).unwrap();
/// assert_eq!(labels.to_vec(), [1, 0]);
/// ```
pub fn assign_clusters(d: ArrayView2<'_, f64>) -> Result<Array1<usize>> {
    if d.ncols() == 0 {
        return Err(invalid(
            "distances",
            "the matrix has no column: there is no centroid to assign to",
        ));
    }
    if let Some(((row, column), _)) = d.indexed_iter().find(|(_, v)| v.is_nan()) {
        return Err(invalid(
            "distances",
            format!("row {row}, column {column} is NaN; a distance must be a number"),
        ));
    }
    Ok(d.map_axis(Axis(1), |row| {
        let mut best = 0;
        for (j, &v) in row.iter().enumerate().skip(1) {
            if v < row[best] {
                best = j;
            }
        }
        best
    }))
}

/// The mean of the rows of `x` (`n × d`) in each of the `k` clusters given by `labels`
/// (`0 ≤ label < k`, one per row): `c_j = Σ_{label_i = j} x_i / |{i : label_i = j}|`, as
/// `numpy.stack([x[labels == j].mean(axis=0) for j in range(k)])`.
///
/// A cluster with no row has no mean: its row is NaN, as NumPy's mean of an empty slice (k-means
/// itself relocates such a centroid instead, see [`KMeans`](super::KMeans)). The sums are taken
/// in row order.
///
/// # Errors
/// [`KernelError::ShapeMismatch`] when `labels` is not one per row of `x`;
/// [`KernelError::InvalidParameter`] for `k` of 0 or a label of `k` or more.
///
/// ```
/// use ndarray::array;
/// let x = array![[0.0, 0.0], [2.0, 4.0], [10.0, 10.0]];
/// let c = brisk_kernels::cluster::update_centroids(x.view(), &[0, 0, 2], 3).unwrap();
/// assert_eq!(c.row(0).to_vec(), [1.0, 2.0]);
/// assert!(c.row(1).iter().all(|v| v.is_nan()));
/// assert_eq!(c.row(2).to_vec(), [10.0, 10.0]);
/// ```
pub fn update_centroids(x: ArrayView2<'_, f64>, labels: &[usize], k: usize) -> Result<Array2<f64>> {
    if labels.len() != x.nrows() {
        return Err(KernelError::ShapeMismatch(format!(
            "x has {} rows but there are {} labels",
            x.nrows(),
            labels.len()
        )));
    }
    if k == 0 {
        return Err(invalid("k", "must be at least 1"));
    }
    if let Some((row, label)) = labels.iter().enumerate().find(|(_, &l)| l >= k) {
        return Err(invalid(
            "labels",
            format!(
                "row {row} has label {label}; with k = {k} the labels run from 0 to {}",
                k - 1
            ),
        ));
    }
    let mut sums = Array2::<f64>::zeros((k, x.ncols()));
    let mut counts = vec![0usize; k];
    for (row, &label) in x.outer_iter().zip(labels) {
        let mut sum = sums.row_mut(label);
        sum += &row;
        counts[label] += 1;
    }
    for (mut sum, &count) in sums.outer_iter_mut().zip(&counts) {
        if count == 0 {
            sum.fill(f64::NAN);
        } else {
            sum /= count as f64;
        }
    }
    Ok(sums)
}
