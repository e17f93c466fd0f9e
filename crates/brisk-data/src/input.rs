//! The one way every command names and opens its input.
//!
//! A path's extension picks the format (`.csv`, `.tsv`, `.parquet`, `.npy`, any case); `-` is CSV on
//! standard input, which is first copied to a temporary file so that jobs needing a second pass (exact
//! quantiles past the memory limit) can make one.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::csv::{CsvOptions, CsvReader};
use crate::error::{display_path, DataError, ErrorKind, Location, Result, STDIN_NAME};

/// The formats brisk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// Apache Parquet.
    Parquet,
    /// A NumPy `.npy` array.
    Npy,
}

impl Format {
    /// The format a path's extension names.
    pub fn of_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "tsv" => Some(Format::Tsv),
            "parquet" => Some(Format::Parquet),
            "npy" => Some(Format::Npy),
            _ => None,
        }
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

/// An input as the user named it.
#[derive(Debug)]
pub struct Input {
    name: String,
    format: Format,
    origin: Origin,
}

#[derive(Debug)]
enum Origin {
    File(PathBuf),
    /// Standard input, copied to a temporary file that lives as long as the input.
    Spilled(NamedTempFile),
}

impl Input {
    /// Resolves a command-line argument: `-` reads CSV from standard input, anything else is a path
    /// whose extension picks the format. The file must exist and be a regular file.
    pub fn open(arg: impl AsRef<Path>) -> Result<Input> {
        let path = arg.as_ref().to_path_buf();
        if path == Path::new("-") {
            return Input::from_reader(io::stdin().lock(), STDIN_NAME, Format::Csv);
        }
        let name = display_path(&path);
        let format = Format::of_path(&path).ok_or_else(|| {
            DataError::new(
                ErrorKind::UnknownFormat,
                Location::source(&name),
                "unknown format: brisk reads .csv, .tsv, .parquet and .npy files (or - for CSV on stdin)",
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
        Ok(Input {
            name,
            format,
            origin: Origin::File(path),
        })
    }

    /// An input read once from `reader` into a temporary file (stdin, or a test's bytes).
    pub fn from_reader(mut reader: impl Read, name: &str, format: Format) -> Result<Input> {
        let spill_error = |e: io::Error| {
            DataError::new(
                ErrorKind::Io,
                Location::source(name),
                format!("cannot copy the input to a temporary file: {e}"),
            )
        };
        let mut file = NamedTempFile::new().map_err(spill_error)?;
        io::copy(&mut reader, file.as_file_mut()).map_err(spill_error)?;
        Ok(Input {
            name: name.to_owned(),
            format,
            origin: Origin::Spilled(file),
        })
    }

    /// How messages name this input: the path as given, or `<stdin>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The input's format.
    pub fn format(&self) -> Format {
        self.format
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

    /// The size in bytes, when known.
    pub fn len(&self) -> Option<u64> {
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

    /// Opens a CSV/TSV input for a pass over its records; call again for another pass.
    pub fn csv(&self, chunk_rows: usize) -> Result<CsvReader<File>> {
        let options = CsvOptions {
            delimiter: self.format.delimiter(),
            chunk_rows,
        };
        CsvReader::new(self.reader()?, self.name.clone(), options)
    }
}
