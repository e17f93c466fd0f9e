//! Missing values of a table: exact counts, and the nullity correlation of missingno's heatmap.
//!
//! [`NullityCounts`] folds batches into the number of rows, the nulls of each column and, for
//! every pair of columns, the rows where both are null (a null bitmap per column and batch, one
//! popcount of an AND a pair of words). [`NullityCounts::finish`] gives a [`Nullity`] whose
//! [`NullityCorrelation`] is `df.isnull().corr()` over the columns missingno's heatmap takes,
//! computed exactly from those counts. The counts are integers: any split of the rows, merged in
//! any order, gives the same result bit for bit.
//!
//! ```
//! use brisk_data::batch::{Batch, BatchColumn, NumericColumn};
//! use brisk_data::nullity::NullityCounts;
//! let nan = f64::NAN;
//! let column = |v: Vec<f64>| BatchColumn::Numeric(NumericColumn::new(v));
//! let batch = Batch::from_columns(
//!     0,
//!     vec![column(vec![nan, 1.0, nan, 4.0]), column(vec![nan, 2.0, 3.0, 4.0]), column(vec![1.0; 4])],
//! );
//! let mut counts = NullityCounts::new(3);
//! counts.add(&batch);
//! let nullity = counts.finish();
//! assert_eq!((nullity.rows, nullity.nulls), (4, vec![2, 1, 0]));
//! // Column 2 has no null: the heatmap leaves it out.
//! let correlation = nullity.correlation.unwrap();
//! assert_eq!(correlation.columns, [0, 1]);
//! assert!((correlation.matrix[[0, 1]] - 1.0 / 3f64.sqrt()).abs() < 1e-15);
//! ```

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::batch::{Batch, BatchColumn};

/// Bits in a word of a null bitmap.
const WORD: usize = 64;

/// The exact missing-value counts of a table's columns: rows, nulls per column, and rows where
/// both columns of a pair are null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NullityCounts {
    rows: u64,
    nulls: Vec<u64>,
    /// Rows where both columns `i < j` are null, the upper triangle row by row
    /// ([`pair_index`]).
    both: Vec<u64>,
}

/// The missing values of a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nullity {
    /// Rows read.
    pub rows: u64,
    /// Nulls of each column.
    pub nulls: Vec<u64>,
    /// The correlation of the null indicators of the columns with some but not all values
    /// missing; `None` when fewer than two columns are.
    pub correlation: Option<NullityCorrelation>,
}

/// `df.isnull().corr()` over some columns (missingno's nullity heatmap).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NullityCorrelation {
    /// The table columns (indices), in table order.
    pub columns: Vec<usize>,
    /// Their correlations, `columns.len()` square, 1 on the diagonal (serialized as a list of
    /// rows).
    #[serde(with = "square_rows")]
    pub matrix: Array2<f64>,
}

impl NullityCounts {
    /// No rows yet, of a table with `columns` columns.
    pub fn new(columns: usize) -> Self {
        NullityCounts {
            rows: 0,
            nulls: vec![0; columns],
            both: vec![0; columns * columns.saturating_sub(1) / 2],
        }
    }

    /// Folds in a batch. Columns with no null in the batch cost one pass over their nulls;
    /// each pair of columns that both have one costs a popcount a 64 rows.
    ///
    /// # Panics
    /// When the batch does not have the columns the counts were made with.
    pub fn add(&mut self, batch: &Batch) {
        assert_eq!(
            batch.columns().len(),
            self.nulls.len(),
            "columns of the batch"
        );
        let rows = batch.rows();
        let mut bitmaps = Vec::new();
        for (j, column) in batch.columns().iter().enumerate() {
            let bitmap = null_bitmap(column);
            let count: u64 = bitmap.iter().map(|w| u64::from(w.count_ones())).sum();
            self.nulls[j] += count;
            if count > 0 {
                bitmaps.push(ColumnNulls {
                    column: j,
                    count,
                    full: count == rows as u64,
                    bitmap,
                });
            }
        }
        for (a, first) in bitmaps.iter().enumerate() {
            for second in &bitmaps[a + 1..] {
                let index = pair_index(self.nulls.len(), first.column, second.column);
                self.both[index] += first.both_null(second);
            }
        }
        self.rows += rows as u64;
    }

    /// Adds the rows counted by `other`.
    ///
    /// # Panics
    /// When `other` counts a different number of columns.
    pub fn merge(&mut self, other: &Self) {
        assert_eq!(self.nulls.len(), other.nulls.len(), "columns of the counts");
        self.rows += other.rows;
        add_counts(&mut self.nulls, &other.nulls);
        add_counts(&mut self.both, &other.both);
    }

    /// Rows counted so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The heap memory held, in bytes.
    pub fn heap_bytes(&self) -> usize {
        (self.nulls.capacity() + self.both.capacity()) * size_of::<u64>()
    }

    /// The rows, the nulls of each column, and their correlation ([`Self::correlation`]).
    pub fn finish(self) -> Nullity {
        let correlation = self.correlation();
        Nullity {
            rows: self.rows,
            nulls: self.nulls,
            correlation,
        }
    }

    /// Rows where both column `i` and column `j` are null (the nulls of `i` when `i == j`).
    pub fn both_null(&self, i: usize, j: usize) -> u64 {
        match i.cmp(&j) {
            std::cmp::Ordering::Equal => self.nulls[i],
            std::cmp::Ordering::Less => self.both[pair_index(self.nulls.len(), i, j)],
            std::cmp::Ordering::Greater => self.both[pair_index(self.nulls.len(), j, i)],
        }
    }

    /// `df.isnull().corr()` (Pearson's correlation of the 0/1 null indicators) over the columns
    /// with some but not all values missing, the columns missingno's heatmap takes
    /// (`missingno.heatmap` drops the columns whose indicator has no variance); `None` when
    /// fewer than two columns have some but not all values missing.
    ///
    /// With `n` rows, `nᵢ` nulls in column `i` and `nᵢⱼ` rows where both `i` and `j` are null,
    /// the indicators' correlation is exactly
    ///
    /// `r_ij = (n·nᵢⱼ − nᵢ·nⱼ) / √(nᵢ(n − nᵢ) · nⱼ(n − nⱼ))`
    ///
    /// (the phi coefficient of the 2×2 table of the two indicators; Pearson, 1900): the
    /// numerator is computed in exact integers, so the only rounding is the final division and
    /// square root.
    pub fn correlation(&self) -> Option<NullityCorrelation> {
        let n = self.rows;
        let columns: Vec<usize> = (0..self.nulls.len())
            .filter(|&j| self.nulls[j] > 0 && self.nulls[j] < n)
            .collect();
        if columns.len() < 2 {
            return None;
        }
        let matrix = Array2::from_shape_fn((columns.len(), columns.len()), |(a, b)| {
            let (i, j) = (columns[a], columns[b]);
            if i == j {
                return 1.0;
            }
            phi(n, self.nulls[i], self.nulls[j], self.both_null(i, j))
        });
        Some(NullityCorrelation { columns, matrix })
    }
}

/// The phi coefficient of two 0/1 indicators over `n` rows, with `a` and `b` ones
/// (`0 < a, b < n`) and `both` rows where both are one.
fn phi(n: u64, a: u64, b: u64, both: u64) -> f64 {
    let (n, a, b, both) = (
        i128::from(n),
        i128::from(a),
        i128::from(b),
        i128::from(both),
    );
    let numerator = n * both - a * b;
    let spread = |m: i128| (m * (n - m)) as f64;
    numerator as f64 / (spread(a) * spread(b)).sqrt()
}

/// A column's nulls in a batch.
struct ColumnNulls {
    column: usize,
    count: u64,
    /// Every row is null.
    full: bool,
    /// Bit `i % 64` of word `i / 64` is set when row `i` is null.
    bitmap: Vec<u64>,
}

impl ColumnNulls {
    /// Rows where both columns are null.
    fn both_null(&self, other: &ColumnNulls) -> u64 {
        if self.full {
            return other.count;
        }
        if other.full {
            return self.count;
        }
        self.bitmap
            .iter()
            .zip(&other.bitmap)
            .map(|(a, b)| u64::from((a & b).count_ones()))
            .sum()
    }
}

/// The null bitmap of a column: bit `i % 64` of word `i / 64` set when row `i` is null.
fn null_bitmap(column: &BatchColumn) -> Vec<u64> {
    match column {
        BatchColumn::Numeric(c) => c
            .values()
            .chunks(WORD)
            .map(|chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .fold(0, |word, (bit, x)| word | (u64::from(x.is_nan()) << bit))
            })
            .collect(),
        BatchColumn::Text(c) => (0..c.len())
            .step_by(WORD)
            .map(|start| {
                (start..c.len().min(start + WORD))
                    .fold(0, |word, i| word | (u64::from(c.is_null(i)) << (i - start)))
            })
            .collect(),
    }
}

/// The index of pair `i < j` in the upper triangle of a `p × p` matrix, row by row.
fn pair_index(p: usize, i: usize, j: usize) -> usize {
    debug_assert!(i < j && j < p);
    i * (2 * p - i - 1) / 2 + (j - i - 1)
}

fn add_counts(into: &mut [u64], from: &[u64]) {
    into.iter_mut().zip(from).for_each(|(a, b)| *a += b);
}

/// A square matrix as a list of its rows.
mod square_rows {
    use ndarray::Array2;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(super) fn serialize<S: Serializer>(matrix: &Array2<f64>, s: S) -> Result<S::Ok, S::Error> {
        let rows: Vec<Vec<f64>> = matrix.rows().into_iter().map(|r| r.to_vec()).collect();
        rows.serialize(s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Array2<f64>, D::Error> {
        let rows = Vec::<Vec<f64>>::deserialize(d)?;
        let m = rows.len();
        if rows.iter().any(|r| r.len() != m) {
            return Err(D::Error::custom("a correlation matrix must be square"));
        }
        Ok(Array2::from_shape_fn((m, m), |(a, b)| rows[a][b]))
    }
}

#[cfg(test)]
mod tests;
