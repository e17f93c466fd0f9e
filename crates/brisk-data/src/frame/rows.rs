//! Rows compared by value across columns: hashing and equality for duplicate detection and keys.
//!
//! Numbers compare by value (`-0.0` equals `0.0`; an integer column compares its integers), text by
//! its bytes, and null equals null — `DataFrame.drop_duplicates`' rules.

use std::hash::BuildHasher;

use brisk_kernels::numeric::canonical_zero;
use foldhash::fast::FixedState;
use hashbrown::HashTable;
use polars::prelude::*;
use rayon::prelude::*;

/// The bits that stand for a null number: a NaN payload no parsed value carries (every NaN is
/// read as null).
const NULL_BITS: u64 = 0x7ff8_6e75_6c6c_0001;

/// One column's values in a form that hashes and compares cheaply.
enum KeyColumn<'a> {
    /// Canonical bits of each number (or integer), [`NULL_BITS`] for null.
    Bits(Vec<u64>),
    /// Text, `None` for null.
    Text(Vec<Option<&'a str>>),
}

/// Every column of a frame, ready to hash and compare rows.
pub struct RowKeys<'a> {
    columns: Vec<KeyColumn<'a>>,
    hashes: Vec<u64>,
}

impl<'a> RowKeys<'a> {
    /// Prepares `columns` (all of the same length).
    pub fn new(columns: &'a [Column]) -> Self {
        let rows = columns.first().map_or(0, Column::len);
        let state = FixedState::with_seed(0x5eed);
        let columns: Vec<KeyColumn<'a>> = columns.par_iter().map(key_column).collect();
        // Each column's hashes in parallel, then folded in column order.
        let column_hashes: Vec<Vec<u64>> = columns
            .par_iter()
            .map(|column| match column {
                KeyColumn::Bits(bits) => bits.iter().map(|&b| state.hash_one(b)).collect(),
                KeyColumn::Text(text) => text
                    .iter()
                    .map(|t| t.map_or(NULL_BITS, |t| state.hash_one(t.as_bytes())))
                    .collect(),
            })
            .collect();
        let mut hashes = vec![0x9e37_79b9_7f4a_7c15_u64; rows];
        for column in &column_hashes {
            for (h, &value) in hashes.iter_mut().zip(column) {
                *h = mix(*h, value);
            }
        }
        RowKeys { columns, hashes }
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.hashes.len()
    }

    /// A row's hash.
    #[inline]
    pub fn hash(&self, row: usize) -> u64 {
        self.hashes[row]
    }

    /// Whether two rows are equal in every column.
    #[inline]
    pub fn equal(&self, a: usize, b: usize) -> bool {
        self.columns.iter().all(|column| match column {
            KeyColumn::Bits(bits) => bits[a] == bits[b],
            KeyColumn::Text(text) => text[a] == text[b],
        })
    }
}

/// The first row of each set of equal rows, in row order.
///
/// ```
/// use brisk_data::frame::rows::{distinct_rows, RowKeys};
/// use polars::prelude::*;
/// let frame = df!("x" => [Some(1.0), Some(1.0), None, None], "s" => ["a", "a", "b", "b"]).unwrap();
/// assert_eq!(distinct_rows(&RowKeys::new(frame.columns())), [0, 2]);
/// ```
pub fn distinct_rows(keys: &RowKeys<'_>) -> Vec<u32> {
    let mut table: HashTable<u32> = HashTable::with_capacity(keys.rows());
    let mut kept = Vec::with_capacity(keys.rows());
    for row in 0..keys.rows() {
        let hash = keys.hash(row);
        let seen = table
            .find(hash, |&other| keys.equal(other as usize, row))
            .is_some();
        if !seen {
            table.insert_unique(hash, row as u32, |&r| keys.hash(r as usize));
            kept.push(row as u32);
        }
    }
    kept
}

fn key_column(column: &Column) -> KeyColumn<'_> {
    if let Ok(text) = column.str() {
        return KeyColumn::Text(text.iter().collect());
    }
    if let Ok(ints) = column.i64() {
        return KeyColumn::Bits(
            ints.iter()
                .map(|v| v.map_or(NULL_BITS, |i| i as u64))
                .collect(),
        );
    }
    let floats = column
        .cast(&DataType::Float64)
        .ok()
        .and_then(|c| c.f64().ok().map(|f| f.iter().map(number_bits).collect()));
    KeyColumn::Bits(floats.unwrap_or_else(|| vec![NULL_BITS; column.len()]))
}

/// A number's canonical bits: `-0.0` as `0.0`, NaN and null as [`NULL_BITS`].
#[inline]
pub fn number_bits(value: Option<f64>) -> u64 {
    match value {
        Some(x) if x.is_nan() => NULL_BITS,
        Some(x) => canonical_zero(x).to_bits(),
        None => NULL_BITS,
    }
}

/// Folds one column's hash into a row's (order matters, so `(a, b)` and `(b, a)` differ).
#[inline]
fn mix(h: u64, value: u64) -> u64 {
    h.rotate_left(23).wrapping_mul(0x2545_f491_4f6c_dd1d) ^ value
}
