//! Arrow IPC: the file format (`.arrow`, and `.feather`, which is Feather v2) and the stream format
//! (`.arrows`), told apart by the file's first bytes, read one record batch at a time (cut to the
//! batch size the pass asks for); buffers compressed with lz4 (pandas' `to_feather` default) or
//! zstd are decompressed as they are read.
//!
//! Types map as Parquet's do: integers are numbers (`int64` as pandas reads them while no batch
//! holds a null), floats are numbers with NaN read as null, strings (`utf8`, `large_utf8`,
//! `utf8_view`) and dictionaries of strings (pandas' `category`) are text, booleans are boolean
//! columns (1 and 0, see [`ColumnType::Bool`]), a column of the `null` type is a numeric column
//! of nulls, and decimals are numbers (`f64`, to its 15–17 significant digits: the source says
//! which columns, [`IpcBatches::decimals`], for the caller to tell the user). Other types (times
//! of day, lists, structs, …) are refused by column and type.
//!
//! A damaged file is an error naming it, never a crash: polars-arrow's reader trusts some of the
//! lengths a file gives (it sizes buffers by them, and slices by a few unchecked), so each message
//! is checked against the file's size before the reader sees it ([`Layout`]), and a panic of the
//! reader is caught and reported as damage ([`guarded`]).

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use polars::prelude::PolarsResult;
use polars_arrow::array::{
    Array, BooleanArray, DictionaryArray, DictionaryKey, PrimitiveArray, Utf8Array, Utf8ViewArray,
};
use polars_arrow::datatypes::{ArrowDataType, IntegerType};
use polars_arrow::io::ipc::format::ipc as fb;
use polars_arrow::io::ipc::format::ipc::planus::ReadAsRoot;
use polars_arrow::io::ipc::read::{
    read_file_metadata, read_stream_metadata, FileReader, StreamReader, StreamState,
};
use polars_arrow::record_batch::RecordBatchT;
use polars_arrow::types::i256;
use rayon::prelude::*;

use super::column::{BatchColumn, DecodedColumns, NumericColumn, TextColumn};
use super::source::DecimalColumn;
use super::types::{ColumnType, ColumnTypes};
use crate::dates::{any_time_of_day, units_to_seconds};
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
    /// The file again, to check each message before the reader decodes it.
    layout: Layout,
    /// The decimal columns, read as `f64`.
    decimals: Vec<DecimalColumn>,
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
    /// A decimal of this scale (its integers divided by `10^scale`), read as `f64`.
    Decimal {
        scale: usize,
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
            T::Decimal(_, scale)
            | T::Decimal32(_, scale)
            | T::Decimal64(_, scale)
            | T::Decimal256(_, scale) => Kind::Decimal { scale: *scale },
            _ => return None,
        })
    }

    fn column_type(self) -> ColumnType {
        match self {
            Kind::Integer
            | Kind::Float
            | Kind::Null
            | Kind::Duration { .. }
            | Kind::Decimal { .. } => ColumnType::Numeric,
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
        let mut layout =
            Layout::new(input.reader()?).map_err(|e| DataError::io(input.disk_path(), &e))?;
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
        let cannot = |e: Failure| match e {
            Failure::Error(e) => fail(format!("cannot read it as Arrow IPC: {e}")),
            Failure::Panic(e) => damaged(input.name())(e),
        };
        let (reader, schema) = if magic[..read].starts_with(b"FEA1") {
            return Err(fail(
                "a Feather v1 file, which brisk does not read: write Feather v2 (pandas' \
                 to_feather and pyarrow's default)"
                    .to_owned(),
            ));
        } else if magic[..read] == *FILE_MAGIC {
            let mut counted = counted;
            let metadata = guarded(|| read_file_metadata(&mut counted)).map_err(cannot)?;
            // The reader reads every dictionary before the first record batch.
            for block in metadata.dictionaries.iter().flatten() {
                layout.check_block(block).map_err(damaged(input.name()))?;
            }
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
        let mut decimals = Vec::new();
        for field in schema.iter_values() {
            let Some(kind) = Kind::of(&field.dtype) else {
                return Err(fail(format!(
                    "column {:?} has the Arrow type {:?}, which brisk does not read; cast it to \
                     a number or a string",
                    field.name.as_str(),
                    field.dtype
                )));
            };
            if let Some(decimal) = DecimalColumn::of(&field.name, &field.dtype) {
                decimals.push(decimal);
            }
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
            layout,
            decimals,
        })
    }

    /// The decimal columns, which are read as `f64`.
    pub(super) fn decimals(&self) -> &[DecimalColumn] {
        &self.decimals
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
        // A batch takes `batch_rows` rows across record batches, as a CSV pass's chunks do, so
        // that every accumulator sees the batches of the file's CSV twin.
        let mut pieces: Vec<Vec<Result<Converted, String>>> = Vec::new();
        let mut taken = 0;
        while taken < self.batch_rows {
            let (record, start) = match self.current.take() {
                Some((record, start)) if start < record.len() => (record, start),
                _ => match self.next_record()? {
                    Some(record) => (record, 0),
                    None => break,
                },
            };
            let rows = (self.batch_rows - taken).min(record.len() - start);
            if record.arrays().len() != self.kinds.len() {
                return Err(arrow_error(&self.name)(format!(
                    "a record batch has {} columns, not the schema's {}",
                    record.arrays().len(),
                    self.kinds.len()
                )));
            }
            pieces.push(
                record
                    .arrays()
                    .par_iter()
                    .zip(&self.kinds)
                    .map(|(array, &kind)| convert(array.sliced(start, rows).as_ref(), kind))
                    .collect(),
            );
            self.current = Some((record, start + rows));
            taken += rows;
        }
        if pieces.is_empty() {
            return Ok(None);
        }
        let converted = join_pieces(pieces, self.kinds.len());
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
                if any_time_of_day(values.values()) {
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
            let checked = match &self.reader {
                Reader::File(reader) => {
                    match reader.metadata().blocks.get(reader.get_current_block()) {
                        Some(block) => self.layout.check_block(block),
                        None => Ok(()),
                    }
                }
                Reader::Stream(_) => self
                    .layout
                    .check_stream(self.position.load(Ordering::Relaxed)),
            };
            checked.map_err(damaged(&self.name))?;
            let next = match &mut self.reader {
                Reader::File(reader) => guarded(|| reader.next().transpose()),
                Reader::Stream(reader) => guarded(|| match reader.next().transpose()? {
                    Some(StreamState::Some(record)) => Ok(Some(record)),
                    // A stream may end without its end-of-stream marker.
                    Some(StreamState::Waiting) | None => Ok(None),
                }),
            };
            let next = next.map_err(|e| match e {
                Failure::Error(e) => fail(format!("cannot read a record batch: {e}")),
                Failure::Panic(e) => damaged(&self.name)(e),
            })?;
            match next {
                Some(record) if record.is_empty() => continue,
                record => return Ok(record),
            }
        }
    }
}

fn arrow_error(name: &str) -> impl Fn(String) -> DataError + '_ {
    move |message| DataError::new(ErrorKind::Arrow, Location::source(name), message)
}

/// The error of a file found damaged: "the Arrow data is damaged: …".
fn damaged(name: &str) -> impl Fn(String) -> DataError + '_ {
    move |why| arrow_error(name)(format!("the Arrow data is damaged: {why}"))
}

/// Why a step of the reader failed.
enum Failure {
    /// The reader's own error.
    Error(String),
    /// The reader panicked (the panic's message).
    Panic(String),
}

/// Runs a step of the IPC reader, a panic becoming an error: the reader checks most of what it
/// reads but unwraps a few fields and slices a few buffers of a damaged file unchecked, which
/// [`Layout`] cannot all foresee. The panic is silent ([`crate::guard::catch`]).
fn guarded<T>(step: impl FnOnce() -> PolarsResult<T>) -> std::result::Result<T, Failure> {
    match crate::guard::catch(step) {
        Ok(outcome) => outcome.map_err(|e| Failure::Error(e.to_string())),
        Err(panic) => Err(Failure::Panic(panic)),
    }
}

/// The most rows brisk reads from one record batch: lengths past it are damage (a record batch
/// of a million rows is already large; a column of the `null` type costs no bytes a row, so its
/// length is bounded by nothing else).
const MAX_BATCH_ROWS: i64 = 1 << 32;

/// How many times a compressed buffer can grow, at most, decompressed: an LZ4 match costs a byte
/// per 255 bytes it repeats, and a Zstandard block of at most 128 KiB costs at least 4 bytes (a
/// run-length block). A length field past these is damage, whatever the bytes decompress to.
fn max_expansion(codec: fb::CompressionType) -> u64 {
    match codec {
        fb::CompressionType::Lz4Frame => 256,
        fb::CompressionType::Zstd => 32_768,
    }
}

/// The checks of a message's layout that polars-arrow's reader leaves out, made before it reads
/// the message: lengths within the file, buffers within the message's body, array lengths
/// within the record batch's, and the lengths compressed buffers give for their decompressed
/// bytes within what their bytes can expand to. The reader allocates by these lengths, so a
/// damaged one could ask for more memory than exists (which aborts, caught or not).
struct Layout {
    file: File,
    len: u64,
}

impl Layout {
    fn new(file: File) -> io::Result<Layout> {
        let len = file.metadata()?.len();
        Ok(Layout { file, len })
    }

    fn read_at(&mut self, at: u64, buf: &mut [u8]) -> std::result::Result<(), String> {
        let end = at.checked_add(buf.len() as u64);
        if end.is_none_or(|end| end > self.len) {
            return Err(format!(
                "{} bytes at byte {at} are past the end of the file ({} bytes)",
                buf.len(),
                self.len
            ));
        }
        self.file
            .seek(SeekFrom::Start(at))
            .and_then(|_| self.file.read_exact(buf))
            .map_err(|e| format!("cannot read byte {at}: {e}"))
    }

    /// The message at `at`: its flatbuffer, and where its body starts. `None` at the end of a
    /// stream (no more bytes, or the end-of-stream marker).
    fn message_at(&mut self, at: u64) -> std::result::Result<Option<(Vec<u8>, u64)>, String> {
        if at >= self.len {
            return Ok(None);
        }
        let mut prefix = [0u8; 4];
        let mut start = at;
        self.read_at(start, &mut prefix)?;
        start += 4;
        if prefix == [0xFF; 4] {
            self.read_at(start, &mut prefix)?;
            start += 4;
        }
        let length = i32::from_le_bytes(prefix);
        let length = u64::try_from(length).map_err(|_| format!("a message length is {length}"))?;
        if length == 0 {
            return Ok(None);
        }
        if start.saturating_add(length) > self.len {
            return Err(format!(
                "a message of {length} bytes at byte {at} ends past the end of the file ({} \
                 bytes)",
                self.len
            ));
        }
        let mut message = vec![0u8; length as usize];
        self.read_at(start, &mut message)?;
        Ok(Some((message, start + length)))
    }

    /// Checks the record batch or dictionary at a block of an IPC file's footer.
    fn check_block(&mut self, block: &fb::Block) -> std::result::Result<(), String> {
        let offset = u64::try_from(block.offset);
        let metadata = u64::try_from(block.meta_data_length);
        let body = u64::try_from(block.body_length);
        let (Ok(offset), Ok(metadata), Ok(body)) = (offset, metadata, body) else {
            return Err(format!("a block of the footer is {block:?}"));
        };
        let end = offset
            .checked_add(metadata)
            .and_then(|x| x.checked_add(body));
        if end.is_none_or(|end| end > self.len) {
            return Err(format!(
                "a block of the footer ({block:?}) ends past the end of the file ({} bytes)",
                self.len
            ));
        }
        let Some((message, _)) = self.message_at(offset)? else {
            return Err(format!("the block at byte {offset} holds no message"));
        };
        // The reader takes the body to start after the block's metadata length.
        self.check_message(&message, offset + metadata)?;
        Ok(())
    }

    /// Checks the messages of a stream from byte `at` up to its next record batch: the
    /// dictionaries the reader reads on its way, and the record batch.
    fn check_stream(&mut self, mut at: u64) -> std::result::Result<(), String> {
        while let Some((message, body)) = self.message_at(at)? {
            match self.check_message(&message, body)? {
                Some(end) => at = end,
                None => break,
            }
        }
        Ok(())
    }

    /// Checks one message whose body starts at byte `body`: `Some(end of its body)` when the
    /// reader goes on to the next message (a dictionary), `None` otherwise.
    fn check_message(
        &mut self,
        message: &[u8],
        body: u64,
    ) -> std::result::Result<Option<u64>, String> {
        let bad = |e: fb::planus::Error| format!("a message is malformed: {e}");
        let message = fb::MessageRef::read_as_root(message).map_err(bad)?;
        let length = message.body_length().map_err(bad)?;
        let end = u64::try_from(length)
            .ok()
            .and_then(|length| body.checked_add(length));
        let Some(end) = end.filter(|&end| end <= self.len) else {
            return Err(format!(
                "a message's body of {length} bytes at byte {body} ends past the end of the file \
                 ({} bytes)",
                self.len
            ));
        };
        match message.header().map_err(bad)? {
            Some(fb::MessageHeaderRef::RecordBatch(batch)) => {
                self.check_batch(batch, body, end - body)?;
                Ok(None)
            }
            Some(fb::MessageHeaderRef::DictionaryBatch(dictionary)) => {
                if let Some(batch) = dictionary.data().map_err(bad)? {
                    self.check_batch(batch, body, end - body)?;
                }
                Ok(Some(end))
            }
            // The reader refuses any other message.
            _ => Ok(None),
        }
    }

    fn check_batch(
        &mut self,
        batch: fb::RecordBatchRef,
        body: u64,
        body_length: u64,
    ) -> std::result::Result<(), String> {
        let bad = |e: fb::planus::Error| format!("a record batch is malformed: {e}");
        let rows = batch.length().map_err(bad)?;
        if !(0..=MAX_BATCH_ROWS).contains(&rows) {
            return Err(format!("a record batch has {rows} rows"));
        }
        for node in batch.nodes().map_err(bad)?.into_iter().flatten() {
            let (length, nulls) = (node.length(), node.null_count());
            if !(0..=rows).contains(&length) || !(0..=length).contains(&nulls) {
                return Err(format!(
                    "an array of a record batch of {rows} rows has {length} values and {nulls} \
                     nulls"
                ));
            }
        }
        let codec = match batch.compression().map_err(bad)? {
            Some(compression) => Some(compression.codec().map_err(bad)?),
            None => None,
        };
        for buffer in batch.buffers().map_err(bad)?.into_iter().flatten() {
            let (offset, length) = (buffer.offset(), buffer.length());
            let within = u64::try_from(offset).ok().zip(u64::try_from(length).ok());
            let Some((offset, length)) = within.filter(|&(offset, length)| {
                offset
                    .checked_add(length)
                    .is_some_and(|end| end <= body_length)
            }) else {
                return Err(format!(
                    "a buffer of {length} bytes at {offset} is out of its message's body of \
                     {body_length} bytes"
                ));
            };
            let Some(codec) = codec else { continue };
            if length == 0 {
                continue;
            }
            // A compressed buffer: the length of its bytes decompressed, then the bytes.
            if length < 8 {
                return Err(format!("a compressed buffer has {length} bytes"));
            }
            let mut field = [0u8; 8];
            self.read_at(body + offset, &mut field)?;
            let decompressed = i64::from_le_bytes(field);
            // -1: not compressed after all.
            if decompressed == -1 {
                continue;
            }
            let most = (length - 8).saturating_mul(max_expansion(codec)) + 64;
            if u64::try_from(decompressed).is_ok_and(|d| d <= most) {
                continue;
            }
            return Err(format!(
                "a compressed buffer of {length} bytes says it holds {decompressed} bytes \
                 ({codec:?} expands it to {most} at most)"
            ));
        }
        Ok(())
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

/// Each column's converted pieces (one a record batch the batch spans) as one.
fn join_pieces(
    pieces: Vec<Vec<Result<Converted, String>>>,
    columns: usize,
) -> Vec<Result<Converted, String>> {
    let mut pieces = pieces.into_iter();
    let first = pieces.next().unwrap_or_default();
    let rest: Vec<_> = pieces.collect();
    if rest.is_empty() {
        return first;
    }
    let mut joined = first;
    for piece in rest {
        for (column, next) in joined.iter_mut().zip(piece).take(columns) {
            let next = match next {
                Ok(next) => next,
                Err(message) => {
                    *column = Err(message);
                    continue;
                }
            };
            if let Ok(converted) = column {
                converted.append(next);
            }
        }
    }
    joined
}

impl Converted {
    /// The rows of `next` after these.
    fn append(&mut self, next: Converted) {
        match (&mut self.column, next.column) {
            (BatchColumn::Numeric(values), BatchColumn::Numeric(more)) => values.extend_from(&more),
            (BatchColumn::Text(text), BatchColumn::Text(more)) => {
                more.iter().for_each(|value| text.push(value));
            }
            _ => unreachable!("a column converts to one kind of batch column"),
        }
        self.integers = match (self.integers.take(), next.integers) {
            (Some(mut ints), Some(more)) => {
                ints.extend(more);
                Some(ints)
            }
            _ => None,
        };
        self.saw_null |= next.saw_null;
    }
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
        (Kind::Decimal { scale }, T::Decimal(..)) => decimals(primitive::<i128>(array)?, scale),
        (Kind::Decimal { scale }, T::Decimal32(..)) => decimals(primitive::<i32>(array)?, scale),
        (Kind::Decimal { scale }, T::Decimal64(..)) => decimals(primitive::<i64>(array)?, scale),
        (Kind::Decimal { scale }, T::Decimal256(..)) => decimals(primitive::<i256>(array)?, scale),
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

/// The integer of a decimal, as `f64`.
trait DecimalInteger: polars_arrow::types::NativeType {
    fn to_f64(self) -> f64;
}

impl DecimalInteger for i32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl DecimalInteger for i64 {
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl DecimalInteger for i128 {
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl DecimalInteger for i256 {
    fn to_f64(self) -> f64 {
        self.0.as_f64()
    }
}

/// A decimal column as `f64`: each integer divided by `10^scale` (exact powers of ten up to
/// `10^22`, so a value whose integer fits in 53 bits is the nearest `f64`).
fn decimals<T: DecimalInteger>(array: &PrimitiveArray<T>, scale: usize) -> Converted {
    let divisor = 10f64.powi(i32::try_from(scale).unwrap_or(i32::MAX));
    let values = array
        .iter()
        .map(|v| v.map_or(f64::NAN, |&v| v.to_f64() / divisor))
        .collect();
    Converted {
        column: BatchColumn::Numeric(NumericColumn::new(values)),
        integers: None,
        saw_null: false,
    }
}

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

/// A float column: NaN and nulls are both null.
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
        let uneven = [record(0..1), record(1..4), record(4..5)];
        for (what, bytes) in [
            ("file", file(&split, None)),
            ("file lz4", file(&split, Some(Compression::LZ4))),
            ("file zstd", file(&split, Some(zstd))),
            ("stream", stream(&split, None)),
            ("stream lz4", stream(&split, Some(Compression::LZ4))),
            // One record batch is cut to the batch size, and batches span record batches.
            ("whole file", file(&whole, None)),
            ("uneven file", file(&uneven, None)),
            ("uneven stream", stream(&uneven, Some(Compression::LZ4))),
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
    fn decimals_are_numbers_and_listed() {
        let cases = [
            one_column(vec![1234i128, -50, 0], ArrowDataType::Decimal(10, 2)),
            one_column(vec![1234i64, -50, 0], ArrowDataType::Decimal64(12, 2)),
        ];
        for bytes in cases {
            let input = Input::from_reader(&bytes[..], "t.arrow", Format::Arrow).unwrap();
            let mut batches = Batches::open(&input, 10).unwrap();
            let decimals = batches.decimals();
            assert_eq!(decimals.len(), 1);
            assert_eq!((decimals[0].name.as_str(), decimals[0].scale), ("when", 2));
            let batch = batches.next_batch().unwrap().unwrap();
            let BatchColumn::Numeric(values) = batch.column(0) else {
                panic!("numbers")
            };
            assert_eq!(values.values(), [12.34, -0.5, 0.0]);
            assert_eq!(batches.types().get(0), ColumnType::Numeric);
        }
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
        // Every byte flipped in turn, and every 8 bytes set to a huge length (the length of a
        // compressed buffer's bytes decompressed, which the reader allocates, among them): an
        // error naming the file or other values, never a panic nor an allocation that aborts.
        let zstd = Some(Compression::ZSTD(ZstdLevel::try_new(3).unwrap()));
        for compression in [None, lz4, zstd] {
            for bytes in [file(&records, compression), stream(&records, compression)] {
                let mut damaged_copies = Vec::new();
                for at in 0..bytes.len() {
                    let mut damaged = bytes.clone();
                    damaged[at] ^= 0xA5;
                    damaged_copies.push((format!("byte {at} flipped"), damaged));
                }
                // Buffers start 8-byte aligned.
                for at in (0..bytes.len() - 8).step_by(8) {
                    let mut damaged = bytes.clone();
                    damaged[at..at + 8].copy_from_slice(&(1i64 << 40).to_le_bytes());
                    damaged_copies.push((format!("2^40 at byte {at}"), damaged));
                }
                for (what, damaged) in damaged_copies {
                    let outcome = std::panic::catch_unwind(|| read(&damaged, "t.arrow", 2));
                    let outcome = outcome.unwrap_or_else(|_| panic!("{what}: a panic"));
                    if let Err(err) = outcome {
                        assert_eq!(err.location.source, "t.arrow", "{what}: {err}");
                    }
                }
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
