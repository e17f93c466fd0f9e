//! The register-blocked k-means kernel against a plain nearest-centre search, and Lloyd's
//! invariants.

use ndarray::{s, Array2, ArrayView2};

use super::lloyd::{
    apply_transfers, inertia, lloyd, nearest_of, Nearest, PackedCentres, Transfers,
};
use super::{KMeans, KMeansInit};
use crate::random::test_matrix;
use crate::KernelError;

/// The plain search: squared distances summed directly, first minimum, and the runner-up.
fn plain_nearest(x: &Array2<f64>, centres: &Array2<f64>) -> Vec<(u32, f64, f64)> {
    x.outer_iter()
        .map(|row| {
            let mut best = (0, f64::INFINITY, f64::INFINITY);
            for (c, centre) in centres.outer_iter().enumerate() {
                let d: f64 = row.iter().zip(centre).map(|(a, b)| (a - b) * (a - b)).sum();
                if d < best.1 {
                    best = (c as u32, d, best.1);
                } else if d < best.2 {
                    best.2 = d;
                }
            }
            best
        })
        .collect()
}

#[test]
fn blocked_search_equals_the_plain_search() {
    for (n, d, k, seed) in [
        (1, 1, 1, 1),
        (7, 2, 3, 2),
        (1001, 5, 8, 3),
        (999, 32, 9, 4),
        (257, 3, 17, 5),
    ] {
        let x = test_matrix(n, d, seed);
        let centres = test_matrix(k, d, seed + 50);
        let rows: Vec<&[f64]> = x.outer_iter().map(|r| r.to_slice().unwrap()).collect();
        let mut found = vec![Nearest::default(); n];
        nearest_of(&rows, &PackedCentres::new(centres.view()), &mut found);
        for ((f, (label, best, second)), row) in found
            .iter()
            .zip(plain_nearest(&x, &centres))
            .zip(x.outer_iter())
        {
            // On random data there is no near-tie for the two ways of computing to rank apart.
            assert_eq!(f.label, label, "n {n} d {d} k {k}");
            let norm = row.dot(&row);
            assert!((f.best + norm - best).abs() < 1e-12 * (norm + 10.0));
            if k > 1 {
                assert!((f.second + norm - second).abs() < 1e-12 * (norm + 10.0));
            } else {
                assert_eq!(f.second, f64::INFINITY);
            }
        }
    }
}

/// Each cluster's coordinate sums and point count, summed afresh row by row (the reference the
/// transfers must keep).
fn sums_and_counts(x: ArrayView2<'_, f64>, labels: &[u32], k: usize) -> (Array2<f64>, Vec<f64>) {
    let mut sums = Array2::zeros((k, x.ncols()));
    let mut counts = vec![0.0; k];
    for (row, &l) in x.outer_iter().zip(labels) {
        let mut sum = sums.row_mut(l as usize);
        sum += &row;
        counts[l as usize] += 1.0;
    }
    (sums, counts)
}

#[test]
fn transferring_changed_points_keeps_the_sums_of_a_fresh_pass() {
    let x = test_matrix(10_000, 4, 7);
    let before: Vec<u32> = (0..10_000).map(|i| (i % 6) as u32).collect();
    let after: Vec<u32> = (0..10_000).map(|i| ((i * 7 / 3) % 6) as u32).collect();
    let (mut sums, mut counts) = sums_and_counts(x.view(), &before, 6);
    let mut parts = vec![
        Transfers::default(),
        Transfers::default(),
        Transfers::default(),
    ];
    for (i, (row, (&b, &a))) in x.outer_iter().zip(before.iter().zip(&after)).enumerate() {
        if a != b {
            parts[i * 3 / 10_000].record(row.as_slice().unwrap(), Some(b), a, 6);
        }
    }
    assert!(apply_transfers(&parts, &mut sums, &mut counts));
    let (fresh, fresh_counts) = sums_and_counts(x.view(), &after, 6);
    assert_eq!(counts, fresh_counts);
    for (a, b) in sums.iter().zip(&fresh) {
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
    let unchanged = vec![Transfers::default(); 2];
    assert!(!apply_transfers(&unchanged, &mut sums, &mut counts));
}

/// Lloyd with a full search every iteration and fresh sums, as scikit-learn runs it; the labels of
/// the final centres.
fn plain_lloyd(x: &Array2<f64>, mut centres: Array2<f64>, iterations: usize) -> Vec<u32> {
    let labels_of = |centres: &Array2<f64>| -> Vec<u32> {
        plain_nearest(x, centres).iter().map(|p| p.0).collect()
    };
    for _ in 0..iterations {
        let labels = labels_of(&centres);
        let (sums, counts) = sums_and_counts(x.view(), &labels, centres.nrows());
        for (c, (mut centre, count)) in centres.outer_iter_mut().zip(counts).enumerate() {
            if count > 0.0 {
                centre.assign(&(&sums.row(c) * (1.0 / count)));
            }
        }
    }
    labels_of(&centres)
}

/// The squared norm of every row.
fn row_norms(x: &Array2<f64>) -> Vec<f64> {
    x.outer_iter().map(|r| r.dot(&r)).collect()
}

#[test]
fn bounded_lloyd_equals_plain_lloyd() {
    for (n, d, k, seed) in [
        (3000, 2, 5, 11),
        (2000, 8, 12, 12),
        (500, 3, 1, 13),
        (4000, 16, 20, 14),
    ] {
        let x = test_matrix(n, d, seed);
        let init = x.slice(s![..k, ..]).to_owned();
        for iterations in [1, 2, 7, 25] {
            let run = lloyd(x.view(), &row_norms(&x), init.clone(), iterations, 0.0);
            if run.n_iter == iterations {
                assert_eq!(
                    run.labels,
                    plain_lloyd(&x, init.clone(), iterations),
                    "n {n} k {k} it {iterations}"
                );
            }
        }
    }
}

#[test]
fn inertia_never_rises_across_lloyd_iterations() {
    let x = test_matrix(3000, 3, 8);
    let init = x.slice(s![..7, ..]).to_owned();
    let mut last = f64::INFINITY;
    for iterations in 1..15 {
        let run = lloyd(x.view(), &row_norms(&x), init.clone(), iterations, 0.0);
        assert!(
            run.inertia <= last * (1.0 + 1e-12),
            "{} after {}",
            run.inertia,
            last
        );
        assert!((run.inertia - inertia(x.view(), run.centres.view(), &run.labels)).abs() < 1e-9);
        last = run.inertia;
    }
}

#[test]
fn bad_parameters_are_refused() {
    let x = test_matrix(10, 2, 9);
    let fit = |p: super::KMeansParams| p.check().and_then(|v| v.fit(x.view()));
    assert!(matches!(
        fit(KMeans::params(0)),
        Err(KernelError::InvalidParameter { name: "k", .. })
    ));
    assert!(matches!(
        fit(KMeans::params(11)),
        Err(KernelError::InvalidParameter { name: "k", .. })
    ));
    assert!(matches!(
        fit(KMeans::params(2).tol(-1.0)),
        Err(KernelError::InvalidParameter { name: "tol", .. })
    ));
    assert!(matches!(
        fit(KMeans::params(2).max_iter(0)),
        Err(KernelError::InvalidParameter { .. })
    ));
    let wrong_rows = KMeansInit::Centroids(Array2::zeros((3, 2)));
    assert!(matches!(
        fit(KMeans::params(2).init(wrong_rows)),
        Err(KernelError::InvalidParameter { name: "init", .. })
    ));
    let wrong_cols = KMeansInit::Centroids(Array2::zeros((2, 5)));
    assert!(matches!(
        fit(KMeans::params(2).init(wrong_cols)),
        Err(KernelError::InvalidParameter { name: "init", .. })
    ));
    assert_eq!(fit(KMeans::params(10)).unwrap().inertia, 0.0);
}

#[test]
fn duplicate_centres_go_to_the_first() {
    let x = test_matrix(50, 3, 15);
    let mut centres = test_matrix(12, 3, 16);
    // 4 and 8 share a lane of different halves; the others cross lanes and blocks.
    for (from, to) in [(4, 8), (2, 9), (0, 5), (3, 11)] {
        let row = centres.row(from).to_owned();
        centres.row_mut(to).assign(&row);
    }
    let rows: Vec<&[f64]> = x.outer_iter().map(|r| r.to_slice().unwrap()).collect();
    let mut found = vec![Nearest::default(); x.nrows()];
    nearest_of(&rows, &PackedCentres::new(centres.view()), &mut found);
    for (f, (label, _, _)) in found.iter().zip(plain_nearest(&x, &centres)) {
        assert_eq!(f.label, label);
        assert!(![8, 9, 5, 11].contains(&f.label));
    }
}

#[test]
fn assign_clusters_is_the_first_argmin_of_each_row() {
    let x = test_matrix(300, 4, 21);
    let centres = test_matrix(7, 4, 22);
    let d = crate::linalg::pairwise_distances(x.view(), Some(centres.view())).unwrap();
    let labels = super::assign_clusters(d.view()).unwrap();
    for (row, &label) in d.outer_iter().zip(&labels) {
        let plain = (0..row.len()).fold(0, |best, j| if row[j] < row[best] { j } else { best });
        assert_eq!(label, plain);
    }
    // The nearest centre, as the blocked search finds it.
    let plain: Vec<usize> = plain_nearest(&x, &centres)
        .iter()
        .map(|&(l, _, _)| l as usize)
        .collect();
    assert_eq!(labels.to_vec(), plain);
    let tie = ndarray::array![[2.0, 1.0, 1.0], [0.0, 0.0, 0.0]];
    assert_eq!(super::assign_clusters(tie.view()).unwrap().to_vec(), [1, 0]);
    assert!(matches!(
        super::assign_clusters(ndarray::array![[1.0, f64::NAN]].view()),
        Err(KernelError::InvalidParameter { .. })
    ));
    assert!(super::assign_clusters(Array2::zeros((3, 0)).view()).is_err());
}

#[test]
fn update_centroids_are_the_means_of_the_clusters() {
    let x = test_matrix(500, 3, 23);
    let k = 6;
    // Cluster 4 gets no row.
    let labels: Vec<usize> = (0..500)
        .map(|i| [0, 1, 2, 3, 5][(i * 7 + i / 3) % 5])
        .collect();
    let c = super::update_centroids(x.view(), &labels, k).unwrap();
    for j in 0..k {
        let rows: Vec<usize> = (0..500).filter(|&i| labels[i] == j).collect();
        for col in 0..3 {
            let got = c[[j, col]];
            if rows.is_empty() {
                assert!(got.is_nan());
                continue;
            }
            let want = rows.iter().map(|&i| x[[i, col]]).sum::<f64>() / rows.len() as f64;
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "{j} {col}"
            );
        }
    }
    assert!(matches!(
        super::update_centroids(x.view(), &labels[1..], k),
        Err(KernelError::ShapeMismatch(_))
    ));
    assert!(matches!(
        super::update_centroids(x.view(), &labels, 5),
        Err(KernelError::InvalidParameter { name: "labels", .. })
    ));
    assert!(super::update_centroids(x.view(), &labels, 0).is_err());
}
