//! NumPy's summation order, reproduced bit for bit, for the figures that must equal pandas' to
//! the last bit (the cleaning's outlier bounds, where one ulp moves a row across a bound).
//!
//! `numpy.sum` of a contiguous `float64` array adds by pairwise summation
//! (`pairwise_sum_DOUBLE` in NumPy's `loops_utils.h.src`):
//! - fewer than 8 values: left to right, from `0.0`;
//! - at most 128 (`PW_BLOCKSIZE`): eight running sums `r[j] = a[j] + a[j+8] + a[j+16] + …` over
//!   the largest multiple of 8, combined as `((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))`, then the rest
//!   left to right;
//! - more: split at `m = ⌊n/2⌋ − (⌊n/2⌋ mod 8)` and add the two halves' sums.
//!
//! A sum that casts its input (`int64` summed with `dtype=float64`, as pandas' `mean` of an
//! integer column does) goes through NumPy's buffers of 8192 values instead: each buffer is
//! summed pairwise and the buffers' sums are added left to right, from `0.0`.
//!
//! The tree depends on the count, so a streaming [`NumpySum`] is told it first; it keeps one
//! leaf of at most 128 values and one pending sum per level, `O(log n)` in all.

/// NumPy's `PW_BLOCKSIZE`: the largest run summed without splitting.
const BLOCK: usize = 128;
/// NumPy's default buffer size (`NPY_BUFSIZE`), in elements, for sums that cast.
const CAST_BUFFER: u64 = 8192;

/// `numpy.sum(values)` of a contiguous `float64` array, bit for bit (see the
/// [module](self) for the order).
///
/// ```
/// use brisk_kernels::numeric::pairwise_sum;
/// let tenths = vec![0.1; 1000];
/// assert_eq!(pairwise_sum(&tenths), 100.00000000000001); // numpy.sum's answer
/// assert_eq!(tenths.iter().sum::<f64>(), 99.9999999999986); // left to right
/// ```
pub fn pairwise_sum(values: &[f64]) -> f64 {
    let n = values.len();
    if n <= BLOCK {
        return block_sum(values);
    }
    let half = split(n);
    pairwise_sum(&values[..half]) + pairwise_sum(&values[half..])
}

/// Where NumPy splits a run of `n > 128` values.
#[inline]
fn split(n: usize) -> usize {
    let half = n / 2;
    half - half % 8
}

/// One leaf of the tree: at most 128 values.
#[inline]
fn block_sum(values: &[f64]) -> f64 {
    let n = values.len();
    if n < 8 {
        return values.iter().fold(0.0, |sum, &x| sum + x);
    }
    let mut r = [0.0; 8];
    r.copy_from_slice(&values[..8]);
    let whole = n - n % 8;
    for chunk in values[8..whole].chunks_exact(8) {
        for (sum, &x) in r.iter_mut().zip(chunk) {
            *sum += x;
        }
    }
    let mut sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for &x in &values[whole..] {
        sum += x;
    }
    sum
}

/// Which of NumPy's two orders a sum follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumOrder {
    /// A contiguous `float64` array: one pairwise tree over all the values.
    Contiguous,
    /// An input cast on the way (`int64` with `dtype=float64`): pairwise within each buffer of
    /// 8192 values, buffers added left to right.
    Cast,
}

/// A pending left sum on the path from the root to the current leaf, and the length of the
/// right subtree still to come.
#[derive(Debug, Clone, Copy)]
struct Pending {
    left: Option<f64>,
    right: u64,
}

/// `numpy.sum` of `count` values that arrive one at a time, bit for bit.
///
/// ```
/// use brisk_kernels::numeric::{pairwise_sum, NumpySum, SumOrder};
/// let values: Vec<f64> = (0..5000).map(|i| 1e9 + (i % 7) as f64 * 1e-7).collect();
/// let mut sum = NumpySum::new(values.len() as u64, SumOrder::Contiguous);
/// values.iter().for_each(|&x| sum.add(x));
/// assert_eq!(sum.finish(), Some(pairwise_sum(&values)));
/// ```
#[derive(Debug, Clone)]
pub struct NumpySum {
    order: SumOrder,
    /// Values the current tree (the whole input, or the current cast buffer) still expects.
    left_in_tree: u64,
    /// Values after the current tree (cast buffers to come).
    after_tree: u64,
    path: Vec<Pending>,
    leaf: Vec<f64>,
    leaf_len: usize,
    /// The finished buffers' running sum ([`SumOrder::Cast`]), or the tree's sum.
    total: f64,
    done: bool,
}

impl NumpySum {
    /// A sum of exactly `count` values, in `order`.
    pub fn new(count: u64, order: SumOrder) -> Self {
        let first = match order {
            SumOrder::Contiguous => count,
            SumOrder::Cast => count.min(CAST_BUFFER),
        };
        let mut sum = NumpySum {
            order,
            left_in_tree: first,
            after_tree: count - first,
            path: Vec::new(),
            leaf: Vec::with_capacity(BLOCK),
            leaf_len: 0,
            total: 0.0,
            done: count == 0,
        };
        sum.descend(first);
        sum
    }

    /// Goes down the left edge of a subtree of `n` values to its first leaf.
    fn descend(&mut self, mut n: u64) {
        while n > BLOCK as u64 {
            let half = split(n as usize) as u64;
            self.path.push(Pending {
                left: None,
                right: n - half,
            });
            n = half;
        }
        self.leaf_len = n as usize;
    }

    /// Adds the next value; values past the count are ignored (see [`NumpySum::finish`]).
    #[inline]
    pub fn add(&mut self, x: f64) {
        if self.done {
            self.after_tree = u64::MAX;
            return;
        }
        self.leaf.push(x);
        if self.leaf.len() == self.leaf_len {
            self.close_leaf();
        }
    }

    fn close_leaf(&mut self) {
        let mut sum = block_sum(&self.leaf);
        self.left_in_tree -= self.leaf.len() as u64;
        self.leaf.clear();
        while let Some(top) = self.path.last_mut() {
            match top.left {
                None => {
                    top.left = Some(sum);
                    let right = top.right;
                    self.descend(right);
                    return;
                }
                Some(left) => {
                    sum += left; // addition commutes: left + right, bit for bit
                    self.path.pop();
                }
            }
        }
        // The tree is complete.
        self.total = match self.order {
            SumOrder::Contiguous => sum,
            SumOrder::Cast => self.total + sum,
        };
        let next = self.after_tree.min(CAST_BUFFER);
        if next == 0 {
            self.done = true;
        } else {
            self.after_tree -= next;
            self.left_in_tree = next;
            self.descend(next);
        }
    }

    /// The sum, or `None` when the values added were not exactly the count announced.
    pub fn finish(&self) -> Option<f64> {
        (self.done && self.after_tree == 0).then_some(self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NumPy's recursion written out plainly, on indices.
    fn reference(values: &[f64]) -> f64 {
        let n = values.len();
        if n < 8 {
            let mut sum = 0.0;
            for &x in values {
                sum += x;
            }
            sum
        } else if n <= 128 {
            let mut r: Vec<f64> = values[..8].to_vec();
            let mut i = 8;
            while i < n - n % 8 {
                for j in 0..8 {
                    r[j] += values[i + j];
                }
                i += 8;
            }
            let mut sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            while i < n {
                sum += values[i];
                i += 1;
            }
            sum
        } else {
            let mut m = n / 2;
            m -= m % 8;
            reference(&values[..m]) + reference(&values[m..])
        }
    }

    fn cast_reference(values: &[f64]) -> f64 {
        values.chunks(8192).fold(0.0, |sum, c| sum + reference(c))
    }

    /// Seeded values spread over many magnitudes and both signs, so that orders differ.
    fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let unit = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                unit * 10f64.powi((state % 17) as i32 - 5)
            })
            .collect()
    }

    fn streamed(values: &[f64], order: SumOrder) -> Option<f64> {
        let mut sum = NumpySum::new(values.len() as u64, order);
        values.iter().for_each(|&x| sum.add(x));
        sum.finish()
    }

    #[test]
    fn the_tree_and_the_stream_equal_numpy_s_recursion() {
        for (seed, n) in [
            0, 1, 7, 8, 9, 64, 127, 128, 129, 130, 255, 1000, 8191, 8192, 8193,
        ]
        .into_iter()
        .chain([20_000, 65_537, 100_003])
        .enumerate()
        {
            let v = values(n, seed as u64);
            let expected = reference(&v);
            assert_eq!(pairwise_sum(&v).to_bits(), expected.to_bits(), "n = {n}");
            let stream = streamed(&v, SumOrder::Contiguous).unwrap();
            assert_eq!(stream.to_bits(), expected.to_bits(), "n = {n}");
            let cast = streamed(&v, SumOrder::Cast).unwrap();
            assert_eq!(cast.to_bits(), cast_reference(&v).to_bits(), "n = {n}");
        }
    }

    #[test]
    fn the_orders_differ_where_numpy_s_do() {
        let v = values(100_003, 3);
        assert_ne!(reference(&v), cast_reference(&v));
        let left_to_right = v.iter().fold(0.0, |s, &x| s + x);
        assert_ne!(reference(&v), left_to_right);
    }

    #[test]
    fn a_count_not_met_or_passed_gives_none() {
        let v = values(300, 9);
        let mut short = NumpySum::new(301, SumOrder::Contiguous);
        v.iter().for_each(|&x| short.add(x));
        assert_eq!(short.finish(), None);
        let mut long = NumpySum::new(299, SumOrder::Cast);
        v.iter().for_each(|&x| long.add(x));
        assert_eq!(long.finish(), None);
        assert_eq!(NumpySum::new(0, SumOrder::Contiguous).finish(), Some(0.0));
    }
}
