//! Double-double arithmetic: a value held as an unevaluated sum `hi + lo` of two doubles with
//! `|lo| ≤ ulp(hi)/2`, about 106 bits of precision, for the accumulators whose finished statistics
//! subtract nearly equal sums (the residual of a nearly perfect regression).
//!
//! Reference: T. J. Dekker, "A floating-point technique for extending the available precision",
//! *Numerische Mathematik* 18 (1971) 224–242; Hida, Li & Bailey, "Library for double-double and
//! quad-double arithmetic" (QD, 2007), whose `ieee_add`, `mul` and `div` these follow.

use serde::{Deserialize, Serialize};

use super::two_sum;

/// `hi + lo`, normalised so that `hi` is the sum rounded to a double.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct DoubleDouble {
    hi: f64,
    lo: f64,
}

/// `a + b` as a normalised pair when `|a| ≥ |b|` (or `a` is 0): Dekker's Fast2Sum.
#[inline]
fn fast_two_sum(a: f64, b: f64) -> DoubleDouble {
    let hi = a + b;
    DoubleDouble {
        hi,
        lo: b - (hi - a),
    }
}

/// The halves of `a` with 26 significant bits each, `a = high + low` exactly (Veltkamp's
/// splitting; valid for `|a| < 2^996`).
#[inline]
pub(crate) fn split(a: f64) -> (f64, f64) {
    const SPLITTER: f64 = 134_217_729.0; // 2^27 + 1
    let c = SPLITTER * a;
    let high = c - (c - a);
    (high, a - high)
}

/// The rounding error of `a·b = product`, from the splits of `a` and `b` (Dekker's TwoProduct,
/// without a fused multiply-add, which the portable x86-64 target lacks).
#[inline]
pub(crate) fn product_error(product: f64, a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 * b.0 - product) + a.0 * b.1 + a.1 * b.0) + a.1 * b.1
}

impl From<f64> for DoubleDouble {
    fn from(x: f64) -> Self {
        DoubleDouble { hi: x, lo: 0.0 }
    }
}

impl DoubleDouble {
    /// Zero.
    pub(crate) const ZERO: DoubleDouble = DoubleDouble { hi: 0.0, lo: 0.0 };

    /// The exact sum `a + b`.
    #[inline]
    pub(crate) fn sum_of(a: f64, b: f64) -> DoubleDouble {
        let (hi, lo) = two_sum(a, b);
        DoubleDouble { hi, lo }
    }

    /// The exact product `a · b` (barring overflow and underflow).
    #[inline]
    pub(crate) fn product_of(a: f64, b: f64) -> DoubleDouble {
        let hi = a * b;
        DoubleDouble {
            hi,
            lo: product_error(hi, split(a), split(b)),
        }
    }

    /// A sum accumulated as a rounded part and a separately summed error (Ogita, Rump & Oishi's
    /// `Sum2`), normalised.
    #[inline]
    pub(crate) fn from_parts(hi: f64, lo: f64) -> DoubleDouble {
        let (hi, error) = two_sum(hi, lo);
        DoubleDouble { hi, lo: error }
    }

    /// The value rounded to a double.
    #[inline]
    pub(crate) fn value(self) -> f64 {
        self.hi + self.lo
    }

    /// `self + other` (QD's `ieee_add`: relative error about 2⁻¹⁰⁴ even under cancellation).
    #[inline]
    pub(crate) fn add(self, other: DoubleDouble) -> DoubleDouble {
        let (s, e) = two_sum(self.hi, other.hi);
        let (t, f) = two_sum(self.lo, other.lo);
        let sum = fast_two_sum(s, e + t);
        fast_two_sum(sum.hi, sum.lo + f)
    }

    /// `self − other`.
    #[inline]
    pub(crate) fn sub(self, other: DoubleDouble) -> DoubleDouble {
        self.add(DoubleDouble {
            hi: -other.hi,
            lo: -other.lo,
        })
    }

    /// `self · other`.
    #[inline]
    pub(crate) fn mul(self, other: DoubleDouble) -> DoubleDouble {
        let p = DoubleDouble::product_of(self.hi, other.hi);
        fast_two_sum(p.hi, p.lo + (self.hi * other.lo + self.lo * other.hi))
    }

    /// `self · b` for a double `b`.
    #[inline]
    pub(crate) fn scale(self, b: f64) -> DoubleDouble {
        let p = DoubleDouble::product_of(self.hi, b);
        fast_two_sum(p.hi, p.lo + self.lo * b)
    }

    /// `self / b`: a first quotient, then the quotients of its exact remainders (QD's `div`
    /// with a third correction).
    #[inline]
    pub(crate) fn divide(self, b: DoubleDouble) -> DoubleDouble {
        let q1 = self.hi / b.hi;
        let remainder = self.sub(b.scale(q1));
        let q2 = remainder.hi / b.hi;
        let remainder = remainder.sub(b.scale(q2));
        let q3 = remainder.hi / b.hi;
        fast_two_sum(q1, q2).add(DoubleDouble { hi: q3, lo: 0.0 })
    }

    /// Whether both parts are finite.
    pub(crate) fn is_finite(self) -> bool {
        self.hi.is_finite() && self.lo.is_finite()
    }

    /// The rounded part.
    #[cfg(test)]
    pub(crate) fn high(self) -> f64 {
        self.hi
    }
}
