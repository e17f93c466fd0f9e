//! The counts and facts of a text column's profile gathered batch by batch.

use std::collections::BTreeMap;

use brisk_kernels::accumulate::{HyperLogLog, SpaceSaving, TextCounts};
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::{Distinct, LengthStats, TextCount, TextProfile, CASE_GROUPS, TOP_VALUES};
use crate::value::parse_number;

/// The counters a text column keeps past its budget.
const TOP_COUNTERS: usize = 1_000;
/// The memory of a counted value besides its bytes: its key, its tally and the hash table's
/// control byte, rounded up.
const ENTRY_BYTES: u64 = 48;

/// A text column's value counts: exact ([`TextCounts`]) until [`TextTally::bound`] moves them
/// to a [`HyperLogLog`] of the distinct values and a [`SpaceSaving`] summary of the most
/// frequent ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum TextTally {
    Exact {
        counts: TextCounts,
        /// The memory the counts hold, kept as values arrive ([`TextCounts::heap_bytes`] walks
        /// every value).
        bytes: u64,
    },
    Bounded {
        distinct: Box<HyperLogLog>,
        top: Box<SpaceSaving>,
    },
}

impl Default for TextTally {
    fn default() -> Self {
        TextTally::Exact {
            counts: TextCounts::new(),
            bytes: 0,
        }
    }
}

impl TextTally {
    /// Counts `count` occurrences of `value`, the first at data row `first_row`.
    #[inline]
    pub(crate) fn add_count(&mut self, value: &[u8], count: u64, first_row: u64) {
        match self {
            TextTally::Exact { counts, bytes } => {
                let before = counts.unique();
                counts.add_count(value, count, first_row);
                if counts.unique() > before {
                    *bytes += value.len() as u64 + ENTRY_BYTES;
                }
            }
            TextTally::Bounded { distinct, top } => {
                distinct.add_bytes(value);
                top.add_count(value, count, first_row);
            }
        }
    }

    /// Adds the counts of other values (another part of the column): exact counts add while
    /// both are exact, and otherwise both move to the bounded summaries, which merge.
    pub(crate) fn merge(&mut self, other: TextTally) {
        match (&mut *self, other) {
            (TextTally::Exact { counts, bytes }, TextTally::Exact { counts: theirs, .. }) => {
                counts.merge(&theirs);
                *bytes = counts
                    .iter()
                    .map(|(value, _)| value.len() as u64 + ENTRY_BYTES)
                    .sum();
            }
            (_, mut theirs) => {
                self.bound();
                theirs.bound();
                if let (
                    TextTally::Bounded { distinct, top },
                    TextTally::Bounded {
                        distinct: their_distinct,
                        top: their_top,
                    },
                ) = (self, theirs)
                {
                    distinct.merge(&their_distinct);
                    top.merge(&their_top);
                }
            }
        }
    }

    /// The memory held by exact counts; 0 once bounded (its memory is fixed).
    pub(crate) fn exact_bytes(&self) -> u64 {
        match self {
            TextTally::Exact { bytes, .. } => *bytes,
            TextTally::Bounded { .. } => 0,
        }
    }

    /// Moves exact counts to the bounded summaries: every distinct value into the
    /// HyperLogLog, the most frequent into the SpaceSaving counters.
    pub(crate) fn bound(&mut self) {
        if let TextTally::Exact { counts, .. } = self {
            let mut distinct = HyperLogLog::new();
            counts
                .iter()
                .for_each(|(value, _)| distinct.add_bytes(value));
            let top = SpaceSaving::from_counts(TOP_COUNTERS, counts.iter_first_seen());
            *self = TextTally::Bounded {
                distinct: Box::new(distinct),
                top: Box::new(top),
            };
        }
    }

    /// Whether any value was counted.
    pub(crate) fn any(&self) -> bool {
        match self {
            TextTally::Exact { counts, .. } => counts.unique() > 0,
            TextTally::Bounded { top, .. } => top.total() > 0,
        }
    }

    /// Non-null values counted.
    pub(crate) fn total(&self) -> u64 {
        match self {
            TextTally::Exact { counts, .. } => counts.total(),
            TextTally::Bounded { top, .. } => top.total(),
        }
    }

    /// Distinct values: exact, or estimated past the budget.
    pub(crate) fn distinct(&self) -> Distinct {
        match self {
            TextTally::Exact { counts, .. } => Distinct::exact(counts.unique()),
            TextTally::Bounded { distinct, .. } => Distinct::estimated(distinct),
        }
    }

    /// The most frequent value and its count, ties to the value seen first (pandas'
    /// `describe()`'s `top` and `freq`); past the budget the count is an upper bound.
    pub(crate) fn top(&self) -> Option<(String, u64)> {
        match self {
            TextTally::Exact { counts, .. } => counts.top(),
            TextTally::Bounded { top, .. } => top.top(1).pop().map(|t| (t.value, t.count)),
        }
    }

    /// The column's profile, with the facts gathered beside the counts.
    pub(crate) fn profile(&self, facts: TextFacts) -> TextProfile {
        let (top, top_exact, case_variants) = match self {
            TextTally::Exact { counts, .. } => (ranked(counts), true, case_variants(counts)),
            TextTally::Bounded { top: summary, .. } => {
                let ranked = summary.top(TOP_VALUES).into_iter();
                let top = ranked
                    .map(|t| TextCount {
                        value: t.value,
                        count: t.count,
                    })
                    .collect();
                (top, summary.is_exact(), Vec::new())
            }
        };
        let shown: u64 = top.iter().map(|t: &TextCount| t.count).sum();
        TextProfile {
            distinct: self.distinct(),
            other: self.total().saturating_sub(shown),
            top,
            top_exact,
            length: facts.length(),
            padded: facts.padded,
            numeric_like: facts.numeric_like,
            case_variants,
        }
    }
}

/// A counted value: its bytes, its count and the first row it was seen in.
type Seen<'a> = (&'a [u8], u64, u64);

/// By count, ties to the value seen first (`value_counts()`' order).
fn by_count_then_first_seen(a: &Seen, b: &Seen) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.2.cmp(&b.2))
}

/// `value_counts().head(10)`: by count, ties to the value seen first.
fn ranked(counts: &TextCounts) -> Vec<TextCount> {
    let mut all: Vec<Seen> = counts.iter_first_seen().collect();
    all.sort_unstable_by(by_count_then_first_seen);
    all.into_iter()
        .take(TOP_VALUES)
        .map(|(value, count, _)| text_count(value, count))
        .collect()
}

/// Groups of distinct values equal after lowercasing, each by count (ties to the value seen
/// first), the groups by their total count (ties to the group seen first).
fn case_variants(counts: &TextCounts) -> Vec<Vec<TextCount>> {
    let mut groups: HashMap<String, Vec<Seen>> = HashMap::new();
    for entry in counts.iter_first_seen() {
        let lower = String::from_utf8_lossy(entry.0).to_lowercase();
        groups.entry(lower).or_default().push(entry);
    }
    let mut groups: Vec<Vec<Seen>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut groups {
        group.sort_unstable_by(by_count_then_first_seen);
    }
    let total = |g: &[Seen]| g.iter().map(|e| e.1).sum::<u64>();
    let first = |g: &[Seen]| g.iter().map(|e| e.2).min();
    groups.sort_unstable_by(|a, b| total(b).cmp(&total(a)).then(first(a).cmp(&first(b))));
    groups
        .into_iter()
        .take(CASE_GROUPS)
        .map(|g| g.into_iter().map(|(v, c, _)| text_count(v, c)).collect())
        .collect()
}

fn text_count(value: &[u8], count: u64) -> TextCount {
    TextCount {
        value: String::from_utf8_lossy(value).into_owned(),
        count,
    }
}

/// The lengths, padding and numbers-as-text of a text column's values, counted once a distinct
/// value of a batch.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct TextFacts {
    /// Values by length in characters: few distinct lengths, in order for the median.
    lengths: BTreeMap<u64, u64>,
    padded: u64,
    numeric_like: u64,
}

impl TextFacts {
    /// Counts `count` occurrences of `value`.
    pub(crate) fn add_count(&mut self, value: &[u8], count: u64) {
        *self.lengths.entry(characters(value)).or_default() += count;
        if is_padded(value) {
            self.padded += count;
        }
        if parse_number(value).is_some() {
            self.numeric_like += count;
        }
    }

    /// Adds the facts of other values.
    pub(crate) fn merge(&mut self, other: &TextFacts) {
        for (&length, &count) in &other.lengths {
            *self.lengths.entry(length).or_default() += count;
        }
        self.padded += other.padded;
        self.numeric_like += other.numeric_like;
    }

    fn length(&self) -> Option<LengthStats> {
        let n: u64 = self.lengths.values().sum();
        let (&min, &max) = (
            self.lengths.keys().next()?,
            self.lengths.keys().next_back()?,
        );
        let sum: f64 = self
            .lengths
            .iter()
            .map(|(&l, &c)| l as f64 * c as f64)
            .sum();
        let median = (self.nth_length((n - 1) / 2) + self.nth_length(n / 2)) as f64 / 2.0;
        Some(LengthStats {
            min,
            max,
            mean: sum / n as f64,
            median,
        })
    }

    /// The length of rank `rank` (from 0) in ascending order.
    fn nth_length(&self, rank: u64) -> u64 {
        let mut seen = 0;
        let mut at_rank = self.lengths.iter().filter(|(_, &count)| {
            seen += count;
            seen > rank
        });
        at_rank.next().map_or(0, |(&length, _)| length)
    }
}

/// Unicode scalar values (pandas' `str.len()`): the bytes that start a UTF-8 sequence.
fn characters(value: &[u8]) -> u64 {
    value.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64
}

/// Whether Python's `str.strip()` changes the value: it starts or ends with whitespace
/// (`str.isspace`, which adds the separators U+001C–U+001F to Unicode's White_Space).
fn is_padded(value: &[u8]) -> bool {
    let text = String::from_utf8_lossy(value);
    let space = |c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c);
    text.starts_with(space) || text.ends_with(space)
}

#[cfg(test)]
mod tests;
