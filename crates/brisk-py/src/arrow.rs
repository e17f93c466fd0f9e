//! Tables crossing between Python and brisk by the [Arrow PyCapsule interface]: an object's
//! `__arrow_c_stream__()` gives a capsule named `arrow_array_stream` that holds an Arrow C stream,
//! which the consumer moves out and owns.
//!
//! - In: [`import`] moves the stream out of a table's capsule and spills its record batches to an
//!   Arrow IPC file that brisk reads as any other input ([`brisk_data::arrow_stream`]);
//!   [`import_table`] keeps them in memory, for jobs that work on the arrays themselves.
//! - Out: [`export`] puts a frame's stream into such a capsule; the capsule releases the stream
//!   when it is destroyed unconsumed (a consumer leaves it released, so nothing is freed twice).
//!
//! [Arrow PyCapsule interface]: https://arrow.apache.org/docs/format/CDataInterface/PyCapsuleInterface.html

use std::ffi::CStr;

use brisk_data::arrow_stream::{
    export_columns, export_frame, import_stream, read_stream, ArrowTable,
};
use brisk_data::input::Input;
use polars::prelude::DataFrame;
use polars_arrow::array::Array;
use polars_arrow::datatypes::Field;
use polars_arrow::ffi::ArrowArrayStream;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use crate::errors::{brisk_error, data_error};

/// The capsule name the interface gives an Arrow C stream.
const STREAM: &CStr = c"arrow_array_stream";

/// The table `source` (any object with `__arrow_c_stream__`) as an input named `name`.
pub fn import(source: &Bound<'_, PyAny>, name: &str) -> PyResult<Input> {
    let stream = take_stream(source, name)?;
    // The producer's callbacks take the GIL themselves where they need it.
    // SAFETY: the stream follows the C stream interface and is owned here alone (see
    // `take_stream`).
    source
        .py()
        .detach(|| unsafe { import_stream(stream, name) })
        .map_err(data_error)
}

/// The table `source` (any object with `__arrow_c_stream__`) as record batches in memory, named
/// `name`.
pub fn import_table(source: &Bound<'_, PyAny>, name: &str) -> PyResult<ArrowTable> {
    let stream = take_stream(source, name)?;
    // SAFETY: as in `import`.
    source
        .py()
        .detach(|| unsafe { read_stream(stream, name) })
        .map_err(data_error)
}

/// The Arrow C stream of `source`'s capsule, moved out of it.
fn take_stream(source: &Bound<'_, PyAny>, name: &str) -> PyResult<ArrowArrayStream> {
    let capsule = source.call_method0("__arrow_c_stream__")?;
    let capsule = capsule.cast::<PyCapsule>().map_err(|_| {
        brisk_error(format!(
            "{name}: __arrow_c_stream__() did not return a PyCapsule"
        ))
    })?;
    // Checks the name, as the interface asks before the pointer is used.
    let pointer = capsule
        .pointer_checked(Some(STREAM))
        .map_err(|_| brisk_error(format!("{name}: not an Arrow C stream capsule")))?;
    // SAFETY: a capsule named "arrow_array_stream" holds a valid `ArrowArrayStream` by the
    // interface, and the capsule is alive (bound) while it is read. The struct is moved out and an
    // empty (released) one left in its place, as the interface's consumers do, so the producer's
    // capsule destructor does not release it again.
    Ok(unsafe {
        std::ptr::replace(
            pointer.as_ptr().cast::<ArrowArrayStream>(),
            ArrowArrayStream::empty(),
        )
    })
}

/// `frame` as a capsule holding its Arrow C stream.
pub fn export(py: Python<'_>, frame: DataFrame) -> PyResult<Bound<'_, PyCapsule>> {
    let stream = py.detach(|| export_frame(frame));
    // Dropping the boxed stream (when the capsule dies) releases it unless a consumer took it.
    PyCapsule::new_with_value(py, stream, STREAM)
}

/// Columns built in memory (`rows` long, with these fields) as a capsule holding their Arrow C
/// stream.
pub fn export_arrays(
    py: Python<'_>,
    fields: Vec<Field>,
    columns: Vec<Box<dyn Array>>,
    rows: usize,
) -> PyResult<Bound<'_, PyCapsule>> {
    let stream = export_columns(fields, columns, rows);
    PyCapsule::new_with_value(py, stream, STREAM)
}
