//! [`Batches`]: a pass over an input as typed batches, and the [`Batch`] it yields.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use super::column::{BatchColumn, DecodedColumns};
use super::csv::decode_chunk;
use super::ipc::IpcBatches;
use super::jsonl::JsonLines;
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
    /// The line of each row of a CSV or JSON-lines input; empty for other formats.
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

    /// A batch of a decoder's columns; `lines` are the rows' lines in a text input (empty
    /// otherwise).
    fn decoded(first_row: u64, decoded: DecodedColumns, lines: Vec<u64>) -> Batch {
        Batch {
            first_row,
            columns: decoded.columns,
            integers: decoded.integers,
            lines,
        }
    }

    /// The same rows placed at data row `first_row` (a partition's rows among a table's).
    pub fn with_first_row(mut self, first_row: u64) -> Batch {
        self.first_row = first_row;
        self
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

    /// Only these columns (distinct indices), in this order.
    fn project(mut self, columns: &[usize]) -> Batch {
        let mut take = |j: usize| {
            let empty = BatchColumn::Numeric(super::NumericColumn::default());
            (
                std::mem::replace(&mut self.columns[j], empty),
                self.integers[j].take(),
            )
        };
        let (columns, integers) = columns.iter().map(|&j| take(j)).unzip();
        Batch {
            columns,
            integers,
            ..self
        }
    }

    /// Where row `row` of the batch is: its line in a CSV or JSON lines, its row otherwise.
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

    /// The rows the whole input likely holds, from the `rows` read so far and the share of the
    /// bytes they took, with 2% to spare; `None` when the size is unknown. Accumulators reserve
    /// for it once instead of doubling, or go to their bounded form from the start.
    fn expected_rows(&self, rows: u64) -> Option<usize> {
        let (bytes, total) = self.progress();
        let total = total.filter(|_| bytes > 0)?;
        Some((rows as f64 * total as f64 / bytes as f64 * 1.02) as usize)
    }
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

/// A decimal column of a Parquet or Arrow input, read as `f64` (to its 15–17 significant
/// digits): [`Batches::decimals`] lists them for the caller to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalColumn {
    /// The column's name.
    pub name: String,
    /// Digits in all.
    pub precision: usize,
    /// Digits after the point.
    pub scale: usize,
}

impl DecimalColumn {
    /// The column `name` when its Arrow type is a decimal.
    pub(super) fn of(
        name: &str,
        dtype: &polars_arrow::datatypes::ArrowDataType,
    ) -> Option<DecimalColumn> {
        use polars_arrow::datatypes::ArrowDataType as T;
        match *dtype {
            T::Decimal(precision, scale)
            | T::Decimal32(precision, scale)
            | T::Decimal64(precision, scale)
            | T::Decimal256(precision, scale) => Some(DecimalColumn {
                name: name.to_owned(),
                precision,
                scale,
            }),
            _ => None,
        }
    }
}

/// A text input's bytes, decompressed as they are read ([`Input::text`]).
type Text = Box<dyn std::io::Read + Send>;

/// An opened input, before its decoding starts.
enum Source {
    Csv(Chunks<Text>),
    Json(JsonLines),
    Parquet(RowGroups),
    Arrow(Box<IpcBatches>),
    Npy(NpyRows),
}

enum Decoder {
    Csv(CsvDecoder),
    Json(JsonLines),
    Parquet(RowGroups),
    Arrow(Box<IpcBatches>),
    Npy(NpyRows),
}

/// A CSV pass: opened, then decoding from its first batch on.
struct CsvDecoder {
    pending: Option<PendingCsv>,
    ahead: Option<DecodeAhead>,
}

/// A CSV pass before its first batch: the columns to decode may still be chosen.
struct PendingCsv {
    chunks: Box<Chunks<Text>>,
    /// The columns to decode, when not all.
    selected: Option<Vec<bool>>,
}

/// A CSV batch decoded ahead, with what the pass knew once it was decoded.
struct Decoded {
    batch: Batch,
    bytes_read: u64,
    types: ColumnTypes,
}

/// CSV batches decoded on a thread of their own (fed by the chunk reader's thread), so that the
/// caller's work on one batch overlaps the parsing of the next: the types are inferred on that
/// thread and travel with each batch.
struct DecodeAhead {
    /// Decoded batches, or the error that ended the pass.
    decoded: Option<Receiver<Result<Decoded>>>,
    thread: Option<JoinHandle<()>>,
}

/// Batches decoded and waiting: with the one being decoded and the caller's, four at most. Two
/// let the decoding run on through a batch that takes the caller longer than usual.
const DECODED_AHEAD: usize = 2;

impl DecodeAhead {
    fn start(
        chunks: Chunks<Text>,
        types: ColumnTypes,
        name: String,
        selected: Option<Vec<bool>>,
    ) -> Self {
        let (sender, decoded) = sync_channel(DECODED_AHEAD);
        let thread = thread::spawn(move || {
            decode_ahead(chunks, types, &name, selected.as_deref(), &sender);
        });
        DecodeAhead {
            decoded: Some(decoded),
            thread: Some(thread),
        }
    }

    fn next(&mut self) -> Result<Option<Decoded>> {
        let Some(decoded) = &self.decoded else {
            return Ok(None);
        };
        match decoded.recv() {
            Ok(outcome) => outcome.map(Some),
            // A closed channel is the end of the input (the thread sends errors before it
            // stops), unless the thread panicked: then the panic goes on here.
            Err(_) => {
                if let Some(Err(panic)) = self.thread.take().map(JoinHandle::join) {
                    std::panic::resume_unwind(panic);
                }
                Ok(None)
            }
        }
    }
}

impl Drop for DecodeAhead {
    fn drop(&mut self) {
        // Closing the channel stops the thread at its next send; its chunk reader stops with it.
        drop(self.decoded.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn decode_ahead(
    mut chunks: Chunks<Text>,
    mut types: ColumnTypes,
    name: &str,
    selected: Option<&[bool]>,
    sender: &SyncSender<Result<Decoded>>,
) {
    let mut first_row = 0u64;
    loop {
        let outcome = match chunks.next_chunk() {
            Ok(None) => return,
            Ok(Some(parsed)) => {
                let chunk = parsed.chunk;
                let decoded = decode_chunk(&chunk, &mut types, name, first_row, selected);
                let lines = (0..chunk.rows()).map(|r| chunk.line(r)).collect();
                chunks.recycle(chunk);
                decoded.map(|columns| Decoded {
                    batch: Batch::decoded(first_row, columns, lines),
                    bytes_read: parsed.bytes_read,
                    types: types.clone(),
                })
            }
            Err(e) => Err(e),
        };
        let failed = outcome.is_err();
        if let Ok(decoded) = &outcome {
            first_row += decoded.batch.rows() as u64;
        }
        if sender.send(outcome).is_err() || failed {
            return;
        }
    }
}

/// The columns a pass shows of its input, and their types.
struct Projection {
    /// Indices into the input's columns.
    columns: Vec<usize>,
    types: ColumnTypes,
}

/// One pass over an input, batch by batch.
pub struct Batches {
    name: String,
    decoder: Decoder,
    /// Every column of the input, as the decoders type them.
    types: ColumnTypes,
    /// The columns the pass shows ([`InputOptions::columns`](crate::input::InputOptions) and
    /// `exclude`), when not all.
    projection: Option<Projection>,
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
        let (source, names) = match input.format() {
            Format::Csv | Format::Tsv => {
                let reader = input.csv(batch_rows)?;
                let names = reader.header().to_vec();
                (Source::Csv(Chunks::new(reader, 2)), names)
            }
            Format::JsonLines => {
                let records = JsonLines::open(input, batch_rows)?;
                let names = records.names().to_vec();
                (Source::Json(records), names)
            }
            Format::Parquet => {
                let groups = RowGroups::open(input, batch_rows)?;
                let names = groups.names().to_vec();
                (Source::Parquet(groups), names)
            }
            Format::Arrow => {
                let records = IpcBatches::open(input, batch_rows)?;
                let names = records.names().to_vec();
                (Source::Arrow(Box::new(records)), names)
            }
            Format::Npy => {
                let rows = NpyRows::open(input, batch_rows)?;
                let names = (0..rows.cols()).map(|j| j.to_string()).collect();
                (Source::Npy(rows), names)
            }
        };
        let projection = input.projection(&names)?;
        let shown_names: Vec<String> = match &projection {
            Some(p) => p.iter().map(|&j| names[j].clone()).collect(),
            None => names.clone(),
        };
        let types = match types {
            Some(types) if types.names() != shown_names.as_slice() => {
                return Err(DataError::new(
                    ErrorKind::Io,
                    Location::source(&name),
                    "the header changed between the passes over the file; run again on a file at \
                     rest",
                ))
            }
            Some(types) => match &projection {
                Some(p) => types.widen(names, p),
                None => types,
            },
            None => {
                let mut types = ColumnTypes::infer(names);
                match &source {
                    Source::Parquet(groups) => groups.declare_types(&mut types),
                    Source::Arrow(records) => records.declare_types(&mut types),
                    // NumPy arrays of any dtype are matrices of numbers (never `int64` columns).
                    Source::Npy(_) => (0..types.len())
                        .for_each(|j| types.set(j, super::ColumnType::Numeric, false)),
                    Source::Csv(_) | Source::Json(_) => input.date_rules(&mut types)?,
                }
                types
            }
        };
        let decoder = match source {
            Source::Csv(chunks) => Decoder::Csv(CsvDecoder {
                pending: Some(PendingCsv {
                    chunks: Box::new(chunks),
                    // Columns not shown are split but never parsed.
                    selected: projection.as_ref().map(|p| mask(types.len(), p)),
                }),
                ahead: None,
            }),
            Source::Json(records) => Decoder::Json(records),
            Source::Parquet(groups) => Decoder::Parquet(groups),
            Source::Arrow(records) => Decoder::Arrow(records),
            Source::Npy(rows) => Decoder::Npy(rows),
        };
        let projection = projection.map(|columns| Projection {
            types: types.project(&columns),
            columns,
        });
        Ok(Batches {
            name,
            decoder,
            types,
            projection,
            next_row: 0,
            bytes_read: 0,
            total_bytes: input.len(),
        })
    }

    /// Decodes only these columns of a CSV (indices into the header); the others come as
    /// columns of nulls, their fields split but never parsed, and their types stay as inferred
    /// before the first row. A job that reads a few columns of a wide file calls this before its
    /// first batch (later calls change nothing). Other inputs decode every column.
    pub fn decode_only(&mut self, columns: &[usize]) {
        if let Decoder::Csv(CsvDecoder {
            pending: Some(pending),
            ..
        }) = &mut self.decoder
        {
            let columns: Vec<usize> = match &self.projection {
                Some(p) => columns.iter().map(|&k| p.columns[k]).collect(),
                None => columns.to_vec(),
            };
            pending.selected = Some(mask(self.types.len(), &columns));
        }
    }

    /// The column types as known so far (final once the pass has ended).
    pub fn types(&self) -> &ColumnTypes {
        match &self.projection {
            Some(p) => &p.types,
            None => &self.types,
        }
    }

    /// The decimal columns of a Parquet or Arrow input that the pass shows, which it reads as
    /// `f64`; none for other inputs.
    pub fn decimals(&self) -> Vec<DecimalColumn> {
        let all = match &self.decoder {
            Decoder::Parquet(groups) => groups.decimals(),
            Decoder::Arrow(records) => records.decimals(),
            Decoder::Csv(_) | Decoder::Json(_) | Decoder::Npy(_) => &[],
        };
        let shown = self.types().names();
        let shown = |decimal: &&DecimalColumn| shown.contains(&decimal.name);
        all.iter().filter(shown).cloned().collect()
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
    /// A malformed record (ragged, unterminated quote, invalid UTF-8, binary; a JSON line that is
    /// not a flat object), a read error, or a field that contradicts the types of an earlier pass.
    pub fn next_batch(&mut self) -> Result<Option<Batch>> {
        let first_row = self.next_row;
        let batch = match &mut self.decoder {
            Decoder::Csv(csv) => {
                if let Some(PendingCsv { chunks, selected }) = csv.pending.take() {
                    csv.ahead = Some(DecodeAhead::start(
                        *chunks,
                        self.types.clone(),
                        self.name.clone(),
                        selected,
                    ));
                }
                let Some(ahead) = csv.ahead.as_mut() else {
                    return Ok(None);
                };
                let Some(decoded) = ahead.next()? else {
                    return Ok(None);
                };
                self.bytes_read = decoded.bytes_read;
                self.types = decoded.types;
                decoded.batch
            }
            Decoder::Json(records) => {
                let Some((columns, lines)) = records.next_batch(&mut self.types, first_row)? else {
                    return Ok(None);
                };
                self.bytes_read = records.bytes_read();
                Batch::decoded(first_row, columns, lines)
            }
            Decoder::Parquet(groups) => {
                let Some(columns) = groups.next_batch(&mut self.types)? else {
                    return Ok(None);
                };
                self.bytes_read = groups.bytes_hint();
                Batch::decoded(first_row, columns, Vec::new())
            }
            Decoder::Arrow(records) => {
                let Some(columns) = records.next_batch(&mut self.types, first_row)? else {
                    return Ok(None);
                };
                self.bytes_read = records.bytes_read();
                Batch::decoded(first_row, columns, Vec::new())
            }
            Decoder::Npy(rows) => {
                let Some(columns) = rows.next_rows() else {
                    return Ok(None);
                };
                self.bytes_read = rows.bytes_hint();
                Batch::from_columns(first_row, columns)
            }
        };
        let batch = match &mut self.projection {
            Some(p) => {
                p.types = self.types.project(&p.columns);
                batch.project(&p.columns)
            }
            None => batch,
        };
        self.next_row += batch.rows() as u64;
        Ok(Some(batch))
    }
}

/// A mask of `len` columns with these set.
fn mask(len: usize, columns: &[usize]) -> Vec<bool> {
    let mut mask = vec![false; len];
    columns.iter().for_each(|&j| mask[j] = true);
    mask
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::BatchColumn;
    use crate::input::InputOptions;

    fn csv(rows: usize) -> String {
        let mut text = String::from("x,late,label\n");
        for i in 0..rows {
            let late = if i == rows - 1 {
                "word".to_owned()
            } else {
                i.to_string()
            };
            text.push_str(&format!("{}.5,{late},{}\n", i, ["a", "b"][i % 2]));
        }
        text
    }

    #[test]
    fn only_the_chosen_columns_are_decoded() {
        let input = Input::from_reader(csv(50).as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, 7).unwrap();
        batches.decode_only(&[0, 2]);
        let mut rows = 0;
        while let Some(batch) = batches.next_batch().unwrap() {
            let BatchColumn::Numeric(x) = batch.column(0) else {
                panic!("x is numeric")
            };
            assert_eq!(x.values()[0], rows as f64 + 0.5);
            let BatchColumn::Numeric(late) = batch.column(1) else {
                panic!("a skipped column comes as numbers")
            };
            assert!(late.values().iter().all(|v| v.is_nan()));
            assert!(matches!(batch.column(2), BatchColumn::Text(_)));
            rows += batch.rows();
        }
        assert_eq!(rows, 50);
        // The text in the skipped column was never parsed: nothing turned.
        assert!(!batches.types().turned_late());
        assert!(batches.types().is_numeric(1));
    }

    #[test]
    fn choosing_after_the_first_batch_changes_nothing() {
        let input = Input::from_reader(csv(20).as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut batches = Batches::open(&input, 7).unwrap();
        let first = batches.next_batch().unwrap().unwrap();
        batches.decode_only(&[0]);
        let mut last = first;
        while let Some(batch) = batches.next_batch().unwrap() {
            last = batch;
        }
        assert!(matches!(last.column(2), BatchColumn::Text(_)));
        assert!(batches.types().turned_late());
    }

    #[test]
    fn parquet_row_groups_are_cut_into_the_batches_of_a_csv_pass() {
        use polars::prelude::ParquetWriter;
        let text: String = std::iter::once("x,s\n".to_owned())
            .chain((0..50).map(|i| format!("{i}.25,{}\n", ["a", "b"][i % 2])))
            .collect();
        let csv = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
        let mut frame = crate::frame::read_frame(&csv).unwrap().frame;
        let mut bytes = Vec::new();
        // Row groups of twice the batch, as pandas' 2²⁰ rows are of 65,536.
        ParquetWriter::new(&mut bytes)
            .with_row_group_size(Some(16))
            .finish(&mut frame)
            .unwrap();
        let parquet = Input::from_reader(bytes.as_slice(), "t.parquet", Format::Parquet).unwrap();
        let batches = |input: &Input| {
            let mut batches = Batches::open(input, 8).unwrap();
            let mut all = Vec::new();
            while let Some(batch) = batches.next_batch().unwrap() {
                all.push((batch.first_row(), format!("{:?}", batch.columns())));
            }
            all
        };
        let from_parquet = batches(&parquet);
        let rows: Vec<u64> = from_parquet.iter().map(|b| b.0).collect();
        assert_eq!(rows, [0, 8, 16, 24, 32, 40, 48]);
        assert_eq!(from_parquet, batches(&csv));
    }

    /// The input, and the folder that holds it while it is read.
    fn with_options(text: &str, options: InputOptions) -> (Input, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, text).unwrap();
        (Input::open_with(&path, options).unwrap(), dir)
    }

    #[test]
    fn a_pass_shows_only_the_chosen_columns_in_their_order_on_every_pass() {
        let options = InputOptions {
            columns: Some(vec!["label".into(), "x".into()]),
            ..InputOptions::default()
        };
        let (input, _dir) = with_options(&csv(30), options);
        let mut batches = Batches::open(&input, 7).unwrap();
        let mut rows = 0;
        while let Some(batch) = batches.next_batch().unwrap() {
            assert_eq!(batch.columns().len(), 2);
            assert!(matches!(batch.column(0), BatchColumn::Text(_)));
            let BatchColumn::Numeric(x) = batch.column(1) else {
                panic!("x is numeric")
            };
            assert_eq!(x.values()[0], rows as f64 + 0.5);
            assert_eq!(batch.integers(1), None);
            rows += batch.rows();
        }
        assert_eq!(rows, 30);
        // `late` turns to text in its last row, but it is not read.
        assert!(!batches.types().turned_late());
        assert_eq!(batches.types().names(), ["label", "x"]);
        let mut again = Batches::with_types(&input, batches.types(), 7).unwrap();
        again.decode_only(&[1]);
        let first = again.next_batch().unwrap().unwrap();
        let BatchColumn::Numeric(x) = first.column(1) else {
            panic!("x is numeric")
        };
        assert_eq!(x.values()[1], 1.5);
    }

    #[test]
    fn excluded_columns_are_left_out_and_unknown_names_are_errors() {
        let options = InputOptions {
            exclude: vec!["late".into()],
            ..InputOptions::default()
        };
        let (input, _dir) = with_options(&csv(5), options);
        let mut batches = Batches::open(&input, 7).unwrap();
        assert_eq!(batches.types().names(), ["x", "label"]);
        assert_eq!(batches.next_batch().unwrap().unwrap().columns().len(), 2);
        for options in [
            InputOptions {
                exclude: vec!["nope".into()],
                ..InputOptions::default()
            },
            InputOptions {
                columns: Some(vec!["x".into(), "nope".into()]),
                ..InputOptions::default()
            },
        ] {
            let (input, _dir) = with_options(&csv(5), options);
            let err = Batches::open(&input, 7).err().unwrap();
            assert_eq!(err.kind, ErrorKind::UnknownColumn);
            assert!(err.to_string().contains("\"nope\""), "{err}");
        }
    }
}
