use ndarray::{s, Array2, Axis, ShapeBuilder};
use proptest::prelude::*;

use super::*;
use crate::accumulate::test_support::{chunks, close, merge_randomly};
use crate::linalg::{column_means, correlation, covariance};
use crate::random::test_matrix;

/// Seeded test data of one of five kinds: correlated standard columns; `1e9 + N(0, 1e-3)`; tiny
/// columns around 3e-8; a constant column beside columns around 1e6; mixed scales and offsets.
fn data(n: usize, p: usize, seed: u32, kind: usize) -> Array2<f64> {
    let mut x = test_matrix(n, p, seed);
    for j in 1..p {
        let previous = x.column(j - 1).to_owned();
        let mut column = x.column_mut(j);
        column.scaled_add(0.6, &previous);
    }
    for (j, mut column) in x.axis_iter_mut(Axis(1)).enumerate() {
        match kind {
            0 => {}
            1 => column.mapv_inplace(|v| 1e9 + 1e-3 * v),
            2 => column.mapv_inplace(|v| 3e-8 + 1e-8 * v),
            3 if j == 0 => column.fill(4.25),
            3 => column.mapv_inplace(|v| 1e6 + v),
            _ => column.mapv_inplace(|v| v * 10f64.powi(j as i32 * 2 - 3) - 7.5 * j as f64),
        }
    }
    x
}

/// Compares two covariance-like matrices entry by entry, relative to `√(C_ii C_jj)` (an
/// off-diagonal entry near 0 has no relative precision of its own); a zero diagonal (a constant
/// column) must be matched by a zero or by the reference's rounding noise.
fn assert_matrices_close(got: &Array2<f64>, want: &Array2<f64>, rel: f64, what: &str) {
    for ((i, j), &w) in want.indexed_iter() {
        let g = got[[i, j]];
        let scale = (want[[i, i]] * want[[j, j]]).sqrt();
        let ok = if scale == 0.0 {
            g == 0.0 && w.abs() <= 1e-20
        } else {
            close(g, w, rel, scale)
        };
        assert!(ok, "{what} [{i}, {j}]: {g:e} vs {w:e}");
    }
}

fn assert_means_close(got: &Array1<f64>, want: &Array1<f64>, rel: f64) {
    for (g, w) in got.iter().zip(want) {
        assert!(
            close(*g, *w, rel, w.abs().max(1e-300)),
            "mean {g:e} vs {w:e}"
        );
    }
}

#[test]
fn equals_the_in_memory_covariance_and_correlation() {
    for (n, p, seed) in [(2, 3, 1), (3, 1, 2), (57, 4, 3), (1000, 5, 4), (2500, 3, 5)] {
        for kind in 0..5 {
            let x = data(n, p, seed, kind);
            let mut m = CoMoments::new(p);
            m.add_block(x.view()).unwrap();
            let what = format!("n = {n}, p = {p}, kind {kind}");
            assert_eq!(m.count(), n as u64);
            assert_means_close(&m.mean(), &column_means(x.view()), 1e-13);
            for ddof in [0, 1] {
                let want = covariance(x.view(), ddof).unwrap();
                assert_matrices_close(&m.covariance(ddof as f64), &want, 1e-12, &what);
            }
            let (got, want) = (m.correlation(), correlation(x.view()).unwrap());
            for (g, w) in got.iter().zip(&want) {
                assert!(close(*g, *w, 1e-12, 1.0), "{what}: correlation {g} vs {w}");
            }
        }
    }
}

#[test]
fn a_constant_column_has_no_correlation() {
    let x = data(100, 3, 7, 3);
    let mut m = CoMoments::new(3);
    m.add_block(x.view()).unwrap();
    let r = m.correlation();
    assert!(r.row(0).iter().all(|v| v.is_nan()) && r.column(0).iter().all(|v| v.is_nan()));
    assert!(r[[1, 2]].is_finite() && (r[[1, 1]] - 1.0).abs() < 1e-15);
    assert_eq!(m.cross_products()[[0, 0]], 0.0);
}

#[test]
fn rows_far_from_the_origin_keep_their_digits() {
    // 1e9 + k·2⁻¹⁰ is exact, so the exact covariance is known: that of k·2⁻¹⁰.
    let h = 2f64.powi(-10);
    let offsets = Array2::from_shape_fn((3000, 2), |(i, j)| ((i * 7 + j * 3) % 11) as f64 * h);
    let far = offsets.mapv(|v| v + 1e9);
    let mut m = CoMoments::new(2);
    for (k, rows) in far.axis_chunks_iter(Axis(0), 777).enumerate() {
        let mut part = CoMoments::new(2);
        if k % 2 == 0 {
            part.add_block(rows).unwrap();
        } else {
            rows.rows()
                .into_iter()
                .for_each(|r| part.add_row(&r.to_vec()).unwrap());
        }
        m.merge(&part).unwrap();
    }
    let want = covariance(offsets.view(), 1).unwrap();
    assert_matrices_close(&m.covariance(1.0), &want, 1e-15, "1e9 + k/1024");
}

#[test]
fn empty_and_one_row_states() {
    let mut empty = CoMoments::new(2);
    assert_eq!(empty.count(), 0);
    assert!(empty.mean().iter().all(|v| v.is_nan()));
    assert!(empty.covariance(0.0).iter().all(|v| v.is_nan()));
    assert_eq!(empty.cross_products(), Array2::<f64>::zeros((2, 2)));
    empty.merge(&CoMoments::new(2)).unwrap();
    assert_eq!(empty, CoMoments::new(2));

    let mut one = CoMoments::new(2);
    one.add_row(&[1.5, -2.0]).unwrap();
    let before = one.clone();
    one.merge(&CoMoments::new(2)).unwrap();
    assert_eq!(one, before);
    one.add_block(Array2::<f64>::zeros((0, 2)).view()).unwrap();
    assert_eq!(one, before);
    assert_eq!(one.mean(), ndarray::array![1.5, -2.0]);
    assert_eq!(one.covariance(0.0), Array2::<f64>::zeros((2, 2)));
    assert!(one.covariance(1.0).iter().all(|v| v.is_nan()));
    assert!(one.correlation().iter().all(|v| v.is_nan()));
    let mut into_empty = CoMoments::new(2);
    into_empty.merge(&one).unwrap();
    assert_eq!(into_empty, one);
}

#[test]
fn shapes_must_agree() {
    let mut m = CoMoments::new(3);
    assert!(matches!(
        m.add_row(&[1.0, 2.0]),
        Err(KernelError::ShapeMismatch(_))
    ));
    assert!(m.add_block(Array2::<f64>::zeros((4, 2)).view()).is_err());
    assert!(m.merge(&CoMoments::new(2)).is_err());
    assert_eq!(m, CoMoments::new(3));
}

#[test]
fn a_state_survives_serialization() {
    let x = data(300, 3, 9, 1);
    let mut m = CoMoments::new(3);
    m.add_block(x.view()).unwrap();
    let text = serde_json::to_string(&m).unwrap();
    let back: CoMoments = serde_json::from_str(&text).unwrap();
    assert_eq!(back, m);
    let mut broken: serde_json::Value = serde_json::from_str(&text).unwrap();
    broken["columns"] = 4.into();
    assert!(serde_json::from_value::<CoMoments>(broken).is_err());
    assert_eq!(m.heap_bytes(), 3 * 8 + (3 + 6) * size_of::<DoubleDouble>());
}

#[test]
fn blocks_of_any_memory_order_give_the_same_state() {
    let x = data(2100, 4, 11, 4);
    let mut fortran = Array2::zeros(x.raw_dim().f());
    fortran.assign(&x);
    let (mut a, mut b, mut c) = (CoMoments::new(4), CoMoments::new(4), CoMoments::new(4));
    a.add_block(x.view()).unwrap();
    b.add_block(fortran.view()).unwrap();
    assert_eq!(a, b);
    // A strided view: every other column of a wider matrix.
    let wide = ndarray::concatenate![Axis(1), x, x];
    c.add_block(wide.slice(s![.., 0..4])).unwrap();
    assert_eq!(a, c);
}

proptest! {
    #[test]
    fn any_split_merged_in_any_order_gives_the_same_co_moments(
        seed in 0u32..1000,
        n in 1usize..150,
        p in 1usize..5,
        kind in 0usize..5,
        cuts in prop::collection::vec(0usize..150, 0..6),
        order in 0u32..1000,
        by_rows in any::<bool>(),
    ) {
        let x = data(n, p, seed, kind);
        let mut whole = CoMoments::new(p);
        whole.add_block(x.view()).unwrap();
        let parts: Vec<CoMoments> = chunks(n, &cuts)
            .into_iter()
            .enumerate()
            .map(|(k, rows)| {
                let mut part = CoMoments::new(p);
                if by_rows ^ (k % 2 == 0) {
                    part.add_block(x.slice(s![rows, ..])).unwrap();
                } else {
                    for r in rows {
                        part.add_row(&x.row(r).to_vec()).unwrap();
                    }
                }
                part
            })
            .collect();
        let merged = merge_randomly(parts, order, |a, b| a.merge(b).unwrap());
        prop_assert_eq!(merged.count(), n as u64);
        assert_means_close(&merged.mean(), &whole.mean(), 1e-15);
        assert_matrices_close(&merged.cross_products(), &whole.cross_products(), 1e-12, "merged");
    }
}
