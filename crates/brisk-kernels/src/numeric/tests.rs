use super::double_double::DoubleDouble;
use super::*;
use crate::random::Mt19937;

/// 2⁴⁰: the test values are integer multiples of 2⁻⁴⁰, so their sums are exact in i128.
const UNIT: f64 = 1_099_511_627_776.0;

/// `x` in units of 2⁻⁴⁰.
fn units(x: f64) -> i128 {
    let scaled = x * UNIT;
    assert_eq!(scaled.fract(), 0.0, "{x} is not a multiple of 2^-40");
    scaled as i128
}

/// A random integer below 2⁵³ with `bits` significant bits at most, as a double.
fn mantissa(rng: &mut Mt19937, bits: u32) -> f64 {
    let m = (u64::from(rng.next_u32()) << 21) | u64::from(rng.next_u32() >> 11);
    (m >> (53 - bits)) as f64
}

/// A random signed multiple of 2⁻³⁹ (so its half is a multiple of 2⁻⁴⁰) below 2³¹ in magnitude,
/// with up to 53 significant bits.
fn random_value(rng: &mut Mt19937) -> f64 {
    let sign = if rng.next_u32() & 1 == 0 { 1.0 } else { -1.0 };
    let exponent = (rng.next_u32() % 18) as i32 - 39;
    sign * mantissa(rng, 53) * 2f64.powi(exponent)
}

#[test]
fn two_sum_is_exact() {
    let mut rng = Mt19937::new(11);
    for _ in 0..10_000 {
        let (a, b) = (random_value(&mut rng), random_value(&mut rng));
        let (s, e) = two_sum(a, b);
        assert_eq!(s, a + b);
        assert_eq!(units(s) + units(e), units(a) + units(b), "{a} + {b}");
    }
}

#[test]
fn compensated_sum_is_the_rounded_exact_sum() {
    let mut rng = Mt19937::new(12);
    for round in 0..200 {
        // Large values that cancel exactly, and small ones that a plain sum loses beside them.
        let mut values: Vec<f64> = (0..50).map(|_| random_value(&mut rng)).collect();
        let halves: Vec<f64> = values.iter().map(|v| -v * 0.5).collect();
        values.extend(halves.iter().chain(&halves));
        values.extend((0..20).map(|_| mantissa(&mut rng, 20) / UNIT));
        let want: i128 = values.iter().map(|&v| units(v)).sum();
        let got: CompensatedSum = values.iter().copied().collect();
        let error = (got.value() * UNIT - want as f64).abs();
        assert!(
            error <= (want as f64).abs() * f64::EPSILON,
            "round {round}: {} vs {}",
            got.value(),
            want as f64 / UNIT
        );
        // A split, merged, gives the same sum.
        let mut merged: CompensatedSum = values[..37].iter().copied().collect();
        merged.merge(&values[37..].iter().copied().collect());
        assert!((merged.value() * UNIT - want as f64).abs() <= error.max(1.0) * 2.0);
    }
}

#[test]
fn compensated_sum_past_an_infinity_is_the_plain_sum() {
    let s: CompensatedSum = [1.0, f64::INFINITY, 1e300].into_iter().collect();
    assert_eq!(s.value(), f64::INFINITY);
    let s: CompensatedSum = [f64::INFINITY, f64::NEG_INFINITY].into_iter().collect();
    assert!(s.value().is_nan());
    let s: CompensatedSum = [1.0, f64::NAN].into_iter().collect();
    assert!(s.value().is_nan());
    assert_eq!(CompensatedSum::new().value(), 0.0);
}

/// Neumaier's branching form, as `brisk-data` wrote it before using [`CompensatedSum`].
fn branching_neumaier(values: &[f64]) -> f64 {
    let (mut sum, mut compensation) = (0.0_f64, 0.0_f64);
    for &x in values {
        let t = sum + x;
        if t.is_finite() {
            compensation += if sum.abs() >= x.abs() {
                (sum - t) + x
            } else {
                (x - t) + sum
            };
        }
        sum = t;
    }
    if sum.is_finite() {
        sum + compensation
    } else {
        sum
    }
}

#[test]
fn compensated_sum_is_bit_for_bit_the_branching_form() {
    let mut rng = Mt19937::new(15);
    let specials = [
        0.0,
        -0.0,
        f64::MAX,
        -f64::MAX,
        f64::MIN_POSITIVE,
        -5e-324,
        1e308,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ];
    for round in 0..2000 {
        let len = (rng.next_u32() % 40) as usize;
        let values: Vec<f64> = (0..len)
            .map(|_| match rng.next_u32() % 16 {
                0 => specials[(rng.next_u32() % 10) as usize],
                1 => random_value(&mut rng) * 1e290,
                2 => random_value(&mut rng) * 1e-300,
                _ => random_value(&mut rng) * 2f64.powi((rng.next_u32() % 120) as i32 - 60),
            })
            .collect();
        let got = values.iter().copied().collect::<CompensatedSum>().value();
        let want = branching_neumaier(&values);
        assert!(
            got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
            "round {round}: {got:e} vs {want:e} for {values:?}"
        );
    }
}

#[test]
fn canonical_zero_only_changes_negative_zero() {
    assert_eq!(canonical_zero(-0.0).to_bits(), 0.0f64.to_bits());
    assert_eq!(canonical_zero(0.0).to_bits(), 0.0f64.to_bits());
    for x in [
        1.0,
        -1.0,
        f64::MIN_POSITIVE,
        -5e-324,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        assert_eq!(canonical_zero(x).to_bits(), x.to_bits());
    }
    assert!(canonical_zero(f64::NAN).is_nan());
}

/// The low part of a double-double (exact: the difference of `x` and its high part).
fn low(x: DoubleDouble) -> f64 {
    x.sub(DoubleDouble::from(x.high())).high()
}

#[test]
fn double_double_products_are_exact() {
    let mut rng = Mt19937::new(13);
    for _ in 0..10_000 {
        // Integers below 2⁵³: their products need up to 106 bits, which i128 holds.
        let (a, b) = (mantissa(&mut rng, 53), mantissa(&mut rng, 53));
        let p = DoubleDouble::product_of(a, b);
        assert_eq!(p.high(), a * b);
        assert_eq!(p.high() as i128 + low(p) as i128, a as i128 * b as i128);
    }
}

#[test]
fn double_double_keeps_about_106_bits() {
    let mut rng = Mt19937::new(14);
    for _ in 0..1000 {
        let a = DoubleDouble::sum_of(random_value(&mut rng), random_value(&mut rng) * 1e-20);
        let b = random_value(&mut rng);
        let tolerance = a.value().abs() * 1e-30;
        // q·b − a is the rounding of q: about 2⁻¹⁰⁴ of a.
        let back = a.divide(b.into()).scale(b).sub(a);
        assert!(back.value().abs() <= tolerance, "{a:?} / {b}");
        // (a + c) − c recovers a through the cancellation.
        let c = DoubleDouble::product_of(random_value(&mut rng), 1e6);
        let d = a.add(c).sub(c).sub(a);
        assert!(d.value().abs() <= tolerance + c.value().abs() * 1e-31);
        let m = a.mul(b.into()).sub(a.scale(b));
        assert!(m.value().abs() <= tolerance * b.abs());
        assert_eq!(DoubleDouble::from_parts(a.high(), low(a)), a);
    }
}

#[test]
fn first_non_finite_equals_the_plain_search() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for len in [0usize, 1, 7, 8, 255, 256, 257, 1000, 5000] {
        let mut values: Vec<f64> = (0..len).map(|i| (i as f64 - 300.0) * 1e300).collect();
        assert_eq!(first_non_finite(&values), None, "{len}");
        for _ in 0..20 {
            if len == 0 {
                break;
            }
            let at = (next() % len as u64) as usize;
            let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY][(next() % 3) as usize];
            let mut v = values.clone();
            v[at] = bad;
            let plain = v.iter().position(|x| !x.is_finite());
            assert_eq!(first_non_finite(&v), plain);
        }
        values.clear();
    }
}
