//! PCA's invariants on seeded random inputs.

use ndarray::{Array2, Axis};

use super::Pca;
use crate::random::test_matrix;
use crate::KernelError;

#[test]
fn all_components_reconstruct_the_data() {
    let mixing = test_matrix(4, 4, 2);
    let x = test_matrix(400, 4, 1).dot(&mixing) + 10.0;
    let pca = Pca::params(4).check().unwrap().fit(x.view()).unwrap();
    let scores = pca.transform(x.view()).unwrap();
    let back = scores.dot(&pca.components) + &pca.mean;
    for (a, b) in back.iter().zip(&x) {
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
    }
    // Orthonormal axes, variances in decreasing order summing to the total variance.
    let gram = pca.components.dot(&pca.components.t());
    for ((i, j), v) in gram.indexed_iter() {
        assert!((v - f64::from(u8::from(i == j))).abs() < 1e-12);
    }
    let total: f64 = x.var_axis(Axis(0), 1.0).sum();
    assert!((pca.explained_variance.sum() - total).abs() < 1e-10 * total);
    assert!(pca
        .explained_variance
        .windows(2)
        .into_iter()
        .all(|w| w[0] >= w[1]));
    assert!((pca.explained_variance_ratio.sum() - 1.0).abs() < 1e-12);
    // Each score column's variance is its explained variance.
    let score_var = scores.var_axis(Axis(0), 1.0);
    for (a, b) in score_var.iter().zip(&pca.explained_variance) {
        assert!((a - b).abs() < 1e-10 * b);
    }
}

#[test]
fn components_follow_the_sign_convention() {
    let x = test_matrix(200, 6, 3);
    let pca = Pca::params(3).check().unwrap().fit(x.view()).unwrap();
    for row in pca.components.rows() {
        let largest = row
            .iter()
            .fold(0.0f64, |m, v| if v.abs() > m.abs() { *v } else { m });
        assert!(largest > 0.0);
    }
}

#[test]
fn bad_k_is_refused() {
    let x = Array2::<f64>::zeros((5, 3));
    assert!(matches!(
        Pca::params(0).check(),
        Err(KernelError::InvalidParameter { .. })
    ));
    let fit = |k| Pca::params(k).check().unwrap().fit(x.view());
    assert!(matches!(
        fit(4),
        Err(KernelError::InvalidParameter { name: "k", .. })
    ));
    let one = Array2::<f64>::zeros((1, 3));
    assert!(Pca::params(1).check().unwrap().fit(one.view()).is_err());
}

#[test]
fn fitting_co_moments_equals_fitting_the_rows() {
    use crate::accumulate::CoMoments;
    // Distinct variances (a mixing matrix), one column far from the origin, one constant.
    let mixing = test_matrix(5, 5, 12);
    let mut x = test_matrix(3000, 5, 11).dot(&mixing);
    x.column_mut(3).mapv_inplace(|v| 1e6 + v);
    let with_constant = {
        let mut c = x.clone();
        c.column_mut(4).fill(2.5);
        c
    };
    for data in [&x, &with_constant] {
        let mut moments = CoMoments::new(5);
        for rows in data.axis_chunks_iter(ndarray::Axis(0), 701) {
            let mut part = CoMoments::new(5);
            part.add_block(rows).unwrap();
            moments.merge(&part).unwrap();
        }
        for (k, standardize) in [(2, true), (5, true), (3, false)] {
            let params = Pca::params(k).standardize(standardize).check().unwrap();
            let want = params.fit(data.view()).unwrap();
            let got = params.fit_comoments(&moments).unwrap();
            let close = |a: f64, b: f64, rel: f64| (a - b).abs() <= rel * b.abs().max(1e-300);
            for (a, b) in got.explained_variance.iter().zip(&want.explained_variance) {
                assert!(
                    close(*a, *b, 1e-10) || (*a < 1e-12 && *b < 1e-12),
                    "λ {a} vs {b}"
                );
            }
            for (a, b) in got
                .explained_variance_ratio
                .iter()
                .zip(&want.explained_variance_ratio)
            {
                assert!((a - b).abs() <= 1e-10, "ratio {a} vs {b}");
            }
            // The same sign convention, so the axes agree entry by entry (their eigenvalues are
            // well separated); an axis of a zero eigenvalue is arbitrary and skipped.
            for (i, (a, b)) in got
                .components
                .rows()
                .into_iter()
                .zip(want.components.rows())
                .enumerate()
            {
                if want.explained_variance[i] > 1e-9 {
                    let gap = (&a - &b).iter().fold(0.0f64, |m, v| m.max(v.abs()));
                    assert!(gap <= 1e-8, "axis {i}: {a} vs {b}");
                }
            }
            for (a, b) in got.mean.iter().zip(&want.mean) {
                assert!(close(*a, *b, 1e-14));
            }
            match (&got.scale, &want.scale) {
                (Some(a), Some(b)) => {
                    assert!(
                        a.iter().zip(b).all(|(a, b)| close(*a, *b, 1e-12)),
                        "{a} vs {b}"
                    )
                }
                (None, None) => {}
                _ => panic!("one model is standardised and the other not"),
            }
            let gap = (got.transform(data.view()).unwrap() - want.transform(data.view()).unwrap())
                .iter()
                .fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(gap <= 1e-7, "scores differ by {gap}");
        }
    }
    let mut one = CoMoments::new(5);
    one.add_row(&[1.0; 5]).unwrap();
    assert!(matches!(
        Pca::params(1).check().unwrap().fit_comoments(&one),
        Err(KernelError::TooFewRows { .. })
    ));
}
