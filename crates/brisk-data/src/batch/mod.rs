//! Typed column batches: the one way every streaming job reads a table.
//!
//! A [`Batches`] source yields [`Batch`]es of consecutive rows, each column typed as pandas'
//! `read_csv` types it: a [`BatchColumn::Numeric`] holds `f64` values, a [`BatchColumn::Text`]
//! holds UTF-8 text as offsets into one byte buffer, each with its nulls. Inputs: CSV and TSV (the
//! chunked reader splitting records on one thread, and the fields decoded into typed columns on
//! another, while the caller works on the batch before), JSON lines a block of text at a time,
//! Parquet row group by row group, Arrow IPC record batch by record batch, and `.npy` arrays mapped
//! into memory. A new format only adds a decoder that fills batches.
//!
//! A text column also numbers its distinct values within the batch ([`TextColumn::codes`], a
//! [`TextCodes`] made once, by the first reader that asks): readers that count, hash or look up
//! the text do so once a distinct value instead of once a row.
//!
//! Types are inferred once, by [`ColumnTypes`], with pandas' rules: a column is numeric while
//! every non-null value is a number, and text from the first value that is not. A column can turn
//! to text after millions of numeric rows: the pass that sees it says so
//! ([`Batches::types`] then holds the final types), and a job that must see every column with its
//! final type from the first row runs its pass again with [`Batches::with_types`].
//!
//! ```
//! use brisk_data::batch::{BatchColumn, Batches};
//! use brisk_data::input::{Format, Input};
//! let text = "x,label\n1.5,a\nNA,b\n3,\n";
//! let input = Input::from_reader(text.as_bytes(), "t.csv", Format::Csv).unwrap();
//! let mut batches = Batches::open(&input, 2).unwrap();
//! let batch = batches.next_batch().unwrap().unwrap();
//! assert_eq!(batch.rows(), 2);
//! let BatchColumn::Numeric(x) = batch.column(0) else { panic!() };
//! assert_eq!(x.values()[0], 1.5);
//! assert!(x.is_null(1));
//! let batch = batches.next_batch().unwrap().unwrap();
//! let BatchColumn::Text(label) = batch.column(1) else { panic!() };
//! assert_eq!(label.get(0), None);
//! assert!(batches.next_batch().unwrap().is_none());
//! ```

mod codes;
mod column;
mod csv;
mod decoded;
mod index;
mod ipc;
mod jsonl;
mod npy;
mod parquet;
mod source;
mod spill;
mod types;

pub use codes::{CodeTally, TextCodes, NULL_CODE};
pub use column::{BatchColumn, NumericColumn, TextColumn};
pub use index::{RowIndex, INDEX_NAMES};
pub use source::{Batch, BatchPass, Batches, DecimalColumn};
pub use spill::{NumericSpill, Replay, SpilledColumns};
pub use types::{ColumnType, ColumnTypes, DateRule, TextSighting};
