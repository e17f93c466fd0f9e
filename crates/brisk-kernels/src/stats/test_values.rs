//! Seeded test values for the quantile accumulators' tests.

/// `n` values from a 64-bit LCG (Knuth's MMIX constants): `distinct` levels `scale` apart,
/// starting at −100, so that ties are as common as `distinct` makes them.
pub(crate) fn seeded(n: usize, seed: u64, distinct: u64, scale: f64) -> Vec<f64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) % distinct) as f64 * scale - 100.0
        })
        .collect()
}
