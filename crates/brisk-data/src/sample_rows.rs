//! Rows of a table for the report to show: the first rows, a seeded uniform sample of rows, and
//! the null pattern of a larger sample for missingno's nullity matrix.
//!
//! [`RowSample`] folds batches; [`RowSample::finish`] gives [`SampledRows`]: the head
//! (`df.head()`), a sample ([`SampledRow`]s, each cell as display text or `None` for null) and a
//! [`NullityMatrix`]. Both samples are bottom-k samples under the priorities of
//! [`brisk_kernels::accumulate::Reservoir`] (a row's priority is a function of its row number
//! and the seed): they depend on the set of rows alone, so the result is the same whatever the
//! batch size, and any split of the rows merged in any order gives it. With the same seed the
//! shown sample is part of the matrix's rows. A row that cannot enter either sample costs one
//! priority and a comparison; the cells of a row are read only when it enters.
//!
//! Cells are kept as read and written as text at the end, with the column's final type:
//! numbers in their shortest round-trip form (Python's `repr`), an `int64` column's without
//! `.0`, booleans `True`/`False`, date-times as `brisk stats` writes them (`YYYY-MM-DD` when no
//! value of the column has a time of day, else `YYYY-MM-DD HH:MM:SS`), text verbatim (escaping is
//! the page's job) and cut after 200 characters with `…`.
//!
//! ```
//! use brisk_data::batch::Batches;
//! use brisk_data::input::{Format, Input};
//! use brisk_data::sample_rows::{RowSample, SampleOptions};
//! let text = "n,x,flag,day,name\n1,0.5,True,2024-01-02,ada\n2,NA,False,2024-01-03,\n";
//! let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
//! let mut batches = Batches::open(&input, 1).unwrap();
//! let options = SampleOptions { head: 1, ..SampleOptions::default() };
//! let mut sample = RowSample::new(5, options);
//! while let Some(batch) = batches.next_batch().unwrap() {
//!     sample.add(&batch, batches.types(), batch.first_row());
//! }
//! let rows = sample.finish();
//! let cells = |c: &[&str]| c.iter().map(|s| Some(s.to_string())).collect::<Vec<_>>();
//! assert_eq!(rows.head[0].cells, cells(&["1", "0.5", "True", "2024-01-02", "ada"]));
//! // Both rows are sampled (k = 10), in file order.
//! assert_eq!(rows.sample[1].row, 1);
//! assert_eq!(rows.sample[1].cells[1], None);
//! assert_eq!(rows.matrix.nulls[1], [false, true, false, false, true]);
//! ```

mod bottom_k;
mod cell;

use serde::{Deserialize, Serialize};

use crate::batch::{Batch, ColumnTypes};
use bottom_k::{priority, BottomK, Candidate};
use cell::{Cell, CellFormat};

/// How many rows [`RowSample`] keeps, and the seed of its samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleOptions {
    /// The first rows kept (`df.head(head)`).
    pub head: usize,
    /// The rows of the uniform sample shown.
    pub sample: usize,
    /// The rows of the nullity matrix's sample.
    pub matrix_rows: usize,
    /// The seed of both samples.
    pub seed: u64,
}

impl Default for SampleOptions {
    /// 10 first rows, 10 sampled rows, 500 rows for the nullity matrix, seed 0.
    fn default() -> Self {
        SampleOptions {
            head: 10,
            sample: 10,
            matrix_rows: 500,
            seed: 0,
        }
    }
}

/// The first rows, a uniform sample of rows and a larger sample of null patterns, of a table read
/// in batches.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowSample {
    options: SampleOptions,
    /// What each column's types said, joined over the batches.
    formats: Vec<CellFormat>,
    rows: u64,
    /// Rows numbered below `options.head`, in any order.
    head: Vec<(u64, Vec<Cell>)>,
    sample: BottomK<Vec<Cell>>,
    /// Each row's null bitmap: bit `j % 64` of word `j / 64` set when column `j` is null.
    matrix: BottomK<Box<[u64]>>,
}

/// What [`RowSample::finish`] gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampledRows {
    /// The first rows, in file order.
    pub head: Vec<SampledRow>,
    /// The uniform sample, in file order.
    pub sample: Vec<SampledRow>,
    /// The null pattern of the matrix's sample.
    pub matrix: NullityMatrix,
}

/// A row as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampledRow {
    /// The 0-based data row.
    pub row: u64,
    /// Each column's cell as text, `None` for null.
    pub cells: Vec<Option<String>>,
}

/// The null pattern of sampled rows, for missingno's nullity matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NullityMatrix {
    /// The sampled rows (0-based data rows), in file order.
    pub rows: Vec<u64>,
    /// Row by row, whether each column is null.
    pub nulls: Vec<Vec<bool>>,
    /// The rows of the whole table.
    pub total_rows: u64,
}

impl RowSample {
    /// No rows yet, of a table of `columns` columns.
    pub fn new(columns: usize, options: SampleOptions) -> Self {
        RowSample {
            options,
            formats: vec![CellFormat::unseen(); columns],
            rows: 0,
            head: Vec::new(),
            sample: BottomK::new(options.sample),
            matrix: BottomK::new(options.matrix_rows),
        }
    }

    /// Folds in a batch whose first row is data row `first_row`; `types` are the pass's types as
    /// of this batch.
    ///
    /// # Panics
    /// When the batch or `types` do not have the columns the sample was made with.
    pub fn add(&mut self, batch: &Batch, types: &ColumnTypes, first_row: u64) {
        assert_eq!(
            batch.columns().len(),
            self.formats.len(),
            "columns of the batch"
        );
        for (j, format) in self.formats.iter_mut().enumerate() {
            *format = format.join(CellFormat::of(types, j));
        }
        let rows = batch.rows();
        let head = (self.options.head as u64).saturating_sub(first_row);
        for i in 0..rows.min(head as usize) {
            self.head.push((first_row + i as u64, cells(batch, i)));
        }
        for i in 0..rows {
            let row = first_row + i as u64;
            let priority = priority(self.options.seed, row);
            if self.matrix.admits(priority) {
                self.matrix.push(priority, row, null_bitmap(batch, i));
            }
            if self.sample.admits(priority) {
                self.sample.push(priority, row, cells(batch, i));
            }
        }
        self.rows += rows as u64;
    }

    /// Takes the column types a whole pass ended with: a column whose type widened after its
    /// first batches (an integer column that met a decimal, a date that met a time of day)
    /// formats every sampled cell as the final type says.
    pub fn settle_types(&mut self, types: &ColumnTypes) {
        for (j, format) in self.formats.iter_mut().enumerate() {
            *format = format.join(CellFormat::of(types, j));
        }
    }

    /// Adds the rows offered to `other` (whose rows must differ from this sample's).
    ///
    /// # Panics
    /// When `other` has other options or another number of columns.
    pub fn merge(&mut self, other: &Self) {
        assert_eq!(self.options, other.options, "options of the samples");
        assert_eq!(
            self.formats.len(),
            other.formats.len(),
            "columns of the samples"
        );
        for (format, theirs) in self.formats.iter_mut().zip(&other.formats) {
            *format = format.join(*theirs);
        }
        self.rows += other.rows;
        self.head.extend(other.head.iter().cloned());
        self.sample.merge(&other.sample);
        self.matrix.merge(&other.matrix);
    }

    /// Rows offered so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The heap memory held, in bytes: the kept rows, their text and the null bitmaps.
    pub fn heap_bytes(&self) -> usize {
        let row_bytes = |cells: &Vec<Cell>| {
            cells.capacity() * size_of::<Cell>() + cells.iter().map(Cell::heap_bytes).sum::<usize>()
        };
        let head: usize = self.head.iter().map(|(_, cells)| row_bytes(cells)).sum();
        let sample: usize = self
            .sample
            .candidates()
            .iter()
            .map(|c| size_of::<Candidate<Vec<Cell>>>() + row_bytes(&c.item))
            .sum();
        let matrix: usize = self
            .matrix
            .candidates()
            .iter()
            .map(|c| size_of::<Candidate<Box<[u64]>>>() + c.item.len() * size_of::<u64>())
            .sum();
        self.formats.capacity() * size_of::<CellFormat>()
            + self.head.capacity() * size_of::<(u64, Vec<Cell>)>()
            + head
            + sample
            + matrix
    }

    /// The first rows and the sample as text, and the matrix's null pattern, each in file order.
    pub fn finish(self) -> SampledRows {
        let formats = &self.formats;
        let shown = |row: u64, cells: &[Cell]| SampledRow {
            row,
            cells: cells.iter().zip(formats).map(|(c, f)| f.text(c)).collect(),
        };
        let mut head = self.head;
        head.sort_unstable_by_key(|(row, _)| *row);
        let columns = formats.len();
        let matrix = self.matrix.finish();
        SampledRows {
            head: head.iter().map(|(row, cells)| shown(*row, cells)).collect(),
            sample: (self.sample.finish().iter())
                .map(|c| shown(c.row, &c.item))
                .collect(),
            matrix: NullityMatrix {
                rows: matrix.iter().map(|c| c.row).collect(),
                nulls: matrix.iter().map(|c| unpack(&c.item, columns)).collect(),
                total_rows: self.rows,
            },
        }
    }
}

/// The cells of row `i` of a batch.
fn cells(batch: &Batch, i: usize) -> Vec<Cell> {
    (0..batch.columns().len())
        .map(|j| Cell::of(batch, j, i))
        .collect()
}

/// Row `i`'s null bitmap: bit `j % 64` of word `j / 64` set when column `j` is null.
fn null_bitmap(batch: &Batch, i: usize) -> Box<[u64]> {
    let mut words = vec![0u64; batch.columns().len().div_ceil(64)];
    for (j, column) in batch.columns().iter().enumerate() {
        words[j / 64] |= u64::from(column.is_null(i)) << (j % 64);
    }
    words.into_boxed_slice()
}

/// The first `columns` bits of a bitmap.
fn unpack(words: &[u64], columns: usize) -> Vec<bool> {
    (0..columns)
        .map(|j| words[j / 64] >> (j % 64) & 1 == 1)
        .collect()
}

#[cfg(test)]
mod tests;
