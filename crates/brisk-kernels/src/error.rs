//! The one error type of the kernels: what was wrong with the arguments or the data.

/// Why a kernel refused its input. Messages say what to change; the caller adds the file name.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum KernelError {
    /// A parameter is out of its range (`k` of 0, a negative tolerance, ...).
    #[error("{name}: {message}")]
    InvalidParameter {
        /// The parameter's name as the command line spells it.
        name: &'static str,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// Two operands whose shapes do not fit together.
    #[error("shapes do not match: {0}")]
    ShapeMismatch(String),
    /// Too few rows for the statistic (for example a covariance of one row with ddof 1).
    #[error("{what} needs at least {needed} rows, the data has {got}")]
    TooFewRows {
        /// The computation that needs them.
        what: &'static str,
        /// The minimum.
        needed: usize,
        /// The rows given.
        got: usize,
    },
    /// A square system whose LU factorisation meets an exactly zero pivot.
    #[error(
        "the matrix is singular (pivot {pivot} of the LU factorisation is zero); \
         a least-squares fit or removing dependent rows would help"
    )]
    Singular {
        /// The zero-based index of the zero pivot.
        pivot: usize,
    },
    /// A square system so ill-conditioned that its solution would be noise.
    #[error(
        "the matrix is near-singular: its 1-norm condition number is about {condition:.1e}, so \
         the solution would carry no correct digits; regularise or rescale the system"
    )]
    NearSingular {
        /// The estimated 1-norm condition number.
        condition: f64,
    },
    /// An iterative decomposition did not converge.
    #[error("{0} did not converge")]
    NoConvergence(&'static str),
}

/// The kernels' result type.
pub type Result<T> = std::result::Result<T, KernelError>;

/// A [`KernelError::InvalidParameter`].
pub(crate) fn invalid(name: &'static str, message: impl Into<String>) -> KernelError {
    KernelError::InvalidParameter {
        name,
        message: message.into(),
    }
}
