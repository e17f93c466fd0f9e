//! Reading a whole table into a polars `DataFrame` typed as pandas' `read_csv` types it.
//!
//! Every format goes through [`Batches`], the one type inference. A column whose every non-null
//! field is a number is numeric: `Int64` when it has no null and every field is an integer
//! literal (pandas' `int64`), `Float64` otherwise (nulls are polars nulls). A bool column is
//! `Boolean`. Any other column is `String`, with nulls where pandas has `NaN`. JSON lines are
//! typed by the same rules, and Parquet and Arrow columns are mapped the same way: integers stay
//! `Int64` (or become `Float64` when they hold a null, as pandas reads them), floats are `Float64`
//! with NaN read as null.

use polars::prelude::*;
use rayon::prelude::*;

pub use crate::batch::TextSighting;
use crate::batch::{Batch, BatchColumn, Batches, ColumnTypes, TextColumn};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::{Format, Input};

/// A table read into memory, with where each text column first showed text.
#[derive(Debug, Clone)]
pub struct LoadedFrame {
    /// The columns, typed as pandas types them.
    pub frame: DataFrame,
    /// How messages name the input.
    pub source: String,
    /// Per column: where a `String` column's first non-numeric value is, and that value; `None`
    /// for numeric columns.
    pub first_text: Vec<Option<TextSighting>>,
}

impl LoadedFrame {
    /// The index of a column, or an error naming the input and the columns it has.
    pub fn column_index(&self, name: &str, what: &str) -> Result<usize> {
        let names = self.frame.get_column_names();
        names
            .iter()
            .position(|n| n.as_str() == name)
            .ok_or_else(|| unknown_column(&self.source, name, what, &names))
    }
}

/// The error for a column name the input does not have, listing the ones it has.
pub fn unknown_column<S: AsRef<str>>(
    source: &str,
    name: &str,
    what: &str,
    names: &[S],
) -> DataError {
    let known: Vec<String> = names
        .iter()
        .take(20)
        .map(|n| format!("{:?}", n.as_ref()))
        .collect();
    let more = if names.len() > 20 { ", …" } else { "" };
    DataError::new(
        ErrorKind::UnknownColumn,
        Location::source(source),
        format!(
            "{what} names the column {name:?}, which is not in the input; its columns are {}{more}",
            known.join(", ")
        ),
    )
}

/// Reads every column of a CSV, TSV, JSON-lines, Parquet or Arrow input.
///
/// ```
/// use brisk_data::frame::read_frame;
/// use brisk_data::input::{Format, Input};
/// use polars::prelude::DataType;
/// let text = "id,score,name\n1,2.5,Ada\n2,NA,\"Bob, Jr\"\n";
/// let input = Input::from_reader(text.as_bytes(), "inline.csv", Format::Csv).unwrap();
/// let loaded = read_frame(&input).unwrap();
/// let dtypes: Vec<DataType> = loaded.frame.dtypes();
/// assert_eq!(dtypes, [DataType::Int64, DataType::Float64, DataType::String]);
/// assert_eq!(loaded.frame.column("score").unwrap().null_count(), 1);
/// ```
pub fn read_frame(input: &Input) -> Result<LoadedFrame> {
    match input.format() {
        Format::Csv | Format::Tsv | Format::JsonLines | Format::Parquet | Format::Arrow => {
            read_batches(input)
        }
        Format::Npy => Err(DataError::new(
            ErrorKind::UnknownFormat,
            Location::source(input.name()),
            "this command works on tables: give a .csv, .tsv, .jsonl, .parquet or Arrow file",
        )),
    }
}

/// Rows per batch while reading a table.
const BATCH_ROWS: usize = 65_536;

/// Reads a table through [`Batches`], the one type inference (and the input's choice of
/// columns). A column that turns to text after numeric batches has the input read again with
/// the final types, so every one of its fields is kept as text.
fn read_batches(input: &Input) -> Result<LoadedFrame> {
    let mut batches = Batches::open(input, BATCH_ROWS)?;
    let mut builders = read_columns(&mut batches)?;
    if batches.types().turned_late() {
        let types = batches.types().clone();
        batches = Batches::with_types(input, &types, BATCH_ROWS)?;
        builders = read_columns(&mut batches)?;
    }
    let types = batches.types();
    let source = input.name().to_owned();
    let first_text: Vec<Option<TextSighting>> = (0..types.len())
        .map(|j| types.first_text(j).cloned())
        .collect();
    let columns: Vec<Column> = builders
        .into_par_iter()
        .enumerate()
        .map(|(j, builder)| builder.finish(types, j))
        .collect();
    let height = columns.first().map_or(0, Column::len);
    let frame = DataFrame::new(height, columns).map_err(|e| {
        DataError::new(
            ErrorKind::Io,
            Location::source(&source),
            format!("cannot build the table: {e}"),
        )
    })?;
    Ok(LoadedFrame {
        frame,
        source,
        first_text,
    })
}

/// Every batch of the pass, gathered column by column.
fn read_columns(batches: &mut Batches) -> Result<Vec<ColumnBuilder>> {
    let mut builders: Vec<ColumnBuilder> = (0..batches.types().len())
        .map(|_| ColumnBuilder::default())
        .collect();
    while let Some(batch) = batches.next_batch()? {
        builders
            .par_iter_mut()
            .enumerate()
            .for_each(|(j, builder)| builder.push(&batch, j));
    }
    Ok(builders)
}

/// One column as it is read: its numbers (NaN for null) and, while every batch had them, its
/// integers; or its text batches once it is text.
#[derive(Default)]
struct ColumnBuilder {
    rows: usize,
    numbers: Vec<f64>,
    ints: Vec<i64>,
    /// Every batch so far came with the column's integers.
    integer: bool,
    text: Vec<TextColumn>,
}

impl ColumnBuilder {
    fn push(&mut self, batch: &Batch, j: usize) {
        if self.rows == 0 {
            self.integer = true;
        }
        self.rows += batch.rows();
        match batch.column(j) {
            BatchColumn::Numeric(values) => {
                self.numbers.extend_from_slice(values.values());
                match batch.integers(j) {
                    Some(ints) if self.integer => self.ints.extend_from_slice(ints),
                    _ => {
                        self.integer = false;
                        self.ints = Vec::new();
                    }
                }
            }
            BatchColumn::Text(text) => {
                // Rows read as numbers before are read again as text (see `read_batches`).
                self.numbers = Vec::new();
                self.ints = Vec::new();
                self.integer = false;
                self.text.push(text.clone());
            }
        }
    }

    /// Column `j` of a table with these final `types`: `int64`, `bool`, `datetime[μs]`,
    /// `float64`, or its text.
    fn finish(self, types: &ColumnTypes, j: usize) -> Column {
        let name = PlSmallStr::from(types.names()[j].as_str());
        if self.rows > 0 && self.text.is_empty() {
            if types.is_integer(j) && self.integer {
                return Int64Chunked::from_vec(name, self.ints).into_column();
            }
            if types.is_datetime(j) {
                let micros = self.numbers.iter();
                let micros = micros.map(|&x| (!x.is_nan()).then(|| (x * 1e6).round() as i64));
                return Int64Chunked::from_iter_options(name, micros)
                    .into_datetime(TimeUnit::Microseconds, None)
                    .into_column();
            }
            if types.is_bool(j) {
                let values = self
                    .numbers
                    .iter()
                    .map(|&x| (!x.is_nan()).then_some(x == 1.0));
                return BooleanChunked::from_iter_options(name, values).into_column();
            }
            let values = self.numbers.into_iter().map(|x| (!x.is_nan()).then_some(x));
            return Float64Chunked::from_iter_options(name, values).into_column();
        }
        let values = self.text.iter().flat_map(TextColumn::iter).map(|field| {
            // The reader has checked that every record is UTF-8.
            field.map(|f| std::str::from_utf8(f).unwrap_or_default())
        });
        StringChunked::from_iter_options(name, values).into_column()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> LoadedFrame {
        let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        read_frame(&input).unwrap()
    }

    #[test]
    fn types_follow_pandas() {
        let loaded = load("a,b,c,d,e\n1,1.0,x,NA,1\n2,2,NA,,\n");
        assert_eq!(
            loaded.frame.dtypes(),
            [
                DataType::Int64,
                DataType::Float64,
                DataType::String,
                DataType::Float64,
                DataType::Float64
            ]
        );
        let sighting = loaded.first_text[2].as_ref().unwrap();
        assert_eq!(sighting.value, "x");
        assert_eq!(sighting.location.line, Some(2));
        assert!(loaded.first_text[0].is_none());
    }

    #[test]
    fn text_after_numbers_keeps_every_field() {
        let mut text = String::from("v\n");
        for i in 0..100_000 {
            text.push_str(&format!("{i}\n"));
        }
        text.push_str("word\n");
        let loaded = load(&text);
        let column = loaded.frame.column("v").unwrap().str().unwrap().clone();
        assert_eq!(column.get(99_999), Some("99999"));
        assert_eq!(column.get(100_000), Some("word"));
        assert_eq!(
            loaded.first_text[0].as_ref().unwrap().location.line,
            Some(100_002)
        );
    }

    #[test]
    fn parquet_round_trip_keeps_types_and_nulls() {
        let loaded = load("id,x,s\n1,0.5,a\n2,NA,\n3,2.25,\"c,d\"\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let mut frame = loaded.frame.clone();
        let mut file = std::fs::File::create(&path).unwrap();
        crate::frame::write_parquet(&mut frame, &mut file).unwrap();
        drop(file);
        let again = read_frame(&Input::open(&path).unwrap()).unwrap();
        assert!(again.frame.equals_missing(&loaded.frame));
        assert_eq!(again.frame.dtypes(), loaded.frame.dtypes());
    }
}
