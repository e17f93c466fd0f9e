//! Exercise C.6 (exercise sheet): with broadcasting and whole-array operations only,
//! a) the n × k matrix of distances `D_ij = ‖x_i − c_j‖₂` between points X and centroids C,
//! b) each point's nearest centroid, c) the new centroids as the means of their points —
//! the core of k-means.
//!
//! a) broadcasts X as (n, 1, d) against C as (1, k, d), b) is an argmin along axis 1, c) is a
//! one-hot (n, k) matrix M with `C' = Mᵀ X / counts`. Checked against
//! `brisk_kernels::linalg::pairwise_distances` and, iterated until the labels stop changing,
//! against `brisk_kernels::cluster::KMeans` started from the same centroids (scikit-learn's Lloyd).

use brisk_examples::{check, max_abs_diff, normal_matrix, num, quick, secs, timed, Normals};
use brisk_kernels::cluster::{KMeans, KMeansInit};
use brisk_kernels::linalg::pairwise_distances;
use ndarray::{s, Array1, Array2, Axis};

/// a) `D[i, j] = ‖x_i − c_j‖`: (n, 1, d) − (1, k, d) → (n, k, d), squared, summed over axis 2.
fn distances(x: &Array2<f64>, c: &Array2<f64>) -> Array2<f64> {
    let diff = &x.view().insert_axis(Axis(1)) - &c.view().insert_axis(Axis(0));
    diff.mapv(|v| v * v).sum_axis(Axis(2)).mapv(f64::sqrt)
}

/// b) The column of the smallest distance in every row (the first one on ties, as `argmin`).
fn assign(d: &Array2<f64>) -> Array1<usize> {
    d.map_axis(Axis(1), |row| {
        let first_min = |best: usize, (j, &v): (usize, &f64)| if v < row[best] { j } else { best };
        row.iter().enumerate().fold(0, first_min)
    })
}

/// c) `C' = Mᵀ X / counts` with the one-hot matrix `M[i, j] = (label_i == j)`.
fn centroids(x: &Array2<f64>, labels: &Array1<usize>, k: usize) -> Array2<f64> {
    let one_hot = Array2::from_shape_fn((x.nrows(), k), |(i, j)| f64::from(labels[i] == j));
    let counts = one_hot.sum_axis(Axis(0));
    one_hot.t().dot(x) / &counts.insert_axis(Axis(1))
}

fn main() {
    let (n, d, k) = if quick() { (600, 4, 5) } else { (30_000, 8, 5) };
    // k blobs around random centres, a standard normal cloud around each.
    let mut rng = Normals::new(5);
    let centres = Array2::from_shape_simple_fn((k, d), || 12.0 * rng.uniform());
    let noise = normal_matrix(n, d, 6);
    let x = Array2::from_shape_fn((n, d), |(i, j)| centres[[i % k, j]] + noise[[i, j]]);
    let start = x.slice(s![..k, ..]).to_owned() + 0.5; // near one point of each blob

    let dist = distances(&x, &start);
    let reference = pairwise_distances(x.view(), Some(start.view())).unwrap();
    println!(
        "X: {n} × {d}, C: {k} × {d} → D: {:?}; first row {:.3}",
        dist.dim(),
        dist.row(0)
    );
    check(dist.dim() == (n, k), "D has shape (n, k)");
    let diff = max_abs_diff(dist.view(), reference.view());
    check(
        diff <= 1e-10,
        format!("D equals pairwise_distances (max diff {})", num(diff)),
    );

    // Lloyd's iteration from `start` until the assignment stops changing.
    let ((labels, c, steps), t) = timed(|| {
        let mut c = start.clone();
        let mut labels = assign(&distances(&x, &c));
        for step in 1..=300 {
            c = centroids(&x, &labels, k);
            let next = assign(&distances(&x, &c));
            if next == labels {
                return (labels, c, step);
            }
            labels = next;
        }
        (labels, c, 300)
    });
    let sizes: Vec<usize> = (0..k)
        .map(|j| labels.iter().filter(|&&l| l == j).count())
        .collect();
    println!(
        "broadcasting k-means: {steps} updates in {}, cluster sizes {sizes:?}",
        secs(t)
    );

    let (model, t_brisk) = timed(|| {
        let params = KMeans::params(k)
            .init(KMeansInit::Centroids(start.clone()))
            .tol(0.0);
        params.check().unwrap().fit(x.view()).unwrap()
    });
    println!(
        "brisk KMeans: {} iterations in {}, inertia {:.4}",
        model.n_iter,
        secs(t_brisk),
        model.inertia
    );
    check(model.labels == labels, "the same labels as brisk's KMeans");
    let diff = max_abs_diff(model.centroids.view(), c.view());
    check(
        diff <= 1e-10,
        format!("the same centroids (max diff {})", num(diff)),
    );
    let inertia: f64 = distances(&x, &c)
        .indexed_iter()
        .filter(|((i, j), _)| labels[*i] == *j)
        .map(|(_, v)| v * v)
        .sum();
    check(
        (inertia - model.inertia).abs() <= 1e-9 * inertia,
        "the same inertia",
    );
}
