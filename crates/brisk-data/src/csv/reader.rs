//! A streaming RFC 4180 reader that yields chunks of records with zero-copy fields.
//!
//! Accepted: quoted fields with embedded delimiters and newlines, `""` escapes, CRLF or LF line ends,
//! a UTF-8 byte-order mark, no final newline. As pandas' `read_csv` does, blank lines are skipped and
//! a quote inside an unquoted field is an ordinary character. The quote character may be another
//! than `"` (`quotechar`), and a comment character (`comment`) ends a record's text outside quotes:
//! the rest of its line is ignored, and a line that starts with it is skipped. Refused, with the line and column: a
//! record whose field count differs from the header's, an unterminated quote, invalid UTF-8, and NUL
//! bytes (binary data).

use std::io::Read;

use super::structural::Structurals;
use crate::encoding::undecodable;
use crate::error::{DataError, ErrorKind, Location, Result};

/// Bytes read from the source per call.
const READ_SIZE: usize = 1 << 20;
/// A chunk stops growing past this many bytes once it holds at least one record.
const CHUNK_BYTES: usize = 8 << 20;
/// Marks a field whose text lives in the chunk's side buffer of unescaped fields.
const ESCAPED: u32 = 1 << 31;

/// How to read a CSV source.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    /// The field delimiter: `b','` for CSV, `b'\t'` for TSV.
    pub delimiter: u8,
    /// The most records one chunk holds.
    pub chunk_rows: usize,
    /// Whether the first record names the columns; without a header they are named `0`, `1`, …
    /// (pandas' `header=None`), and the first record is data.
    pub header: bool,
    /// Numbers are written with a decimal comma (`7,4`), as `read_csv(decimal=",")` reads them;
    /// [`Chunk::decimal_comma`] tells the decoders.
    pub decimal_comma: bool,
    /// How fields are quoted and comments marked.
    pub quoting: Quoting,
}

/// The quote and comment characters of a CSV dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quoting {
    /// The character that quotes a field (pandas' `quotechar`); doubled inside a quoted field, it
    /// stands for itself.
    pub quote: u8,
    /// Outside quotes, this character and the rest of its line are ignored (pandas' `comment`).
    pub comment: Option<u8>,
}

impl Default for Quoting {
    fn default() -> Self {
        Quoting {
            quote: b'"',
            comment: None,
        }
    }
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: b',',
            chunk_rows: 65_536,
            header: true,
            decimal_comma: false,
            quoting: Quoting::default(),
        }
    }
}

/// A block of whole records. Fields borrow the chunk's buffer; quoted fields that needed unescaping
/// live in a side buffer.
#[derive(Debug, Default)]
pub struct Chunk {
    buf: Vec<u8>,
    escaped: Vec<u8>,
    bounds: Vec<[u32; 2]>,
    row_lines: Vec<u64>,
    n_cols: usize,
    decimal_comma: bool,
    /// How much of `buf`'s allocation has been written at least once, and where that allocation
    /// is: reads reuse those bytes instead of zeroing the buffer before every read.
    written: Written,
}

/// The written prefix of a buffer's allocation.
#[derive(Debug, Default, Clone, Copy)]
struct Written {
    address: usize,
    len: usize,
}

impl Written {
    /// Makes `buf` `len` bytes long, keeping its contents; the new bytes are whatever an earlier
    /// read left there (zero the first time).
    fn resize(&mut self, buf: &mut Vec<u8>, len: usize) {
        if buf.capacity() < len {
            buf.reserve(len - buf.len());
        }
        if self.address != buf.as_ptr() as usize {
            // A new allocation: only its first `buf.len()` bytes are known.
            *self = Written {
                address: buf.as_ptr() as usize,
                len: buf.len(),
            };
        }
        if len <= self.len {
            // SAFETY: the capacity is at least `len`, and every byte below `self.len` of this
            // allocation was initialised by an earlier `resize` (a `Vec<u8>` never de-initialises
            // bytes it truncates).
            unsafe { buf.set_len(len) };
        } else {
            let old = buf.len();
            // SAFETY: as above, bytes below `self.len` are initialised; those beyond are written
            // by the `resize` that follows before being read.
            unsafe { buf.set_len(old.max(self.len).min(len)) };
            buf.resize(len, 0);
            self.len = len;
        }
    }
}

impl Chunk {
    /// The number of records.
    pub fn rows(&self) -> usize {
        self.row_lines.len()
    }

    /// The text of one field, without its quotes and with `""` unescaped.
    #[inline]
    pub fn field(&self, row: usize, col: usize) -> &[u8] {
        self.field_at(row * self.n_cols + col)
    }

    #[inline]
    fn field_at(&self, index: usize) -> &[u8] {
        let [start, end] = self.bounds[index];
        if start & ESCAPED != 0 {
            &self.escaped[(start & !ESCAPED) as usize..end as usize]
        } else {
            &self.buf[start as usize..end as usize]
        }
    }

    /// The fields of one column, top to bottom.
    pub fn column(&self, col: usize) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        (0..self.rows()).map(move |row| self.field_at(row * self.n_cols + col))
    }

    /// Whether this chunk's numbers are written with a decimal comma ([`CsvOptions`]).
    pub fn decimal_comma(&self) -> bool {
        self.decimal_comma
    }

    /// The 1-based line on which a record starts.
    pub fn line(&self, row: usize) -> u64 {
        self.row_lines[row]
    }

    fn reset(&mut self, n_cols: usize) {
        self.buf.clear();
        self.escaped.clear();
        self.bounds.clear();
        self.row_lines.clear();
        self.n_cols = n_cols;
    }
}

/// Reads a CSV source chunk by chunk, after its header.
pub struct CsvReader<R> {
    source: R,
    name: String,
    delimiter: u8,
    quote: u8,
    comment: Option<u8>,
    structurals: Structurals,
    chunk_rows: usize,
    decimal_comma: bool,
    header: Vec<String>,
    carry: Vec<u8>,
    /// The line on which the next record starts.
    line: u64,
    eof: bool,
    bytes_read: u64,
}

impl<R: Read> CsvReader<R> {
    /// Opens a reader and reads the header. `name` is how messages name the source.
    pub fn new(source: R, name: impl Into<String>, options: CsvOptions) -> Result<Self> {
        let mut reader = CsvReader {
            source,
            name: name.into(),
            delimiter: options.delimiter,
            quote: options.quoting.quote,
            comment: options.quoting.comment,
            structurals: Structurals::new(
                options.delimiter,
                options.quoting.quote,
                options.quoting.comment,
            ),
            chunk_rows: options.chunk_rows.max(1),
            decimal_comma: options.decimal_comma,
            header: Vec::new(),
            carry: Vec::new(),
            line: 1,
            eof: false,
            bytes_read: 0,
        };
        reader.read_header(options.header)?;
        Ok(reader)
    }

    /// The column names, made unique as pandas does (`a`, `a.1`; `Unnamed: 3` for an empty name).
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Bytes consumed from the source so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read
    }

    /// How messages name the source.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Fills `chunk` with the next records; `false` when the source is exhausted.
    pub fn next_chunk(&mut self, chunk: &mut Chunk) -> Result<bool> {
        let n_cols = self.header.len();
        chunk.reset(n_cols);
        chunk.decimal_comma = self.decimal_comma;
        self.read_records(chunk, n_cols)?;
        Ok(chunk.rows() > 0)
    }

    /// Reads the first record: the column names, or, without a header, the number of columns,
    /// the record then being read again as data.
    fn read_header(&mut self, header: bool) -> Result<()> {
        let mut chunk = Chunk::default();
        chunk.reset(0);
        let saved_rows = self.chunk_rows;
        self.chunk_rows = 1;
        self.read_records(&mut chunk, 0)?;
        self.chunk_rows = saved_rows;
        if chunk.rows() == 0 {
            return Err(DataError::new(
                ErrorKind::Empty,
                Location::source(&self.name),
                "the input is empty: expected a header row naming the columns",
            ));
        }
        if !header {
            self.header = (0..chunk.bounds.len()).map(|j| j.to_string()).collect();
            // The record's bytes go back in front of the rest, from line 1 again.
            chunk.buf.append(&mut self.carry);
            self.carry = chunk.buf;
            self.line = 1;
            return Ok(());
        }
        let names = chunk.bounds.iter().enumerate().map(|(i, _)| {
            let text = chunk.field_at(i);
            // Validated as UTF-8 by `read_records`.
            String::from_utf8_lossy(text).into_owned()
        });
        self.header = unique_names(names);
        Ok(())
    }

    /// Parses records into `chunk` until it is full or the source ends; `n_cols == 0` accepts any
    /// field count (the header).
    fn read_records(&mut self, chunk: &mut Chunk, n_cols: usize) -> Result<()> {
        let first_line = self.line;
        chunk.buf.append(&mut self.carry);
        let mut pos = 0;
        if first_line == 1 && chunk.buf.starts_with(b"\xEF\xBB\xBF") {
            pos = 3;
        }
        loop {
            pos = self.parse_records(chunk, pos, n_cols)?;
            let full = chunk.rows() >= self.chunk_rows
                || (chunk.rows() > 0 && chunk.buf.len() >= CHUNK_BYTES);
            if full || self.eof {
                break;
            }
            self.fill(&mut chunk.buf, &mut chunk.written)?;
            if first_line == 1 && pos == 0 && chunk.buf.starts_with(b"\xEF\xBB\xBF") {
                pos = 3;
            }
        }
        self.carry.extend_from_slice(&chunk.buf[pos..]);
        chunk.buf.truncate(pos);
        self.validate_text(chunk, first_line)
    }

    fn fill(&mut self, buf: &mut Vec<u8>, written: &mut Written) -> Result<()> {
        let start = buf.len();
        if start + READ_SIZE >= ESCAPED as usize {
            return Err(DataError::new(
                ErrorKind::InvalidArgument,
                Location::source(&self.name).at_line(self.line),
                "a record is longer than 2 GiB; is a quote left open?",
            ));
        }
        written.resize(buf, start + READ_SIZE);
        let n = loop {
            match self.source.read(&mut buf[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    buf.truncate(start);
                    return Err(undecodable(&e).unwrap_or_else(|| {
                        DataError::new(
                            ErrorKind::Io,
                            Location::source(&self.name).at_line(self.line),
                            format!("cannot read: {e}"),
                        )
                    }));
                }
            }
        };
        buf.truncate(start + n);
        self.bytes_read += n as u64;
        self.eof = n == 0;
        Ok(())
    }

    /// Parses whole records from `chunk.buf[from..]`; returns where the first unparsed record starts.
    fn parse_records(&mut self, chunk: &mut Chunk, from: usize, n_cols: usize) -> Result<usize> {
        // Without a comment character the parser is the plain RFC 4180 one, compiled apart.
        if self.comment.is_some() {
            self.parse_records_with::<true>(chunk, from, n_cols)
        } else {
            self.parse_records_with::<false>(chunk, from, n_cols)
        }
    }

    fn parse_records_with<const COMMENTS: bool>(
        &mut self,
        chunk: &mut Chunk,
        from: usize,
        n_cols: usize,
    ) -> Result<usize> {
        // Not dropped if a panic unwinds through the loop (it cannot, short of a bug): no drop
        // to unwind to keeps the hot loop as tight as with `panic = "abort"`.
        let text = std::mem::ManuallyDrop::new(std::mem::take(&mut chunk.buf));
        let mut cursor = Cursor::new(&text, self.structurals, from);
        let mut pos = from;
        let mut failure = None;
        while chunk.rows() < self.chunk_rows && pos < text.len() {
            match self.parse_record::<COMMENTS>(chunk, &text, pos, &mut cursor, n_cols) {
                Ok(Some(next)) => pos = next,
                Ok(None) => break,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        chunk.buf = std::mem::ManuallyDrop::into_inner(text);
        match failure {
            Some(e) => Err(e),
            None => Ok(pos),
        }
    }

    /// Parses the record starting at `start`. `Ok(None)`: the record is incomplete and more input is
    /// needed; nothing was recorded.
    fn parse_record<const COMMENTS: bool>(
        &mut self,
        chunk: &mut Chunk,
        text: &[u8],
        start: usize,
        cursor: &mut Cursor,
        n_cols: usize,
    ) -> Result<Option<usize>> {
        let bounds_mark = chunk.bounds.len();
        let escaped_mark = chunk.escaped.len();
        let rollback = |chunk: &mut Chunk| {
            chunk.bounds.truncate(bounds_mark);
            chunk.escaped.truncate(escaped_mark);
        };
        let mut newlines = 0u64;
        let mut field_start = start;
        let mut n_fields = 0usize;
        let next = loop {
            let quoted = text.get(field_start) == Some(&self.quote);
            let mut close = None;
            let mut has_escape = false;
            if quoted {
                let opened_on = self.line + newlines;
                cursor.skip_to(field_start + 1);
                loop {
                    let Some(p) = cursor.next() else {
                        if self.eof {
                            return Err(self.error(
                                ErrorKind::UnterminatedQuote,
                                opened_on,
                                n_fields + 1,
                                &format!(
                                    "a quoted field is never closed; add the closing '{}'",
                                    self.quote as char
                                ),
                            ));
                        }
                        rollback(chunk);
                        return Ok(None);
                    };
                    match text[p] {
                        b'\n' => newlines += 1,
                        q if q == self.quote => match text.get(p + 1) {
                            Some(&next) if next == self.quote => {
                                cursor.skip_to(p + 2);
                                has_escape = true;
                            }
                            None if !self.eof => {
                                rollback(chunk);
                                return Ok(None);
                            }
                            _ => {
                                close = Some(p);
                                break;
                            }
                        },
                        _ => {}
                    }
                }
            }
            // The field ends at the next delimiter, newline or comment; quotes here are literal.
            let terminator = loop {
                match cursor.next() {
                    None if self.eof => break None,
                    None => {
                        rollback(chunk);
                        return Ok(None);
                    }
                    Some(p) if text[p] == self.quote => continue,
                    Some(p) => break Some(p),
                }
            };
            // A comment ends the field, and the record at the end of its line.
            let (raw_end, terminator) = match terminator {
                Some(p)
                    if COMMENTS && Some(text[p]) == self.comment && text[p] != self.delimiter =>
                {
                    match memchr::memchr(b'\n', &text[p..]) {
                        Some(offset) => {
                            cursor.skip_to(p + offset + 1);
                            (p, Some(p + offset))
                        }
                        None if self.eof => (p, None),
                        None => {
                            rollback(chunk);
                            return Ok(None);
                        }
                    }
                }
                other => (other.unwrap_or(text.len()), other),
            };
            let is_record_end = terminator.is_none_or(|p| text[p] == b'\n');
            let mut end = raw_end;
            if is_record_end && end > field_start && text[end - 1] == b'\r' {
                end -= 1;
            }
            match close {
                Some(close) => {
                    let after = close + 1;
                    let tail = &text[after..end.max(after)];
                    if !has_escape && tail.is_empty() {
                        chunk.bounds.push([(field_start + 1) as u32, close as u32]);
                    } else {
                        let begin = chunk.escaped.len() as u32;
                        unescape_into(
                            &text[field_start + 1..close],
                            self.quote,
                            &mut chunk.escaped,
                        );
                        chunk.escaped.extend_from_slice(tail);
                        chunk
                            .bounds
                            .push([begin | ESCAPED, chunk.escaped.len() as u32]);
                    }
                }
                None => chunk.bounds.push([field_start as u32, end as u32]),
            }
            n_fields += 1;
            match terminator {
                Some(p) if text[p] == self.delimiter => field_start = p + 1,
                Some(p) => {
                    newlines += 1;
                    break p + 1;
                }
                None => break text.len(),
            }
        };
        let record_line = self.line;
        self.line += newlines;
        let blank = n_fields == 1 && text[start] != self.quote && {
            let [s, e] = chunk.bounds[bounds_mark];
            s == e
        };
        if blank {
            rollback(chunk);
            return Ok(Some(next));
        }
        if n_cols != 0 && n_fields != n_cols {
            let (column, what) = if n_fields > n_cols {
                (n_cols + 1, "more")
            } else {
                (n_fields + 1, "fewer")
            };
            return Err(self.error(
                ErrorKind::RaggedRow,
                record_line,
                column,
                &format!(
                    "the record has {n_fields} field{}, {what} than the header's {n_cols}; \
                     quote fields that contain the delimiter or fix the row",
                    if n_fields == 1 { "" } else { "s" }
                ),
            ));
        }
        chunk.row_lines.push(record_line);
        Ok(Some(next))
    }

    /// Refuses NUL bytes and invalid UTF-8 in the records of a chunk.
    fn validate_text(&self, chunk: &Chunk, first_line: u64) -> Result<()> {
        let text = &chunk.buf;
        let bad = match memchr::memchr(0, text) {
            Some(at) => Some((at, ErrorKind::Binary)),
            None if simdutf8::basic::from_utf8(text).is_err() => {
                let at = std::str::from_utf8(text).map_err(|e| e.valid_up_to()).err();
                at.map(|at| (at, ErrorKind::InvalidUtf8))
            }
            None => None,
        };
        let Some((at, kind)) = bad else {
            return Ok(());
        };
        let line = first_line + memchr::memchr_iter(b'\n', &text[..at]).count() as u64;
        let column = self.column_at(chunk, at);
        let message = match kind {
            ErrorKind::Binary => "a NUL byte: this looks like a binary file, not CSV text",
            _ => "invalid UTF-8; re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
        };
        let mut location = Location::source(&self.name).at_line(line);
        if let Some(c) = column {
            location = location.at_column(c, self.header.get(c - 1).map(String::as_str));
        }
        Err(DataError::new(kind, location, message))
    }

    /// The 1-based column of the field whose bytes include `offset`, when it can be told.
    fn column_at(&self, chunk: &Chunk, offset: usize) -> Option<usize> {
        let offset = offset as u32;
        let n_cols = chunk.n_cols.max(1);
        chunk
            .bounds
            .iter()
            .position(|&[s, e]| s & ESCAPED == 0 && s <= offset && offset <= e)
            .map(|i| {
                if chunk.n_cols == 0 {
                    i + 1
                } else {
                    i % n_cols + 1
                }
            })
    }

    fn error(&self, kind: ErrorKind, line: u64, column: usize, message: &str) -> DataError {
        let name = self.header.get(column.wrapping_sub(1)).map(String::as_str);
        DataError::new(
            kind,
            Location::source(&self.name)
                .at_line(line)
                .at_column(column, name),
            message,
        )
    }
}

/// Copies the inside of a field quoted with `quote`, turning each doubled quote into one.
fn unescape_into(inner: &[u8], quote: u8, out: &mut Vec<u8>) {
    let mut rest = inner;
    while let Some(i) = memchr::memchr(quote, rest) {
        out.extend_from_slice(&rest[..=i]);
        // The quote after an escaping quote is skipped; `inner` holds only doubled quotes.
        rest = rest.get(i + 2..).unwrap_or(&[]);
    }
    out.extend_from_slice(rest);
}

/// Column names made unique as pandas' `read_csv` does.
fn unique_names(names: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, name) in names.enumerate() {
        let base = if name.is_empty() {
            format!("Unnamed: {i}")
        } else {
            name
        };
        let mut candidate = base.clone();
        let mut k = 1;
        while !seen.insert(candidate.clone()) {
            candidate = format!("{base}.{k}");
            k += 1;
        }
        out.push(candidate);
    }
    out
}

/// Walks the structural positions of a text in order.
struct Cursor<'a> {
    text: &'a [u8],
    structurals: Structurals,
    base: usize,
    bits: u64,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a [u8], structurals: Structurals, start: usize) -> Self {
        Cursor {
            text,
            structurals,
            base: start,
            bits: structurals.mask_at(text, start),
        }
    }

    /// The next structural position, if any.
    #[inline]
    fn next(&mut self) -> Option<usize> {
        loop {
            if self.bits != 0 {
                let p = self.base + self.bits.trailing_zeros() as usize;
                self.bits &= self.bits - 1;
                return Some(p);
            }
            self.base += 64;
            if self.base >= self.text.len() {
                self.base = self.text.len();
                return None;
            }
            self.bits = self.structurals.mask_at(self.text, self.base);
        }
    }

    /// Forgets structural positions before `pos`.
    #[inline]
    fn skip_to(&mut self, pos: usize) {
        if pos >= self.base + 64 {
            self.base = pos;
            self.bits = self.structurals.mask_at(self.text, pos);
        } else if pos > self.base {
            let shift = pos - self.base;
            self.bits &= !0u64 << shift;
        }
    }
}

#[cfg(test)]
mod tests;
