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
const NULL_BITS: u64 = 0x7ff8_6e75_6c6c_0001;
const LANE_SEEDS: [u64; 2] = [0x243f_6a88_85a3_08d3, 0x1319_8a2e_0370_7344];
const MULTIPLIERS: [u64; 2] = [0xa409_3822_299f_31d1, 0x082e_fa98_ec4e_6c89];

#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// A number's canonical bits: `-0.0` as `0.0`, NaN (null) as [`NULL_BITS`].
#[inline]
fn number_bits(x: f64) -> u64 {
    if x.is_nan() {
        NULL_BITS
    } else {
        (x + 0.0).to_bits()
    }
}

/// The hash of every row of `batch`, appended to `out`.
pub(crate) fn row_hashes(batch: &Batch, out: &mut Vec<u128>) {
    let rows = batch.rows();
    let mut lanes = [vec![LANE_SEEDS[0]; rows], vec![LANE_SEEDS[1]; rows]];
    let text_states = [
        FixedState::with_seed(LANE_SEEDS[0]),
        FixedState::with_seed(LANE_SEEDS[1]),
    ];
    for (j, column) in batch.columns().iter().enumerate() {
        let salt = (j as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for (lane, (hashes, multiplier)) in lanes.iter_mut().zip(MULTIPLIERS).enumerate() {
            match column {
                BatchColumn::Numeric(values) => {
                    for (h, &x) in hashes.iter_mut().zip(values.values()) {
                        *h = folded_multiply(*h ^ salt ^ number_bits(x), multiplier);
                    }
                }
                BatchColumn::Text(text) => {
                    for (h, value) in hashes.iter_mut().zip(text.iter()) {
                        let v = value.map_or(NULL_BITS, |v| text_states[lane].hash_one(v));
                        *h = folded_multiply(*h ^ salt ^ v, multiplier);
                    }
                }
            }
        }
    }
    let [a, b] = lanes;
    out.extend(
        a.iter()
            .zip(&b)
            .map(|(&a, &b)| (u128::from(folded_multiply(a, MULTIPLIERS[1])) << 64) | u128::from(b)),
    );
}
