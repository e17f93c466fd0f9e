//! Streaming CSV and TSV: a chunked RFC 4180 reader over structural-byte masks.

mod reader;
mod structural;

pub use reader::{Chunk, CsvOptions, CsvReader};
