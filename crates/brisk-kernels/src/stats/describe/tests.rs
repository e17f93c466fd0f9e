use super::*;
use ndarray::{Array2, ShapeBuilder};

/// The definitions written out plainly: sort for the quantiles, sum for the moments.
fn plain(column: &[f64], convention: Convention) -> [f64; 10] {
    let mut v: Vec<f64> = column.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let m = |k: i32| v.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / n;
    let (m2, m3, m4) = (m(2), m(3), m(4));
    let quantile = |q: f64| {
        let h = (n - 1.0) * q;
        let lo = h.floor() as usize;
        let hi = (lo + 1).min(v.len() - 1);
        v[lo] + (v[hi] - v[lo]) * (h - lo as f64)
    };
    let g1 = m3 / m2.powf(1.5);
    let g2 = m4 / (m2 * m2) - 3.0;
    let (std, skew, kurt) = match convention {
        Convention::Population => (m2.sqrt(), g1, g2),
        Convention::Sample => (
            (m2 * n / (n - 1.0)).sqrt(),
            g1 * (n * (n - 1.0)).sqrt() / (n - 2.0),
            ((n + 1.0) * g2 + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)),
        ),
    };
    [
        n,
        mean,
        std,
        v[0],
        quantile(0.25),
        quantile(0.5),
        quantile(0.75),
        v[v.len() - 1],
        skew,
        kurt,
    ]
}

#[test]
fn equals_the_plain_definitions_on_seeded_random_matrices() {
    let mut state = 0x1234_5678_9ABC_DEF1u64;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for (rows, cols, fortran) in [(5, 1, false), (97, 4, false), (1000, 3, true)] {
        let values: Vec<f64> = (0..rows * cols)
            .map(|i| {
                let u = uniform();
                match i % 7 {
                    0 => f64::NAN,
                    1 => (-u.ln()).powi(2) * 1e3,
                    _ => u * 10.0 - 3.0,
                }
            })
            .collect();
        let x = Array2::from_shape_vec((rows, cols).set_f(fortran), values).unwrap();
        for convention in [Convention::Sample, Convention::Population] {
            let stats = compute_statistics(x.view(), convention);
            for j in 0..cols {
                let column: Vec<f64> = x.column(j).to_vec();
                let want = plain(&column, convention);
                let got = [
                    stats.count[j],
                    stats.mean[j],
                    stats.std[j],
                    stats.min[j],
                    stats.q25[j],
                    stats.median[j],
                    stats.q75[j],
                    stats.max[j],
                    stats.skewness[j],
                    stats.kurtosis[j],
                ];
                for (k, (g, w)) in got.iter().zip(want).enumerate() {
                    assert!(
                        (g - w).abs() <= 1e-10 * w.abs().max(1.0),
                        "{rows}x{cols} column {j} figure {k}: {g} vs {w}"
                    );
                }
            }
        }
    }
}

#[test]
fn undefined_figures_are_nan() {
    let x = ndarray::array![[1.0, f64::NAN], [1.0, f64::NAN]];
    let stats = compute_statistics(x.view(), Convention::Sample);
    assert_eq!(stats.count[1], 0.0);
    assert!(stats.mean[1].is_nan() && stats.median[1].is_nan());
    assert_eq!(stats.std[0], 0.0);
    assert!(stats.skewness[0].is_nan() && stats.kurtosis[0].is_nan());
}
