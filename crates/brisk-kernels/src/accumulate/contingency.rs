//! The contingency table of two categorical (text) columns, for the χ² test and Cramér's V of
//! [`stats`](crate::stats::chi2_contingency).

use foldhash::fast::RandomState;
use hashbrown::HashMap;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::text_key::TextKey;

/// A contingency table with its labels: the row labels, the column labels (each sorted by byte
/// order) and the `r × c` counts, as [`Contingency::table`] gives it.
pub type LabelledTable = (Vec<Vec<u8>>, Vec<Vec<u8>>, Array2<f64>);

/// The count of every pair of labels (bytes) of two categorical variables `a` (the rows) and `b`
/// (the columns), with at most `max_levels` distinct labels per side.
///
/// Labels are interned in order of first appearance (as [`ClassMoments`](super::ClassMoments)
/// numbers its classes) and the counts kept per pair of ids; two states merge by label, and
/// [`table`](Self::table) sorts the labels by byte order, so any split of the rows merged in any
/// order gives the same table.
///
/// A variable with more than `max_levels` labels is not categorical for this purpose: the state
/// then *overflows*, frees its table, stops counting and [`table`](Self::table) gives `None`.
/// Merging with an overflowed state overflows, and so does a merge whose labels together pass the
/// cap, so overflowing also does not depend on the split.
///
/// Serialized as the cap and, unless overflowed, the labels of each side (strings; labels must be
/// UTF-8) and the non-zero cells as `[row id, column id, count]`.
///
/// ```
/// use brisk_kernels::accumulate::Contingency;
/// use brisk_kernels::stats::cramers_v;
/// let mut left = Contingency::new(10);
/// left.add(b"red", b"yes");
/// left.add_count(b"blue", b"no", 3);
/// let mut right = Contingency::new(10);
/// right.add_count(b"red", b"yes", 4);
/// right.add(b"blue", b"yes");
/// left.merge(&right);
/// let (rows, columns, counts) = left.table().unwrap();
/// assert_eq!(rows, [b"blue".to_vec(), b"red".to_vec()]);
/// assert_eq!(columns, [b"no".to_vec(), b"yes".to_vec()]);
/// assert_eq!(counts, ndarray::array![[3.0, 1.0], [0.0, 5.0]]);
/// assert!(cramers_v(counts.view()).unwrap() > 0.5);
///
/// let mut narrow = Contingency::new(1);
/// narrow.add(b"x", b"1");
/// narrow.add(b"y", b"1"); // a second label of `a`
/// assert!(narrow.is_overflowed() && narrow.table().is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ContingencyState", into = "ContingencyState")]
pub struct Contingency {
    max_levels: usize,
    /// `None` once overflowed.
    counts: Option<PairCounts>,
}

/// The labels of the two sides and the count of each pair of label ids seen.
#[derive(Debug, Clone, Default, PartialEq)]
struct PairCounts {
    rows: Levels,
    columns: Levels,
    cells: HashMap<(u32, u32), u64, RandomState>,
}

/// The labels of one side, numbered in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq)]
struct Levels {
    labels: Vec<TextKey>,
    index: HashMap<TextKey, u32, RandomState>,
}

impl Levels {
    /// The id of `label`, interned if new; `None` when it is new and `max_levels` labels are
    /// already known.
    fn id(&mut self, label: &[u8], max_levels: usize) -> Option<u32> {
        if let Some(&id) = self.index.get(label) {
            return Some(id);
        }
        if self.labels.len() >= max_levels {
            return None;
        }
        // More than 2³² distinct labels would not fit in memory first.
        let id = self.labels.len() as u32;
        self.labels.push(TextKey::from(label));
        self.index.insert(TextKey::from(label), id);
        Some(id)
    }

    /// The ids in byte order of their labels, and each id's position in that order.
    fn sorted(&self) -> (Vec<usize>, Vec<usize>) {
        let mut order: Vec<usize> = (0..self.labels.len()).collect();
        order.sort_unstable_by(|&a, &b| self.labels[a].cmp(&self.labels[b]));
        let mut position = vec![0; order.len()];
        for (at, &id) in order.iter().enumerate() {
            position[id] = at;
        }
        (order, position)
    }

    fn heap_bytes(&self) -> usize {
        let label_bytes: usize = self.labels.iter().map(TextKey::heap_bytes).sum();
        2 * label_bytes
            + self.labels.capacity() * size_of::<TextKey>()
            + self.index.allocation_size()
    }
}

impl PairCounts {
    /// Adds `count` to the pair `(a, b)`; `false` when a new label passes the cap.
    fn add(&mut self, a: &[u8], b: &[u8], count: u64, max_levels: usize) -> bool {
        match (self.rows.id(a, max_levels), self.columns.id(b, max_levels)) {
            (Some(row), Some(column)) => {
                *self.cells.entry((row, column)).or_insert(0) += count;
                true
            }
            _ => false,
        }
    }
}

impl PairCounts {
    /// Refuses a label without a counted pair (a serialized state that [`Contingency::add`]
    /// could not have made).
    fn check_every_label_counted(&self) -> std::result::Result<(), String> {
        let mut seen = (
            vec![false; self.rows.labels.len()],
            vec![false; self.columns.labels.len()],
        );
        for &(row, column) in self.cells.keys() {
            seen.0[row as usize] = true;
            seen.1[column as usize] = true;
        }
        match seen.0.iter().chain(&seen.1).position(|&s| !s) {
            Some(_) => Err("a label has no counted pair".to_string()),
            None => Ok(()),
        }
    }
}

impl Contingency {
    /// The empty state, holding at most `max_levels` distinct labels on each side.
    pub fn new(max_levels: usize) -> Self {
        Contingency {
            max_levels,
            counts: Some(PairCounts::default()),
        }
    }

    /// The cap on distinct labels per side.
    pub fn max_levels(&self) -> usize {
        self.max_levels
    }

    /// Whether a side passed the cap (the table was freed).
    pub fn is_overflowed(&self) -> bool {
        self.counts.is_none()
    }

    /// Counts one row whose variables have the labels `a` and `b`.
    #[inline]
    pub fn add(&mut self, a: &[u8], b: &[u8]) {
        self.add_count(a, b, 1);
    }

    /// Counts `count` rows labelled `a` and `b`, the same state as `count` calls of
    /// [`add`](Self::add); a count of 0 changes nothing (the labels are not recorded).
    pub fn add_count(&mut self, a: &[u8], b: &[u8], count: u64) {
        if count == 0 {
            return;
        }
        let max_levels = self.max_levels;
        if let Some(counts) = &mut self.counts {
            if !counts.add(a, b, count, max_levels) {
                self.counts = None;
            }
        }
    }

    /// Adds the counts of `other`, matching labels by their bytes. The result is overflowed
    /// when either state is, or when the labels of a side together pass this state's cap.
    pub fn merge(&mut self, other: &Contingency) {
        let Some(theirs) = &other.counts else {
            self.counts = None;
            return;
        };
        let max_levels = self.max_levels;
        let Some(mine) = &mut self.counts else {
            return;
        };
        for (&(row, column), &count) in &theirs.cells {
            let a = theirs.rows.labels[row as usize].as_bytes();
            let b = theirs.columns.labels[column as usize].as_bytes();
            if !mine.add(a, b, count, max_levels) {
                self.counts = None;
                return;
            }
        }
    }

    /// The row labels (of `a`) and column labels (of `b`), each sorted by byte order, and the
    /// `r × c` counts, `counts[[i, j]]` the rows labelled `rows[i]` and `columns[j]`; `None` when
    /// overflowed. Every row and column of the table has a non-zero sum.
    pub fn table(&self) -> Option<LabelledTable> {
        let counts = self.counts.as_ref()?;
        let (row_order, row_position) = counts.rows.sorted();
        let (column_order, column_position) = counts.columns.sorted();
        let mut table = Array2::zeros((row_order.len(), column_order.len()));
        for (&(row, column), &count) in &counts.cells {
            table[[row_position[row as usize], column_position[column as usize]]] = count as f64;
        }
        let labels = |levels: &Levels, order: &[usize]| -> Vec<Vec<u8>> {
            order
                .iter()
                .map(|&id| levels.labels[id].as_bytes().to_vec())
                .collect()
        };
        Some((
            labels(&counts.rows, &row_order),
            labels(&counts.columns, &column_order),
            table,
        ))
    }

    /// The rows counted (0 once overflowed).
    pub fn total(&self) -> u64 {
        self.counts
            .as_ref()
            .map_or(0, |counts| counts.cells.values().sum())
    }

    /// The heap memory held, in bytes: the labels, the indexes over them, and the cells.
    pub fn heap_bytes(&self) -> usize {
        self.counts.as_ref().map_or(0, |counts| {
            counts.rows.heap_bytes() + counts.columns.heap_bytes() + counts.cells.allocation_size()
        })
    }
}

/// The serialized form of [`Contingency`], checked before use.
#[derive(Serialize, Deserialize)]
struct ContingencyState {
    max_levels: usize,
    /// `None` when overflowed.
    table: Option<TableState>,
}

#[derive(Serialize, Deserialize)]
struct TableState {
    rows: Vec<TextKey>,
    columns: Vec<TextKey>,
    /// `(row id, column id, count)`, sorted by ids.
    cells: Vec<(u32, u32, u64)>,
}

impl From<Contingency> for ContingencyState {
    fn from(state: Contingency) -> Self {
        let table = state.counts.map(|counts| {
            let mut cells: Vec<(u32, u32, u64)> = counts
                .cells
                .into_iter()
                .map(|((row, column), count)| (row, column, count))
                .collect();
            cells.sort_unstable();
            TableState {
                rows: counts.rows.labels,
                columns: counts.columns.labels,
                cells,
            }
        });
        ContingencyState {
            max_levels: state.max_levels,
            table,
        }
    }
}

impl TryFrom<ContingencyState> for Contingency {
    type Error = String;

    fn try_from(state: ContingencyState) -> std::result::Result<Self, String> {
        let counts = match state.table {
            Some(table) => Some(table.into_counts(state.max_levels)?),
            None => None,
        };
        Ok(Contingency {
            max_levels: state.max_levels,
            counts,
        })
    }
}

impl TableState {
    fn into_counts(self, max_levels: usize) -> std::result::Result<PairCounts, String> {
        let rows = levels(self.rows, max_levels)?;
        let columns = levels(self.columns, max_levels)?;
        let mut cells = HashMap::with_capacity_and_hasher(self.cells.len(), RandomState::default());
        for (row, column, count) in self.cells {
            if row as usize >= rows.labels.len() || column as usize >= columns.labels.len() {
                return Err(format!(
                    "cell ({row}, {column}) is outside the {} × {} labels",
                    rows.labels.len(),
                    columns.labels.len()
                ));
            }
            if count == 0 || cells.insert((row, column), count).is_some() {
                return Err(format!("cell ({row}, {column}) is zero or appears twice"));
            }
        }
        let counts = PairCounts {
            rows,
            columns,
            cells,
        };
        counts.check_every_label_counted()?;
        Ok(counts)
    }
}

/// The [`Levels`] of serialized labels: at most `max_levels`, none twice.
fn levels(labels: Vec<TextKey>, max_levels: usize) -> std::result::Result<Levels, String> {
    if labels.len() > max_levels {
        return Err(format!(
            "{} labels on one side, more than the cap of {max_levels}",
            labels.len()
        ));
    }
    let mut index = HashMap::with_capacity_and_hasher(labels.len(), RandomState::default());
    for (id, label) in labels.iter().enumerate() {
        if index.insert(label.clone(), id as u32).is_some() {
            return Err(format!(
                "the label {:?} appears twice",
                String::from_utf8_lossy(label.as_bytes())
            ));
        }
    }
    Ok(Levels { labels, index })
}

#[cfg(test)]
mod tests;
