//! Counting the distinct values of a text column: `unique`, `top` (most frequent, ties to the first
//! seen) and `freq`, as pandas' `describe` of an object column gives them.

use hashbrown::HashMap;

#[derive(Debug, Clone, Copy)]
struct Tally {
    count: u64,
    first_row: u64,
}

/// Occurrence counts of a column's values.
#[derive(Debug, Default)]
pub(crate) struct TextCounts {
    tallies: HashMap<Box<[u8]>, Tally, foldhash::fast::RandomState>,
}

impl TextCounts {
    /// Counts `value`, seen at data row `row` (rows may arrive out of order in a rescan).
    #[inline]
    pub(crate) fn add(&mut self, value: &[u8], row: u64) {
        if let Some(tally) = self.tallies.get_mut(value) {
            tally.count += 1;
            tally.first_row = tally.first_row.min(row);
        } else {
            self.tallies.insert(
                value.into(),
                Tally {
                    count: 1,
                    first_row: row,
                },
            );
        }
    }

    /// The number of distinct values.
    pub(crate) fn unique(&self) -> u64 {
        self.tallies.len() as u64
    }

    /// The number of values counted.
    pub(crate) fn total(&self) -> u64 {
        self.tallies.values().map(|t| t.count).sum()
    }

    /// The most frequent value and its count; among equals, the one seen first.
    pub(crate) fn top(&self) -> Option<(String, u64)> {
        self.tallies
            .iter()
            .max_by(|a, b| {
                a.1.count
                    .cmp(&b.1.count)
                    .then(b.1.first_row.cmp(&a.1.first_row))
            })
            .map(|(value, tally)| (String::from_utf8_lossy(value).into_owned(), tally.count))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_first_seen() {
        let mut counts = TextCounts::default();
        for (row, v) in ["b", "a", "a", "b", "c"].iter().enumerate() {
            counts.add(v.as_bytes(), row as u64 + 10);
        }
        counts.add(b"a", 3);
        counts.add(b"b", 4);
        assert_eq!(counts.unique(), 3);
        assert_eq!(counts.top(), Some(("a".to_owned(), 3)));
    }
}
