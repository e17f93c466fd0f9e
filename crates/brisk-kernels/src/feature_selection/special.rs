//! The regularised incomplete beta function `I_x(a, b)` and the log-gamma pieces it needs.
//!
//! `I_x(a, b) = x^a (1 − x)^b / (a B(a, b)) · K(x)`, where `K` is the continued fraction of
//! Abramowitz & Stegun 26.5.8, evaluated by the modified Lentz method (Numerical Recipes `betai`,
//! Cephes `incbet`) on the side where it converges quickly (`x < (a + 1)/(a + b + 2)`), the other
//! side following from `I_x(a, b) = 1 − I_{1−x}(b, a)`. The power terms `x^a (1 − x)^b / B(a, b)`
//! come from Stirling's series when `a` and `b` are large (DiDonato & Morris, TOMS 708, `brcomp`),
//! and the continued fraction runs in double-double arithmetic, so the result keeps its relative
//! accuracy in the far tails and for millions of degrees of freedom.

use std::f64::consts::PI;

use crate::numeric::two_sum;

/// Arguments at or above this use Stirling's series; its truncation error there is below 1e-16.
const STIRLING_MIN: f64 = 10.0;

/// `ln Γ(z)` for `z > 0`.
pub(crate) fn ln_gamma(z: f64) -> f64 {
    if z >= STIRLING_MIN {
        (z - 0.5) * z.ln() - z + 0.5 * (2.0 * PI).ln() + stirling_correction(z)
    } else {
        libm::lgamma(z)
    }
}

/// `δ(z) = ln Γ(z) − ((z − ½) ln z − z + ½ ln 2π)`, Stirling's series
/// `Σ B_2k / (2k (2k − 1) z^(2k−1))` (Abramowitz & Stegun 6.1.40), for `z ≥ 10`.
fn stirling_correction(z: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        1.0 / 12.0,
        -1.0 / 360.0,
        1.0 / 1260.0,
        -1.0 / 1680.0,
        1.0 / 1188.0,
        -691.0 / 360_360.0,
        1.0 / 156.0,
        -3617.0 / 122_400.0,
        43_867.0 / 244_188.0,
    ];
    let inverse_square = 1.0 / (z * z);
    COEFFICIENTS
        .iter()
        .rev()
        .fold(0.0, |acc, &c| acc * inverse_square + c)
        / z
}

/// `ln B(a, b)` when at most one of `a`, `b` is at least 10. With one large argument `h` and one
/// small `l`, `ln Γ(h) − ln Γ(h + l)` is taken from Stirling's series directly
/// (`−l ln h − (h + l − ½) ln(1 + l/h) + l + δ(h) − δ(h + l)`), not as a difference of two huge
/// logarithms.
fn ln_beta_small(a: f64, b: f64) -> f64 {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    if high < STIRLING_MIN {
        return ln_gamma(low) + ln_gamma(high) - ln_gamma(low + high);
    }
    let ratio_difference = -low * high.ln() - (high + low - 0.5) * (low / high).ln_1p()
        + low
        + stirling_correction(high)
        - stirling_correction(high + low);
    ln_gamma(low) + ratio_difference
}

/// `e − ln(1 + e)` without cancellation for small `|e|`: with `t = e / (2 + e)`,
/// `ln(1 + e) = 2 atanh t`, so `e − ln(1 + e) = e²/(2 + e) − 2 Σ_{k≥1} t^(2k+1)/(2k + 1)`.
fn e_minus_ln_1p(e: f64) -> f64 {
    if e.abs() > 0.6 {
        return e - e.ln_1p();
    }
    let t = e / (2.0 + e);
    let t2 = t * t;
    let mut power = t * t2;
    let mut series = 0.0;
    let mut k = 1.0;
    loop {
        let term = power / (2.0 * k + 1.0);
        series += term;
        if term.abs() <= 1e-17 * series.abs() {
            break;
        }
        power *= t2;
        k += 1.0;
    }
    e * e / (2.0 + e) - 2.0 * series
}

/// `x^a y^b / B(a, b)` with `y = 1 − x` given separately (both accurate).
fn power_terms(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if a >= STIRLING_MIN && b >= STIRLING_MIN {
        // With x0 = a/(a+b), y0 = b/(a+b) and λ = a − (a+b)x: x^a y^b / B(a, b) =
        // sqrt(ab/(a+b))/sqrt(2π) · exp(−a·u − b·v − δ(a) − δ(b) + δ(a+b)), where
        // u = (−λ/a) − ln(x/x0) and v = λ/b − ln(y/y0) are both ≥ 0 and free of cancellation.
        let total = a + b;
        let (x0, y0) = (a / total, b / total);
        let lambda = if a <= b { a - total * x } else { total * y - b };
        let e = -lambda / a;
        let u = if e.abs() > 0.6 {
            e - (x / x0).ln()
        } else {
            e_minus_ln_1p(e)
        };
        let e = lambda / b;
        let v = if e.abs() > 0.6 {
            e - (y / y0).ln()
        } else {
            e_minus_ln_1p(e)
        };
        let correction =
            stirling_correction(a) + stirling_correction(b) - stirling_correction(total);
        (b * x0).sqrt() / (2.0 * PI).sqrt() * (-(a * u + b * v) - correction).exp()
    } else {
        let ln_x = if x > 0.5 { (-y).ln_1p() } else { x.ln() };
        let ln_y = if y > 0.5 { (-x).ln_1p() } else { y.ln() };
        (a * ln_x + b * ln_y - ln_beta_small(a, b)).exp()
    }
}

/// A double-double number `hi + lo` (|lo| ≤ ½ ulp(hi)), about 32 significant digits: enough
/// for the continued fraction to see `x = 1 − y` exactly when `y` is tiny.
#[derive(Debug, Clone, Copy)]
struct DoubleDouble {
    hi: f64,
    lo: f64,
}

impl DoubleDouble {
    fn new(value: f64) -> DoubleDouble {
        DoubleDouble { hi: value, lo: 0.0 }
    }

    /// `1 − y`, exactly.
    fn one_minus(y: f64) -> DoubleDouble {
        let (hi, lo) = two_sum(1.0, -y);
        DoubleDouble { hi, lo }
    }

    fn normalised(hi: f64, lo: f64) -> DoubleDouble {
        let s = hi + lo;
        DoubleDouble {
            hi: s,
            lo: lo - (s - hi),
        }
    }

    fn add(self, other: DoubleDouble) -> DoubleDouble {
        let (s, e) = two_sum(self.hi, other.hi);
        DoubleDouble::normalised(s, e + self.lo + other.lo)
    }

    fn add_f64(self, other: f64) -> DoubleDouble {
        self.add(DoubleDouble::new(other))
    }

    fn mul(self, other: DoubleDouble) -> DoubleDouble {
        let p = self.hi * other.hi;
        let e = self.hi.mul_add(other.hi, -p) + (self.hi * other.lo + self.lo * other.hi);
        DoubleDouble::normalised(p, e)
    }

    fn neg(self) -> DoubleDouble {
        DoubleDouble {
            hi: -self.hi,
            lo: -self.lo,
        }
    }

    fn div(self, other: DoubleDouble) -> DoubleDouble {
        let q1 = self.hi / other.hi;
        let r = self.add(other.mul(DoubleDouble::new(q1)).neg());
        let q2 = r.hi / other.hi;
        let r = r.add(other.mul(DoubleDouble::new(q2)).neg());
        let q3 = r.hi / other.hi;
        let (hi, lo) = two_sum(q1, q2);
        DoubleDouble::normalised(hi, lo + q3)
    }

    fn value(self) -> f64 {
        self.hi + self.lo
    }
}

/// The continued fraction `K` of A&S 26.5.8, `I_x(a, b) = x^a y^b / (a B(a, b)) · K`, by the
/// modified Lentz method; it converges fast for `x < (a + 1)/(a + b + 2)`. It runs in
/// double-double arithmetic with `x = 1 − y` when `x > ½`: with a large `a` and `x` close to 1,
/// `K` depends on `1 − x` and a rounded `x` would cost up to `a · 10⁻¹⁶` of relative accuracy.
fn continued_fraction(a: f64, b: f64, x: f64, y: f64) -> f64 {
    type Dd = DoubleDouble;
    const TINY: f64 = 1e-300;
    const MAX_TERMS: usize = 1_000_000;
    let fix = |v: Dd| if v.hi.abs() < TINY { Dd::new(TINY) } else { v };
    let one = Dd::new(1.0);
    let x = if x > 0.5 {
        Dd::one_minus(y)
    } else {
        Dd::new(x)
    };
    let (a, b) = (Dd::new(a), Dd::new(b));
    let sum = a.add(b);
    let up = a.add_f64(1.0);
    let down = a.add_f64(-1.0);
    let mut c = one;
    let mut d = one.div(fix(one.add(sum.mul(x).div(up).neg())));
    let mut h = d;
    for m in 1..=MAX_TERMS {
        let m = m as f64;
        let m2 = 2.0 * m;
        // The even step d_2m = m (b − m) x / ((a + 2m − 1)(a + 2m)).
        let even = b
            .add_f64(-m)
            .mul(x)
            .mul(Dd::new(m))
            .div(down.add_f64(m2).mul(a.add_f64(m2)));
        d = one.div(fix(one.add(even.mul(d))));
        c = fix(one.add(even.div(c)));
        h = h.mul(d.mul(c));
        // The odd step d_2m+1 = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
        let odd = a
            .add_f64(m)
            .mul(sum.add_f64(m))
            .mul(x)
            .div(a.add_f64(m2).mul(up.add_f64(m2)))
            .neg();
        d = one.div(fix(one.add(odd.mul(d))));
        c = fix(one.add(odd.div(c)));
        let step = d.mul(c);
        h = h.mul(step);
        if ((step.hi - 1.0) + step.lo).abs() <= 0.25 * f64::EPSILON {
            break;
        }
    }
    h.value()
}

/// `(I_x(a, b), 1 − I_x(a, b))` for `a, b > 0`, with `y = 1 − x` given separately so that
/// neither `x` nor `y` loses digits to a subtraction. The smaller of the two is computed directly
/// and keeps its relative accuracy however small it is (down to underflow).
pub(crate) fn incomplete_beta(a: f64, b: f64, x: f64, y: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if y <= 0.0 {
        return (1.0, 0.0);
    }
    if x < (a + 1.0) / (a + b + 2.0) {
        let p = power_terms(a, b, x, y) * continued_fraction(a, b, x, y) / a;
        (p, 1.0 - p)
    } else {
        let q = power_terms(b, a, y, x) * continued_fraction(b, a, y, x) / b;
        (1.0 - q, q)
    }
}
