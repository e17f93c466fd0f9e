//! A sampled cell, kept as read and written as text once the column's final type is known.

use crate::batch::{Batch, BatchColumn, ColumnType, ColumnTypes};
use crate::dates::datetime_text;
use crate::frame::format::{push_float, push_int};

/// The most characters of a text cell shown; a longer one is cut there and ends in `…`.
pub(super) const CELL_CHARS: usize = 200;

/// A cell of a kept row.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) enum Cell {
    Null,
    Number(f64),
    /// A value of a column still read as `int64`, exact past 2⁵³.
    Integer(i64),
    /// Text, already cut to [`CELL_CHARS`].
    Text(String),
}

impl Cell {
    /// The cell of row `i`, column `j` of a batch.
    pub(super) fn of(batch: &Batch, j: usize, i: usize) -> Cell {
        match batch.column(j) {
            BatchColumn::Numeric(column) => match (column.get(i), batch.integers(j)) {
                (None, _) => Cell::Null,
                (Some(_), Some(integers)) => Cell::Integer(integers[i]),
                (Some(x), None) => Cell::Number(x),
            },
            BatchColumn::Text(column) => match column.get(i) {
                None => Cell::Null,
                Some(bytes) => Cell::Text(cut(&String::from_utf8_lossy(bytes))),
            },
        }
    }

    /// The heap memory the cell holds, in bytes.
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Cell::Text(text) => text.capacity(),
            _ => 0,
        }
    }
}

/// Text of at most [`CELL_CHARS`] characters, then `…` when there were more (cut on a character
/// boundary).
pub(super) fn cut(text: &str) -> String {
    match text.char_indices().nth(CELL_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// What a column's type says about how its cells are written, joined over every batch seen: its
/// type, whether it is an `int64` column, whether some date-time has a time of day.
///
/// Each fact only moves one way as a pass reads more rows (numeric → boolean or date-time →
/// text; integer → not; no time of day → some), so the join of the facts of any set of batches
/// is the facts of the whole pass.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub(super) struct CellFormat {
    ty: ColumnType,
    integer: bool,
    time_of_day: bool,
}

impl CellFormat {
    /// The facts of a column no batch was seen of (the identity of [`join`](Self::join)).
    pub(super) fn unseen() -> Self {
        CellFormat {
            ty: ColumnType::Numeric,
            integer: true,
            time_of_day: false,
        }
    }

    /// Column `j`'s facts as of `types`.
    pub(super) fn of(types: &ColumnTypes, j: usize) -> Self {
        CellFormat {
            ty: types.get(j),
            integer: types.is_integer(j),
            time_of_day: types.has_time_of_day(j),
        }
    }

    /// The facts of the batches of both.
    pub(super) fn join(self, other: CellFormat) -> Self {
        let rank = |ty| match ty {
            ColumnType::Numeric => 0,
            ColumnType::Bool | ColumnType::Datetime => 1,
            ColumnType::Text => 2,
        };
        let ty = match (self.ty, other.ty) {
            (a, b) if a == b => a,
            (a, b) if rank(a) == rank(b) => ColumnType::Text,
            (a, b) => std::cmp::max_by_key(a, b, |&t| rank(t)),
        };
        CellFormat {
            ty,
            integer: self.integer && other.integer,
            time_of_day: self.time_of_day || other.time_of_day,
        }
    }

    /// The cell as the page shows it; `None` for null.
    pub(super) fn text(&self, cell: &Cell) -> Option<String> {
        let integer = self.integer && self.ty == ColumnType::Numeric;
        let mut out = Vec::new();
        match *cell {
            Cell::Null => return None,
            Cell::Text(ref text) => return Some(text.clone()),
            Cell::Integer(n) if integer => push_int(&mut out, n),
            Cell::Integer(n) => return self.text(&Cell::Number(n as f64)),
            Cell::Number(x) => match self.ty {
                ColumnType::Bool => return Some(if x != 0.0 { "True" } else { "False" }.into()),
                ColumnType::Datetime => return Some(datetime_text(x, self.time_of_day)),
                _ if integer && is_integral(x) => push_int(&mut out, x as i64),
                _ => push_float(&mut out, x),
            },
        }
        Some(String::from_utf8(out).expect("numbers are ASCII"))
    }
}

/// Whether `x` is a whole number an `i64` holds.
fn is_integral(x: f64) -> bool {
    x.fract() == 0.0 && x.abs() < 2f64.powi(63)
}
