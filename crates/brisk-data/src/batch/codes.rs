//! A text column's dictionary within its batch: each row's value as a small code, codes in the
//! order the values first appear. The consumers of a batch that count, hash or look up its text
//! (the statistics' counts, the fills' modes, the row hashes, the importance classes) then do so
//! once per distinct value instead of once per row.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashTable;

use super::TextColumn;

/// The code of a null row.
pub const NULL_CODE: u32 = u32::MAX;

/// Each row's code ([`NULL_CODE`] for a null) and, for each code, the first row holding it.
///
/// ```
/// use brisk_data::batch::{TextColumn, NULL_CODE};
/// let mut column = TextColumn::default();
/// for value in [Some("b"), Some("a"), None, Some("b")] {
///     column.push(value.map(str::as_bytes));
/// }
/// let codes = column.codes();
/// assert_eq!(codes.rows(), [0, 1, NULL_CODE, 0]);
/// assert_eq!(codes.first_rows(), [0, 1]);
/// assert_eq!(column.get(codes.first_rows()[1] as usize), Some(&b"a"[..]));
/// ```
#[derive(Debug, Clone, Default)]
pub struct TextCodes {
    rows: Vec<u32>,
    first_rows: Vec<u32>,
}

impl TextCodes {
    /// The dictionary of `column`: one hash-table lookup a row.
    pub(super) fn of(column: &TextColumn) -> Self {
        let hasher = FixedState::default();
        let mut table: HashTable<u32> = HashTable::new();
        let mut first_rows: Vec<u32> = Vec::new();
        let value_of = |first_rows: &[u32], code: u32| {
            column
                .get(first_rows[code as usize] as usize)
                .unwrap_or_default()
        };
        let mut rows = Vec::with_capacity(column.len());
        for (i, value) in column.iter().enumerate() {
            let Some(value) = value else {
                rows.push(NULL_CODE);
                continue;
            };
            let hash = hasher.hash_one(value);
            let code = match table.find(hash, |&c| value_of(&first_rows, c) == value) {
                Some(&code) => code,
                None => {
                    // A batch holds far fewer than 2³² rows.
                    let code = first_rows.len() as u32;
                    first_rows.push(i as u32);
                    table.insert_unique(hash, code, |&c| hasher.hash_one(value_of(&first_rows, c)));
                    code
                }
            };
            rows.push(code);
        }
        TextCodes { rows, first_rows }
    }

    /// Each row's code, [`NULL_CODE`] for a null.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// The first row (within the batch) of each code's value, by code.
    pub fn first_rows(&self) -> &[u32] {
        &self.first_rows
    }

    /// The number of distinct values.
    pub fn distinct(&self) -> usize {
        self.first_rows.len()
    }

    /// How many rows hold each code, and how many are null.
    pub fn counts(&self) -> (Vec<u64>, u64) {
        let mut counts = vec![0u64; self.distinct()];
        let mut nulls = 0;
        for &code in &self.rows {
            match counts.get_mut(code as usize) {
                Some(count) => *count += 1,
                None => nulls += 1,
            }
        }
        (counts, nulls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use brisk_kernels::random::Mt19937;

    #[test]
    fn codes_name_equal_values_alike_in_order_of_first_appearance() {
        let mut rng = Mt19937::new(5);
        let words = ["", "a", "b", "ab", "ba", "é", "a\u{0}"];
        let mut column = TextColumn::default();
        for _ in 0..3_000 {
            // 0..=7: a word, or null for 7.
            let pick = rng.interval(words.len() as u64) as usize;
            column.push(words.get(pick).map(|w| w.as_bytes()));
        }
        let codes = column.codes();
        let mut seen: Vec<&[u8]> = Vec::new();
        for (i, value) in column.iter().enumerate() {
            let code = codes.rows()[i];
            match value {
                None => assert_eq!(code, NULL_CODE),
                Some(v) => {
                    let expected = seen.iter().position(|&s| s == v).unwrap_or(seen.len());
                    if expected == seen.len() {
                        seen.push(v);
                        assert_eq!(codes.first_rows()[expected] as usize, i);
                    }
                    assert_eq!(code as usize, expected);
                }
            }
        }
        assert_eq!(codes.distinct(), seen.len());
    }
}
