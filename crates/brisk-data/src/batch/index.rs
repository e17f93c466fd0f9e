//! [`RowIndex`]: a first column that is a row index written out as data — R's `write.csv` row
//! names (`Unnamed: 0` once pandas or brisk reads the empty header), pandas' `to_csv` with its
//! index, an `id` of row numbers. As a feature it is noise that dominates: PCA finds it as the
//! first component, and the importance scores it high. The analyses leave it out.

use super::{Batch, BatchColumn, ColumnTypes};

/// The names a row index goes by (compared without case): the empty header's `Unnamed: 0`,
/// `index` and `id`.
pub const INDEX_NAMES: [&str; 3] = ["unnamed: 0", "index", "id"];

/// Whether the first column of a table is a row index: named as one ([`INDEX_NAMES`]), and
/// holding `0, 1, …, n−1` or `1, 2, …, n` in row order, with no null.
///
/// ```
/// use brisk_data::batch::{Batches, RowIndex};
/// use brisk_data::input::{Format, Input};
/// let text = ",x\n1,5.1\n2,4.9\n3,4.7\n";
/// let input = Input::from_reader(text.as_bytes(), "iris.csv", Format::Csv).unwrap();
/// let mut batches = Batches::open(&input, 2).unwrap();
/// let mut index = RowIndex::new(batches.types());
/// while let Some(batch) = batches.next_batch().unwrap() {
///     index.add(&batch);
/// }
/// assert_eq!(index.column(), Some(0));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIndex {
    /// The first row's value, 0 or 1, once seen; `None` when nothing was seen or the column is
    /// not an index.
    start: Option<u64>,
    /// Every row so far held its number.
    holds: bool,
}

impl RowIndex {
    /// A check of the first column of a table with these names; it holds nothing unless the
    /// name is an index's.
    pub fn new(types: &ColumnTypes) -> Self {
        let named = types
            .names()
            .first()
            .is_some_and(|n| INDEX_NAMES.iter().any(|i| n.eq_ignore_ascii_case(i)));
        RowIndex {
            start: None,
            holds: named,
        }
    }

    /// Checks a batch's first column against its row numbers.
    pub fn add(&mut self, batch: &Batch) {
        if !self.holds || batch.rows() == 0 {
            return;
        }
        let BatchColumn::Numeric(values) = batch.column(0) else {
            self.holds = false;
            return;
        };
        let values = values.values();
        let start = *self.start.get_or_insert(match values[0] {
            x if x == batch.first_row() as f64 => 0,
            _ => 1,
        });
        let first = (batch.first_row() + start) as f64;
        self.holds = values
            .iter()
            .enumerate()
            .all(|(r, &x)| x == first + r as f64);
    }

    /// The index column (0) when every row so far held its number; `None` otherwise, and
    /// before any row.
    pub fn column(&self) -> Option<usize> {
        (self.holds && self.start.is_some()).then_some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Batches;
    use crate::input::{Format, Input};

    fn index_of(text: &str, batch_rows: usize) -> Option<usize> {
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, batch_rows).unwrap();
        let mut index = RowIndex::new(batches.types());
        while let Some(batch) = batches.next_batch().unwrap() {
            index.add(&batch);
        }
        index.column()
    }

    #[test]
    fn row_numbers_from_zero_or_one_under_an_index_name_are_an_index() {
        for batch_rows in [1, 2, 100] {
            assert_eq!(index_of(",x\n1,5\n2,4\n3,7\n", batch_rows), Some(0));
            assert_eq!(index_of("index,x\n0,5\n1,4\n2,7\n", batch_rows), Some(0));
            assert_eq!(index_of("ID,x\n1,5\n2,4\n", batch_rows), Some(0));
        }
    }

    #[test]
    fn anything_else_is_not() {
        for batch_rows in [1, 2, 100] {
            // Another name, a gap, another start, a null, text, an empty table.
            for text in [
                "n,x\n0,5\n1,4\n",
                "id,x\n0,5\n2,4\n",
                "id,x\n2,5\n3,4\n",
                "id,x\n0,5\n,4\n2,1\n",
                "id,x\na,5\nb,4\n",
                "id,x\n",
                "x,id\n5,0\n4,1\n",
            ] {
                assert_eq!(index_of(text, batch_rows), None, "{text:?}");
            }
        }
    }
}
