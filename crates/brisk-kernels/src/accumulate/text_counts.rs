//! The occurrence counts of a text column's values, for pandas' `describe` (`unique`, `top`,
//! `freq`) and `mode`.

use std::collections::BTreeMap;

use foldhash::fast::RandomState;
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::text_key::TextKey;

/// How often a value occurs, and the first row it occurs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Tally {
    count: u64,
    first_row: u64,
}

/// The count of every distinct value of a text column (as bytes) and the first row each was seen
/// in. Merging adds the counts and keeps the smaller first row, so rows may arrive in any order
/// and any chunking gives the same state.
///
/// - [`top`](Self::top): the most frequent value, ties to the one seen first — pandas'
///   `describe()` of an object column (`top`, `freq`), which takes `value_counts()`' first entry,
///   a stable sort by count of the values in order of appearance.
/// - [`mode`](Self::mode): the most frequent value, ties to the smallest by byte order (which is
///   code-point order for UTF-8) — pandas' `Series.mode().iloc[0]`, as `mode` sorts its result.
///
/// Serialized as a map from the value (a string; values must be UTF-8) to its count and first
/// row, sorted by value.
///
/// ```
/// use brisk_kernels::accumulate::TextCounts;
/// let mut counts = TextCounts::new();
/// for (row, value) in ["b", "a", "b", "a", "c"].iter().enumerate() {
///     counts.add(value.as_bytes(), row as u64);
/// }
/// assert_eq!((counts.unique(), counts.total()), (3, 5));
/// assert_eq!(counts.top(), Some(("b".to_string(), 2))); // "b" was seen first
/// assert_eq!(counts.mode(), Some("a".to_string())); // "a" < "b"
/// assert_eq!(counts.get(b"c"), Some(1));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "TextCountsState", into = "TextCountsState")]
pub struct TextCounts {
    tallies: HashMap<TextKey, Tally, RandomState>,
}

impl TextCounts {
    /// The empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts `value`, seen at data row `row`.
    #[inline]
    pub fn add(&mut self, value: &[u8], row: u64) {
        self.add_tally(
            value,
            Tally {
                count: 1,
                first_row: row,
            },
        );
    }

    /// Counts `count` occurrences of `value`, the first of them at data row `first_row`: a
    /// block's tally of one value, the same state as `count` calls of [`add`](Self::add).
    ///
    /// ```
    /// use brisk_kernels::accumulate::TextCounts;
    /// let (mut one_by_one, mut tallied) = (TextCounts::new(), TextCounts::new());
    /// for row in [4, 7, 9] {
    ///     one_by_one.add(b"x", row);
    /// }
    /// tallied.add_count(b"x", 3, 4);
    /// assert_eq!(tallied, one_by_one);
    /// ```
    #[inline]
    pub fn add_count(&mut self, value: &[u8], count: u64, first_row: u64) {
        if count > 0 {
            self.add_tally(value, Tally { count, first_row });
        }
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &TextCounts) {
        for (value, &tally) in &other.tallies {
            self.add_tally(value.as_bytes(), tally);
        }
    }

    /// The number of distinct values.
    pub fn unique(&self) -> u64 {
        self.tallies.len() as u64
    }

    /// The number of values counted.
    pub fn total(&self) -> u64 {
        self.tallies.values().map(|t| t.count).sum()
    }

    /// The most frequent value and its count; among equals, the one seen first. `None` when
    /// nothing was counted. A value that is not UTF-8 is shown with U+FFFD in place of its bad
    /// bytes.
    pub fn top(&self) -> Option<(String, u64)> {
        self.tallies
            .iter()
            .max_by(|a, b| {
                a.1.count
                    .cmp(&b.1.count)
                    .then(b.1.first_row.cmp(&a.1.first_row))
            })
            .map(|(value, tally)| (text(value), tally.count))
    }

    /// The most frequent value; among equals, the smallest by byte order. `None` when nothing
    /// was counted.
    pub fn mode(&self) -> Option<String> {
        self.tallies
            .iter()
            .max_by(|a, b| a.1.count.cmp(&b.1.count).then(b.0.cmp(a.0)))
            .map(|(value, _)| text(value))
    }

    /// How often `value` was counted; `None` if never.
    pub fn get(&self, value: &[u8]) -> Option<u64> {
        self.tallies.get(value).map(|t| t.count)
    }

    /// Every distinct value with its count, in no particular order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&[u8], u64)> {
        self.tallies.iter().map(|(v, t)| (v.as_bytes(), t.count))
    }

    /// Every distinct value with its count and the first row it was seen in, in no particular
    /// order: what a ranking with pandas' ties (`value_counts()`: the value seen first) needs.
    pub fn iter_first_seen(&self) -> impl ExactSizeIterator<Item = (&[u8], u64, u64)> {
        self.tallies
            .iter()
            .map(|(v, t)| (v.as_bytes(), t.count, t.first_row))
    }

    /// The heap memory held, in bytes: the hash table and the values' bytes.
    pub fn heap_bytes(&self) -> usize {
        self.tallies.allocation_size() + self.tallies.keys().map(TextKey::heap_bytes).sum::<usize>()
    }

    fn add_tally(&mut self, value: &[u8], tally: Tally) {
        if let Some(mine) = self.tallies.get_mut(value) {
            mine.count += tally.count;
            mine.first_row = mine.first_row.min(tally.first_row);
        } else {
            self.tallies.insert(TextKey::from(value), tally);
        }
    }
}

fn text(value: &TextKey) -> String {
    String::from_utf8_lossy(value.as_bytes()).into_owned()
}

/// The serialized form of [`TextCounts`]: sorted by value, so equal states write equal text.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
struct TextCountsState(BTreeMap<TextKey, Tally>);

impl From<TextCountsState> for TextCounts {
    fn from(state: TextCountsState) -> Self {
        TextCounts {
            tallies: state.0.into_iter().collect(),
        }
    }
}

impl From<TextCounts> for TextCountsState {
    fn from(counts: TextCounts) -> Self {
        TextCountsState(counts.tallies.into_iter().collect())
    }
}

#[cfg(test)]
mod tests;
