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

    /// How many of `rows` (ascending row numbers within the batch) hold each code, the first of
    /// them to hold it, and how many are null.
    pub fn tally(&self, rows: impl IntoIterator<Item = usize>) -> CodeTally {
        let mut tally = CodeTally {
            counts: vec![0; self.distinct()],
            first_rows: vec![0; self.distinct()],
            nulls: 0,
        };
        for r in rows {
            let code = self.rows[r] as usize;
            let Some(count) = tally.counts.get_mut(code) else {
                tally.nulls += 1;
                continue;
            };
            if *count == 0 {
                tally.first_rows[code] = r as u32;
            }
            *count += 1;
        }
        tally
    }
}

/// A [`TextCodes::tally`] of some rows of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeTally {
    /// Rows holding each code.
    pub counts: Vec<u64>,
    /// The first of them, for each code with a count.
    pub first_rows: Vec<u32>,
    /// Null rows.
    pub nulls: u64,
}

impl CodeTally {
    /// Each code held by some of the rows, with its count and first row.
    pub fn held(&self) -> impl Iterator<Item = (u32, u64, u32)> + '_ {
        (0..)
            .zip(self.counts.iter().zip(&self.first_rows))
            .filter(|(_, (&count, _))| count > 0)
            .map(|(code, (&count, &first))| (code, count, first))
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
        // The tally of every third row is the plain count over those rows.
        let some: Vec<usize> = (0..column.len()).step_by(3).collect();
        let tally = codes.tally(some.iter().copied());
        for (code, count, first) in tally.held() {
            let value = column.value_of(code);
            let rows: Vec<usize> = some
                .iter()
                .copied()
                .filter(|&r| column.get(r) == Some(value))
                .collect();
            assert_eq!((count, first as usize), (rows.len() as u64, rows[0]));
        }
        let nulls = some.iter().filter(|&&r| column.is_null(r)).count() as u64;
        let held: u64 = tally.held().map(|(_, count, _)| count).sum();
        assert_eq!(
            (tally.nulls, held + tally.nulls),
            (nulls, some.len() as u64)
        );
    }
}
