//! Tables in memory crossing the [Arrow C stream interface]: a pandas, polars or pyarrow table
//! comes in as an [`Input`], and a polars [`DataFrame`] goes out as a stream.
//!
//! - In: [`import_stream`] reads the producer's record batches one at a time and writes each to a
//!   temporary file as an Arrow IPC stream, so that every job reads the table through the same
//!   Arrow IPC reader as an `.arrows` file, in as many passes as it needs (exact quantiles, a
//!   column turning to text), and the table is never held in memory twice. The reader's rules
//!   for Arrow types apply: numbers, text (plain, large or view, and dictionaries of text), booleans,
//!   dates, date-times and durations; another type is refused by column and type.
//! - Out: [`export_frame`] hands a frame's record batches to the consumer, with the types every
//!   Arrow consumer reads (large strings rather than string views).
//!
//! [Arrow C stream interface]: https://arrow.apache.org/docs/format/CStreamInterface.html

use std::io::{BufWriter, Write};
use std::sync::Arc;

use polars::prelude::{CompatLevel, DataFrame};
use polars_arrow::array::{Array, DictionaryArray, DictionaryKey, PrimitiveArray, StructArray};
use polars_arrow::datatypes::{ArrowDataType, ArrowSchema, Field, IntegerType};
use polars_arrow::ffi::{export_iterator, ArrowArrayStream, ArrowArrayStreamReader};
use polars_arrow::io::ipc::write::{StreamWriter, WriteOptions};
use polars_arrow::record_batch::RecordBatchT;
use tempfile::NamedTempFile;

use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::{Format, Input};

/// Reads the table `stream` produces into a temporary Arrow IPC stream, and opens it as an input
/// that messages call `name` (e.g. `<pandas.DataFrame>`).
///
/// The stream is consumed (released when done, whatever the outcome). Its schema must be a
/// struct, one field a column, as every table producer gives.
///
/// # Errors
/// The producer reports an error, the schema is not a table's, a type has no Arrow IPC form, or
/// the temporary file cannot be written.
///
/// # Safety
/// `stream` must follow the Arrow C stream interface: its callbacks valid, the schema and arrays
/// they give valid by the C data interface (as pyarrow's, polars' and every conforming
/// producer's are), and nobody else may use or release it.
pub unsafe fn import_stream(stream: ArrowArrayStream, name: &str) -> Result<Input> {
    // SAFETY: as the caller guarantees.
    let (schema, mut reader) = unsafe { open_stream(stream, name) }?;
    // SAFETY: the arrays come from the stream the caller vouches for.
    let records = std::iter::from_fn(|| unsafe { reader.next() }).map(|array| {
        let array = array.map_err(|e| cannot_read(name, &e.to_string()))?;
        record_batch(array.as_ref(), &schema).map_err(|e| failure(name, e))
    });
    spill(&schema, records, name)
}

/// A table in memory as its producer's record batches, each column's arrays the producer's own
/// (nothing is copied): for jobs that work on the arrays directly
/// ([`crate::cleaning::clean_table`]), or spilled to an input for any other
/// ([`ArrowTable::into_input`]).
pub struct ArrowTable {
    name: String,
    schema: Arc<ArrowSchema>,
    records: Vec<RecordBatchT<Box<dyn Array>>>,
}

impl ArrowTable {
    /// The name messages give the table.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The columns' names and types.
    pub fn schema(&self) -> &ArrowSchema {
        &self.schema
    }

    /// The record batches, in order.
    pub fn records(&self) -> &[RecordBatchT<Box<dyn Array>>] {
        &self.records
    }

    /// The table as an input, as [`import_stream`] makes it (a temporary Arrow IPC stream).
    ///
    /// # Errors
    /// A type has no Arrow IPC form, or the temporary file cannot be written.
    pub fn into_input(self) -> Result<Input> {
        let ArrowTable {
            name,
            schema,
            records,
        } = self;
        spill(&schema, records.into_iter().map(Ok), &name)
    }
}

/// Reads every record batch of the table `stream` produces into memory (the arrays stay the
/// producer's: nothing is copied but dictionaries with null keys, see [`import_stream`]).
///
/// # Errors
/// The producer reports an error, or the schema is not a table's.
///
/// # Safety
/// As [`import_stream`].
pub unsafe fn read_stream(stream: ArrowArrayStream, name: &str) -> Result<ArrowTable> {
    // SAFETY: as the caller guarantees.
    let (schema, mut reader) = unsafe { open_stream(stream, name) }?;
    let mut records = Vec::new();
    // SAFETY: the arrays come from the stream the caller vouches for.
    while let Some(array) = unsafe { reader.next() } {
        let array = array.map_err(|e| cannot_read(name, &e.to_string()))?;
        records.push(record_batch(array.as_ref(), &schema).map_err(|e| failure(name, e))?);
    }
    Ok(ArrowTable {
        name: name.to_owned(),
        schema,
        records,
    })
}

/// A failure of the table `name`'s import.
fn failure(name: &str, what: String) -> DataError {
    DataError::new(ErrorKind::Io, Location::source(name), what)
}

fn cannot_read(name: &str, e: &str) -> DataError {
    failure(name, format!("cannot read the table's Arrow stream: {e}"))
}

/// The stream's schema (a table's: one field a column) and its reader.
///
/// # Safety
/// As [`import_stream`].
unsafe fn open_stream(
    stream: ArrowArrayStream,
    name: &str,
) -> Result<(
    Arc<ArrowSchema>,
    ArrowArrayStreamReader<Box<ArrowArrayStream>>,
)> {
    // SAFETY: the caller guarantees the stream follows the interface; the box owns it and
    // releases it when the reader drops.
    let reader = unsafe { ArrowArrayStreamReader::try_new(Box::new(stream)) }
        .map_err(|e| cannot_read(name, &e.to_string()))?;
    let ArrowDataType::Struct(fields) = reader.field().dtype.clone() else {
        return Err(failure(
            name,
            format!(
                "the Arrow stream holds {:?} arrays, not a table's record batches",
                reader.field().dtype
            ),
        ));
    };
    Ok((Arc::new(fields.into_iter().collect()), reader))
}

/// Writes `records` to a temporary Arrow IPC stream, opened as an input named `name`.
fn spill(
    schema: &Arc<ArrowSchema>,
    records: impl Iterator<Item = Result<RecordBatchT<Box<dyn Array>>>>,
    name: &str,
) -> Result<Input> {
    let fail = |what: String| failure(name, what);
    let mut file = NamedTempFile::new()
        .map_err(|e| fail(format!("cannot create a temporary file for the table: {e}")))?;
    let written = crate::guard::catch(|| -> Result<()> {
        let mut writer = StreamWriter::new(
            BufWriter::new(file.as_file_mut()),
            WriteOptions { compression: None },
        );
        let write = |e: polars::prelude::PolarsError| {
            fail(format!("cannot write the table as Arrow IPC: {e}"))
        };
        writer.start(schema, None).map_err(write)?;
        for batch in records {
            writer.write(&batch?, None).map_err(write)?;
        }
        writer.finish().map_err(write)?;
        writer
            .into_inner()
            .flush()
            .map_err(|e| fail(format!("cannot write the table to a temporary file: {e}")))
    });
    written.map_err(|e| cannot_read(name, &e))??;
    Input::spilled(file, name, Format::Arrow)
}

/// One array of a table's stream (a struct array, one child a column) as a record batch.
fn record_batch(
    array: &dyn Array,
    schema: &Arc<ArrowSchema>,
) -> std::result::Result<RecordBatchT<Box<dyn Array>>, String> {
    let table = array
        .as_any()
        .downcast_ref::<StructArray>()
        .ok_or_else(|| format!("a record batch of type {:?}", array.dtype()))?;
    // A struct array's own nulls would hide rows; a table's record batches have none.
    if table.null_count() > 0 {
        return Err("a record batch with null rows, which a table does not have".to_owned());
    }
    let columns = table.values().iter().map(|c| zero_null_keys(c.as_ref()));
    RecordBatchT::try_new(table.len(), Arc::clone(schema), columns.collect())
        .map_err(|e| e.to_string())
}

/// A column as it is, or, for a dictionary column with nulls, with key 0 under each null: pandas
/// leaves its code -1 there, which Arrow allows (the slot is null) but the IPC reader refuses.
fn zero_null_keys(column: &dyn Array) -> Box<dyn Array> {
    let cleared = match column.dtype() {
        ArrowDataType::Dictionary(key, _, _) if column.null_count() > 0 => match key {
            IntegerType::Int8 => zero_null_keys_of::<i8>(column),
            IntegerType::Int16 => zero_null_keys_of::<i16>(column),
            IntegerType::Int32 => zero_null_keys_of::<i32>(column),
            IntegerType::Int64 => zero_null_keys_of::<i64>(column),
            IntegerType::UInt8 => zero_null_keys_of::<u8>(column),
            IntegerType::UInt16 => zero_null_keys_of::<u16>(column),
            IntegerType::UInt32 => zero_null_keys_of::<u32>(column),
            IntegerType::UInt64 => zero_null_keys_of::<u64>(column),
            _ => None,
        },
        _ => None,
    };
    cleared.unwrap_or_else(|| column.to_boxed())
}

/// [`zero_null_keys`] for keys of type `K`; `None` when the column is not such a dictionary (or
/// its keys are out of range, which the reader then reports).
fn zero_null_keys_of<K: DictionaryKey>(column: &dyn Array) -> Option<Box<dyn Array>> {
    let dictionary = column.as_any().downcast_ref::<DictionaryArray<K>>()?;
    let keys = dictionary.keys();
    let zeroed: Vec<K> = keys
        .iter()
        .map(|k| k.copied().unwrap_or_default())
        .collect();
    let keys = PrimitiveArray::new(
        keys.dtype().clone(),
        zeroed.into(),
        keys.validity().cloned(),
    );
    let cleared = DictionaryArray::try_new(
        dictionary.dtype().clone(),
        keys,
        dictionary.values().clone(),
    );
    Some(Box::new(cleared.ok()?))
}

/// `frame` as an Arrow C stream of its record batches, a struct array each; strings are written
/// as large strings, which every Arrow consumer reads.
///
/// The consumer owns the stream and releases it; the record batches share the frame's buffers
/// except where a type is converted.
pub fn export_frame(mut frame: DataFrame) -> ArrowArrayStream {
    frame.align_chunks_par();
    let compat = CompatLevel::oldest();
    let fields: Vec<Field> = frame
        .columns()
        .iter()
        .map(|c| c.field().to_arrow(compat))
        .collect();
    let dtype = ArrowDataType::Struct(fields);
    let batches: Vec<Box<dyn Array>> = frame
        .iter_chunks(compat, true)
        .map(|batch| {
            let height = batch.height();
            Box::new(StructArray::new(
                dtype.clone(),
                height,
                batch.into_arrays(),
                None,
            )) as Box<dyn Array>
        })
        .collect();
    export_iterator(
        Box::new(batches.into_iter().map(Ok)),
        Field::new("".into(), dtype, false),
    )
}

/// Columns built in memory (of equal length `rows`, with these fields) as an Arrow C stream of
/// one record batch, as [`export_frame`] hands a frame.
pub fn export_columns(
    fields: Vec<Field>,
    columns: Vec<Box<dyn Array>>,
    rows: usize,
) -> ArrowArrayStream {
    let dtype = ArrowDataType::Struct(fields);
    let batch: Box<dyn Array> = Box::new(StructArray::new(dtype.clone(), rows, columns, None));
    export_iterator(
        Box::new(std::iter::once(Ok(batch))),
        Field::new("".into(), dtype, false),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::read_frame;
    use crate::stats::{statistics, StatsOptions, Summary};
    use polars::prelude::df;

    fn sample() -> DataFrame {
        let mut a = df!(
            "x" => [Some(1.5), None, Some(3.0)],
            "n" => [1i64, 2, 3],
            "s" => [Some("a"), Some("b"), None],
            "b" => [true, false, true],
        )
        .unwrap();
        let b = df!(
            "x" => [Some(4.0)],
            "n" => [4i64],
            "s" => [Some("c")],
            "b" => [false],
        )
        .unwrap();
        // Two chunks: two record batches.
        a.vstack_mut(&b).unwrap();
        a
    }

    #[test]
    fn a_frame_goes_out_and_comes_back_as_an_input() {
        let frame = sample();
        let stream = export_frame(frame.clone());
        // SAFETY: the stream was just made by `export_frame`.
        let input = unsafe { import_stream(stream, "<test>") }.unwrap();
        assert_eq!(input.name(), "<test>");
        assert_eq!(input.format(), Format::Arrow);
        let loaded = read_frame(&input).unwrap();
        assert!(loaded.frame.equals_missing(&frame), "{}", loaded.frame);
        let report = statistics(&input, &StatsOptions::default(), &mut |_| {}).unwrap();
        assert_eq!(report.rows, 4);
        let Summary::Numeric(x) = &report.columns[0].summary else {
            panic!()
        };
        assert_eq!((x.count, x.null_count, x.median), (3, 1, Some(3.0)));
        assert!(matches!(report.columns[3].summary, Summary::Bool(_)));
    }

    #[test]
    fn a_stream_that_is_not_a_table_is_an_error() {
        let dtype = ArrowDataType::Int64;
        let array: Box<dyn Array> = Box::new(polars_arrow::array::Int64Array::from_slice([1, 2]));
        let stream = export_iterator(
            Box::new(std::iter::once(Ok(array))),
            Field::new("v".into(), dtype, false),
        );
        // SAFETY: a stream of polars-arrow's own export.
        let err = unsafe { import_stream(stream, "<test>") }.unwrap_err();
        assert!(err.to_string().contains("not a table"), "{err}");
    }
}
