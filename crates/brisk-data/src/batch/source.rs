//! [`Batches`]: a pass over an input as typed batches, and the [`Batch`] it yields.

use std::fs::File;

use super::column::{BatchColumn, DecodedColumns};
use super::csv::decode_chunk;
use super::npy::NpyRows;
use super::parquet::RowGroups;
use super::types::ColumnTypes;
use crate::csv::Chunks;
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::{Format, Input};

/// Consecutive rows of a table, typed.
#[derive(Debug, Clone)]
pub struct Batch {
    first_row: u64,
    columns: Vec<BatchColumn>,
    /// Per column still read as `int64`: its values as integers (exact past 2⁵³).
    integers: Vec<Option<Vec<i64>>>,
    /// The CSV line of each row; empty for other formats.
    lines: Vec<u64>,
}

impl Batch {
    /// A batch of typed columns (of equal length) whose first row is data row `first_row`.
    pub fn from_columns(first_row: u64, columns: Vec<BatchColumn>) -> Batch {
        let integers = vec![None; columns.len()];
        Batch {
            first_row,
            columns,
            integers,
            lines: Vec::new(),
        }
    }

    /// The 0-based data row of the batch's first row.
    pub fn first_row(&self) -> u64 {
        self.first_row
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, BatchColumn::len)
    }

    /// Column `j`.
    pub fn column(&self, j: usize) -> &BatchColumn {
        &self.columns[j]
    }

    /// Every column, in table order.
    pub fn columns(&self) -> &[BatchColumn] {
        &self.columns
    }

    /// Column `j`'s values as integers, while the column is read as `int64`.
    pub fn integers(&self, j: usize) -> Option<&[i64]> {
        self.integers[j].as_deref()
    }

    /// Where row `row` of the batch is: its line in a CSV, its row otherwise.
    pub fn locate(&self, source: &str, row: usize) -> Location {
        match self.lines.get(row) {
            Some(&line) => Location::source(source).at_line(line),
            None => Location::source(source).at_row(self.first_row as usize + row),
        }
    }
}

/// A pass over typed batches: an input's ([`Batches`]) or one derived from it (the cleaned rows).
pub trait BatchPass {
    /// The next batch; `None` at the end.
    ///
    /// # Errors
    /// The reader's errors.
    fn next_batch(&mut self) -> Result<Option<Batch>>;
    /// The column types as known so far.
    fn types(&self) -> &ColumnTypes;
    /// Bytes of the input read so far, and its size when known.
    fn progress(&self) -> (u64, Option<u64>);
}

impl BatchPass for Batches {
    fn next_batch(&mut self) -> Result<Option<Batch>> {
        Batches::next_batch(self)
    }
    fn types(&self) -> &ColumnTypes {
        Batches::types(self)
    }
    fn progress(&self) -> (u64, Option<u64>) {
        Batches::progress(self)
    }
}

enum Decoder {
    Csv(Box<Chunks<File>>),
    Parquet(RowGroups),
    Npy(NpyRows),
}

/// One pass over an input, batch by batch.
pub struct Batches {
    name: String,
    decoder: Decoder,
    types: ColumnTypes,
    next_row: u64,
    bytes_read: u64,
    total_bytes: Option<u64>,
}

impl Batches {
    /// A first pass: column types are inferred as the rows come (see [`ColumnTypes`]).
    /// `batch_rows` bounds the rows of a batch.
    ///
    /// # Errors
    /// The input cannot be opened, or its header or metadata cannot be read.
    pub fn open(input: &Input, batch_rows: usize) -> Result<Batches> {
        Batches::start(input, batch_rows, None)
    }

    /// Another pass with the types an earlier pass ended with: a field that contradicts them
    /// means the input changed in between, and is an error naming its line and column.
    ///
    /// # Errors
    /// As [`Batches::open`], and a header that is not the earlier pass's.
    pub fn with_types(input: &Input, types: &ColumnTypes, batch_rows: usize) -> Result<Batches> {
        let batches = Batches::start(input, batch_rows, Some(types.fixed()))?;
        Ok(batches)
    }

    fn start(input: &Input, batch_rows: usize, types: Option<ColumnTypes>) -> Result<Batches> {
        let batch_rows = batch_rows.max(1);
        let name = input.name().to_owned();
        let (decoder, names) = match input.format() {
            Format::Csv | Format::Tsv => {
                let reader = input.csv(batch_rows)?;
                let names = reader.header().to_vec();
                let chunks = Chunks::new(reader, rayon::current_num_threads().max(2));
                (Decoder::Csv(Box::new(chunks)), names)
            }
            Format::Parquet => {
                let groups = RowGroups::open(input)?;
                let names = groups.names().to_vec();
                (Decoder::Parquet(groups), names)
            }
            Format::Npy => {
                let rows = NpyRows::open(input, batch_rows)?;
                let names = (0..rows.cols()).map(|j| j.to_string()).collect();
                (Decoder::Npy(rows), names)
            }
        };
        let types =
            match types {
                Some(types) if types.names() != names.as_slice() => return Err(DataError::new(
                    ErrorKind::Io,
                    Location::source(&name),
                    "the header changed between the passes over the file; run again on a file at \
                     rest",
                )),
                Some(types) => types,
                None => {
                    let mut types = ColumnTypes::infer(names);
                    match &decoder {
                        Decoder::Parquet(groups) => groups.declare_types(&mut types),
                        // NumPy arrays of any dtype are matrices of numbers (never `int64` columns).
                        Decoder::Npy(_) => (0..types.len())
                            .for_each(|j| types.set(j, super::ColumnType::Numeric, false)),
                        Decoder::Csv(_) => {}
                    }
                    types
                }
            };
        Ok(Batches {
            name,
            decoder,
            types,
            next_row: 0,
            bytes_read: 0,
            total_bytes: input.len(),
        })
    }

    /// The column types as known so far (final once the pass has ended).
    pub fn types(&self) -> &ColumnTypes {
        &self.types
    }

    /// How messages name the input.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Data rows yielded so far.
    pub fn rows_read(&self) -> u64 {
        self.next_row
    }

    /// Bytes of the input consumed so far, and the total when known, for progress.
    pub fn progress(&self) -> (u64, Option<u64>) {
        (self.bytes_read, self.total_bytes)
    }

    /// The next batch; `None` at the end of the input.
    ///
    /// # Errors
    /// A malformed record (ragged, unterminated quote, invalid UTF-8, binary), a read error, or
    /// a field that contradicts the types of an earlier pass.
    pub fn next_batch(&mut self) -> Result<Option<Batch>> {
        let first_row = self.next_row;
        let batch = match &mut self.decoder {
            Decoder::Csv(chunks) => {
                let Some(parsed) = chunks.next_chunk()? else {
                    return Ok(None);
                };
                let chunk = parsed.chunk;
                self.bytes_read = parsed.bytes_read;
                let decoded = decode_chunk(&chunk, &mut self.types, &self.name, first_row);
                let lines = (0..chunk.rows()).map(|r| chunk.line(r)).collect();
                chunks.recycle(chunk);
                let DecodedColumns { columns, integers } = decoded?;
                Batch {
                    first_row,
                    columns,
                    integers,
                    lines,
                }
            }
            Decoder::Parquet(groups) => {
                let Some(DecodedColumns { columns, integers }) =
                    groups.next_group(&mut self.types)?
                else {
                    return Ok(None);
                };
                self.bytes_read = groups.bytes_hint();
                Batch {
                    first_row,
                    columns,
                    integers,
                    lines: Vec::new(),
                }
            }
            Decoder::Npy(rows) => {
                let Some(columns) = rows.next_rows() else {
                    return Ok(None);
                };
                self.bytes_read = rows.bytes_hint();
                let integers = vec![None; columns.len()];
                Batch {
                    first_row,
                    columns,
                    integers,
                    lines: Vec::new(),
                }
            }
        };
        self.next_row += batch.rows() as u64;
        Ok(Some(batch))
    }
}
