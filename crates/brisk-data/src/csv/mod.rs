//! Streaming CSV and TSV: a chunked RFC 4180 reader over structural-byte masks, and a read-ahead
//! thread that parses the next chunks while the current one is used.

mod prefetch;
mod reader;
mod sniff;
mod structural;

pub use prefetch::{Chunks, Parsed};
pub use reader::{Chunk, CsvOptions, CsvReader, Quoting};
pub use sniff::{sniff_delimiter, Sniffed, SNIFF_BYTES};
