//! The one error type of the input layer and the dataset jobs.
//!
//! Every error names where it happened — the file, and for CSV the 1-based line and the column — so
//! that the command line can print one line a user can act on.

use std::fmt;
use std::path::Path;

/// Where in an input an error was found.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// The file, or `<stdin>`.
    pub source: String,
    /// 1-based physical line of the CSV text, when known.
    pub line: Option<u64>,
    /// 0-based row of an array (`.npy`, Parquet), when known; CSV inputs give the line instead.
    pub row: Option<usize>,
    /// 1-based column (field) number, when known.
    pub column: Option<u32>,
    /// The column's name from the header, when known.
    pub column_name: Option<String>,
}

impl Location {
    /// A location naming only the source.
    pub fn source(source: impl Into<String>) -> Self {
        Location {
            source: source.into(),
            ..Location::default()
        }
    }

    /// The same location at a line.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same location at a 0-based array row.
    pub fn at_row(mut self, row: usize) -> Self {
        self.row = Some(row);
        self
    }

    /// The same location at a column (1-based), with its header name when known.
    pub fn at_column(mut self, column: usize, name: Option<&str>) -> Self {
        self.column = Some(u32::try_from(column).unwrap_or(u32::MAX));
        self.column_name = name.map(str::to_owned);
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(row) = self.row {
            // Arrays count rows from 0, as NumPy does; the column is named as the data name it.
            return match &self.column_name {
                Some(name) => write!(f, ": row {row}, column {name:?} (rows count from 0)"),
                None => write!(f, ": row {row} (rows count from 0)"),
            };
        }
        match (self.column, &self.column_name) {
            (Some(c), Some(name)) => write!(f, ": column {c} ({name:?})"),
            (Some(c), None) => write!(f, ": column {c}"),
            _ => Ok(()),
        }
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be opened or read.
    Io,
    /// The path's extension names no format brisk reads.
    UnknownFormat,
    /// The input has no header row.
    Empty,
    /// A record has more or fewer fields than the header.
    RaggedRow,
    /// A quoted field is never closed.
    UnterminatedQuote,
    /// The text is not UTF-8.
    InvalidUtf8,
    /// The text has a byte sequence its declared encoding cannot decode.
    Encoding,
    /// The file holds binary data (a NUL byte).
    Binary,
    /// A malformed or unsupported `.npy` file.
    Npy,
    /// A malformed Parquet file, or one with columns brisk cannot read.
    Parquet,
    /// A JSON-lines record that is malformed, not an object, or not flat.
    Json,
    /// A malformed Arrow IPC file or stream, or one with columns brisk cannot read.
    Arrow,
    /// A column named on the command line is not in the input.
    UnknownColumn,
    /// An argument's value is out of its range.
    InvalidArgument,
    /// A value the computation cannot take (NaN or infinity in an array command's input).
    NonFinite,
    /// No numeric data to work on.
    NoNumericData,
    /// A value of a column that must hold dates is not a date.
    Date,
    /// A partial state that is corrupt, truncated, of another format version or kind, or of
    /// another job than the one it is merged into.
    PartialState,
}

/// An error of the input layer, with where it happened and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct DataError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where.
    pub location: Location,
    /// One sentence: what is wrong and what to do.
    pub message: String,
}

impl DataError {
    /// A new error.
    pub fn new(kind: ErrorKind, location: Location, message: impl Into<String>) -> Self {
        DataError {
            kind,
            location,
            message: message.into(),
        }
    }

    /// An I/O error while opening or reading `path`.
    pub fn io(path: &Path, err: &std::io::Error) -> Self {
        let what = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file; check the path".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::IsADirectory => "is a directory, not a file".to_owned(),
            _ => format!("cannot read: {err}"),
        };
        DataError::new(ErrorKind::Io, Location::source(display_path(path)), what)
    }
}

/// How a path is shown in messages: as the user gave it.
pub fn display_path(path: &Path) -> String {
    path.display().to_string()
}

/// The source name used for standard input.
pub const STDIN_NAME: &str = "<stdin>";

/// The result type of this crate.
pub type Result<T, E = DataError> = std::result::Result<T, E>;
