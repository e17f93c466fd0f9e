//! The numeric matrix every array command works on: an `.npy` array read in place, or the numeric
//! columns of a CSV/TSV/Parquet table with the rows holding a null dropped.

use std::fs::File;

use memmap2::{Mmap, MmapOptions};
use ndarray::{ArrayView2, ShapeBuilder};
use rayon::prelude::*;

use crate::batch::{BatchColumn, Batches, RowIndex};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::{Format, Input};
use crate::npy::{self, Header};

/// Rows per batch while loading a table.
const CHUNK_ROWS: usize = 65_536;

/// A matrix of finite `f64` with named columns.
#[derive(Debug)]
pub struct Matrix {
    storage: Storage,
    rows: usize,
    cols: usize,
    column_major: bool,
    columns: Vec<String>,
    rows_dropped: usize,
    one_dimensional: bool,
    /// A table's first column, left out as a row index ([`RowIndex`]).
    index_dropped: Option<String>,
}

#[derive(Debug)]
enum Storage {
    /// A native `f64` `.npy` file mapped read-only; the elements start at `offset`.
    Mapped {
        map: Mmap,
        offset: usize,
    },
    Owned(Vec<f64>),
}

impl Matrix {
    /// The values, in the memory order of the source (an `.npy` file's C or Fortran order;
    /// column-major for tables).
    pub fn view(&self) -> ArrayView2<'_, f64> {
        let values: &[f64] = match &self.storage {
            Storage::Owned(v) => v,
            Storage::Mapped { map, offset } => {
                let bytes = &map[*offset..*offset + self.rows * self.cols * 8];
                // SAFETY: `load_npy` maps only native little-endian f64 data starting at an
                // 8-byte-aligned offset of a page-aligned map, and checked the length.
                unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<f64>(), bytes.len() / 8) }
            }
        };
        let shape = (self.rows, self.cols).set_f(self.column_major);
        ArrayView2::from_shape(shape, values).expect("rows × cols values")
    }

    /// The column names: the header's for tables, `0`, `1`, … for `.npy`.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Rows of a table left out because they held a null in a numeric column.
    pub fn rows_dropped(&self) -> usize {
        self.rows_dropped
    }

    /// The name of a table's first column when it was left out as a row index.
    pub fn index_dropped(&self) -> Option<&str> {
        self.index_dropped.as_deref()
    }

    /// Whether the input was a 1-D `.npy` array (seen here as one column).
    pub fn is_one_dimensional(&self) -> bool {
        self.one_dimensional
    }

    fn owned(values: Vec<f64>, rows: usize, columns: Vec<String>, column_major: bool) -> Matrix {
        Matrix {
            storage: Storage::Owned(values),
            rows,
            cols: columns.len(),
            column_major,
            columns,
            rows_dropped: 0,
            one_dimensional: false,
            index_dropped: None,
        }
    }
}

/// Loads the numeric matrix of `input`.
///
/// - `.npy`: the array itself (1-D as one column; integer and bool arrays as `f64`). Native
///   little-endian `float64` files are mapped into memory and read in place, in either order.
/// - CSV/TSV/JSON lines/Parquet/Arrow: the numeric columns (as [`Batches`] types them, like `brisk stats`), in order; text columns
///   and columns with no value at all are left out, and so are the rows holding a null in a kept
///   column (their number is [`Matrix::rows_dropped`]), as `df.select_dtypes("number").dropna()`.
///   A first column that is a row index ([`RowIndex`]) is left out too
///   ([`Matrix::index_dropped`]) unless `keep_index`.
///
/// # Errors
/// The reader's errors; [`ErrorKind::NonFinite`] at the first NaN or infinity of an `.npy` array
/// or an infinity of a table, naming its row (or CSV line) and column; [`ErrorKind::NoNumericData`]
/// when a table has no numeric column.
pub fn load_matrix(input: &Input, keep_index: bool) -> Result<Matrix> {
    let matrix = match input.format() {
        Format::Npy => load_npy(input)?,
        Format::Parquet | Format::Arrow | Format::Csv | Format::Tsv | Format::JsonLines => {
            load_table(input, keep_index)?
        }
    };
    if let Some((row, col)) = first_non_finite(matrix.view()) {
        let value = matrix.view()[[row, col]];
        return Err(DataError::new(
            ErrorKind::NonFinite,
            Location::source(input.name())
                .at_row(row)
                .at_column(col + 1, Some(&matrix.columns[col])),
            non_finite_message(value),
        ));
    }
    Ok(matrix)
}

fn non_finite_message(value: f64) -> String {
    format!(
        "the value is {value}; array commands need finite numbers (drop or fill the row first, \
         e.g. with brisk clean)"
    )
}

fn load_npy(input: &Input) -> Result<Matrix> {
    let name = input.name();
    let mut file: File = input.reader()?;
    let header = Header::read(&mut file, name)?;
    let columns = (0..header.cols).map(|c| c.to_string()).collect();
    let file_len = file
        .metadata()
        .map_err(|e| DataError::io(input.disk_path(), &e))?
        .len();
    if file_len < header.data_offset + header.data_len() {
        return Err(header.truncated(name, file_len.saturating_sub(header.data_offset)));
    }
    let mut matrix = if header.is_native_f64() && header.data_offset % 8 == 0 && header.count > 0 {
        // SAFETY: the map is read-only; brisk does not write the file while it is mapped.
        let map = unsafe { MmapOptions::new().populate().map(&file) }
            .map_err(|e| DataError::io(input.disk_path(), &e))?;
        Matrix {
            storage: Storage::Mapped {
                map,
                offset: header.data_offset as usize,
            },
            rows: header.rows,
            cols: header.cols,
            column_major: header.fortran,
            columns,
            rows_dropped: 0,
            one_dimensional: false,
            index_dropped: None,
        }
    } else {
        let array = npy::read_matrix(input)?;
        let values = array.into_raw_vec_and_offset().0;
        Matrix::owned(values, header.rows, columns, header.fortran)
    };
    matrix.one_dimensional = header.one_dimensional;
    Ok(matrix)
}

/// The numeric columns of a CSV/TSV/Parquet table, typed by [`Batches`] (the one inference):
/// each column's values (NaN for null) while it is numeric; a column that turns to text is
/// dropped.
fn load_table(input: &Input, keep_index: bool) -> Result<Matrix> {
    let mut batches = Batches::open(input, CHUNK_ROWS)?;
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); batches.types().len()];
    let mut index = RowIndex::new(batches.types());
    while let Some(batch) = batches.next_batch()? {
        index.add(&batch);
        columns
            .par_iter_mut()
            .zip(batch.columns())
            .for_each(|(column, values)| match values {
                BatchColumn::Numeric(values) => column.extend_from_slice(values.values()),
                BatchColumn::Text(_) => *column = Vec::new(),
            });
    }
    let types = batches.types();
    let dropped = index.column().filter(|_| !keep_index);
    let numeric: Vec<(String, Vec<f64>)> = types
        .names()
        .iter()
        .cloned()
        .zip(columns)
        .enumerate()
        .filter(|(j, (_, values))| {
            types.counts_as_number(*j) && values.iter().any(|x| !x.is_nan()) && dropped != Some(*j)
        })
        .map(|(_, column)| column)
        .collect();
    let mut matrix = assemble(input, numeric)?;
    matrix.index_dropped = dropped.map(|j| types.names()[j].clone());
    Ok(matrix)
}

/// Where data row `row` of a table is (its CSV line, or its row), read again from the input: only
/// an error needs it.
fn locate_row(input: &Input, row: usize) -> Result<Location> {
    let mut batches = Batches::open(input, CHUNK_ROWS)?;
    while let Some(batch) = batches.next_batch()? {
        let first = batch.first_row() as usize;
        if row < first + batch.rows() {
            return Ok(batch.locate(input.name(), row - first));
        }
    }
    Ok(Location::source(input.name()).at_row(row))
}

/// A column-major matrix of the rows with no NaN (null) in any column; an infinity is an error at
/// its CSV line or row.
fn assemble(input: &Input, numeric: Vec<(String, Vec<f64>)>) -> Result<Matrix> {
    if numeric.is_empty() {
        return Err(DataError::new(
            ErrorKind::NoNumericData,
            Location::source(input.name()),
            "no numeric column; array commands need at least one column of numbers",
        ));
    }
    let rows = numeric[0].1.len();
    let keep: Vec<bool> = (0..rows)
        .map(|r| numeric.iter().all(|(_, v)| !v[r].is_nan()))
        .collect();
    let kept = keep.iter().filter(|&&k| k).count();
    let mut values = Vec::with_capacity(kept * numeric.len());
    for (c, (name, column)) in numeric.iter().enumerate() {
        for (r, (&v, _)) in column
            .iter()
            .zip(&keep)
            .enumerate()
            .filter(|(_, (_, &k))| k)
        {
            if v.is_infinite() {
                return Err(DataError::new(
                    ErrorKind::NonFinite,
                    locate_row(input, r)?.at_column(c + 1, Some(name)),
                    non_finite_message(v),
                ));
            }
            values.push(v);
        }
    }
    let names = numeric.into_iter().map(|(name, _)| name).collect();
    let mut matrix = Matrix::owned(values, kept, names, true);
    matrix.rows_dropped = rows - kept;
    Ok(matrix)
}

/// The first element (in memory order) that is NaN or infinite, as `(row, column)`.
///
/// The scan tests the exponent bits of blocks of values with no branch, in parallel, so it runs
/// at memory speed; only the first block holding a bad value is searched element by element.
///
/// ```
/// let x = ndarray::array![[1.0, 2.0], [f64::NAN, 4.0]];
/// assert_eq!(brisk_data::matrix::first_non_finite(x.view()), Some((1, 0)));
/// ```
pub fn first_non_finite(x: ArrayView2<'_, f64>) -> Option<(usize, usize)> {
    const EXPONENT: u64 = 0x7ff0_0000_0000_0000;
    let is_bad = |v: &f64| v.to_bits() & EXPONENT == EXPONENT;
    let (rows, cols) = x.dim();
    let row_major = x.is_standard_layout();
    match x.as_slice_memory_order() {
        Some(values) if row_major || x.t().is_standard_layout() => {
            let block = values
                .par_chunks(4096)
                .position_first(|b| b.iter().fold(false, |a, v| a | is_bad(v)))?;
            let within = values[block * 4096..].iter().position(is_bad)?;
            let index = block * 4096 + within;
            Some(if row_major {
                (index / cols, index % cols)
            } else {
                (index % rows, index / rows)
            })
        }
        _ => x.indexed_iter().find(|(_, v)| is_bad(v)).map(|(i, _)| i),
    }
}
