//! An estimate of the number of distinct values of a column in a fixed 16 KiB, for columns
//! whose distinct values no longer fit in memory.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Bits of the hash that pick a register: `m = 2^14 = 16,384` registers.
const PRECISION: u32 = 14;
const REGISTERS: usize = 1 << PRECISION;
/// The hash seed: fixed, so that states built in different processes merge.
const SEED: u64 = 0x6272_6973_6b5f_686c; // "brisk_hl"

/// A HyperLogLog sketch of the distinct values seen: `m = 2^14` one-byte registers, each the
/// largest rank (position of the first 1 bit) among the 64-bit hashes that land in it.
///
/// The estimate is Flajolet, Fusy, Gandouet & Meunier (2007), "HyperLogLog: the analysis of a
/// near-optimal cardinality estimation algorithm":
///
/// `E = α_m · m² / Σ_j 2^(−M_j)`, with `α_m = 0.7213 / (1 + 1.079 / m)`;
///
/// when `E ≤ 5m/2` and `V > 0` registers are still zero, linear counting `m · ln(m / V)` takes
/// its place (the small-range correction). The hashes are 64-bit (XXH3 of a text's bytes, a
/// number's bits, each through MurmurHash3's finaliser, with a fixed seed), so
/// the large-range correction of the 32-bit original is not needed (Heule, Nunkesser & Hall
/// 2013, "HyperLogLog in practice"). The relative standard error is `1.04 / √m ≈ 0.81 %`
/// ([`RELATIVE_ERROR`](Self::RELATIVE_ERROR)).
///
/// Merging takes the larger register, so any split of the values, merged in any order, gives
/// the same registers exactly. A number is hashed by its bits with `−0.0` taken as `0.0`; text
/// by its bytes.
///
/// ```
/// use brisk_kernels::accumulate::HyperLogLog;
/// let (mut a, mut b) = (HyperLogLog::new(), HyperLogLog::new());
/// (0..600).for_each(|i| a.add_f64(f64::from(i)));
/// (400..1000).for_each(|i| b.add_f64(f64::from(i)));
/// a.merge(&b);
/// let estimate = a.estimate();
/// assert!((estimate - 1000.0).abs() < 1000.0 * 3.0 * HyperLogLog::RELATIVE_ERROR);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u8>", into = "Vec<u8>")]
pub struct HyperLogLog {
    registers: Box<[u8]>,
}

impl Default for HyperLogLog {
    fn default() -> Self {
        HyperLogLog::new()
    }
}

impl HyperLogLog {
    /// The relative standard error of [`estimate`](Self::estimate): `1.04 / √(2^14)`.
    pub const RELATIVE_ERROR: f64 = 1.04 / 128.0;

    /// The empty sketch.
    pub fn new() -> Self {
        HyperLogLog {
            registers: vec![0; REGISTERS].into_boxed_slice(),
        }
    }

    /// Adds a value by its 64-bit hash (which must be uniform over the 64 bits).
    #[inline]
    pub fn add_hash(&mut self, hash: u64) {
        let register = (hash >> (64 - PRECISION)) as usize;
        // The rank of the remaining 50 bits, capped at 51 by the sentinel bit.
        let rest = (hash << PRECISION) | (1 << (PRECISION - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        let slot = &mut self.registers[register];
        *slot = (*slot).max(rank);
    }

    /// Adds a text value by its bytes.
    #[inline]
    pub fn add_bytes(&mut self, value: &[u8]) {
        self.add_hash(mix(xxh3_64_with_seed(value, SEED)));
    }

    /// Adds a number; `−0.0` counts as `0.0`. NaN must be left out by the caller (it is one
    /// value here, as any other).
    #[inline]
    pub fn add_f64(&mut self, x: f64) {
        self.add_hash(mix((x + 0.0).to_bits() ^ SEED));
    }

    /// Adds the values of a slice (see [`add_f64`](Self::add_f64)).
    pub fn add_slice(&mut self, values: &[f64]) {
        values.iter().for_each(|&x| self.add_f64(x));
    }

    /// Folds in the values seen by `other`.
    pub fn merge(&mut self, other: &HyperLogLog) {
        for (mine, &theirs) in self.registers.iter_mut().zip(other.registers.iter()) {
            *mine = (*mine).max(theirs);
        }
    }

    /// The estimated number of distinct values (0 for the empty sketch).
    pub fn estimate(&self) -> f64 {
        let m = REGISTERS as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let sum: f64 = self.registers.iter().map(|&r| (-f64::from(r)).exp2()).sum();
        let raw = alpha * m * m / sum;
        let zeros = self.registers.iter().filter(|&&r| r == 0).count();
        if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        }
    }

    /// The heap memory held, in bytes: one byte a register.
    pub fn heap_bytes(&self) -> usize {
        self.registers.len()
    }
}

/// MurmurHash3's 64-bit finaliser (Appleby), a bijection whose every output bit depends on
/// every input bit. XXH3 alone keeps the high bits of 4-to-8-byte inputs that differ in their
/// high bytes too close for the register index.
#[inline]
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

impl TryFrom<Vec<u8>> for HyperLogLog {
    type Error = String;

    fn try_from(registers: Vec<u8>) -> Result<Self, String> {
        if registers.len() != REGISTERS || registers.iter().any(|&r| r > 65 - PRECISION as u8) {
            return Err(format!(
                "a HyperLogLog state holds {REGISTERS} registers of at most {}, not {} registers",
                65 - PRECISION,
                registers.len()
            ));
        }
        Ok(HyperLogLog {
            registers: registers.into_boxed_slice(),
        })
    }
}

impl From<HyperLogLog> for Vec<u8> {
    fn from(sketch: HyperLogLog) -> Self {
        sketch.registers.into_vec()
    }
}

#[cfg(test)]
mod tests;
