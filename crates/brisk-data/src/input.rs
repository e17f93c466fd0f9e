//! The one way every command names and opens its input.
//!
//! A path's extension picks the format (`.csv`, `.tsv`, `.jsonl` or `.ndjson`, `.parquet`, `.arrow`,
//! `.feather` or `.arrows`, `.npy`, any case), and a further `.gz` or `.zst` on a CSV, TSV or JSON-lines name ([`Compression`]) has
//! its text decompressed as it is read, on every pass, never to disk; `-` is CSV on standard input, which is first copied to a temporary file so that jobs needing a second pass (exact
//! quantiles past the memory limit) can make one.
//!
//! The field delimiter of a text input is the one [`InputOptions::delimiter`] gives, else a tab for
//! `.tsv`, else a comma, unless the first [`SNIFF_BYTES`] of a CSV input show another one
//! ([`sniff_delimiter`]): then [`Input::sniffed`] says which, for the caller to tell the user.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;
use tempfile::NamedTempFile;

use crate::batch::{ColumnTypes, DateRule};
use crate::csv::{sniff_delimiter, CsvOptions, CsvReader, Quoting, Sniffed, SNIFF_BYTES};
use crate::encoding::{Encoding, Transcoder};
use crate::error::{display_path, DataError, ErrorKind, Location, Result, STDIN_NAME};

/// The formats brisk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// JSON lines (`.jsonl`, `.ndjson`): one JSON object a line.
    JsonLines,
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC: the file format (`.arrow`, `.feather`: Feather v2) or the stream format
    /// (`.arrows`), told apart by the file's first bytes.
    Arrow,
    /// A NumPy `.npy` array.
    Npy,
}

/// How a text input's bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip (`.gz`), one member or several concatenated (as `bgzip` and `cat a.gz b.gz` make).
    Gzip,
    /// Zstandard (`.zst`), one frame or several.
    Zstd,
}

impl Format {
    /// The format and compression a path's extensions name: `data.csv`, `data.csv.gz`,
    /// `data.tsv.zst`, `data.ndjson`, … (any case). Only the text formats (CSV, TSV, JSON lines) may
    /// be compressed.
    ///
    /// ```
    /// use brisk_data::input::{Compression, Format};
    /// use std::path::Path;
    /// assert_eq!(Format::of_path(Path::new("a.CSV.gz")), Some((Format::Csv, Compression::Gzip)));
    /// assert_eq!(Format::of_path(Path::new("a.npy")), Some((Format::Npy, Compression::None)));
    /// assert_eq!(Format::of_path(Path::new("a.NDJSON")), Some((Format::JsonLines, Compression::None)));
    /// assert_eq!(Format::of_path(Path::new("a.jsonl.zst")), Some((Format::JsonLines, Compression::Zstd)));
    /// assert_eq!(Format::of_path(Path::new("a.Feather")), Some((Format::Arrow, Compression::None)));
    /// assert_eq!(Format::of_path(Path::new("a.arrows")), Some((Format::Arrow, Compression::None)));
    /// assert_eq!(Format::of_path(Path::new("a.parquet.gz")), None);
    /// ```
    pub fn of_path(path: &Path) -> Option<(Format, Compression)> {
        let extension = |p: &Path| Some(p.extension()?.to_str()?.to_ascii_lowercase());
        let ext = extension(path)?;
        let (ext, compression) = match ext.as_str() {
            "gz" => (extension(Path::new(path.file_stem()?))?, Compression::Gzip),
            "zst" => (extension(Path::new(path.file_stem()?))?, Compression::Zstd),
            _ => (ext, Compression::None),
        };
        let format = match ext.as_str() {
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "jsonl" | "ndjson" => Format::JsonLines,
            "parquet" => Format::Parquet,
            "arrow" | "feather" | "arrows" => Format::Arrow,
            "npy" => Format::Npy,
            _ => return None,
        };
        let text = matches!(format, Format::Csv | Format::Tsv | Format::JsonLines);
        (text || compression == Compression::None).then_some((format, compression))
    }

    /// The field delimiter of a text format.
    pub fn delimiter(self) -> u8 {
        if self == Format::Tsv {
            b'\t'
        } else {
            b','
        }
    }
}

/// How to read an input, beyond what its name says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputOptions {
    /// The field delimiter of a CSV or TSV input; `None` takes the format's own (a comma, or a
    /// tab for `.tsv`), or the one sniffed from a CSV input whose header has no comma.
    pub delimiter: Option<u8>,
    /// A CSV or TSV input has no header: its columns are named `0`, `1`, … (pandas'
    /// `header=None`), and the delimiter is not guessed.
    pub no_header: bool,
    /// Numbers in a CSV or TSV input are written with a decimal comma (`7,4`), as
    /// `read_csv(decimal=",")` reads them.
    pub decimal_comma: bool,
    /// Only these columns of a table, in this order (pandas' `usecols`, ordered); every pass
    /// over the input sees only them.
    pub columns: Option<Vec<String>>,
    /// Leave these columns of a table out.
    pub exclude: Vec<String>,
    /// Columns of a CSV, TSV or JSON-lines input that must hold ISO 8601 dates (pandas'
    /// `parse_dates`): a value that is not one is an error.
    pub parse_dates: Vec<String>,
    /// Read ISO 8601 dates in a text input as text, instead of finding date-time columns.
    pub no_parse_dates: bool,
    /// The quote and comment characters of a CSV or TSV input.
    pub quoting: Quoting,
    /// The encoding of a text input (CSV, TSV, JSON lines), transcoded to UTF-8 as it is read;
    /// `None` is UTF-8.
    pub encoding: Option<Encoding>,
}

/// An input as the user named it.
#[derive(Debug)]
pub struct Input {
    name: String,
    format: Format,
    compression: Compression,
    origin: Origin,
    options: InputOptions,
    /// The delimiter `options` give, the format's, or the sniffed one.
    delimiter: u8,
    sniffed: Option<Sniffed>,
}

#[derive(Debug)]
enum Origin {
    File(PathBuf),
    /// Standard input, or a table in memory, copied to a temporary file that lives as long as the
    /// input.
    Spilled(NamedTempFile),
}

impl Input {
    /// Resolves a command-line argument: `-` reads CSV from standard input, anything else is a path
    /// whose extension picks the format. The file must exist and be a regular file.
    pub fn open(arg: impl AsRef<Path>) -> Result<Input> {
        Input::open_with(arg, InputOptions::default())
    }

    /// [`Input::open`] with `options`.
    ///
    /// # Errors
    /// An unknown extension, a missing file or a directory, or an unreadable start of the file.
    pub fn open_with(arg: impl AsRef<Path>, options: InputOptions) -> Result<Input> {
        let path = arg.as_ref().to_path_buf();
        if path == Path::new("-") {
            return Input::from_reader_with(io::stdin().lock(), STDIN_NAME, Format::Csv, options);
        }
        let name = display_path(&path);
        let (format, compression) = Format::of_path(&path).ok_or_else(|| {
            DataError::new(
                ErrorKind::UnknownFormat,
                Location::source(&name),
                "unknown format: brisk reads .csv, .tsv, .jsonl (or .ndjson), .parquet, Arrow \
                 (.arrow, .feather, .arrows) and .npy files, .csv, .tsv and .jsonl compressed as \
                 .gz or .zst (or - for CSV on stdin)",
            )
        })?;
        let meta = std::fs::metadata(&path).map_err(|e| DataError::io(&path, &e))?;
        if meta.is_dir() {
            return Err(DataError::new(
                ErrorKind::Io,
                Location::source(&name),
                "is a directory, not a file",
            ));
        }
        Input {
            name,
            format,
            compression,
            origin: Origin::File(path),
            options,
            delimiter: format.delimiter(),
            sniffed: None,
        }
        .take_delimiter()
    }

    /// An input read once from `reader` into a temporary file (stdin, or a test's bytes).
    pub fn from_reader(reader: impl Read, name: &str, format: Format) -> Result<Input> {
        Input::from_reader_with(reader, name, format, InputOptions::default())
    }

    /// [`Input::from_reader`] with `options`.
    fn from_reader_with(
        mut reader: impl Read,
        name: &str,
        format: Format,
        options: InputOptions,
    ) -> Result<Input> {
        let spill_error = |e: io::Error| {
            DataError::new(
                ErrorKind::Io,
                Location::source(name),
                format!("cannot copy the input to a temporary file: {e}"),
            )
        };
        let mut file = NamedTempFile::new().map_err(spill_error)?;
        io::copy(&mut reader, file.as_file_mut()).map_err(spill_error)?;
        Input::spilled_with(file, name, format, options)
    }

    /// An input whose bytes were written to the temporary `file` in `format` (a table in memory,
    /// see [`crate::arrow_stream`]); the file lives as long as the input.
    pub(crate) fn spilled(file: NamedTempFile, name: &str, format: Format) -> Result<Input> {
        Input::spilled_with(file, name, format, InputOptions::default())
    }

    /// [`Input::spilled`] with `options`.
    fn spilled_with(
        file: NamedTempFile,
        name: &str,
        format: Format,
        options: InputOptions,
    ) -> Result<Input> {
        Input {
            name: name.to_owned(),
            format,
            compression: Compression::None,
            origin: Origin::Spilled(file),
            options,
            delimiter: format.delimiter(),
            sniffed: None,
        }
        .take_delimiter()
    }

    /// Takes the delimiter the options give, or sniffs a CSV input's (with a header).
    fn take_delimiter(mut self) -> Result<Input> {
        if let Some(delimiter) = self.options.delimiter {
            self.delimiter = delimiter;
        } else if self.format == Format::Csv && !self.options.no_header {
            let mut sample = Vec::with_capacity(SNIFF_BYTES);
            let mut text = self.text()?;
            let read = (&mut text)
                .take(SNIFF_BYTES as u64)
                .read_to_end(&mut sample);
            read.map_err(|e| self.read_error(&e))?;
            // Complete when the sample ended before the limit, or nothing follows it.
            let complete = sample.len() < SNIFF_BYTES
                || text.read(&mut [0]).map_err(|e| self.read_error(&e))? == 0;
            self.sniffed = sniff_delimiter(&sample, complete, self.options.quoting);
            if let Some(sniffed) = self.sniffed {
                self.delimiter = sniffed.delimiter;
            }
        }
        self.check_dialect()?;
        Ok(self)
    }

    /// Refuses a dialect whose delimiter, quote and comment characters are not distinct, or
    /// include a line end.
    fn check_dialect(&self) -> Result<()> {
        let Quoting { quote, comment } = self.options.quoting;
        let mut roles = vec![("delimiter", self.delimiter), ("quote", quote)];
        roles.extend(comment.map(|c| ("comment", c)));
        for (i, &(role, c)) in roles.iter().enumerate() {
            let clash = roles[..i].iter().find(|(_, other)| *other == c);
            let what = match clash {
                _ if c == b'\n' || c == b'\r' => {
                    format!("the {role} character cannot be a line end")
                }
                Some((other, _)) => format!(
                    "the {other} and the {role} character are both {:?}; they must differ",
                    char::from(c)
                ),
                None => continue,
            };
            return Err(DataError::new(
                ErrorKind::InvalidArgument,
                Location::source(&self.name),
                what,
            ));
        }
        Ok(())
    }

    /// How messages name this input: the path as given, or `<stdin>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The input's format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// How the input's bytes are compressed.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// The field delimiter of a CSV or TSV input.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The delimiter guessed from the start of a CSV input whose header has no comma, when one
    /// was (and no delimiter was given).
    pub fn sniffed(&self) -> Option<&Sniffed> {
        self.sniffed.as_ref()
    }

    /// The path the user gave, when the input is a file (not standard input).
    pub fn user_path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(path) => Some(path),
            Origin::Spilled(_) => None,
        }
    }

    /// Where the bytes are on disk.
    pub fn disk_path(&self) -> &Path {
        match &self.origin {
            Origin::File(path) => path,
            Origin::Spilled(file) => file.path(),
        }
    }

    /// The size in bytes of what a pass reads (the text, for progress), when known: not for a
    /// compressed input.
    pub fn len(&self) -> Option<u64> {
        if self.compression != Compression::None {
            return None;
        }
        std::fs::metadata(self.disk_path()).ok().map(|m| m.len())
    }

    /// Whether the input holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// Opens the raw bytes for reading from the start.
    pub fn reader(&self) -> Result<File> {
        let path = self.disk_path();
        let file = File::open(path).map_err(|e| {
            let mut err = DataError::io(path, &e);
            err.location = Location::source(&self.name);
            err
        })?;
        Ok(file)
    }

    /// Opens the text of a CSV, TSV or JSON-lines input, decompressing it as it is read.
    ///
    /// # Errors
    /// The file cannot be opened, or a compressed file's header is not its format's.
    pub fn text(&self) -> Result<Box<dyn Read + Send>> {
        let file = self.reader()?;
        let bytes: Box<dyn Read + Send> = match self.compression {
            Compression::None => Box::new(file),
            Compression::Gzip => Box::new(MultiGzDecoder::new(BufReader::new(file))),
            Compression::Zstd => {
                Box::new(zstd::stream::read::Decoder::new(file).map_err(|e| self.read_error(&e))?)
            }
        };
        Ok(match self.options.encoding {
            None | Some(Encoding::Utf8) => bytes,
            Some(encoding) => Box::new(Transcoder::new(bytes, encoding, &self.name)),
        })
    }

    /// Opens a CSV/TSV input for a pass over its records; call again for another pass.
    pub fn csv(&self, chunk_rows: usize) -> Result<CsvReader<Box<dyn Read + Send>>> {
        let options = CsvOptions {
            delimiter: self.delimiter,
            chunk_rows,
            header: !self.options.no_header,
            decimal_comma: self.options.decimal_comma,
            quoting: self.options.quoting,
        };
        CsvReader::new(self.text()?, self.name.clone(), options)
    }

    /// The columns a pass shows of a table with these `names`: indices into `names`, or `None`
    /// for all of them.
    ///
    /// # Errors
    /// A named column that is not in the table ([`ErrorKind::UnknownColumn`]).
    pub fn projection(&self, names: &[String]) -> Result<Option<Vec<usize>>> {
        let find = |wanted: &String, flag: &str| {
            names.iter().position(|n| n == wanted).ok_or_else(|| {
                DataError::new(
                    ErrorKind::UnknownColumn,
                    Location::source(&self.name),
                    format!(
                        "{flag} names {wanted:?}, which is not a column; the columns are: {}",
                        names.join(", ")
                    ),
                )
            })
        };
        let mut picked: Vec<usize> = match &self.options.columns {
            Some(wanted) => wanted
                .iter()
                .map(|w| find(w, "--columns"))
                .collect::<Result<_>>()?,
            None if self.options.exclude.is_empty() => return Ok(None),
            None => (0..names.len()).collect(),
        };
        let excluded: Vec<usize> = self
            .options
            .exclude
            .iter()
            .map(|w| find(w, "--exclude"))
            .collect::<Result<_>>()?;
        let mut seen = vec![false; names.len()];
        picked.retain(|&j| !excluded.contains(&j) && !std::mem::replace(&mut seen[j], true));
        Ok(Some(picked))
    }

    /// Sets how each column of a text input with these `types` reads dates: found by default,
    /// required by [`InputOptions::parse_dates`], off with [`InputOptions::no_parse_dates`].
    ///
    /// # Errors
    /// A `parse_dates` name that is not a column.
    pub(crate) fn date_rules(&self, types: &mut ColumnTypes) -> Result<()> {
        if self.options.no_parse_dates {
            (0..types.len()).for_each(|j| types.set_date_rule(j, DateRule::Off));
        }
        for name in &self.options.parse_dates {
            let j = types.position(name).ok_or_else(|| {
                DataError::new(
                    ErrorKind::UnknownColumn,
                    Location::source(&self.name),
                    format!(
                        "--parse-dates names {name:?}, which is not a column; the columns are: {}",
                        types.names().join(", ")
                    ),
                )
            })?;
            types.set_date_rule(j, DateRule::Require);
        }
        Ok(())
    }

    /// An error reading (or decompressing) this input.
    fn read_error(&self, err: &io::Error) -> DataError {
        if let Some(undecodable) = crate::encoding::undecodable(err) {
            return undecodable;
        }
        let what = match self.compression {
            Compression::None => format!("cannot read: {err}"),
            Compression::Gzip => format!("cannot decompress it as gzip: {err}"),
            Compression::Zstd => format!("cannot decompress it as Zstandard: {err}"),
        };
        DataError::new(ErrorKind::Io, Location::source(&self.name), what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(name: &str, text: &[u8], options: InputOptions) -> Input {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let input = Input::open_with(&path, options).unwrap();
        // The guess is made at open: the file may go.
        drop(dir);
        input
    }

    #[test]
    fn a_csv_without_commas_in_its_header_is_sniffed_and_sep_overrides() {
        let text = b"a;b\n1;2\n";
        let input = open("t.csv", text, InputOptions::default());
        assert_eq!(input.delimiter(), b';');
        assert_eq!(input.sniffed().map(|s| s.columns), Some(2));
        let given = InputOptions {
            delimiter: Some(b','),
            ..InputOptions::default()
        };
        let input = open("t.csv", text, given);
        assert_eq!((input.delimiter(), input.sniffed()), (b',', None));
        // A .tsv is split on tabs, and never sniffed.
        let input = open("t.tsv", text, InputOptions::default());
        assert_eq!((input.delimiter(), input.sniffed()), (b'\t', None));
        let input = open("t.csv", b"a,b\n1;2,3\n", InputOptions::default());
        assert_eq!((input.delimiter(), input.sniffed()), (b',', None));
    }

    #[test]
    fn the_guess_reads_only_the_start_of_a_large_file() {
        let mut text = b"a;b\n".to_vec();
        while text.len() <= SNIFF_BYTES {
            text.extend_from_slice(b"1;2\n");
        }
        // Past the sample a line has three fields: the guess stands, and the reader says where.
        text.extend_from_slice(b"1;2;3\n");
        let input = open("t.csv", &text, InputOptions::default());
        assert_eq!(input.delimiter(), b';');
    }

    /// An input of `text` named `name`, and the folder that holds it.
    fn kept(name: &str, text: &[u8], options: InputOptions) -> (tempfile::TempDir, Input) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, Input::open_with(&path, options).unwrap())
    }

    fn first_column_text(input: &Input) -> Result<(Vec<String>, Vec<String>)> {
        let mut batches = crate::batch::Batches::open(input, 2)?;
        let mut values = Vec::new();
        while let Some(batch) = batches.next_batch()? {
            if let crate::batch::BatchColumn::Text(column) = batch.column(0) {
                values.extend(
                    column
                        .iter()
                        .map(|v| String::from_utf8(v.unwrap().to_vec()).unwrap()),
                );
            }
        }
        Ok((batches.types().names().to_vec(), values))
    }

    #[test]
    fn latin1_and_utf16_inputs_are_transcoded_as_they_are_read() {
        let latin1 = InputOptions {
            encoding: Some(Encoding::Latin1),
            ..InputOptions::default()
        };
        let (_dir, input) = kept("t.csv", b"caf\xe9;n\nR\xe9ne;1\nK\xf6ln;2\nZ;3\n", latin1);
        assert_eq!(input.delimiter(), b';');
        let (names, values) = first_column_text(&input).unwrap();
        assert_eq!(
            (names, values),
            (
                vec!["café".into(), "n".into()],
                vec!["Réne".into(), "Köln".into(), "Z".into()]
            )
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "name\tn\r\nÅsa\t1\r\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let options = InputOptions {
            encoding: Some(Encoding::Utf16),
            ..InputOptions::default()
        };
        let (_dir, input) = kept("t.tsv", &utf16, options);
        let (names, values) = first_column_text(&input).unwrap();
        assert_eq!(
            (names, values),
            (vec!["name".into(), "n".into()], vec!["Åsa".into()])
        );
    }

    #[test]
    fn an_undecodable_byte_names_its_line() {
        let cp1252 = InputOptions {
            encoding: Some(Encoding::Windows1252),
            ..InputOptions::default()
        };
        // Found as the start of the file is read for the delimiter, or by the pass.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        for rows in [5000, 50_000] {
            let mut text = b"a,b\n".to_vec();
            for i in 0..rows {
                text.extend_from_slice(format!("{i},x\n").as_bytes());
            }
            text.extend_from_slice(b"0,\x81\n");
            std::fs::write(&path, &text).unwrap();
            let err = Input::open_with(&path, cp1252.clone())
                .and_then(|input| first_column_text(&input))
                .unwrap_err();
            assert_eq!(
                (&err.kind, err.location.line),
                (&ErrorKind::Encoding, Some(rows + 2))
            );
            assert!(err.message.starts_with("byte 0x81"), "{err}");
        }
    }

    #[test]
    fn a_dialect_whose_characters_clash_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "a;b\n1;2\n").unwrap();
        let options = InputOptions {
            delimiter: Some(b';'),
            quoting: Quoting {
                quote: b';',
                comment: None,
            },
            ..InputOptions::default()
        };
        let err = Input::open_with(&path, options).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InvalidArgument);
        let options = InputOptions {
            quoting: Quoting {
                quote: b'"',
                comment: Some(b'"'),
            },
            ..InputOptions::default()
        };
        assert!(Input::open_with(&path, options)
            .unwrap_err()
            .message
            .contains("both"));
    }
}
