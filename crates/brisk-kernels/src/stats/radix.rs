//! Sorting `f64`s in the order of [`f64::total_cmp`] by a least-significant-digit radix sort on
//! order-preserving integer keys: the sketch's compactions and the bracket's windows sort thousands of values at a time,
//! where a comparison sort costs `log₂ n` branchy comparisons per value and this costs a few
//! sequential passes.

/// Bits of the key sorted per pass.
const DIGIT_BITS: u32 = 11;
const BUCKETS: usize = 1 << DIGIT_BITS;
const PASSES: usize = 64_usize.div_ceil(DIGIT_BITS as usize);
/// Below this many values a comparison sort is quicker than clearing the counts.
const SMALL: usize = 256;

/// The key whose unsigned order is `f64::total_cmp`'s: a negative value's bits all flipped (so a
/// larger magnitude sorts lower), a positive value's sign bit set.
#[inline(always)]
pub(crate) fn key(x: f64) -> u64 {
    let bits = x.to_bits();
    // The sign spread over the word: all ones for a negative value, zeros else; no branch.
    let negative = ((bits as i64) >> 63) as u64;
    bits ^ (negative | 1 << 63)
}

#[inline]
pub(crate) fn value(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

#[inline]
fn digit(key: u64, pass: usize) -> usize {
    ((key >> (pass as u32 * DIGIT_BITS)) as usize) & (BUCKETS - 1)
}

/// Sorts `values` ascending in the total order of [`f64::total_cmp`] (−NaN < −∞ < … < −0.0 <
/// +0.0 < … < +∞ < NaN), stable, in `O(n)`: an LSD radix sort (Knuth, *The Art of Computer
/// Programming* vol. 3, §5.2.5) of 11-bit digits over the keys that map that order to unsigned
/// integer order, skipping the digits every key shares. `scratch` is reused between calls.
pub(crate) fn sort_total(values: &mut [f64], scratch: &mut Vec<u64>) {
    let n = values.len();
    if n < SMALL {
        values.sort_unstable_by(f64::total_cmp);
        return;
    }
    scratch.clear();
    scratch.resize(2 * n, 0);
    let (keys, other) = scratch.split_at_mut(n);
    let mut counts = vec![[0u32; BUCKETS]; PASSES];
    for (k, &x) in keys.iter_mut().zip(values.iter()) {
        *k = key(x);
        for (pass, count) in counts.iter_mut().enumerate() {
            count[digit(*k, pass)] += 1;
        }
    }
    let (mut from, mut to) = (keys, other);
    for (pass, count) in counts.iter_mut().enumerate() {
        if count[digit(from[0], pass)] as usize == n {
            continue;
        }
        let mut next = 0u32;
        for c in count.iter_mut() {
            let here = *c;
            *c = next;
            next += here;
        }
        for &k in from.iter() {
            let slot = &mut count[digit(k, pass)];
            to[*slot as usize] = k;
            *slot += 1;
        }
        std::mem::swap(&mut from, &mut to);
    }
    for (x, &k) in values.iter_mut().zip(from.iter()) {
        *x = value(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded(n: usize, seed: u64) -> Vec<f64> {
        let mut state = seed;
        let specials = [0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, 5e-324, -5e-324];
        (0..n)
            .map(|i| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                match i % 7 {
                    0 => specials[(state >> 40) as usize % specials.len()],
                    1 => ((state >> 40) % 5) as f64,
                    _ => f64::from_bits(state >> 1) * if state & 1 == 1 { -1.0 } else { 1.0 },
                }
            })
            .collect()
    }

    #[test]
    fn sorts_as_total_cmp_does() {
        let mut scratch = Vec::new();
        for (n, seed) in [(0, 1), (1, 2), (255, 3), (256, 4), (4096, 5), (10_007, 6)] {
            let mut values = seeded(n, seed);
            let mut expected = values.clone();
            expected.sort_by(f64::total_cmp);
            sort_total(&mut values, &mut scratch);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&values), bits(&expected), "n = {n}");
        }
    }

    #[test]
    fn values_sharing_their_high_digits_sort_too() {
        let mut values: Vec<f64> = (0..5000)
            .map(|i| 1e9 + ((i * 7919) % 5000) as f64 * 1e-6)
            .collect();
        let mut expected = values.clone();
        expected.sort_by(f64::total_cmp);
        sort_total(&mut values, &mut Vec::new());
        assert_eq!(values, expected);
    }

    #[test]
    fn keys_round_trip_in_order() {
        let xs = [f64::NEG_INFINITY, -1.0, -0.0, 0.0, 1.0, f64::INFINITY];
        for pair in xs.windows(2) {
            assert!(key(pair[0]) < key(pair[1]));
        }
        for x in xs {
            assert_eq!(value(key(x)).to_bits(), x.to_bits());
        }
    }
}
