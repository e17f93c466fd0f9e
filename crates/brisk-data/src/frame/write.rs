//! Writing a `DataFrame` as pandas' `to_csv(index=False)` writes it, or as Parquet.
//!
//! Integer columns are written as integers, float columns as Python's `repr` (see
//! [`format`](super::format)), nulls and NaN as an empty field, text quoted only where it must be,
//! and `\n` ends every line. Blocks of rows are formatted in parallel and written in order.

use crate::dates::datetime_text;
use crate::value::bool_text;
use std::io::{self, Write};

use polars::prelude::*;
use polars_arrow::array::Array;
use rayon::prelude::*;

use super::format::{push_float, push_int, push_text};
use crate::hint::prefetch;

/// Rows formatted per parallel task.
const BLOCK_ROWS: usize = 32_768;

/// Writes `frame` as delimited text with a header row.
///
/// ```
/// use brisk_data::frame::write_csv;
/// use polars::prelude::*;
/// let frame = df!("n" => [1i64, 2], "x" => [Some(0.5), None], "s" => ["a,b", "c"]).unwrap();
/// let mut out = Vec::new();
/// write_csv(&frame, &mut out, b',').unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "n,x,s\n1,0.5,\"a,b\"\n2,,c\n");
/// ```
pub fn write_csv(frame: &DataFrame, out: &mut dyn Write, delimiter: u8) -> io::Result<()> {
    let columns = frame
        .columns()
        .iter()
        .map(|c| GatheredColumn::new(c, c.name().as_str(), None))
        .collect::<io::Result<Vec<_>>>()?;
    write_gathered_csv(&columns, frame.height(), out, delimiter)
}

/// A column to write, with the source row of each output row (all rows in order when `None`;
/// an empty field where the entry is `None`).
pub struct GatheredColumn<'a> {
    name: &'a str,
    cells: Cells,
    rows: Option<&'a [Option<IdxSize>]>,
}

impl<'a> GatheredColumn<'a> {
    /// `column` under `name`, its rows picked by `rows`. An integer column with a missing row
    /// is written as floats, as pandas writes an integer column that gained a null.
    pub fn new(
        column: &Column,
        name: &'a str,
        rows: Option<&'a [Option<IdxSize>]>,
    ) -> io::Result<Self> {
        let mut cells = Cells::of(column)?;
        if let (Cells::Int(ints), Some(rows)) = (&cells, rows) {
            if rows.iter().any(Option::is_none) {
                let floats = ints.cast(&DataType::Float64).map_err(io::Error::other)?;
                cells = Cells::Float(floats.f64().map_err(io::Error::other)?.clone());
            }
        }
        Ok(GatheredColumn { name, cells, rows })
    }
}

/// Writes gathered columns as delimited text with a header row: `height` output rows.
pub fn write_gathered_csv(
    columns: &[GatheredColumn<'_>],
    height: usize,
    out: &mut dyn Write,
    delimiter: u8,
) -> io::Result<()> {
    let mut header = Vec::new();
    for (i, column) in columns.iter().enumerate() {
        if i > 0 {
            header.push(delimiter);
        }
        push_text(&mut header, column.name.as_bytes(), delimiter);
    }
    header.push(b'\n');
    out.write_all(&header)?;

    let sources: Vec<CellWriter<'_>> = columns
        .iter()
        .map(|c| {
            let write = c.cells.writer(delimiter);
            let cells = &c.cells;
            match c.rows {
                None => write,
                // Gathered rows are scattered: each cell would be a cache miss, so the cells a
                // few rows ahead are requested early (for text, the view first, then its bytes).
                Some(rows) => Box::new(move |out: &mut Vec<u8>, row: usize| {
                    if let Some(&Some(ahead)) = rows.get(row + 16) {
                        cells.prefetch(ahead as usize, false);
                    }
                    if let Some(&Some(ahead)) = rows.get(row + 8) {
                        cells.prefetch(ahead as usize, true);
                    }
                    if let Some(source) = rows[row] {
                        write(out, source as usize);
                    }
                }) as CellWriter<'_>,
            }
        })
        .collect();
    let blocks: Vec<usize> = (0..height).step_by(BLOCK_ROWS).collect();
    // A few blocks at a time, so that memory stays bounded whatever the frame's size.
    for group in blocks.chunks(rayon::current_num_threads().max(1) * 4) {
        let texts: Vec<Vec<u8>> = group
            .par_iter()
            .map(|&start| {
                let end = (start + BLOCK_ROWS).min(height);
                let mut text = Vec::with_capacity((end - start) * 16 * sources.len().max(1));
                for row in start..end {
                    for (i, source) in sources.iter().enumerate() {
                        if i > 0 {
                            text.push(delimiter);
                        }
                        source(&mut text, row);
                    }
                    text.push(b'\n');
                }
                text
            })
            .collect();
        for text in texts {
            out.write_all(&text)?;
        }
    }
    Ok(())
}

/// Writes `frame` as a Parquet file.
pub fn write_parquet(frame: &mut DataFrame, out: &mut dyn Write) -> io::Result<()> {
    ParquetWriter::new(out)
        .finish(frame)
        .map(|_| ())
        .map_err(|e| io::Error::other(format!("cannot write Parquet: {e}")))
}

/// A column made contiguous, in one of the four types brisk writes.
enum Cells {
    Int(Int64Chunked),
    Float(Float64Chunked),
    /// Written `True` and `False`, as pandas writes a bool column.
    Bool(BooleanChunked),
    /// Microseconds since the epoch, written as pandas writes `datetime64` (dates when no value
    /// has a time of day).
    Datetime {
        micros: Int64Chunked,
        with_time: bool,
    },
    Text(StringChunked),
}

impl Cells {
    fn of(column: &Column) -> io::Result<Cells> {
        let unsupported =
            |e: PolarsError| io::Error::other(format!("column {:?}: {e}", column.name().as_str()));
        let dtype = column.dtype();
        Ok(if dtype.is_integer() {
            let ints = column.cast(&DataType::Int64).map_err(unsupported)?;
            Cells::Int(ints.i64().map_err(unsupported)?.rechunk().into_owned())
        } else if dtype.is_float() {
            let floats = column.cast(&DataType::Float64).map_err(unsupported)?;
            Cells::Float(floats.f64().map_err(unsupported)?.rechunk().into_owned())
        } else if dtype.is_temporal() && !matches!(dtype, DataType::Duration(_)) {
            let micros = column
                .cast(&DataType::Datetime(TimeUnit::Microseconds, None))
                .and_then(|c| c.cast(&DataType::Int64))
                .map_err(unsupported)?;
            let micros = micros.i64().map_err(unsupported)?.rechunk().into_owned();
            let day = 86_400 * 1_000_000;
            let with_time = micros.iter().flatten().any(|us| us.rem_euclid(day) != 0);
            Cells::Datetime { micros, with_time }
        } else if dtype == &DataType::Boolean {
            Cells::Bool(column.bool().map_err(unsupported)?.rechunk().into_owned())
        } else {
            Cells::Text(column.str().map_err(unsupported)?.rechunk().into_owned())
        })
    }

    /// Requests a row's cell from memory: the value, or for text the view (`bytes == false`) or
    /// the bytes it points to (`bytes == true`, once the view is cached).
    #[inline]
    fn prefetch(&self, row: usize, bytes: bool) {
        match self {
            Cells::Int(ca) => {
                if let Some(array) = ca.downcast_iter().next().filter(|_| !bytes) {
                    prefetch(array.values().as_ptr().wrapping_add(row));
                }
            }
            Cells::Float(ca) => {
                if let Some(array) = ca.downcast_iter().next().filter(|_| !bytes) {
                    prefetch(array.values().as_ptr().wrapping_add(row));
                }
            }
            Cells::Bool(_) | Cells::Datetime { .. } => {}
            Cells::Text(ca) => {
                if let Some(array) = ca.downcast_iter().next().filter(|a| row < a.len()) {
                    if bytes {
                        prefetch(array.value(row).as_ptr());
                    } else {
                        prefetch(array.views().as_ptr().wrapping_add(row));
                    }
                }
            }
        }
    }

    /// A function that appends one row's cell (nothing for a null or NaN).
    fn writer(&self, delimiter: u8) -> CellWriter<'_> {
        macro_rules! cell_writer {
            ($ca:expr, |$out:ident, $value:ident| $push:expr) => {
                match $ca.downcast_iter().next() {
                    Some(array) => Box::new(move |$out: &mut Vec<u8>, row: usize| {
                        if array.is_valid(row) {
                            let $value = array.value(row);
                            $push
                        }
                    }),
                    None => Box::new(|_: &mut Vec<u8>, _: usize| {}),
                }
            };
        }
        match self {
            Cells::Int(ca) => cell_writer!(ca, |out, x| push_int(out, x)),
            Cells::Float(ca) => cell_writer!(ca, |out, x| if !x.is_nan() {
                push_float(out, x)
            }),
            Cells::Bool(ca) => {
                cell_writer!(ca, |out, b| out.extend_from_slice(bool_text(b).as_bytes()))
            }
            Cells::Datetime { micros, with_time } => {
                let with_time = *with_time;
                cell_writer!(micros, |out, us| out.extend_from_slice(
                    datetime_text(us as f64 / 1e6, with_time).as_bytes()
                ))
            }
            Cells::Text(ca) => cell_writer!(ca, |out, t| push_text(out, t.as_bytes(), delimiter)),
        }
    }
}

/// Appends the cell of a row.
type CellWriter<'a> = Box<dyn Fn(&mut Vec<u8>, usize) + Sync + 'a>;
