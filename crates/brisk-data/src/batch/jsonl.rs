//! JSON lines (`.jsonl`, `.ndjson`): one JSON object a line, read as pandas'
//! `read_json(lines=True)` reads it, as far as a reader that streams can.
//!
//! The text is read a block at a time (and decompressed as it is read, for `.jsonl.gz` and
//! `.jsonl.zst`), never whole. Blank lines are skipped. A key missing from a record is null
//! there; a key given twice in a record takes its last value, as Python's `json` does.
//!
//! The columns are the keys, in order of first appearance, of the first [`KEY_RECORDS`] records.
//! pandas takes the keys of every record, but a reader that streams names its columns before its
//! first batch, and only a second reading of the whole file could find a key first seen later:
//! such a key is an error naming its line and the key (write it, even as `null`, in an early
//! record).
//!
//! Values: a number is numeric (a column of integer literals with no null is `int64`, as pandas
//! reads it), a string is text, `null` is null, and a column of `true`/`false` (and nulls) is
//! boolean ([`ColumnType::Bool`], 1 and 0 in the batches), as pandas reads it. A column that mixes
//! numbers, strings or booleans is text (pandas' `object`), by the same [`ColumnTypes`] rules as
//! CSV, its numbers then written as Python writes them and its booleans as `True`/`False`.
//! A column of ISO 8601 date strings (and nulls) is a date-time column, by the same rules as in CSV
//! (`--parse-dates` and `--no-parse-dates` included): pandas' `to_json(date_format="iso")`
//! writes date-times so. Unlike pandas, another string stays text even when it looks like a
//! number. An object or an array as a value is an error naming the line and the key: brisk reads
//! flat records.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::{self, Read};

use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

use super::column::{BatchColumn, DecodedColumns, NumericColumn, TextColumn};
use super::decoded::{learn, Decoded, Kind};
use super::types::{ColumnType, ColumnTypes, DateRule};
use crate::dates::{has_time_of_day, parse_datetime};
use crate::error::{DataError, ErrorKind, Location, Result};
use crate::frame::format::{push_float, push_int};
use crate::input::Input;
use crate::value::bool_text;

/// The records whose keys name the columns.
pub(super) const KEY_RECORDS: usize = 65_536;

/// Bytes read from the text at a time.
const BLOCK: usize = 1 << 20;

/// The records of a JSON-lines input, batch by batch.
pub(super) struct JsonLines {
    lines: Lines,
    keys: Keys,
    records: Records,
    batch_rows: usize,
}

impl JsonLines {
    /// Opens `input` and names its columns from the keys of its first [`KEY_RECORDS`] records.
    ///
    /// # Errors
    /// The text cannot be read, holds no record, or one of those records is not a flat JSON
    /// object.
    pub(super) fn open(input: &Input, batch_rows: usize) -> Result<JsonLines> {
        let name = input.name().to_owned();
        let mut keys = Keys::default();
        let mut records = Records::default();
        let mut lines = Lines::new(&name, input.text()?);
        for _ in 0..KEY_RECORDS {
            let Some((line, text)) = lines.next()? else {
                break;
            };
            records
                .parse(text, &mut keys, true)
                .map_err(|failure| failure.at(&name, line, &keys))?;
            records.clear();
        }
        if keys.names.is_empty() {
            return Err(DataError::new(
                ErrorKind::Empty,
                Location::source(&name),
                "the input holds no JSON object: expected one object a line",
            ));
        }
        Ok(JsonLines {
            lines: Lines::new(&name, input.text()?),
            keys,
            records,
            batch_rows,
        })
    }

    /// The column names: the keys in order of first appearance.
    pub(super) fn names(&self) -> &[String] {
        &self.keys.names
    }

    /// Bytes of the text read so far.
    pub(super) fn bytes_read(&self) -> u64 {
        self.lines.consumed
    }

    /// The next batch's columns, and the line of each row; `types` learns from them, and the
    /// batch's first row is data row `first_row`.
    ///
    /// # Errors
    /// A line that is not a flat JSON object, a key the first records did not have, a read error,
    /// or a value that contradicts the types of an earlier pass.
    pub(super) fn next_batch(
        &mut self,
        types: &mut ColumnTypes,
        first_row: u64,
    ) -> Result<Option<(DecodedColumns, Vec<u64>)>> {
        self.records.clear();
        while self.records.lines.len() < self.batch_rows {
            let Some((line, text)) = self.lines.next()? else {
                break;
            };
            self.records
                .parse(text, &mut self.keys, false)
                .map_err(|failure| failure.at(&self.lines.name, line, &self.keys))?;
            self.records.lines.push(line);
        }
        if self.records.lines.is_empty() {
            return Ok(None);
        }
        let columns = self.records.settle(types, &self.lines.name, first_row)?;
        Ok(Some((columns, self.records.lines.clone())))
    }
}

/// The lines of a text, read a block at a time.
struct Lines {
    /// How messages name the input.
    name: String,
    text: Box<dyn Read + Send>,
    block: Vec<u8>,
    /// Where the next line starts in `block`.
    start: usize,
    end_of_text: bool,
    /// The number of the last line taken (1-based), blank lines included.
    line: u64,
    /// Bytes of the text taken.
    consumed: u64,
}

impl Lines {
    fn new(name: &str, text: Box<dyn Read + Send>) -> Lines {
        Lines {
            name: name.to_owned(),
            text,
            block: Vec::new(),
            start: 0,
            end_of_text: false,
            line: 0,
            consumed: 0,
        }
    }

    /// The next line that is not blank, without its surrounding white space, and its number;
    /// `None` at the end of the text.
    fn next(&mut self) -> Result<Option<(u64, &[u8])>> {
        let (start, end) = loop {
            let Some((start, end, next)) = self.next_bounds()? else {
                return Ok(None);
            };
            self.start = next;
            self.line += 1;
            self.consumed += (next - start) as u64;
            let (start, end) = trimmed(&self.block, start, end, self.line == 1);
            if start < end {
                break (start, end);
            }
        };
        Ok(Some((self.line, &self.block[start..end])))
    }

    /// The bounds of the next line in `block` and where the one after starts, reading more text
    /// when the block holds no whole line.
    fn next_bounds(&mut self) -> Result<Option<(usize, usize, usize)>> {
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.block[self.start..]) {
                let end = self.start + i;
                return Ok(Some((self.start, end, end + 1)));
            }
            if self.end_of_text {
                let end = self.block.len();
                return Ok((self.start < end).then_some((self.start, end, end)));
            }
            self.refill().map_err(|e| {
                crate::encoding::undecodable(&e).unwrap_or_else(|| {
                    DataError::new(
                        ErrorKind::Io,
                        Location::source(&self.name).at_line(self.line + 1),
                        format!("cannot read: {e}"),
                    )
                })
            })?;
        }
    }

    /// Drops the lines taken and appends up to a block of text.
    fn refill(&mut self) -> io::Result<()> {
        self.block.drain(..self.start);
        self.start = 0;
        let len = self.block.len();
        self.block.resize(len + BLOCK, 0);
        let read = loop {
            match self.text.read(&mut self.block[len..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                outcome => break outcome,
            }
        };
        let read = read.inspect_err(|_| self.block.truncate(len))?;
        self.block.truncate(len + read);
        self.end_of_text = read == 0;
        Ok(())
    }
}

/// `block[start..end]` without JSON white space around it (nor a byte-order mark before the
/// first line).
fn trimmed(block: &[u8], mut start: usize, mut end: usize, first: bool) -> (usize, usize) {
    if first && block[start..end].starts_with(b"\xEF\xBB\xBF") {
        start += 3;
    }
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    while start < end && space(block[start]) {
        start += 1;
    }
    while end > start && space(block[end - 1]) {
        end -= 1;
    }
    (start, end)
}

/// The column names, and the column of each key.
#[derive(Default)]
struct Keys {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl Keys {
    /// The column of `key`, trying `guess` first (the records' keys mostly come in one order).
    fn find(&self, key: &str, guess: usize) -> Option<usize> {
        match self.names.get(guess) {
            Some(name) if name == key => Some(guess),
            _ => self.index.get(key).copied(),
        }
    }

    fn add(&mut self, key: String) -> usize {
        let j = self.names.len();
        self.index.insert(key.clone(), j);
        self.names.push(key);
        j
    }
}

/// One value of a record.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A string: a range of the batch's text bytes.
    Text(u32, u32),
}

/// A batch's records column by column, before their types are settled.
#[derive(Default)]
struct Records {
    cells: Vec<Vec<Cell>>,
    /// The strings' bytes, unescaped.
    text: Vec<u8>,
    /// The line of each record.
    lines: Vec<u64>,
}

/// Why a line is not a record brisk reads.
#[derive(Debug)]
enum Failure {
    NotObject(&'static str),
    Syntax(serde_json::Error),
    Nested { column: usize, what: &'static str },
    NewKey(String),
}

impl Failure {
    /// The error for line `line` of `source`.
    fn at(self, source: &str, line: u64, keys: &Keys) -> DataError {
        let location = Location::source(source).at_line(line);
        let (location, message) = match self {
            Failure::NotObject(what) => (
                location,
                format!("the line holds {what}, not a JSON object: JSON lines hold one object a line"),
            ),
            Failure::Syntax(err) => {
                let text = err.to_string();
                let what = text.rsplit_once(" at line ").map_or(&*text, |(what, _)| what);
                let message = format!("invalid JSON at character {}: {what}", err.column());
                (location, message)
            }
            Failure::Nested { column, what } => (
                location.at_column(column + 1, Some(&keys.names[column])),
                format!(
                    "the value is {what}; brisk reads flat records of numbers, strings, booleans \
                     and nulls: flatten the records first (e.g. with pandas.json_normalize)"
                ),
            ),
            Failure::NewKey(key) => (
                location,
                format!(
                    "the key {key:?} is not in the first {KEY_RECORDS} records, whose keys name the \
                     columns; write it (even as null) in an early record"
                ),
            ),
        };
        DataError::new(ErrorKind::Json, location, message)
    }
}

impl Records {
    fn clear(&mut self) {
        self.cells.iter_mut().for_each(Vec::clear);
        self.text.clear();
        self.lines.clear();
    }

    /// Appends the record `text` holds; a key not in `keys` is added when `grow` is set, and a
    /// failure otherwise.
    fn parse(&mut self, text: &[u8], keys: &mut Keys, grow: bool) -> Result<(), Failure> {
        if text[0] != b'{' {
            return Err(Failure::NotObject(match text[0] {
                b'[' => "an array",
                b'"' => "a string",
                b'-' | b'0'..=b'9' => "a number",
                b't' | b'f' => "a boolean",
                b'n' => "null",
                _ => "no JSON value",
            }));
        }
        let row = self.lines.len();
        let mut problem = None;
        let mut reader = serde_json::Deserializer::from_slice(text);
        let visitor = RecordVisitor {
            records: self,
            keys,
            grow,
            row,
            problem: &mut problem,
        };
        let parsed = reader.deserialize_map(visitor).and_then(|()| reader.end());
        if let Err(err) = parsed {
            self.cells
                .iter_mut()
                .for_each(|column| column.truncate(row));
            return Err(problem.unwrap_or(Failure::Syntax(err)));
        }
        for column in &mut self.cells {
            if column.len() == row {
                column.push(Cell::Null);
            }
        }
        Ok(())
    }

    /// The batch's typed columns; `types` learns from them.
    fn settle(
        &self,
        types: &mut ColumnTypes,
        source: &str,
        first_row: u64,
    ) -> Result<DecodedColumns> {
        let kinds = Kind::all(types);
        let settled: Vec<Decoded> = self
            .cells
            .par_iter()
            .zip(kinds)
            .map(|(cells, kind)| settle(cells, &self.text, &kind))
            .collect();
        let mut columns = Vec::with_capacity(settled.len());
        let mut integers = Vec::with_capacity(settled.len());
        for (j, mut s) in settled.into_iter().enumerate() {
            let locate = |types: &ColumnTypes, row: usize| {
                Location::source(source)
                    .at_line(self.lines[row])
                    .at_column(j + 1, Some(&types.names()[j]))
            };
            let first_value = || cells_first_value(&self.cells[j]);
            learn(types, j, &mut s, first_row, &locate, &first_value)?;
            columns.push(s.column);
            integers.push(s.integers);
        }
        Ok(DecodedColumns { columns, integers })
    }
}

/// One column's values as the type it has so far, or as text from the first value that does not
/// fit it.
fn settle(cells: &[Cell], text: &[u8], kind: &Kind) -> Decoded {
    match kind.ty {
        ColumnType::Text => Decoded::text(text_column(cells, text)),
        ColumnType::Datetime => settle_datetime(cells, text, kind.dates),
        ColumnType::Bool => settle_bool(cells, text),
        ColumnType::Numeric => settle_numeric(cells, text, kind),
    }
}

/// A date-time column: seconds since the epoch, NaN for null; any other value makes it text, or
/// is an error when the column must hold dates.
fn settle_datetime(cells: &[Cell], text: &[u8], dates: DateRule) -> Decoded {
    let mut values = Vec::with_capacity(cells.len());
    let (mut saw_null, mut saw_time_of_day) = (false, false);
    for (row, &cell) in cells.iter().enumerate() {
        let parsed = match cell {
            Cell::Text(start, end) => parse_datetime(&text[start as usize..end as usize]),
            Cell::Null => {
                values.push(f64::NAN);
                saw_null = true;
                continue;
            }
            _ => None,
        };
        match parsed {
            Some((seconds, timed)) => {
                saw_time_of_day |= timed && has_time_of_day(seconds);
                values.push(seconds);
            }
            None if dates == DateRule::Require => {
                let mut value = Vec::new();
                push_cell(&mut value, cell, text);
                let nulls = NumericColumn::new(vec![f64::NAN; cells.len()]);
                return Decoded {
                    not_a_date: Some((row, String::from_utf8_lossy(&value).into_owned())),
                    ..Decoded::nothing(BatchColumn::Numeric(nulls))
                };
            }
            None => return turned_to_text(cells, text, saw_null, row),
        }
    }
    Decoded {
        saw_time_of_day,
        ..Decoded::coded(values, saw_null)
    }
}

/// A boolean column: 1 for true, 0 for false, NaN for null; any other value makes it text.
fn settle_bool(cells: &[Cell], text: &[u8]) -> Decoded {
    let mut values = Vec::with_capacity(cells.len());
    let mut saw_null = false;
    for (row, &cell) in cells.iter().enumerate() {
        match cell {
            Cell::Bool(b) => values.push(f64::from(u8::from(b))),
            Cell::Null => {
                values.push(f64::NAN);
                saw_null = true;
            }
            _ => return turned_to_text(cells, text, saw_null, row),
        }
    }
    Decoded::coded(values, saw_null)
}

fn settle_numeric(cells: &[Cell], text: &[u8], kind: &Kind) -> Decoded {
    let (integer, has_value) = (kind.integer, kind.has_value);
    let mut values = Vec::with_capacity(cells.len());
    let mut ints = Vec::with_capacity(if integer { cells.len() } else { 0 });
    let mut non_integer = !integer;
    let mut saw_null = false;
    let mut saw_value = has_value;
    for (row, &cell) in cells.iter().enumerate() {
        match cell {
            Cell::Null => {
                values.push(f64::NAN);
                saw_null = true;
            }
            Cell::Int(i) => {
                values.push(i as f64);
                ints.push(i);
                saw_value = true;
            }
            Cell::Float(x) => {
                values.push(x);
                non_integer = true;
                saw_value = true;
            }
            // Null so far: the column is boolean (pandas' bool), from its first rows on.
            Cell::Bool(_) if !saw_value => {
                return Decoded {
                    became_bool: true,
                    ..settle_bool(cells, text)
                }
            }
            // Null so far: the column holds dates, from its first rows on.
            Cell::Text(start, end)
                if !saw_value
                    && kind.dates != DateRule::Off
                    && parse_datetime(&text[start as usize..end as usize]).is_some() =>
            {
                return Decoded {
                    became_datetime: true,
                    ..settle_datetime(cells, text, kind.dates)
                }
            }
            Cell::Bool(_) | Cell::Text(..) => return turned_to_text(cells, text, saw_null, row),
        }
    }
    Decoded {
        integers: (!non_integer && !saw_null).then_some(ints),
        saw_null,
        saw_value,
        non_integer,
        ..Decoded::nothing(BatchColumn::Numeric(NumericColumn::new(values)))
    }
}

/// A text column: what a column becomes that met the value of row `row`.
fn turned_to_text(cells: &[Cell], text: &[u8], saw_null: bool, row: usize) -> Decoded {
    let mut value = Vec::new();
    push_cell(&mut value, cells[row], text);
    let value = String::from_utf8_lossy(&value).into_owned();
    Decoded::turned_text(text_column(cells, text), saw_null, row, value)
}

/// The row of a column's first value that is not null.
fn cells_first_value(cells: &[Cell]) -> usize {
    cells.iter().position(|&c| c != Cell::Null).unwrap_or(0)
}

fn text_column(cells: &[Cell], text: &[u8]) -> TextColumn {
    let mut column = TextColumn::with_capacity(cells.len(), 0);
    let mut value = Vec::new();
    for &cell in cells {
        if cell == Cell::Null {
            column.push(None);
        } else {
            value.clear();
            push_cell(&mut value, cell, text);
            column.push(Some(&value));
        }
    }
    column
}

/// Appends a value's text: a number as Python writes it, a boolean as `True` or `False`.
fn push_cell(out: &mut Vec<u8>, cell: Cell, text: &[u8]) {
    match cell {
        Cell::Null => {}
        Cell::Int(i) => push_int(out, i),
        Cell::Float(x) => push_float(out, x),
        Cell::Bool(b) => out.extend_from_slice(bool_text(b).as_bytes()),
        Cell::Text(start, end) => out.extend_from_slice(&text[start as usize..end as usize]),
    }
}

/// Reads one record's keys and values into [`Records`].
struct RecordVisitor<'a> {
    records: &'a mut Records,
    keys: &'a mut Keys,
    grow: bool,
    row: usize,
    problem: &'a mut Option<Failure>,
}

impl<'de> Visitor<'de> for RecordVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut guess = 0;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let j = match self.keys.find(&key, guess) {
                Some(j) => j,
                None if self.grow => {
                    self.records.cells.push(vec![Cell::Null; self.row]);
                    self.keys.add(key.into_owned())
                }
                None => {
                    *self.problem = Some(Failure::NewKey(key.into_owned()));
                    return Err(de::Error::custom("a new key"));
                }
            };
            guess = j + 1;
            let mut nested = None;
            let seed = CellSeed {
                text: &mut self.records.text,
                nested: &mut nested,
            };
            let cell = map.next_value_seed(seed).inspect_err(|_| {
                if let Some(what) = nested {
                    *self.problem = Some(Failure::Nested { column: j, what });
                }
            })?;
            let column = &mut self.records.cells[j];
            // A key given twice keeps its last value.
            if column.len() > self.row {
                column[self.row] = cell;
            } else {
                column.push(cell);
            }
        }
        Ok(())
    }
}

/// A key, borrowed from the line unless it holds escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeySeed)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// A value, its string's bytes appended to `text`; an object or an array is refused, and
/// `nested` says which it was.
struct CellSeed<'a> {
    text: &'a mut Vec<u8>,
    nested: &'a mut Option<&'static str>,
}

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = Cell;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cell, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CellSeed<'_> {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, a string, a boolean or null")
    }

    fn visit_i64<E>(self, v: i64) -> Result<Cell, E> {
        Ok(Cell::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Cell, E> {
        // Past `i64::MAX` pandas reads `uint64`; brisk keeps such a column as floats.
        Ok(i64::try_from(v).map_or(Cell::Float(v as f64), Cell::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Cell, E> {
        Ok(Cell::Float(v))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Cell, E> {
        Ok(Cell::Bool(v))
    }

    fn visit_unit<E>(self) -> Result<Cell, E> {
        Ok(Cell::Null)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cell, E> {
        let start = self.text.len();
        self.text.extend_from_slice(v.as_bytes());
        match (u32::try_from(start), u32::try_from(self.text.len())) {
            (Ok(start), Ok(end)) => Ok(Cell::Text(start, end)),
            _ => Err(E::custom(
                "a batch holds over 4 GiB of text; use smaller batches",
            )),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Cell, A::Error> {
        *self.nested = Some("a JSON object");
        Err(de::Error::custom("a nested object"))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Cell, A::Error> {
        *self.nested = Some("a JSON array");
        Err(de::Error::custom("a nested array"))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::io::Write;

    use super::*;
    use crate::batch::{Batch, Batches};
    use crate::input::Format;

    fn input(text: &str) -> Input {
        Input::from_reader(text.as_bytes(), "t.jsonl", Format::JsonLines).unwrap()
    }

    /// Every batch of a first pass, and the types it ended with.
    fn read(input: &Input, batch_rows: usize) -> Result<(Vec<Batch>, ColumnTypes)> {
        let mut batches = Batches::open(input, batch_rows)?;
        let mut all = Vec::new();
        while let Some(batch) = batches.next_batch()? {
            all.push(batch);
        }
        Ok((all, batches.types().clone()))
    }

    /// Whether two batches hold the same columns (NaN equal to NaN) and integers.
    pub(in crate::batch) fn assert_same(batch: &Batch, expected: &Batch) {
        assert_eq!(
            format!("{:?}", batch.columns()),
            format!("{:?}", expected.columns())
        );
        for j in 0..expected.columns().len() {
            assert_eq!(batch.integers(j), expected.integers(j), "column {j}");
        }
    }

    fn error(text: &str) -> DataError {
        read(&input(text), 4).expect_err("the input is refused")
    }

    #[test]
    fn a_table_reads_as_its_csv_does() {
        let csv = "id,x,label,flag\n1,0.5,a,True\n2,,\"b, c\",False\n3,-2.25,,\n4,1e-05,é,True\n";
        let jsonl = "{\"id\":1,\"x\":0.5,\"label\":\"a\",\"flag\":true}\n\
                     \n\
                     {\"id\":2,\"x\":null,\"label\":\"b, c\",\"flag\":false}\r\n\
                     {\"label\":null,\"x\":-2.25,\"id\":3}\n\
                     {\"id\":4,\"x\":1e-5,\"label\":\"\\u00e9\",\"flag\":true}";
        let csv = Input::from_reader(csv.as_bytes(), "t.csv", Format::Csv).unwrap();
        let (expected, expected_types) = read(&csv, 3).unwrap();
        let (batches, types) = read(&input(jsonl), 3).unwrap();
        assert_eq!(types.names(), expected_types.names());
        assert_eq!(batches.len(), 2);
        for (batch, expected) in batches.iter().zip(&expected) {
            assert_same(batch, expected);
        }
        assert!(types.is_integer(0) && !types.is_integer(1));
        // Rows are located by their line, blank lines counted.
        assert_eq!(batches[0].locate("t.jsonl", 1).line, Some(3));
    }

    #[test]
    fn numbers_among_strings_make_a_text_column_written_as_python_writes_them() {
        let text =
            "{\"v\":1}\n{\"v\":2.0}\n{\"v\":1e16}\n{\"v\":\"x\"}\n{\"v\":true}\n{\"v\":null}\n";
        let (batches, types) = read(&input(text), 10).unwrap();
        let BatchColumn::Text(v) = batches[0].column(0) else {
            panic!("v is text")
        };
        let values: Vec<Option<&[u8]>> = v.iter().collect();
        let expected: [Option<&[u8]>; 6] = [
            Some(b"1"),
            Some(b"2.0"),
            Some(b"1e+16"),
            Some(b"x"),
            Some(b"True"),
            None,
        ];
        assert_eq!(values, expected);
        let sighting = types.first_text(0).unwrap();
        assert_eq!((sighting.location.line, &*sighting.value), (Some(4), "x"));
        assert!(!types.turned_late());
    }

    #[test]
    fn a_column_that_turns_to_text_after_the_first_batch_is_read_again_as_text() {
        let mut text = String::new();
        for i in 0..10 {
            text.push_str(&format!("{{\"n\":{i},\"late\":{i}}}\n"));
        }
        text.push_str("{\"n\":10,\"late\":\"word\"}\n");
        let input = input(&text);
        let (batches, types) = read(&input, 4).unwrap();
        assert!(matches!(batches[0].column(1), BatchColumn::Numeric(_)));
        assert!(matches!(batches[2].column(1), BatchColumn::Text(_)));
        assert!(types.turned_late() && types.is_integer(0));
        assert_eq!(types.first_text(1).unwrap().location.line, Some(11));
        let mut again = Batches::with_types(&input, &types, 4).unwrap();
        let first = again.next_batch().unwrap().unwrap();
        let BatchColumn::Text(late) = first.column(1) else {
            panic!("the second pass reads the column as text from its first row")
        };
        assert_eq!(late.get(3), Some(&b"3"[..]));
        assert_eq!(first.integers(0), Some(&[0, 1, 2, 3][..]));
    }

    #[test]
    fn booleans_make_a_boolean_column_until_a_value_of_another_kind() {
        let text = "{\"b\":null,\"late\":null}\n{\"b\":true,\"late\":null}\n\
                    {\"b\":false,\"late\":false}\n{\"b\":null,\"late\":\"x\"}\n";
        let (batches, types) = read(&input(text), 2).unwrap();
        assert!(types.is_bool(0) && !types.is_integer(0));
        let BatchColumn::Numeric(b) = batches[0].column(0) else {
            panic!("a boolean column holds numbers")
        };
        assert!(b.is_null(0));
        assert_eq!(b.get(1), Some(1.0));
        let BatchColumn::Text(late) = batches[1].column(1) else {
            panic!("a boolean column that meets a string turns to text")
        };
        assert_eq!(
            late.iter().collect::<Vec<_>>(),
            [Some(&b"False"[..]), Some(b"x")]
        );
        assert_eq!(types.first_text(1).unwrap().location.line, Some(4));
    }

    #[test]
    fn a_second_pass_over_a_changed_file_names_the_line_and_column() {
        let (_, types) = read(&input("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":4}\n"), 4).unwrap();
        let changed = input("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":\"four\"}\n");
        let mut again = Batches::with_types(&changed, &types, 4).unwrap();
        let err = again.next_batch().unwrap_err();
        assert_eq!(err.location.line, Some(2));
        assert_eq!(err.location.column_name.as_deref(), Some("b"));
        assert!(err.message.contains("changed"), "{err}");
    }

    #[test]
    fn a_nested_value_is_refused_naming_its_line_and_key() {
        let err = error("{\"a\":1,\"b\":2}\n{\"a\":3,\"b\":[4, 5]}\n");
        assert_eq!(err.kind, ErrorKind::Json);
        assert_eq!(err.location.line, Some(2));
        assert_eq!(err.location.column, Some(2));
        assert_eq!(err.location.column_name.as_deref(), Some("b"));
        assert!(err.message.contains("a JSON array"), "{err}");
        let err = error("{\"a\":1}\n\n{\"a\":{\"b\":1}}\n");
        assert_eq!((err.location.line, err.location.column), (Some(3), Some(1)));
        assert!(err.message.contains("a JSON object"), "{err}");
        assert_eq!(
            err.to_string(),
            format!("t.jsonl:3: column 1 (\"a\"): {}", err.message)
        );
    }

    #[test]
    fn a_line_that_is_not_an_object_is_refused_naming_its_line() {
        let err = error("{\"a\":1}\n[1, 2]\n");
        assert_eq!((&err.kind, err.location.line), (&ErrorKind::Json, Some(2)));
        assert!(err.message.contains("an array, not a JSON object"), "{err}");
        let err = error("{\"a\":1}\n{\"a\":2}\n7\n");
        assert_eq!(err.location.line, Some(3));
        assert!(err.message.contains("a number"), "{err}");
    }

    #[test]
    fn malformed_json_is_refused_naming_its_line() {
        for (text, line) in [
            ("{\"a\":1}\n{\"a\":2,}\n", 2),
            ("{\"a\":1}\n{\"a\":2} {\"a\":3}\n", 2),
            ("{\"a\":1}\n{\"a\":2}\n{\"a\":\"open\n", 3),
            ("{\"a\":1,\"b\":\"\u{1}\"}\n", 1),
        ] {
            let err = error(text);
            assert_eq!(
                (&err.kind, err.location.line),
                (&ErrorKind::Json, Some(line)),
                "{text:?}"
            );
            assert!(
                err.message.starts_with("invalid JSON at character"),
                "{err}"
            );
        }
        let bad_utf8 = Input::from_reader(&b"{\"a\":\"\xff\"}\n"[..], "t.jsonl", Format::JsonLines);
        let err = read(&bad_utf8.unwrap(), 4).unwrap_err();
        assert_eq!((&err.kind, err.location.line), (&ErrorKind::Json, Some(1)));
    }

    #[test]
    fn keys_come_in_order_of_first_appearance_and_missing_ones_are_null() {
        let text = "{\"b\":1}\n{\"a\":\"x\",\"b\":2,\"b\":3}\n{\"c\":null}\n";
        let (batches, types) = read(&input(text), 10).unwrap();
        assert_eq!(types.names(), ["b", "a", "c"]);
        let BatchColumn::Numeric(b) = batches[0].column(0) else {
            panic!("b is numeric")
        };
        // A key given twice keeps its last value.
        assert_eq!(b.get(1), Some(3.0));
        assert!(b.is_null(2));
        assert!(batches[0].column(1).is_null(0));
        assert!(!types.is_integer(0), "b has a null");
    }

    #[test]
    fn a_key_first_seen_after_the_records_that_name_the_columns_is_an_error() {
        let mut text = "{\"a\":1}\n".repeat(KEY_RECORDS);
        text.push_str("{\"a\":2,\"late\":1}\n");
        let err = read(&input(&text), 50_000).unwrap_err();
        assert_eq!(err.location.line, Some(KEY_RECORDS as u64 + 1));
        assert!(err.message.contains("\"late\""), "{err}");
    }

    #[test]
    fn an_input_without_records_is_empty() {
        let err = read(&input("\n  \n"), 4).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Empty);
    }

    #[test]
    fn compressed_json_lines_read_as_they_are_decompressed() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&format!("{{\"i\":{i},\"s\":\"{}\"}}\n", i % 7));
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(text.as_bytes()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.ndjson.gz");
        std::fs::write(&path, gzip.finish().unwrap()).unwrap();
        let (batches, types) = read(&Input::open(&path).unwrap(), 1000).unwrap();
        let (plain, _) = read(&input(&text), 1000).unwrap();
        assert_eq!(batches.len(), 3);
        assert!(types.is_integer(0) && !types.is_numeric(1));
        for (batch, plain) in batches.iter().zip(&plain) {
            assert_same(batch, plain);
        }
    }

    #[test]
    fn iso_date_strings_read_as_the_csv_dates_do() {
        let csv = "d,t,s\n2021-03-01,2021-03-01 12:30:00,2021-03-01\n,2021-03-02T00:00:00,x\n";
        let jsonl = "{\"d\":\"2021-03-01\",\"t\":\"2021-03-01 12:30:00\",\"s\":\"2021-03-01\"}\n\
                     {\"d\":null,\"t\":\"2021-03-02T00:00:00\",\"s\":\"x\"}\n";
        let csv = Input::from_reader(csv.as_bytes(), "t.csv", Format::Csv).unwrap();
        let (expected, expected_types) = read(&csv, 1).unwrap();
        let (batches, types) = read(&input(jsonl), 1).unwrap();
        let kinds = |types: &ColumnTypes| (0..3).map(|j| types.get(j)).collect::<Vec<_>>();
        assert_eq!(kinds(&types), kinds(&expected_types));
        assert_eq!(
            kinds(&types),
            [ColumnType::Datetime, ColumnType::Datetime, ColumnType::Text]
        );
        for (batch, expected) in batches.iter().zip(&expected) {
            assert_same(batch, expected);
        }
        // A number in a column that must hold dates names its line.
        let options = crate::input::InputOptions {
            parse_dates: vec!["d".into()],
            ..crate::input::InputOptions::default()
        };
        let text = "{\"d\":\"2021-03-01\"}\n{\"d\":7}\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        std::fs::write(&path, text).unwrap();
        let err = read(&Input::open_with(&path, options).unwrap(), 8).unwrap_err();
        assert_eq!((err.kind, err.location.line), (ErrorKind::Date, Some(2)));
    }
}
