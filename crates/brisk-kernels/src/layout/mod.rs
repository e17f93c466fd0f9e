//! NumPy's layout rules as plain functions on shapes: broadcasting, matrix-product shapes, strides,
//! and indexing (exercises B.1, B.2, B.5 and A.7; notebook sections 2, 3, 6 and 7).
//!
//! Nothing here touches data: every function takes shapes (and strides) and answers what NumPy 2.4
//! would answer for arrays of those shapes — the result's shape and strides, whether it is a view,
//! or NumPy's own error text, word for word.
//!
//! - [`broadcast`]: [`broadcast_shapes`] as `numpy.broadcast_shapes`, for any number of shapes.
//! - [`matmul`]: [`matmul_shape`] as `numpy.matmul` (the `@` operator) on shapes.
//! - [`strides`]: [`Dtype`], [`Order`] and [`strides`](strides::strides), as
//!   `numpy.empty(shape, dtype, order).strides`.
//! - [`index`]: [`index`](index::index) and [`index_strided`], as `a[expr]` for an expression
//!   written as in Python (`"1:, ::2"`, `"..., None, -1"`, `"[0, 2], :"`).
//!
//! Every result carries an [`Explanation`]: one [`Step`] per rule applied, printed one per line.
//! Every error is a [`LayoutError`] whose text is NumPy's message and whose [`kind`] names the
//! Python exception NumPy raises.
//!
//! References: NumPy's user guide on
//! [broadcasting](https://numpy.org/doc/stable/user/basics.broadcasting.html) and
//! [indexing](https://numpy.org/doc/stable/user/basics.indexing.html), the
//! [`numpy.matmul`](https://numpy.org/doc/stable/reference/generated/numpy.matmul.html) reference and
//! [`ndarray.strides`](https://numpy.org/doc/stable/reference/generated/numpy.ndarray.strides.html).
//!
//! ```
//! use brisk_kernels::layout::{broadcast_shapes, matmul_shape, Dtype, Order};
//! use brisk_kernels::layout::index::index;
//! use brisk_kernels::layout::strides::strides;
//!
//! assert_eq!(broadcast_shapes(&[vec![2, 3, 4], vec![3, 1]]).unwrap().shape, [2, 3, 4]);
//! assert_eq!(matmul_shape(&[2, 3, 4], &[4, 5]).unwrap().shape, [2, 3, 5]);
//! assert_eq!(strides(&[3, 4, 5], Dtype::Float32, Order::F).unwrap().strides, [4, 12, 48]);
//! let b = index(&[3, 4], Dtype::Int64, Order::C, "1:, ::2").unwrap();
//! assert_eq!((b.shape, b.strides, b.view), (vec![2, 2], vec![32, 16], true));
//! ```
//!
//! [`kind`]: LayoutError::kind

pub mod broadcast;
pub mod index;
pub mod matmul;
pub mod strides;

use std::fmt;

pub use broadcast::{broadcast_shapes, Broadcast};
pub use index::{index_strided, IndexItem, Indexed};
pub use matmul::{matmul_shape, Matmul};
pub use strides::{Dtype, Layout, Order};

/// The most dimensions a NumPy 2 array can have (`NPY_MAXDIMS`).
pub const MAX_DIMS: usize = 64;

/// The Python exception class NumPy raises for an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `ValueError`: incompatible shapes, a zero slice step, an array too big.
    ValueError,
    /// `IndexError`: an index out of bounds, too many indices, a second `...`.
    IndexError,
    /// `RuntimeError`: `numpy.broadcast_shapes` on a shape of more than 32 dimensions.
    RuntimeError,
    /// `TypeError`: a dtype name NumPy does not understand.
    TypeError,
    /// Not NumPy's: an index expression or shape brisk cannot read, or something NumPy accepts
    /// that brisk leaves out (boolean masks, `float128`). The message is brisk's own.
    Unsupported,
}

impl ErrorKind {
    /// The exception's name as Python prints it (`"ValueError"`); `"Unsupported"` for brisk's own.
    pub fn python_name(self) -> &'static str {
        match self {
            ErrorKind::ValueError => "ValueError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::RuntimeError => "RuntimeError",
            ErrorKind::TypeError => "TypeError",
            ErrorKind::Unsupported => "Unsupported",
        }
    }
}

/// An error of a layout rule. `Display` gives NumPy's message exactly (for example
/// `index 5 is out of bounds for axis 0 with size 3`); [`kind`](Self::kind) gives the exception
/// class, and [`steps`](Self::steps) the rules applied before the failure (for `--explain`).
///
/// ```
/// use brisk_kernels::layout::{broadcast_shapes, ErrorKind};
/// let err = broadcast_shapes(&[vec![3, 4], vec![3]]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::ValueError);
/// assert_eq!(
///     err.to_string(),
///     "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between \
///      arg 0 with shape (3, 4) and arg 1 with shape (3,)."
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LayoutError {
    kind: ErrorKind,
    message: String,
    steps: Explanation,
}

impl LayoutError {
    /// An error of this kind with this message and no steps.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        LayoutError {
            kind,
            message: message.into(),
            steps: Explanation::default(),
        }
    }

    /// The Python exception NumPy raises.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// NumPy's message (the same text as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The rules applied up to the failure, the failing one last.
    pub fn steps(&self) -> &Explanation {
        &self.steps
    }

    pub(crate) fn with_steps(mut self, steps: Explanation) -> Self {
        self.steps = steps;
        self
    }

    pub(crate) fn value(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ValueError, message)
    }

    pub(crate) fn index(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::IndexError, message)
    }

    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, message)
    }
}

/// What a [`Step`] did: a tag for programs; people read [`Step::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Shapes lined up on their trailing axes.
    Align,
    /// A shorter shape padded with 1s on the left.
    Pad,
    /// One axis of a broadcast: equal sizes, a stretched 1, or a mismatch.
    Axis,
    /// A 1-D matmul operand promoted to a matrix.
    Promote,
    /// The core (matrix) dimensions of a matmul.
    Core,
    /// The stacked (batch) dimensions of a matmul.
    Batch,
    /// The axes added by promotion removed again.
    Demote,
    /// The size of one element.
    Itemsize,
    /// The memory order of a new array.
    Order,
    /// One stride.
    Stride,
    /// The byte count of an array.
    Nbytes,
    /// How an index expression reads.
    Parse,
    /// A slice on one axis.
    Slice,
    /// An integer on one axis.
    Integer,
    /// A `None` (`numpy.newaxis`) adding an axis.
    NewAxis,
    /// A `...` standing for the axes not otherwise indexed.
    Ellipsis,
    /// An integer array (advanced index).
    Advanced,
    /// Whether the result shares memory with the array indexed.
    Memory,
    /// The outcome.
    Result,
    /// The rule that failed.
    Error,
}

/// One rule applied, in words (`"axis 0: 3 vs 1 → 3 (the 1 stretches)"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What kind of rule it was.
    pub rule: Rule,
    /// The rule and its numbers, one line.
    pub text: String,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The rules applied, in order; `Display` prints one per line (no trailing newline).
///
/// ```
/// use brisk_kernels::layout::broadcast_shapes;
/// let b = broadcast_shapes(&[vec![3, 4], vec![4]]).unwrap();
/// let text = b.steps.to_string();
/// assert!(text.lines().any(|l| l == "axis 0: 3 vs 1 → 3 (the 1 stretches)"));
/// assert_eq!(text.lines().last(), Some("result: (3, 4)"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explanation {
    steps: Vec<Step>,
}

impl Explanation {
    /// The steps, first applied first.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether no rule was recorded.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The steps' texts, one per line.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().map(|s| s.text.as_str())
    }

    pub(crate) fn push(&mut self, rule: Rule, text: impl Into<String>) {
        self.steps.push(Step {
            rule,
            text: text.into(),
        });
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{step}")?;
        }
        Ok(())
    }
}

/// A shape or strides as Python prints a tuple: `(3, 4)`, `(3,)`, `()`.
///
/// ```
/// use brisk_kernels::layout::tuple;
/// assert_eq!(tuple(&[3usize, 4]), "(3, 4)");
/// assert_eq!(tuple(&[3usize]), "(3,)");
/// assert_eq!(tuple::<usize>(&[]), "()");
/// assert_eq!(tuple(&[-8isize, 16]), "(-8, 16)");
/// ```
pub fn tuple<T: fmt::Display>(items: &[T]) -> String {
    match items {
        [] => "()".to_owned(),
        [one] => format!("({one},)"),
        _ => {
            let parts: Vec<String> = items.iter().map(|x| x.to_string()).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// NumPy's `convert_shape_to_string`: `(2,3)` with no spaces, `None` printed as `newaxis` except
/// leading ones, which are dropped; then `ending`.
pub(crate) fn numpy_shape_string(vals: &[Option<usize>], ending: &str) -> String {
    let first = vals.iter().position(|v| v.is_some());
    let Some(first) = first else {
        return format!("(){ending}");
    };
    let mut out = String::from("(");
    for (i, v) in vals.iter().enumerate().skip(first) {
        if i > first {
            out.push(',');
        }
        match v {
            Some(d) => out.push_str(&d.to_string()),
            None => out.push_str("newaxis"),
        }
    }
    if vals.len() == 1 {
        out.push(',');
    }
    out.push(')');
    out.push_str(ending);
    out
}

/// The checks NumPy applies when a shape becomes an array (`numpy.empty(shape)`): at most 64
/// dimensions, each at most `isize::MAX`.
pub(crate) fn check_shape(shape: &[usize]) -> Result<(), LayoutError> {
    if shape.len() > MAX_DIMS {
        return Err(LayoutError::value(format!(
            "maximum supported dimension for an ndarray is currently {MAX_DIMS}, found {}",
            shape.len()
        )));
    }
    if shape.iter().any(|&d| d > isize::MAX as usize) {
        return Err(LayoutError::value("Maximum allowed dimension exceeded"));
    }
    Ok(())
}

/// The product of the sizes, `None` when it overflows `isize` (NumPy's
/// `PyArray_OverflowMultiplyList`: a 0 anywhere gives 0).
pub(crate) fn checked_size(shape: &[usize]) -> Option<usize> {
    if shape.contains(&0) {
        return Some(0);
    }
    let mut n: usize = 1;
    for &d in shape {
        n = n.checked_mul(d).filter(|&p| p <= isize::MAX as usize)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_shape_strings() {
        assert_eq!(numpy_shape_string(&[Some(2)], " "), "(2,) ");
        assert_eq!(numpy_shape_string(&[Some(2), Some(3)], ""), "(2,3)");
        assert_eq!(
            numpy_shape_string(&[None, Some(3), None], ""),
            "(3,newaxis)"
        );
        assert_eq!(numpy_shape_string(&[None, Some(3)], ""), "(3)");
        assert_eq!(numpy_shape_string(&[None, None], "->"), "()->");
        assert_eq!(numpy_shape_string(&[], ""), "()");
    }

    #[test]
    fn sizes() {
        assert_eq!(checked_size(&[]), Some(1));
        assert_eq!(checked_size(&[3, 0, usize::MAX]), Some(0));
        assert_eq!(checked_size(&[1 << 62, 4]), None);
    }
}
