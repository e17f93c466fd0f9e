//! The register-blocked k-means kernel against a plain nearest-centre search, and Lloyd's
//! invariants.

use ndarray::{s, Array2};

use super::lloyd::{assign, inertia, lloyd, nearest_centres, PackedCentres};
use super::{KMeans, KMeansInit};
use crate::random::test_matrix;
use crate::KernelError;

fn plain_nearest(x: &Array2<f64>, centres: &Array2<f64>) -> Vec<u32> {
    x.outer_iter()
        .map(|row| {
            let mut best = (f64::INFINITY, 0);
            for (c, centre) in centres.outer_iter().enumerate() {
                let d: f64 = row.iter().zip(centre).map(|(a, b)| (a - b) * (a - b)).sum();
                if d < best.0 {
                    best = (d, c as u32);
                }
            }
            best.1
        })
        .collect()
}

#[test]
fn blocked_assignment_equals_the_plain_search() {
    for (n, d, k, seed) in [
        (1, 1, 1, 1),
        (7, 2, 3, 2),
        (1001, 5, 8, 3),
        (999, 32, 9, 4),
        (257, 3, 17, 5),
    ] {
        let x = test_matrix(n, d, seed);
        let centres = test_matrix(k, d, seed + 50);
        let mut labels = vec![0u32; n];
        nearest_centres(
            x.as_slice().unwrap(),
            d,
            &PackedCentres::new(centres.view()),
            &mut labels,
        );
        let plain = plain_nearest(&x, &centres);
        // The expansion ‖c‖² − 2x·c and the direct sum may rank a near-tie differently; on
        // random data there is none at this size.
        assert_eq!(labels, plain, "n {n} d {d} k {k}");
    }
}

#[test]
fn accumulated_sums_equal_the_plain_sums() {
    let x = test_matrix(10_000, 4, 7);
    let centres = x.slice(s![..6, ..]).to_owned();
    let mut labels = vec![0u32; 10_000];
    let (sums, counts) = assign(x.view(), centres.view(), &mut labels, true);
    let mut want = Array2::<f64>::zeros((6, 4));
    let mut want_counts = [0.0; 6];
    for (row, &l) in x.outer_iter().zip(&labels) {
        let mut target = want.row_mut(l as usize);
        target += &row;
        want_counts[l as usize] += 1.0;
    }
    assert_eq!(counts, want_counts);
    for (a, b) in sums.iter().zip(&want) {
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
}

#[test]
fn inertia_never_rises_across_lloyd_iterations() {
    let x = test_matrix(3000, 3, 8);
    let init = x.slice(s![..7, ..]).to_owned();
    let mut last = f64::INFINITY;
    for iterations in 1..15 {
        let run = lloyd(x.view(), init.clone(), iterations, 0.0);
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
