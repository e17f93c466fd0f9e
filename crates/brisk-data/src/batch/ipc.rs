//! Arrow IPC: the file format (`.arrow`, and `.feather`, which is Feather v2) and the stream format
//! (`.arrows`), told apart by the file's first bytes, read one record batch at a time (cut to the
//! batch size the pass asks for); buffers compressed with lz4 (pandas' `to_feather` default) or
//! zstd are decompressed as they are read.
//!
//! Types map as Parquet's do: integers are numbers (`int64` as pandas reads them while no batch
//! holds a null), floats are numbers with NaN read as null, strings (`utf8`, `large_utf8`,
//! `utf8_view`) and dictionaries of strings (pandas' `category`) are text, booleans are boolean
//! columns (1 and 0, see [`ColumnType::Bool`]), and a column of the `null` type is a numeric column
//! of nulls. Other types
//! (dates, timestamps, decimals, lists, structs, …) are refused by column and type.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use polars::prelude::PolarsResult;
use polars_arrow::array::{
    Array, BooleanArray, DictionaryArray, DictionaryKey, PrimitiveArray, Utf8Array, Utf8ViewArray,
};
use polars_arrow::datatypes::{ArrowDataType, IntegerType};
use polars_arrow::io::ipc::read::{
    read_file_metadata, read_stream_metadata, FileReader, StreamReader, StreamState,
};
use polars_arrow::record_batch::RecordBatchT;
use rayon::prelude::*;

use super::column::{BatchColumn, DecodedColumns, NumericColumn, TextColumn};
use super::types::{ColumnType, ColumnTypes};
use crate::dates::units_to_seconds;
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::Input;

/// The record batches of an Arrow IPC file or stream, in order.
pub(super) struct IpcBatches {
    name: String,
    names: Vec<String>,
    kinds: Vec<Kind>,
    reader: Reader,
    /// The record batch being cut into batches, and its rows taken so far.
    current: Option<(RecordBatchT<Box<dyn Array>>, usize)>,
    batch_rows: usize,
    /// Bytes of the file read so far.
    position: Arc<AtomicU64>,
}

enum Reader {
    File(FileReader<Counted>),
    Stream(StreamReader<Counted>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Float,
    Bool,
    Text,
    /// Arrow's `null` type: no value at all.
    Null,
    /// `date32`: days since the epoch.
    Date,
    /// `date64` or a timestamp: integers, `per_second` of them to a second (a time zone's
    /// instants are UTC already).
    Datetime {
        per_second: i64,
    },
    /// A duration, read as seconds.
    Duration {
        per_second: i64,
    },
}

impl Kind {
    fn of(dtype: &ArrowDataType) -> Option<Kind> {
        use ArrowDataType as T;
        Some(match dtype {
            T::Int8 | T::Int16 | T::Int32 | T::Int64 => Kind::Integer,
            T::UInt8 | T::UInt16 | T::UInt32 | T::UInt64 => Kind::Integer,
            T::Float32 | T::Float64 => Kind::Float,
            T::Boolean => Kind::Bool,
            T::Utf8 | T::LargeUtf8 | T::Utf8View => Kind::Text,
            T::Dictionary(key, values, _) if is_text(values) && is_key(*key) => Kind::Text,
            T::Null => Kind::Null,
            T::Date32 => Kind::Date,
            T::Date64 => Kind::Datetime { per_second: 1_000 },
            T::Timestamp(unit, _) => Kind::Datetime {
                per_second: per_second(*unit),
            },
            T::Duration(unit) => Kind::Duration {
                per_second: per_second(*unit),
            },
            _ => return None,
        })
    }

    fn column_type(self) -> ColumnType {
        match self {
            Kind::Integer | Kind::Float | Kind::Null | Kind::Duration { .. } => ColumnType::Numeric,
            Kind::Date | Kind::Datetime { .. } => ColumnType::Datetime,
            Kind::Bool => ColumnType::Bool,
            Kind::Text => ColumnType::Text,
        }
    }
}

/// Units of a time unit in a second.
fn per_second(unit: polars_arrow::datatypes::TimeUnit) -> i64 {
    use polars_arrow::datatypes::TimeUnit as U;
    match unit {
        U::Second => 1,
        U::Millisecond => 1_000,
        U::Microsecond => 1_000_000,
        U::Nanosecond => 1_000_000_000,
    }
}

fn is_text(dtype: &ArrowDataType) -> bool {
    matches!(
        dtype,
        ArrowDataType::Utf8 | ArrowDataType::LargeUtf8 | ArrowDataType::Utf8View
    )
}

/// Whether brisk reads dictionary keys of this type (not 128-bit ones).
fn is_key(key: IntegerType) -> bool {
    use IntegerType as K;
    matches!(
        key,
        K::Int8 | K::Int16 | K::Int32 | K::Int64 | K::UInt8 | K::UInt16 | K::UInt32 | K::UInt64
    )
}

/// The first bytes of an IPC file; a stream starts with a message instead.
const FILE_MAGIC: &[u8] = b"ARROW1";

impl IpcBatches {
    /// Opens `input` and reads its schema.
    ///
    /// # Errors
    /// The file cannot be read, is not Arrow IPC (or is Feather v1), or has a column of a type
    /// brisk does not read.
    pub(super) fn open(input: &Input, batch_rows: usize) -> Result<IpcBatches> {
        let fail = arrow_error(input.name());
        let mut file = BufReader::new(input.reader()?);
        let mut magic = [0u8; 6];
        let read = file
            .read(&mut magic)
            .and_then(|n| file.seek(SeekFrom::Start(0)).map(|_| n))
            .map_err(|e| DataError::io(input.disk_path(), &e))?;
        let position = Arc::new(AtomicU64::new(0));
        let counted = Counted {
            inner: file,
            position: Arc::clone(&position),
        };
        let cannot = |e: String| fail(format!("cannot read it as Arrow IPC: {e}"));
        let (reader, schema) = if magic[..read].starts_with(b"FEA1") {
            return Err(fail(
                "a Feather v1 file, which brisk does not read: write Feather v2 (pandas' \
                 to_feather and pyarrow's default)"
                    .to_owned(),
            ));
        } else if magic[..read] == *FILE_MAGIC {
            let mut counted = counted;
            let metadata = guarded(|| read_file_metadata(&mut counted)).map_err(cannot)?;
            let schema = metadata.schema.as_ref().clone();
            (
                Reader::File(FileReader::new(counted, metadata, None, None)),
                schema,
            )
        } else {
            let mut counted = counted;
            let metadata = guarded(|| read_stream_metadata(&mut counted)).map_err(cannot)?;
            let schema = metadata.schema.clone();
            (
                Reader::Stream(StreamReader::new(counted, metadata, None)),
                schema,
            )
        };
        let mut names = Vec::with_capacity(schema.len());
        let mut kinds = Vec::with_capacity(schema.len());
        for field in schema.iter_values() {
            let Some(kind) = Kind::of(&field.dtype) else {
                return Err(fail(format!(
                    "column {:?} has the Arrow type {:?}, which brisk does not read; cast it to \
                     a number or a string",
                    field.name.as_str(),
                    field.dtype
                )));
            };
            names.push(field.name.to_string());
            kinds.push(kind);
        }
        Ok(IpcBatches {
            name: input.name().to_owned(),
            names,
            kinds,
            reader,
            current: None,
            batch_rows,
            position,
        })
    }

    pub(super) fn names(&self) -> &[String] {
        &self.names
    }

    /// Arrow's types are known before any row is read.
    pub(super) fn declare_types(&self, types: &mut ColumnTypes) {
        for (j, kind) in self.kinds.iter().enumerate() {
            types.set(j, kind.column_type(), *kind == Kind::Integer);
        }
    }

    /// Bytes of the file read so far.
    pub(super) fn bytes_read(&self) -> u64 {
        self.position.load(Ordering::Relaxed)
    }

    /// The next batch's columns, whose first row is data row `first_row`, with the integer
    /// values of the integer columns.
    ///
    /// # Errors
    /// A malformed or truncated file, or one whose types are no longer those of an earlier pass.
    pub(super) fn next_batch(
        &mut self,
        types: &mut ColumnTypes,
        first_row: u64,
    ) -> Result<Option<DecodedColumns>> {
        let (record, start) = loop {
            match self.current.take() {
                Some((record, start)) if start < record.len() => break (record, start),
                _ => match self.next_record()? {
                    Some(record) => self.current = Some((record, 0)),
                    None => return Ok(None),
                },
            }
        };
        let rows = self.batch_rows.min(record.len() - start);
        let fail = arrow_error(&self.name);
        if record.arrays().len() != self.kinds.len() {
            return Err(fail(format!(
                "a record batch has {} columns, not the schema's {}",
                record.arrays().len(),
                self.kinds.len()
            )));
        }
        let converted: Vec<Result<Converted, String>> = record
            .arrays()
            .par_iter()
            .zip(&self.kinds)
            .map(|(array, &kind)| convert(array.sliced(start, rows).as_ref(), kind))
            .collect();
        self.current = Some((record, start + rows));
        let mut columns = Vec::with_capacity(converted.len());
        let mut integers = Vec::with_capacity(converted.len());
        for (j, converted) in converted.into_iter().enumerate() {
            let location = || {
                Location::source(&self.name)
                    .at_row(first_row as usize)
                    .at_column(j + 1, Some(&self.names[j]))
            };
            let converted = converted
                .map_err(|message| DataError::new(ErrorKind::Arrow, location(), message))?;
            if types.get(j) != self.kinds[j].column_type() {
                return Err(DataError::new(
                    ErrorKind::Io,
                    location(),
                    "the column's type changed between the passes over the file; run again on a \
                     file at rest",
                ));
            }
            if let (Kind::Datetime { .. }, BatchColumn::Numeric(values)) =
                (self.kinds[j], &converted.column)
            {
                let midnight = |x: &f64| x.is_nan() || x.rem_euclid(86_400.0) == 0.0;
                if !values.values().iter().all(midnight) {
                    types.saw_time_of_day(j);
                }
            }
            if self.kinds[j] == Kind::Integer && converted.integers.is_none() {
                if converted.saw_null {
                    types.saw_null(j);
                } else {
                    types.saw_non_integer(j);
                }
            }
            columns.push(converted.column);
            integers.push(converted.integers);
        }
        Ok(Some(DecodedColumns { columns, integers }))
    }

    /// The next record batch with rows, or `None` at the end.
    fn next_record(&mut self) -> Result<Option<RecordBatchT<Box<dyn Array>>>> {
        let fail = arrow_error(&self.name);
        loop {
            let next = match &mut self.reader {
                Reader::File(reader) => guarded(|| reader.next().transpose()),
                Reader::Stream(reader) => guarded(|| match reader.next().transpose()? {
                    Some(StreamState::Some(record)) => Ok(Some(record)),
                    // A stream may end without its end-of-stream marker.
                    Some(StreamState::Waiting) | None => Ok(None),
                }),
            };
            match next.map_err(|e| fail(format!("cannot read a record batch: {e}")))? {
                Some(record) if record.is_empty() => continue,
                record => return Ok(record),
            }
        }
    }
}

fn arrow_error(name: &str) -> impl Fn(String) -> DataError + '_ {
    move |message| DataError::new(ErrorKind::Arrow, Location::source(name), message)
}

/// Runs a step of the IPC reader, a panic becoming an error: the reader checks most of what it
/// reads but unwraps a few fields and slices a few buffers of a damaged file unchecked. This
/// holds where panics unwind (tests, debug builds); under `panic = "abort"` such a file still
/// ends the process.
fn guarded<T>(step: impl FnOnce() -> PolarsResult<T>) -> std::result::Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)) {
        Ok(outcome) => outcome.map_err(|e| e.to_string()),
        Err(_) => {
            Err("the file is damaged (a record batch's layout is out of the spec)".to_owned())
        }
    }
}

/// The file, counting the bytes read for progress.
struct Counted {
    inner: BufReader<File>,
    position: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.position.fetch_add(read as u64, Ordering::Relaxed);
        Ok(read)
    }
}

impl Seek for Counted {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let position = self.inner.seek(to)?;
        self.position.store(position, Ordering::Relaxed);
        Ok(position)
    }
}

/// One column of a record batch, as a batch column.
struct Converted {
    column: BatchColumn,
    /// The values as `i64`, for an integer column with no null whose values all fit.
    integers: Option<Vec<i64>>,
    saw_null: bool,
}

fn convert(array: &dyn Array, kind: Kind) -> std::result::Result<Converted, String> {
    use ArrowDataType as T;
    let text = |column| Converted {
        column: BatchColumn::Text(column),
        integers: None,
        saw_null: false,
    };
    Ok(match (kind, array.dtype()) {
        (Kind::Integer, T::Int8) => integers(primitive::<i8>(array)?),
        (Kind::Integer, T::Int16) => integers(primitive::<i16>(array)?),
        (Kind::Integer, T::Int32) => integers(primitive::<i32>(array)?),
        (Kind::Integer, T::Int64) => integers(primitive::<i64>(array)?),
        (Kind::Integer, T::UInt8) => integers(primitive::<u8>(array)?),
        (Kind::Integer, T::UInt16) => integers(primitive::<u16>(array)?),
        (Kind::Integer, T::UInt32) => integers(primitive::<u32>(array)?),
        (Kind::Integer, T::UInt64) => integers(primitive::<u64>(array)?),
        (Kind::Date, T::Date32) => seconds(primitive::<i32>(array)?, |d| f64::from(d) * 86_400.0),
        (Kind::Datetime { per_second } | Kind::Duration { per_second }, _) => {
            seconds(primitive::<i64>(array)?, |i| {
                units_to_seconds(i, per_second)
            })
        }
        (Kind::Float, T::Float32) => floats(primitive::<f32>(array)?),
        (Kind::Float, T::Float64) => floats(primitive::<f64>(array)?),
        (Kind::Null, T::Null) => Converted {
            column: BatchColumn::Numeric(NumericColumn::new(vec![f64::NAN; array.len()])),
            integers: None,
            saw_null: true,
        },
        (Kind::Bool, T::Boolean) => {
            let flags = downcast::<BooleanArray>(array)?.iter();
            let values = flags.map(|v| v.map_or(f64::NAN, |b| f64::from(u8::from(b))));
            Converted {
                column: BatchColumn::Numeric(NumericColumn::new(values.collect())),
                integers: None,
                saw_null: false,
            }
        }
        (Kind::Text, T::Dictionary(key, ..)) => text(dictionary(array, *key)?),
        (Kind::Text, _) => {
            let mut column = TextColumn::with_capacity(array.len(), 0);
            for value in strings(array)? {
                column.push(value.map(str::as_bytes));
            }
            text(column)
        }
        (_, dtype) => {
            return Err(format!(
                "a record batch has the type {dtype:?}, not the schema's"
            ))
        }
    })
}

fn downcast<A: 'static>(array: &dyn Array) -> std::result::Result<&A, String> {
    array
        .as_any()
        .downcast_ref::<A>()
        .ok_or_else(|| format!("an array of type {:?} is malformed", array.dtype()))
}

fn primitive<T: polars_arrow::types::NativeType>(
    array: &dyn Array,
) -> std::result::Result<&PrimitiveArray<T>, String> {
    downcast::<PrimitiveArray<T>>(array)
}

/// An integer column: numbers, and their `i64` values when none is null and all fit.
fn integers<T>(array: &PrimitiveArray<T>) -> Converted
where
    T: polars_arrow::types::NativeType + Into<i128>,
{
    let mut values = Vec::with_capacity(array.len());
    let mut ints = Some(Vec::with_capacity(array.len()));
    let mut saw_null = false;
    for value in array.iter() {
        match value.map(|&v| v.into()) {
            Some(v) => {
                values.push(v as f64);
                match (&mut ints, i64::try_from(v)) {
                    (Some(ints), Ok(v)) => ints.push(v),
                    _ => ints = None,
                }
            }
            None => {
                values.push(f64::NAN);
                saw_null = true;
                ints = None;
            }
        }
    }
    Converted {
        column: BatchColumn::Numeric(NumericColumn::new(values)),
        integers: ints,
        saw_null,
    }
}

/// A float column: NaN and nulls are both null.
/// A date-time or duration column: its integers as seconds.
fn seconds<T: polars_arrow::types::NativeType>(
    array: &PrimitiveArray<T>,
    to_seconds: impl Fn(T) -> f64,
) -> Converted {
    let values = array.iter().map(|v| v.map_or(f64::NAN, |&v| to_seconds(v)));
    Converted {
        column: BatchColumn::Numeric(NumericColumn::new(values.collect())),
        integers: None,
        saw_null: false,
    }
}

fn floats<T>(array: &PrimitiveArray<T>) -> Converted
where
    T: polars_arrow::types::NativeType + Into<f64>,
{
    let values = array
        .iter()
        .map(|v| v.map_or(f64::NAN, |&v| v.into()))
        .collect();
    Converted {
        column: BatchColumn::Numeric(NumericColumn::new(values)),
        integers: None,
        saw_null: false,
    }
}

/// The values of a string array of any of the three layouts.
fn strings(
    array: &dyn Array,
) -> std::result::Result<Box<dyn Iterator<Item = Option<&str>> + '_>, String> {
    Ok(match array.dtype() {
        ArrowDataType::Utf8 => Box::new(downcast::<Utf8Array<i32>>(array)?.iter()),
        ArrowDataType::LargeUtf8 => Box::new(downcast::<Utf8Array<i64>>(array)?.iter()),
        ArrowDataType::Utf8View => Box::new(downcast::<Utf8ViewArray>(array)?.iter()),
        dtype => return Err(format!("an array of type {dtype:?} is not text")),
    })
}

/// A dictionary of strings (pandas' `category`) as its values.
fn dictionary(array: &dyn Array, key: IntegerType) -> std::result::Result<TextColumn, String> {
    use IntegerType as K;
    match key {
        K::Int8 => lookup::<i8>(array),
        K::Int16 => lookup::<i16>(array),
        K::Int32 => lookup::<i32>(array),
        K::Int64 => lookup::<i64>(array),
        K::UInt8 => lookup::<u8>(array),
        K::UInt16 => lookup::<u16>(array),
        K::UInt32 => lookup::<u32>(array),
        K::UInt64 => lookup::<u64>(array),
        _ => Err(format!("dictionary keys of type {key:?} are not read")),
    }
}

fn lookup<K: DictionaryKey>(array: &dyn Array) -> std::result::Result<TextColumn, String> {
    let dictionary = downcast::<DictionaryArray<K>>(array)?;
    let values: Vec<Option<&str>> = strings(dictionary.values().as_ref())?.collect();
    let mut column = TextColumn::with_capacity(array.len(), 0);
    for key in dictionary.keys().iter() {
        let value = match key {
            None => None,
            Some(&key) => {
                let index: Option<usize> = key.try_into().ok();
                let value = index.and_then(|i| values.get(i));
                *value.ok_or("a dictionary key is out of range: the file is damaged")?
            }
        };
        column.push(value.map(str::as_bytes));
    }
    Ok(column)
}

#[cfg(test)]
mod tests {
    use polars_arrow::array::{MutableDictionaryArray, MutableUtf8Array, TryExtend};
    use polars_arrow::datatypes::{ArrowSchema, Field};
    use polars_arrow::io::ipc::write::{Compression, FileWriter, StreamWriter, WriteOptions};
    use polars_utils::compression::ZstdLevel;

    use super::*;
    use crate::batch::jsonl::tests::assert_same;
    use crate::batch::{Batch, Batches};
    use crate::input::Format;

    const CSV: &str = "id,x,label,kind,flag,small\n\
                       1,0.5,a,red,True,7\n\
                       2,,\"b, c\",blue,False,8\n\
                       3,-2.25,,red,,9\n\
                       4,1e-05,é,,True,10\n\
                       5,3.0,e,blue,False,11\n";

    /// The rows `rows` of the table `CSV` holds, as one Arrow record batch (the `kind`
    /// dictionary is the whole table's: an IPC file has one dictionary a column).
    fn record(rows: std::ops::Range<usize>) -> RecordBatchT<Box<dyn Array>> {
        let id: Vec<i64> = vec![1, 2, 3, 4, 5];
        let x = [Some(0.5), None, Some(-2.25), Some(1e-5), Some(3.0)];
        let label = [Some("a"), Some("b, c"), None, Some("é"), Some("e")];
        let kind = [Some("red"), Some("blue"), Some("red"), None, Some("blue")];
        let flag = [Some(true), Some(false), None, Some(true), Some(false)];
        let small: Vec<u8> = vec![7, 8, 9, 10, 11];
        let mut kinds = MutableDictionaryArray::<i8, MutableUtf8Array<i32>>::new(false);
        kinds.try_extend(kind.iter().copied()).unwrap();
        let arrays: Vec<Box<dyn Array>> = vec![
            PrimitiveArray::from_vec(id.to_vec()).boxed(),
            PrimitiveArray::<f64>::from(x.to_vec()).boxed(),
            Utf8Array::<i64>::from(label).boxed(),
            DictionaryArray::from(kinds).boxed(),
            BooleanArray::from(flag.to_vec()).boxed(),
            PrimitiveArray::from_vec(small.to_vec()).boxed(),
        ];
        let arrays: Vec<Box<dyn Array>> = arrays
            .iter()
            .map(|array| array.sliced(rows.start, rows.len()))
            .collect();
        let schema: ArrowSchema = ["id", "x", "label", "kind", "flag", "small"]
            .iter()
            .zip(&arrays)
            .map(|(name, array)| Field::new((*name).into(), array.dtype().clone(), true))
            .collect();
        RecordBatchT::new(rows.len(), Arc::new(schema), arrays)
    }

    fn file(records: &[RecordBatchT<Box<dyn Array>>], compression: Option<Compression>) -> Vec<u8> {
        let schema = Arc::new(records[0].schema().clone());
        let options = WriteOptions { compression };
        let mut writer = FileWriter::try_new(Vec::new(), schema, None, options).unwrap();
        for record in records {
            writer.write(record, None).unwrap();
        }
        writer.finish().unwrap();
        writer.into_inner()
    }

    fn stream(
        records: &[RecordBatchT<Box<dyn Array>>],
        compression: Option<Compression>,
    ) -> Vec<u8> {
        let mut writer = StreamWriter::new(Vec::new(), WriteOptions { compression });
        writer.start(records[0].schema(), None).unwrap();
        for record in records {
            writer.write(record, None).unwrap();
        }
        writer.finish().unwrap();
        writer.into_inner()
    }

    fn read(bytes: &[u8], name: &str, batch_rows: usize) -> Result<(Vec<Batch>, ColumnTypes)> {
        let input = Input::from_reader(bytes, name, Format::Arrow)?;
        let mut batches = Batches::open(&input, batch_rows)?;
        let mut all = Vec::new();
        while let Some(batch) = batches.next_batch()? {
            all.push(batch);
        }
        Ok((all, batches.types().clone()))
    }

    #[test]
    fn files_and_streams_read_as_the_csv_does() {
        let csv = Input::from_reader(CSV.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&csv, 2).unwrap();
        let mut expected = Vec::new();
        while let Some(batch) = batches.next_batch().unwrap() {
            expected.push(batch);
        }
        let expected_types = batches.types().clone();
        let zstd = Compression::ZSTD(ZstdLevel::try_new(3).unwrap());
        let split = [record(0..2), record(2..4), record(4..5)];
        let whole = [record(0..5)];
        for (what, bytes) in [
            ("file", file(&split, None)),
            ("file lz4", file(&split, Some(Compression::LZ4))),
            ("file zstd", file(&split, Some(zstd))),
            ("stream", stream(&split, None)),
            ("stream lz4", stream(&split, Some(Compression::LZ4))),
            // One record batch is cut to the batch size.
            ("whole file", file(&whole, None)),
            ("whole stream zstd", stream(&whole, Some(zstd))),
        ] {
            let (batches, types) = read(&bytes, "t.arrow", 2).unwrap();
            assert_eq!(types.names(), expected_types.names(), "{what}");
            assert_eq!(batches.len(), expected.len(), "{what}");
            for (batch, expected) in batches.iter().zip(&expected) {
                assert_eq!(batch.first_row(), expected.first_row(), "{what}");
                assert_same(batch, expected);
            }
            for j in 0..types.len() {
                assert_eq!(types.get(j), expected_types.get(j), "{what}: column {j}");
                assert_eq!(
                    types.is_integer(j),
                    expected_types.is_integer(j),
                    "{what}: {j}"
                );
            }
        }
    }

    /// A file of one column of this type and these values.
    fn one_column<T: polars_arrow::types::NativeType>(
        values: Vec<T>,
        dtype: ArrowDataType,
    ) -> Vec<u8> {
        let rows = values.len();
        let array = PrimitiveArray::<T>::from_vec(values).to(dtype.clone());
        let schema: ArrowSchema = [Field::new("when".into(), dtype, true)]
            .into_iter()
            .collect();
        file(
            &[RecordBatchT::new(
                rows,
                Arc::new(schema),
                vec![array.boxed()],
            )],
            None,
        )
    }

    #[test]
    fn dates_and_timestamps_are_date_times_and_durations_seconds() {
        use polars_arrow::datatypes::TimeUnit;
        let seconds = |bytes: &[u8]| {
            let (batches, types) = read(bytes, "t.arrow", 10).unwrap();
            let BatchColumn::Numeric(values) = batches[0].column(0) else {
                panic!("seconds")
            };
            (
                values.values().to_vec(),
                types.get(0),
                types.has_time_of_day(0),
            )
        };
        let days = one_column(vec![1i32, 2], ArrowDataType::Date32);
        assert_eq!(
            seconds(&days),
            (vec![86_400.0, 172_800.0], ColumnType::Datetime, false)
        );
        let zone = Some("Europe/Paris".into());
        let stamps = ArrowDataType::Timestamp(TimeUnit::Nanosecond, zone);
        let nanos = one_column(vec![1_500_000_000i64, -1], stamps);
        let (values, ty, timed) = seconds(&nanos);
        assert_eq!((values[0], ty, timed), (1.5, ColumnType::Datetime, true));
        assert!((values[1] + 1e-9).abs() < 1e-15);
        let lengths = one_column(
            vec![2_500i64],
            ArrowDataType::Duration(TimeUnit::Millisecond),
        );
        assert_eq!(seconds(&lengths).0, [2.5]);
        assert_eq!(seconds(&lengths).1, ColumnType::Numeric);
    }

    #[test]
    fn an_unsupported_type_is_refused_by_column_and_type() {
        use polars_arrow::datatypes::TimeUnit;
        let times = one_column(vec![1i64, 2], ArrowDataType::Time64(TimeUnit::Microsecond));
        let err = read(&times, "t.feather", 10).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Arrow);
        assert!(
            err.message.contains("\"when\"") && err.message.contains("Time64"),
            "{err}"
        );
    }

    #[test]
    fn truncated_and_damaged_files_are_errors_naming_the_file() {
        let records = [record(0..2), record(2..5)];
        let lz4 = Some(Compression::LZ4);
        for bytes in [file(&records, lz4), stream(&records, lz4)] {
            for cut in [3, bytes.len() / 3, bytes.len() / 2, bytes.len() * 2 / 3] {
                let err = read(&bytes[..cut], "t.arrow", 2).unwrap_err();
                assert_eq!(err.kind, ErrorKind::Arrow, "cut at {cut}: {err}");
                assert_eq!(err.location.source, "t.arrow");
            }
        }
        // Every byte flipped in turn: an error or other values, never a panic. Uncompressed: the
        // reader allocates what a compressed buffer's length field says, unchecked.
        for bytes in [file(&records, None), stream(&records, None)] {
            for at in 0..bytes.len() {
                let mut damaged = bytes.clone();
                damaged[at] ^= 0xA5;
                let outcome = std::panic::catch_unwind(|| read(&damaged, "t.arrow", 2));
                assert!(outcome.is_ok(), "a flipped byte at {at} panics");
            }
        }
        let err = read(b"FEA1\0\0\0\0", "old.feather", 2).unwrap_err();
        assert!(err.message.contains("Feather v1"), "{err}");
    }

    #[test]
    fn a_second_pass_over_a_changed_file_names_the_column() {
        let (_, types) = read(&file(&[record(0..5)], None), "t.arrow", 2).unwrap();
        let mut changed = record(0..5);
        let mut arrays = changed.arrays().to_vec();
        let schema: ArrowSchema = changed
            .schema()
            .iter_values()
            .enumerate()
            .map(|(j, field)| {
                let dtype = if j == 1 {
                    ArrowDataType::Utf8
                } else {
                    field.dtype.clone()
                };
                Field::new(field.name.clone(), dtype, true)
            })
            .collect();
        arrays[1] = Utf8Array::<i32>::from_slice(["1", "2", "3", "4", "5"]).boxed();
        changed = RecordBatchT::new(5, Arc::new(schema), arrays);
        let input = Input::from_reader(&file(&[changed], None)[..], "t.arrow", Format::Arrow);
        let mut again = Batches::with_types(&input.unwrap(), &types, 2).unwrap();
        let err = again.next_batch().unwrap_err();
        assert_eq!(err.location.column_name.as_deref(), Some("x"));
        assert!(err.message.contains("changed"), "{err}");
    }
}
