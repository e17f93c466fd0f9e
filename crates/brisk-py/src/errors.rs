//! brisk's errors as the package's exceptions (`python/brisk/_errors.py`).
//!
//! - [`DataError`] (a file, line and column) and [`KernelError`] become `brisk.BriskError`, a
//!   `ValueError`, with the message the command line prints;
//! - a singular or near-singular system becomes `brisk.SingularMatrixError`, which is also a
//!   `numpy.linalg.LinAlgError`, as NumPy's `solve` raises.
//!
//! The classes are defined in Python, so that one of them can derive from NumPy's, and looked up
//! once.

use brisk_data::error::DataError;
use brisk_kernels::KernelError;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

static BRISK_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SINGULAR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The package's exception class `name`, imported once.
fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.get_or_try_init(py, || {
        let class = py.import("brisk._errors")?.getattr(name)?;
        Ok::<_, PyErr>(class.cast_into::<PyType>()?.unbind())
    })
    .map(|class| class.bind(py))
}

/// A `brisk.BriskError` with `message`.
pub fn brisk_error(message: impl Into<String>) -> PyErr {
    let message = message.into();
    Python::attach(|py| match class(py, &BRISK_ERROR, "BriskError") {
        Ok(class) => PyErr::from_type(class.clone(), message),
        // The package is always importable beside its module; if it is not, still a ValueError.
        Err(_) => PyValueError::new_err(message),
    })
}

/// A kernel's error: singular systems as `SingularMatrixError`, the rest as `BriskError`.
pub fn kernel_error(err: KernelError) -> PyErr {
    match err {
        KernelError::Singular { .. } | KernelError::NearSingular { .. } => {
            let message = err.to_string();
            Python::attach(|py| match class(py, &SINGULAR, "SingularMatrixError") {
                Ok(class) => PyErr::from_type(class.clone(), message),
                Err(_) => PyValueError::new_err(message),
            })
        }
        other => brisk_error(other.to_string()),
    }
}

/// An input error, with the file, line and column the command line prints.
pub fn data_error(err: DataError) -> PyErr {
    brisk_error(err.to_string())
}
