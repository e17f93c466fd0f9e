//! [`BlockedMoments`]: the moments of a sequence of values that do not depend on how the
//! sequence was cut into batches.
//!
//! [`Moments::from_slice`] then [`Moments::merge`] per batch gives figures that agree to rounding
//! whatever the batches, but not bit for bit: the same table read as CSV (65,536-row chunks) and
//! as Parquet (a batch per row group) would print means that differ in the last digit. Here the
//! values are folded in fixed blocks of [`BlockedMoments::BLOCK`] values counted from the first,
//! so the arithmetic, and every bit of the result, depends only on the values and their order.

use serde::{Deserialize, Serialize};

use super::Moments;

/// Moments folded in fixed blocks of values; see the [module](self).
///
/// ```
/// use brisk_kernels::stats::BlockedMoments;
/// let values: Vec<f64> = (0..10_000).map(|i| (i as f64).sqrt()).collect();
/// let mut whole = BlockedMoments::new();
/// whole.add_slice(&values);
/// let mut cut = BlockedMoments::new();
/// for piece in values.chunks(777) {
///     cut.add_slice(piece);
/// }
/// assert_eq!(whole.moments(), cut.moments());
/// ```
///
/// As a partial state it is written as its [`Moments`] (the block being filled folded in), so a
/// state read back continues with new blocks: its figures agree with an unbroken sequence's to
/// rounding, as any [`BlockedMoments::merge`] does.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Moments", into = "Moments")]
pub struct BlockedMoments {
    /// The moments of the whole blocks so far.
    done: Moments,
    /// The values of the block being filled.
    block: Vec<f64>,
}

impl BlockedMoments {
    /// Values a block holds.
    pub const BLOCK: usize = 4096;

    /// No values.
    pub fn new() -> Self {
        BlockedMoments::default()
    }

    /// Adds the next values of the sequence (NaN is the caller's to filter, as for [`Moments`]).
    pub fn add_slice(&mut self, mut values: &[f64]) {
        if !self.block.is_empty() {
            let take = (Self::BLOCK - self.block.len()).min(values.len());
            self.block.extend_from_slice(&values[..take]);
            values = &values[take..];
            if self.block.len() < Self::BLOCK {
                return;
            }
            self.done.merge(&Moments::from_slice(&self.block));
            self.block.clear();
        }
        let mut blocks = values.chunks_exact(Self::BLOCK);
        for block in &mut blocks {
            self.done.merge(&Moments::from_slice(block));
        }
        self.block.extend_from_slice(blocks.remainder());
    }

    /// The number of values added.
    pub fn count(&self) -> u64 {
        self.done.count() + self.block.len() as u64
    }

    /// Folds in the moments of other values (Chan et al.'s pairwise update, [`Moments::merge`]):
    /// exact to rounding, not bit for bit, since the blocks of the two sequences differ.
    pub fn merge(&mut self, other: &BlockedMoments) {
        self.done = self.moments();
        self.block.clear();
        self.done.merge(&other.moments());
    }

    /// The moments of every value added so far.
    pub fn moments(&self) -> Moments {
        let mut all = self.done;
        all.merge(&Moments::from_slice(&self.block));
        all
    }
}

impl From<Moments> for BlockedMoments {
    fn from(done: Moments) -> Self {
        BlockedMoments {
            done,
            block: Vec::new(),
        }
    }
}

impl From<BlockedMoments> for Moments {
    fn from(blocked: BlockedMoments) -> Self {
        blocked.moments()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Convention;

    #[test]
    fn every_cut_of_a_sequence_gives_the_same_bits() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let values: Vec<f64> = (0..30_000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                1e6 + (state % 1_000_000) as f64 / 997.0
            })
            .collect();
        let mut whole = BlockedMoments::new();
        whole.add_slice(&values);
        for step in [1, 7, 4095, 4096, 4097, 10_000] {
            let mut cut = BlockedMoments::new();
            values.chunks(step).for_each(|piece| cut.add_slice(piece));
            assert_eq!(cut.moments(), whole.moments(), "step {step}");
            assert_eq!(cut.count(), 30_000);
        }
        // And the figures are those of the plain accumulator, to rounding.
        let plain = Moments::from_slice(&values);
        let (a, b) = (whole.moments().mean().unwrap(), plain.mean().unwrap());
        assert!((a - b).abs() <= 1e-15 * b.abs());
    }

    #[test]
    fn any_split_merged_gives_the_moments_of_the_whole_to_rounding() {
        let values: Vec<f64> = (0..20_000)
            .map(|i| 1e6 + f64::from(i % 977) / 7.0)
            .collect();
        let mut whole = BlockedMoments::new();
        whole.add_slice(&values);
        let whole = whole.moments();
        for parts in [2, 3, 7, 64] {
            let mut states: Vec<BlockedMoments> = values
                .chunks(values.len().div_ceil(parts))
                .map(|piece| {
                    let mut part = BlockedMoments::new();
                    part.add_slice(piece);
                    part
                })
                .collect();
            // Merged back to front, and each written and read as a state.
            let mut merged = states.pop().unwrap();
            while let Some(mut earlier) = states.pop() {
                let text = serde_json::to_string(&merged).unwrap();
                let read: BlockedMoments = serde_json::from_str(&text).unwrap();
                earlier.merge(&read);
                merged = earlier;
            }
            let m = merged.moments();
            assert_eq!(m.count(), whole.count());
            for (a, b) in [
                (m.mean(), whole.mean()),
                (m.variance(1.0), whole.variance(1.0)),
                (
                    m.skewness(Convention::Sample),
                    whole.skewness(Convention::Sample),
                ),
                (
                    m.kurtosis(Convention::Sample),
                    whole.kurtosis(Convention::Sample),
                ),
            ] {
                let (a, b) = (a.unwrap(), b.unwrap());
                assert!(
                    (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                    "{parts}: {a} {b}"
                );
            }
        }
    }
}
