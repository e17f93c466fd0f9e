//! The survival function of Fisher's F distribution.

use super::special::incomplete_beta;

/// `P(F > f)` for an F distribution with `dfn` and `dfd` degrees of freedom, as
/// `scipy.stats.f.sf(f, dfn, dfd)` (Cephes `fdtrc`, Boost `fisher_f` complement):
///
/// `sf(f) = I_w(dfd/2, dfn/2)` with `w = dfd / (dfd + dfn·f)` (Abramowitz & Stegun 26.6.2 and
/// 26.5), where `I` is the regularised incomplete beta function. `w` and `1 − w = dfn·f / (dfd +
/// dfn·f)` are formed apart, and the tail is computed directly, so tiny p-values keep their
/// relative accuracy down to the underflow threshold, where they become exactly 0.
///
/// As SciPy: 1 for `f ≤ 0`, 0 for `f = +∞`, NaN when `f` is NaN or a number of degrees of
/// freedom is not finite and positive.
///
/// ```
/// use brisk_kernels::feature_selection::f_sf;
/// // With 2 and 2 degrees of freedom the survival function is 1/(1 + f).
/// assert!((f_sf(3.0, 2.0, 2.0) - 0.25).abs() < 1e-15);
/// // F(1, d) is the square of Student's t with d degrees of freedom: P(|t_1| > 1) = 1/2.
/// assert!((f_sf(1.0, 1.0, 1.0) - 0.5).abs() < 1e-15);
/// assert_eq!(f_sf(0.0, 3.0, 10.0), 1.0);
/// assert_eq!(f_sf(f64::INFINITY, 3.0, 10.0), 0.0);
/// assert!(f_sf(5000.0, 2.0, 100_000.0) == 0.0); // below the smallest f64
/// ```
pub fn f_sf(f: f64, dfn: f64, dfd: f64) -> f64 {
    let valid = |df: f64| df > 0.0 && df.is_finite();
    if f.is_nan() || !valid(dfn) || !valid(dfd) {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f == f64::INFINITY {
        return 0.0;
    }
    let spread = dfn * f;
    let (w, w_complement) = if spread.is_finite() && (dfd + spread).is_finite() {
        let total = dfd + spread;
        (dfd / total, spread / total)
    } else {
        // dfn·f overflows: w = r/(1 + r) with r = dfd/(dfn·f), formed without the overflow.
        let r = dfd / dfn / f;
        (r / (1.0 + r), 1.0 / (1.0 + r))
    };
    incomplete_beta(dfd / 2.0, dfn / 2.0, w, w_complement).0
}
