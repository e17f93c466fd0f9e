//! NumPy's legacy random stream (`numpy.random.RandomState`), so that a seed means the same
//! draws in brisk as in scikit-learn's `random_state`.

/// The Mersenne Twister MT19937 with `RandomState(seed)`'s seeding, `random_sample` and
/// `permutation`.
///
/// Reference: Matsumoto & Nishimura (1998), `mt19937ar.c`; NumPy `numpy/random/mtrand.pyx` and
/// `src/legacy/legacy-distributions.c`.
///
/// ```
/// let mut rng = brisk_kernels::random::Mt19937::new(0);
/// assert_eq!(rng.next_u32(), 2357136044); // numpy.random.RandomState(0).randint(2**32)
/// ```
#[derive(Debug, Clone)]
pub struct Mt19937 {
    state: [u32; N],
    index: usize,
}

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER: u32 = 0x8000_0000;
const LOWER: u32 = 0x7fff_ffff;

impl Mt19937 {
    /// The generator `numpy.random.RandomState(seed)` starts from (`init_genrand`).
    pub fn new(seed: u32) -> Mt19937 {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 { state, index: N }
    }

    /// The next 32 raw bits (`genrand_int32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & UPPER) | (self.state[(i + 1) % N] & LOWER);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            self.state[i] = self.state[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// A uniform double in `[0, 1)` with 53 random bits (`random_sample`, `genrand_res53`).
    pub fn random_sample(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) / 9_007_199_254_740_992.0
    }

    /// A uniform integer in `[0, max]` by masked rejection (`random_interval`).
    pub fn interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mask = u64::MAX >> max.leading_zeros();
        loop {
            let value = if max <= u64::from(u32::MAX) {
                u64::from(self.next_u32()) & mask
            } else {
                ((u64::from(self.next_u32()) << 32) | u64::from(self.next_u32())) & mask
            };
            if value <= max {
                return value;
            }
        }
    }

    /// `RandomState.permutation(n)`: `0..n` shuffled by Fisher–Yates from the end.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut values: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.interval(i as u64) as usize;
            values.swap(i, j);
        }
        values
    }
}

/// A seeded matrix of standard-normal-ish values (the sum of 4 uniforms, centred and scaled) for
/// tests.
#[cfg(test)]
pub(crate) fn test_matrix(rows: usize, cols: usize, seed: u32) -> ndarray::Array2<f64> {
    let mut rng = Mt19937::new(seed);
    ndarray::Array2::from_shape_simple_fn((rows, cols), || {
        ((0..4).map(|_| rng.random_sample()).sum::<f64>() - 2.0) * 3f64.sqrt()
    })
}
