//! 128-bit hashes of whole rows, equal for rows that `drop_duplicates` calls equal: numbers by
//! value (`-0.0` equals `0.0`, `1` equals `1.0`), text by its bytes, null equal to null.
//!
//! Two 64-bit lanes with independent seeds are folded column by column with a folded 128-bit
//! multiply (the mixing step of foldhash and wyhash); text is hashed by foldhash with two seeds.
//! Two distinct rows share a hash with probability about 2⁻¹²⁸ each, so even 10¹⁰ rows have a
//! chance below 10⁻¹⁸ of one false duplicate.

use std::hash::BuildHasher;

use foldhash::quality::FixedState;

use crate::batch::{Batch, BatchColumn};

/// The bits of a null cell: a NaN payload no parsed number carries.
pub(super) const NULL_BITS: u64 = 0x7ff8_6e75_6c6c_0001;
pub(super) const LANE_SEEDS: [u64; 2] = [0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344];
pub(super) const MULTIPLIERS: [u64; 2] = [0xa409_3822_299f_31d1, 0x082e_fa98_ec4e_6c89];

#[inline]
pub(super) fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// A number's canonical bits: `-0.0` as `0.0`, NaN (null) as [`NULL_BITS`].
#[inline]
pub(super) fn number_bits(x: f64) -> u64 {
    if x.is_nan() {
        NULL_BITS
    } else {
        (x + 0.0).to_bits()
    }
}

/// Rows hashed together: their lanes (16 bytes a row) stay in the first-level cache while every
/// column is folded into them.
const BLOCK_ROWS: usize = 1024;

/// A column's cells as the hash reads them.
enum Cells<'a> {
    Numbers(&'a [f64]),
    /// Each row's code, and each code's hash in both lanes (a null's code has none).
    Codes(&'a [u32], Vec<[u64; 2]>),
}

/// The hash of every row of `batch`, appended to `out`.
///
/// Rows are hashed a block at a time, every column folded into the block in turn. Both lanes
/// are folded in the same sweep over a column: their multiplies are independent, so the
/// processor overlaps them, and each value (or text hash) is read once.
pub(crate) fn row_hashes(batch: &Batch, out: &mut Vec<u128>) {
    let text_states = LANE_SEEDS.map(FixedState::with_seed);
    let columns: Vec<Cells<'_>> = batch
        .columns()
        .iter()
        .map(|column| match column {
            BatchColumn::Numeric(values) => Cells::Numbers(values.values()),
            BatchColumn::Text(text) => {
                // Each distinct value of the batch hashed once.
                let codes = text.codes();
                let hashes = (0..codes.distinct() as u32)
                    .map(|code| text_states.map(|s| s.hash_one(text.value_of(code))))
                    .collect();
                Cells::Codes(codes.rows(), hashes)
            }
        })
        .collect();
    let rows = batch.rows();
    out.reserve(rows);
    let mut block = [LANE_SEEDS; BLOCK_ROWS];
    for start in (0..rows).step_by(BLOCK_ROWS) {
        let end = (start + BLOCK_ROWS).min(rows);
        let lanes = &mut block[..end - start];
        lanes.fill(LANE_SEEDS);
        for (j, cells) in columns.iter().enumerate() {
            let salt = (j as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            let fold = |[a, b]: &mut [u64; 2], [x, y]: [u64; 2]| {
                *a = folded_multiply(*a ^ salt ^ x, MULTIPLIERS[0]);
                *b = folded_multiply(*b ^ salt ^ y, MULTIPLIERS[1]);
            };
            match cells {
                Cells::Numbers(values) => {
                    for (h, &x) in lanes.iter_mut().zip(&values[start..end]) {
                        let bits = number_bits(x);
                        fold(h, [bits, bits]);
                    }
                }
                Cells::Codes(codes, hashes) => {
                    for (h, &code) in lanes.iter_mut().zip(&codes[start..end]) {
                        fold(
                            h,
                            hashes.get(code as usize).copied().unwrap_or([NULL_BITS; 2]),
                        );
                    }
                }
            }
        }
        out.extend(
            lanes.iter().map(|&[a, b]| {
                (u128::from(folded_multiply(a, MULTIPLIERS[1])) << 64) | u128::from(b)
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{NumericColumn, TextColumn};
    use brisk_kernels::random::Mt19937;

    /// The plain definition: one lane at a time, each column folded into it in turn.
    fn reference(batch: &Batch) -> Vec<u128> {
        (0..batch.rows())
            .map(|r| {
                let mut lanes = LANE_SEEDS;
                for (lane, h) in lanes.iter_mut().enumerate() {
                    for (j, column) in batch.columns().iter().enumerate() {
                        let salt = (j as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                        let v = match column {
                            BatchColumn::Numeric(c) => number_bits(c.values()[r]),
                            BatchColumn::Text(t) => t.get(r).map_or(NULL_BITS, |v| {
                                FixedState::with_seed(LANE_SEEDS[lane]).hash_one(v)
                            }),
                        };
                        *h = folded_multiply(*h ^ salt ^ v, MULTIPLIERS[lane]);
                    }
                }
                (u128::from(folded_multiply(lanes[0], MULTIPLIERS[1])) << 64) | u128::from(lanes[1])
            })
            .collect()
    }

    #[test]
    fn row_hashes_equal_the_lane_at_a_time_definition() {
        let mut random = Mt19937::new(7);
        // Two whole blocks and part of a third.
        let rows = 2 * BLOCK_ROWS + 452;
        let numbers = [0.0, -0.0, 1.0, f64::NAN, f64::INFINITY, -2.5, 1e300];
        let words: [Option<&[u8]>; 4] = [Some(b"a"), Some(b""), None, Some(b"longer text")];
        let mut columns = Vec::new();
        for _ in 0..2 {
            let values = (0..rows)
                .map(|_| numbers[random.interval(numbers.len() as u64 - 1) as usize])
                .collect();
            columns.push(BatchColumn::Numeric(NumericColumn::new(values)));
            let mut text = TextColumn::with_capacity(rows, 0);
            (0..rows).for_each(|_| text.push(words[random.interval(3) as usize]));
            columns.push(BatchColumn::Text(text));
        }
        let batch = Batch::from_columns(0, columns);
        let mut hashes = Vec::new();
        row_hashes(&batch, &mut hashes);
        assert_eq!(hashes, reference(&batch));
        // Rows equal as `drop_duplicates` sees them hash equal: −0.0 is 0.0, null is null.
        let column = |v: Vec<f64>| BatchColumn::Numeric(NumericColumn::new(v));
        let zeros = Batch::from_columns(0, vec![column(vec![0.0, -0.0, f64::NAN, f64::NAN])]);
        let mut hashes = Vec::new();
        row_hashes(&zeros, &mut hashes);
        assert_eq!((hashes[0], hashes[2]), (hashes[1], hashes[3]));
        assert_ne!(hashes[0], hashes[2]);
    }
}
