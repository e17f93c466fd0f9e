//! Reading a whole table into a polars `DataFrame` typed as pandas' `read_csv` types it.
//!
//! A column whose every non-null field is a number is numeric: `Int64` when it has no null and
//! every field is an integer literal (pandas' `int64`), `Float64` otherwise (nulls are polars
//! nulls). Any other column is `String`, with nulls where pandas has `NaN`. Parquet columns are
//! mapped the same way: integers stay `Int64` (or become `Float64` when they hold a null, as pandas
//! reads them), floats are `Float64` with NaN read as null, booleans become the text `True`/`False`.

use polars::prelude::*;
use rayon::prelude::*;

pub use crate::batch::TextSighting;
use crate::csv::{Chunk, Chunks};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::{Format, Input};
use crate::value::{is_null_token, parse_integer, parse_number};

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
pub fn unknown_column(source: &str, name: &str, what: &str, names: &[&PlSmallStr]) -> DataError {
    let known: Vec<String> = names
        .iter()
        .take(20)
        .map(|n| format!("{:?}", n.as_str()))
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

/// Reads every column of a CSV, TSV or Parquet input.
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
        Format::Csv | Format::Tsv => read_csv(input),
        Format::Parquet => read_parquet(input),
        Format::Npy => Err(DataError::new(
            ErrorKind::UnknownFormat,
            Location::source(input.name()),
            "this command works on tables: give a .csv, .tsv or .parquet file",
        )),
    }
}

fn read_csv(input: &Input) -> Result<LoadedFrame> {
    let reader = input.csv(65_536)?;
    let header = reader.header().to_vec();
    let mut builders: Vec<ColumnBuilder> =
        header.iter().map(|_| ColumnBuilder::default()).collect();
    let mut chunks = Chunks::new(reader, rayon::current_num_threads());
    while let Some(parsed) = chunks.next_chunk()? {
        let chunk = &parsed.chunk;
        builders
            .par_iter_mut()
            .enumerate()
            .for_each(|(col, builder)| builder.push(chunk, col));
        chunks.recycle(parsed.chunk);
    }
    let source = input.name().to_owned();
    let first_text: Vec<Option<TextSighting>> = builders
        .iter()
        .zip(&header)
        .enumerate()
        .map(|(index, (builder, name))| {
            builder
                .first_text
                .as_ref()
                .map(|(line, value)| TextSighting {
                    location: Location::source(&source)
                        .at_line(*line)
                        .at_column(index + 1, Some(name)),
                    value: value.clone(),
                })
        })
        .collect();
    let columns: Vec<Column> = builders
        .into_par_iter()
        .zip(&header)
        .map(|(builder, name)| builder.finish(name))
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

/// One CSV column as it is read: its raw text always, its numbers while it is numeric.
#[derive(Default)]
struct ColumnBuilder {
    text: Vec<u8>,
    /// End of each field's text in `text`; a null field is marked in `nulls`.
    ends: Vec<usize>,
    nulls: Vec<bool>,
    numbers: Vec<f64>,
    ints: Vec<i64>,
    /// No field so far is text.
    numeric: bool,
    /// Every field so far is an integer literal that fits in an `i64`.
    integer: bool,
    has_null: bool,
    first_text: Option<(u64, String)>,
    started: bool,
}

impl ColumnBuilder {
    fn push(&mut self, chunk: &Chunk, col: usize) {
        if !self.started {
            self.started = true;
            self.numeric = true;
            self.integer = true;
        }
        let rows = chunk.rows();
        self.ends.reserve(rows);
        self.nulls.reserve(rows);
        if self.numeric {
            self.numbers.reserve(rows);
        }
        for (row, field) in chunk.column(col).enumerate() {
            self.text.extend_from_slice(field);
            self.ends.push(self.text.len());
            if !self.numeric {
                self.nulls.push(is_null_token(field));
                continue;
            }
            match parse_number(field) {
                Some(x) => {
                    self.nulls.push(false);
                    self.numbers.push(x);
                    if self.integer {
                        match parse_integer(field) {
                            Some(i) => self.ints.push(i),
                            None => self.integer = false,
                        }
                    }
                }
                None if is_null_token(field) => {
                    self.nulls.push(true);
                    self.numbers.push(f64::NAN);
                    self.has_null = true;
                }
                None => {
                    self.nulls.push(false);
                    self.numeric = false;
                    self.integer = false;
                    self.numbers = Vec::new();
                    self.ints = Vec::new();
                    let value = String::from_utf8_lossy(field).into_owned();
                    self.first_text = Some((chunk.line(row), value));
                }
            }
        }
    }

    fn finish(self, name: &str) -> Column {
        let name = PlSmallStr::from(name);
        let rows = self.ends.len();
        if rows > 0 && self.numeric && self.integer && !self.has_null {
            return Int64Chunked::from_vec(name, self.ints).into_column();
        }
        if rows > 0 && self.numeric {
            let values = self
                .numbers
                .into_iter()
                .zip(&self.nulls)
                .map(|(x, &null)| (!null).then_some(x));
            return Float64Chunked::from_iter_options(name, values).into_column();
        }
        let mut start = 0;
        let values = self.ends.iter().zip(&self.nulls).map(|(&end, &null)| {
            let field = &self.text[start..end];
            start = end;
            // The reader has checked that every record is UTF-8.
            (!null).then(|| std::str::from_utf8(field).unwrap_or_default())
        });
        StringChunked::from_iter_options(name, values).into_column()
    }
}

fn read_parquet(input: &Input) -> Result<LoadedFrame> {
    let source = input.name().to_owned();
    let fail =
        |message: String| DataError::new(ErrorKind::Parquet, Location::source(&source), message);
    let raw = ParquetReader::new(input.reader()?)
        .finish()
        .map_err(|e| fail(format!("cannot read Parquet: {e}")))?;
    let mut first_text = Vec::with_capacity(raw.width());
    let mut columns = Vec::with_capacity(raw.width());
    for (index, column) in raw.columns().iter().enumerate() {
        let name = column.name().clone();
        let dtype = column.dtype().clone();
        let typed = if dtype.is_integer() && column.null_count() == 0 {
            column.cast(&DataType::Int64)
        } else if dtype.is_primitive_numeric() {
            column.cast(&DataType::Float64).map(|c| {
                let values = c.f64().expect("cast to Float64").iter().map(|v| v.filter(|x| !x.is_nan()));
                Float64Chunked::from_iter_options(name.clone(), values).into_column()
            })
        } else if let Ok(flags) = column.bool() {
            let values = flags.iter().map(|v| v.map(|b| if b { "True" } else { "False" }));
            Ok(StringChunked::from_iter_options(name.clone(), values).into_column())
        } else if column.str().is_ok() {
            Ok(column.clone())
        } else {
            return Err(fail(format!(
                "column {:?} has type {dtype}, which brisk does not read; cast it to a number or a string",
                name.as_str()
            )));
        }
        .map_err(|e| fail(format!("column {:?}: {e}", name.as_str())))?;
        first_text.push(typed.str().ok().and_then(|text| {
            let row = text
                .iter()
                .position(|v| v.is_some_and(|t| parse_number(t.as_bytes()).is_none()))?;
            Some(TextSighting {
                location: Location::source(&source)
                    .at_row(row)
                    .at_column(index + 1, Some(name.as_str())),
                value: text.get(row).unwrap_or_default().to_owned(),
            })
        }));
        columns.push(typed);
    }
    let frame = DataFrame::new(raw.height(), columns)
        .map_err(|e| fail(format!("cannot build the table: {e}")))?;
    Ok(LoadedFrame {
        frame,
        source,
        first_text,
    })
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
