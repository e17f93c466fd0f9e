//! The one error type of the report crate: bad data or arguments, each naming its source.

use brisk_data::error::DataError;
use brisk_kernels::KernelError;

use crate::chart::ChartError;

/// Why an importance score, a chart or the report could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Reading, typing or cleaning the table failed (the message names the file, line, column).
    #[error(transparent)]
    Data(#[from] DataError),
    /// A kernel refused the data; `context` names the file and the step.
    #[error("{context}: {error}")]
    Kernel {
        /// The file and the step, e.g. `penguins.csv: PCA`.
        context: String,
        /// What the kernel said.
        error: KernelError,
    },
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// An option out of its range, named by its field (`sigma`, `alerts.missing_share`): the
    /// caller says it in its own words (a command-line flag, a keyword argument).
    #[error("{option} must be {expected}, not {value}")]
    InvalidOption {
        /// The option's field name.
        option: &'static str,
        /// The value given.
        value: f64,
        /// The range it must lie in, in words.
        expected: &'static str,
    },
    /// An argument that does not fit the data (a text target for f_regression, ...).
    #[error("{source_name}: {message}")]
    Invalid {
        /// The file.
        source_name: String,
        /// What is wrong and what to do.
        message: String,
    },
}

impl ReportError {
    /// An [`ReportError::Invalid`] for `source_name`.
    pub fn invalid(source_name: &str, message: impl Into<String>) -> Self {
        ReportError::Invalid {
            source_name: source_name.to_owned(),
            message: message.into(),
        }
    }

    /// Wraps a kernel's error with the file and step it happened in.
    pub fn kernel(context: impl Into<String>) -> impl FnOnce(KernelError) -> Self {
        let context = context.into();
        move |error| ReportError::Kernel { context, error }
    }
}

/// The report crate's result type.
pub type Result<T, E = ReportError> = std::result::Result<T, E>;
