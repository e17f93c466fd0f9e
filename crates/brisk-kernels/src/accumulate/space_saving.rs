//! The most frequent values of a text column in `k` counters, for columns whose distinct values
//! no longer fit in memory.

use foldhash::fast::RandomState;
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

use super::text_key::TextKey;

/// A value of a [`SpaceSaving`] summary: its counted occurrences, at most `error` more than the
/// true count (`count − error ≤ true count ≤ count`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopCount {
    /// The value.
    pub value: String,
    /// Its counted occurrences, an upper bound.
    pub count: u64,
    /// How much `count` may exceed the true count.
    pub error: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Counter {
    value: TextKey,
    count: u64,
    error: u64,
    /// The first row seen since the value was monitored: ties go to the one seen first.
    first_row: u64,
}

impl Counter {
    /// The eviction order: the smallest count first, then the one seen last.
    fn rank(&self) -> (u64, std::cmp::Reverse<u64>) {
        (self.count, std::cmp::Reverse(self.first_row))
    }

    /// The counter of a value missing from a full summary whose smallest count is `by`.
    fn grown(&self, by: u64) -> Counter {
        Counter {
            count: self.count + by,
            error: self.error + by,
            ..self.clone()
        }
    }

    /// The counter of a value both summaries monitor.
    fn combined(&self, other: &Counter) -> Counter {
        Counter {
            value: self.value.clone(),
            count: self.count + other.count,
            error: self.error + other.error,
            first_row: self.first_row.min(other.first_row),
        }
    }
}

/// Metwally, Agrawal & El Abbadi (2005), "Efficient computation of frequent and top-k elements
/// in data streams": `k` counters; a value already monitored adds to its counter; a new value
/// takes a free counter, or else replaces the value of the smallest counter `c_min`, whose
/// count becomes `c_min + w` with error `c_min`. Every count is an upper bound of the true count
/// and `count − error` a lower bound; every value occurring more than `N / k` times among `N`
/// is monitored.
///
/// While no more than `k` distinct values were seen the counts are exact ([`is_exact`](
/// Self::is_exact)) and [`top`](Self::top) is pandas' `value_counts().head(n)` (ties to the
/// value seen first). The counters sit in a binary min-heap indexed by a hash map, so an update
/// costs `O(log k)`.
///
/// Merging follows Cafaro, Pulimeno & Tempesta (2016), "A parallel space saving algorithm for
/// frequent items and the Hurwitz zeta distribution": a value missing from a full summary is
/// taken to occur `c_min` times there (its count and error grow by `c_min`), and the `k`
/// largest counts are kept. Exact states whose union holds at most `k` values merge into the
/// exact state of all their rows, in any order; past that, merges keep the bounds above but
/// the counters depend on the split.
///
/// ```
/// use brisk_kernels::accumulate::SpaceSaving;
/// let mut a = SpaceSaving::new(3);
/// for (row, value) in ["x", "y", "x", "z"].iter().enumerate() {
///     a.add(value.as_bytes(), row as u64);
/// }
/// assert!(a.is_exact());
/// let top = a.top(2);
/// assert_eq!((top[0].value.as_str(), top[0].count), ("x", 2));
/// assert_eq!(top[1].value, "y"); // "y" and "z" tie: "y" was seen first
/// a.add(b"w", 4); // a fourth value replaces "z", the smallest counter seen last
/// assert!(!a.is_exact());
/// let w = &a.top(3)[1]; // after "x" (2, seen first)
/// assert_eq!((w.value.as_str(), w.count, w.error), ("w", 2, 1));
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "SpaceSavingState", into = "SpaceSavingState")]
pub struct SpaceSaving {
    capacity: usize,
    /// A min-heap by [`Counter::rank`].
    heap: Vec<Counter>,
    /// Each monitored value's place in `heap`.
    places: HashMap<TextKey, usize, RandomState>,
    total: u64,
    exact: bool,
}

impl SpaceSaving {
    /// The empty summary of `capacity` counters (at least one).
    pub fn new(capacity: usize) -> Self {
        SpaceSaving {
            capacity: capacity.max(1),
            heap: Vec::new(),
            places: HashMap::default(),
            total: 0,
            exact: true,
        }
    }

    /// The summary of exact counts (each value with its count and first row, as
    /// [`TextCounts::iter_first_seen`](super::TextCounts::iter_first_seen) gives them): the
    /// `capacity` largest become its counters, exact, and every value left out occurs no more
    /// often than the smallest of them, as the summary's bounds require.
    ///
    /// ```
    /// use brisk_kernels::accumulate::{SpaceSaving, TextCounts};
    /// let mut counts = TextCounts::new();
    /// for (row, value) in ["a", "b", "b", "c"].iter().enumerate() {
    ///     counts.add(value.as_bytes(), row as u64);
    /// }
    /// let summary = SpaceSaving::from_counts(2, counts.iter_first_seen());
    /// assert!(!summary.is_exact());
    /// assert_eq!(summary.top(2)[0].value, "b");
    /// assert_eq!((summary.top(2)[1].value.as_str(), summary.total()), ("a", 4));
    /// ```
    pub fn from_counts<'a>(
        capacity: usize,
        counts: impl IntoIterator<Item = (&'a [u8], u64, u64)>,
    ) -> Self {
        let mut summary = SpaceSaving::new(capacity);
        let mut counters: Vec<Counter> = counts
            .into_iter()
            .filter(|&(_, count, _)| count > 0)
            .map(|(value, count, first_row)| Counter {
                value: TextKey::from(value),
                count,
                error: 0,
                first_row,
            })
            .collect();
        summary.total = counters.iter().map(|c| c.count).sum();
        summary.exact = counters.len() <= summary.capacity;
        counters.sort_by_key(|c| std::cmp::Reverse(c.rank()));
        counters.truncate(summary.capacity);
        summary.rebuild(counters);
        summary
    }

    /// Counts `value`, seen at data row `row`.
    pub fn add(&mut self, value: &[u8], row: u64) {
        self.add_count(value, 1, row);
    }

    /// Counts `count` occurrences of `value`, the first at data row `first_row`.
    pub fn add_count(&mut self, value: &[u8], count: u64, first_row: u64) {
        if count == 0 {
            return;
        }
        self.total += count;
        if let Some(&place) = self.places.get(value) {
            let counter = &mut self.heap[place];
            counter.count += count;
            counter.first_row = counter.first_row.min(first_row);
            self.sift_down(place);
        } else if self.heap.len() < self.capacity {
            self.push(Counter {
                value: TextKey::from(value),
                count,
                error: 0,
                first_row,
            });
        } else {
            self.exact = false;
            let smallest = self.heap[0].count;
            let evicted = std::mem::replace(
                &mut self.heap[0],
                Counter {
                    value: TextKey::from(value),
                    count: smallest + count,
                    error: smallest,
                    first_row,
                },
            );
            self.places.remove(evicted.value.as_bytes());
            self.places.insert(TextKey::from(value), 0);
            self.sift_down(0);
        }
    }

    /// Folds in the values counted by `other`; the merged summary keeps the smaller capacity.
    pub fn merge(&mut self, other: &SpaceSaving) {
        let (mine_missing, theirs_missing) = (self.missing_count(), other.missing_count());
        let mut counters: Vec<Counter> = self
            .heap
            .iter()
            .map(|mine| match other.places.get(mine.value.as_bytes()) {
                Some(&place) => mine.combined(&other.heap[place]),
                None => mine.grown(theirs_missing),
            })
            .collect();
        let theirs_only = other
            .heap
            .iter()
            .filter(|theirs| !self.places.contains_key(theirs.value.as_bytes()));
        counters.extend(theirs_only.map(|theirs| theirs.grown(mine_missing)));
        self.capacity = self.capacity.min(other.capacity);
        self.exact = self.exact && other.exact && counters.len() <= self.capacity;
        self.total += other.total;
        counters.sort_by_key(|c| std::cmp::Reverse(c.rank()));
        counters.truncate(self.capacity);
        self.rebuild(counters);
    }

    /// The `n` largest counts, largest first; among equal counts, the value seen first.
    /// A value that is not UTF-8 is shown with U+FFFD in place of its bad bytes.
    pub fn top(&self, n: usize) -> Vec<TopCount> {
        let mut counters: Vec<&Counter> = self.heap.iter().collect();
        counters.sort_by_key(|c| std::cmp::Reverse(c.rank()));
        counters
            .into_iter()
            .take(n)
            .map(|c| TopCount {
                value: String::from_utf8_lossy(c.value.as_bytes()).into_owned(),
                count: c.count,
                error: c.error,
            })
            .collect()
    }

    /// Whether every count is exact: no more than `capacity` distinct values were seen.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// The number of values counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The heap memory held, in bytes: the counters, the index and the values' bytes (twice).
    pub fn heap_bytes(&self) -> usize {
        let values: usize = self.heap.iter().map(|c| c.value.heap_bytes()).sum();
        self.heap.capacity() * std::mem::size_of::<Counter>()
            + self.places.allocation_size()
            + 2 * values
    }

    /// How often a value the summary does not monitor may have occurred: the smallest count
    /// when every counter is taken, else 0.
    fn missing_count(&self) -> u64 {
        if self.heap.len() < self.capacity {
            0
        } else {
            self.heap.first().map_or(0, |c| c.count)
        }
    }

    fn rebuild(&mut self, counters: Vec<Counter>) {
        self.heap.clear();
        self.places.clear();
        counters.into_iter().for_each(|c| self.push(c));
    }

    fn push(&mut self, counter: Counter) {
        self.places.insert(counter.value.clone(), self.heap.len());
        self.heap.push(counter);
        self.sift_up(self.heap.len() - 1);
    }

    fn sift_up(&mut self, mut place: usize) {
        while place > 0 {
            let parent = (place - 1) / 2;
            if self.heap[parent].rank() <= self.heap[place].rank() {
                break;
            }
            self.swap(parent, place);
            place = parent;
        }
    }

    fn sift_down(&mut self, mut place: usize) {
        loop {
            let (left, right) = (2 * place + 1, 2 * place + 2);
            let mut smallest = place;
            for child in [left, right] {
                if child < self.heap.len() && self.heap[child].rank() < self.heap[smallest].rank() {
                    smallest = child;
                }
            }
            if smallest == place {
                break;
            }
            self.swap(place, smallest);
            place = smallest;
        }
    }

    fn swap(&mut self, a: usize, b: usize) {
        self.heap.swap(a, b);
        for place in [a, b] {
            *self
                .places
                .get_mut(self.heap[place].value.as_bytes())
                .expect("every counter is indexed") = place;
        }
    }
}

/// The serialized form of [`SpaceSaving`]: the counters, largest first.
#[derive(Serialize, Deserialize)]
struct SpaceSavingState {
    capacity: usize,
    total: u64,
    exact: bool,
    counters: Vec<Counter>,
}

impl From<SpaceSavingState> for SpaceSaving {
    fn from(state: SpaceSavingState) -> Self {
        let mut summary = SpaceSaving::new(state.capacity);
        summary.total = state.total;
        summary.exact = state.exact;
        summary.rebuild(state.counters);
        summary
    }
}

impl From<SpaceSaving> for SpaceSavingState {
    fn from(mut summary: SpaceSaving) -> Self {
        let mut counters = std::mem::take(&mut summary.heap);
        counters.sort_by_key(|c| std::cmp::Reverse(c.rank()));
        SpaceSavingState {
            capacity: summary.capacity,
            total: summary.total,
            exact: summary.exact,
            counters,
        }
    }
}

#[cfg(test)]
mod tests;
