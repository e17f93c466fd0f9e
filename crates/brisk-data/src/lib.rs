//! brisk's input layer and dataset jobs.
//!
//! Every command reads through [`input::Input`]: a path ending in `.csv`, `.tsv`, `.parquet` or
//! `.npy`, or `-` for CSV on standard input. Tables are read as typed batches by
//! [`batch::Batches`], whose [`batch::ColumnTypes`] is the one type inference (pandas' rules, field
//! by field as [`value::classify`] gives them); CSV is streamed in chunks by [`csv::CsvReader`].
//! [`stats::chunked_statistics`] is the streaming per-column summary behind `brisk stats`
//! (exercise C.5), built on [`summary::TableSummary`].
//!
//! ```
//! use brisk_data::csv::{Chunk, CsvOptions, CsvReader};
//! let text = "name,score\nada,\"1.5\"\nbob,NA\n";
//! let mut reader = CsvReader::new(text.as_bytes(), "inline.csv", CsvOptions::default()).unwrap();
//! let mut chunk = Chunk::default();
//! assert!(reader.next_chunk(&mut chunk).unwrap());
//! assert_eq!(reader.header(), ["name", "score"]);
//! assert_eq!(chunk.field(0, 1), b"1.5");
//! ```

#![warn(missing_docs)]

pub mod arrow_stream;
pub mod batch;
pub mod cleaning;
pub mod csv;
pub mod datasets;
pub mod dates;
pub mod encoding;
pub mod error;
pub mod frame;
pub mod groupby;
mod guard;
mod hint;
pub mod input;
pub mod matrix;
pub mod npy;
pub mod nullity;
pub mod parquet;
pub mod partial;
pub mod profile;
pub mod sample_rows;
pub mod stats;
pub mod summary;
pub mod table;
pub mod timeline;
pub mod value;

pub use error::{DataError, ErrorKind, Location, Result};
