//! Strides: how many bytes to step in memory to move one position along each axis of a new array
//! (exercises B.2d and B.5, notebook section 7.2).
//!
//! For an array created by `numpy.empty(shape, dtype, order)`
//! ([`ndarray.strides`](https://numpy.org/doc/stable/reference/generated/numpy.ndarray.strides.html)):
//! - C order (row-major): the last axis is contiguous, `strides[i] = itemsize × shape[i+1] × … ×
//!   shape[-1]`;
//! - Fortran order (column-major): the first axis is contiguous, `strides[i] = itemsize × shape[0] ×
//!   … × shape[i-1]`;
//! - axes of size 1 follow the same products (their stride is never used to move);
//! - an array with no elements (a 0 in its shape) has every stride 0, whatever the order — NumPy
//!   zeroes them when it allocates an empty array.

use std::fmt;
use std::str::FromStr;

use super::{check_shape, tuple, ErrorKind, Explanation, LayoutError, Rule};

/// A NumPy numeric dtype.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dtype {
    /// `bool`, 1 byte.
    Bool,
    /// `int8`.
    Int8,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`.
    Int64,
    /// `uint8`.
    UInt8,
    /// `uint16`.
    UInt16,
    /// `uint32`.
    UInt32,
    /// `uint64`.
    UInt64,
    /// `float16` (half precision).
    Float16,
    /// `float32` (single precision).
    Float32,
    /// `float64` (double precision, NumPy's default).
    Float64,
    /// `complex64`: two `float32`.
    Complex64,
    /// `complex128`: two `float64`.
    Complex128,
}

impl Dtype {
    /// Every dtype, smallest kind first.
    pub const ALL: [Dtype; 14] = [
        Dtype::Bool,
        Dtype::Int8,
        Dtype::Int16,
        Dtype::Int32,
        Dtype::Int64,
        Dtype::UInt8,
        Dtype::UInt16,
        Dtype::UInt32,
        Dtype::UInt64,
        Dtype::Float16,
        Dtype::Float32,
        Dtype::Float64,
        Dtype::Complex64,
        Dtype::Complex128,
    ];

    /// The bytes of one element (`dtype.itemsize`).
    ///
    /// ```
    /// use brisk_kernels::layout::Dtype;
    /// assert_eq!(Dtype::Float32.itemsize(), 4);
    /// assert_eq!(Dtype::Complex128.itemsize(), 16);
    /// ```
    pub fn itemsize(self) -> usize {
        match self {
            Dtype::Bool | Dtype::Int8 | Dtype::UInt8 => 1,
            Dtype::Int16 | Dtype::UInt16 | Dtype::Float16 => 2,
            Dtype::Int32 | Dtype::UInt32 | Dtype::Float32 => 4,
            Dtype::Int64 | Dtype::UInt64 | Dtype::Float64 | Dtype::Complex64 => 8,
            Dtype::Complex128 => 16,
        }
    }

    /// NumPy's name (`dtype.name`): `"float32"`, `"bool"`.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::Bool => "bool",
            Dtype::Int8 => "int8",
            Dtype::Int16 => "int16",
            Dtype::Int32 => "int32",
            Dtype::Int64 => "int64",
            Dtype::UInt8 => "uint8",
            Dtype::UInt16 => "uint16",
            Dtype::UInt32 => "uint32",
            Dtype::UInt64 => "uint64",
            Dtype::Float16 => "float16",
            Dtype::Float32 => "float32",
            Dtype::Float64 => "float64",
            Dtype::Complex64 => "complex64",
            Dtype::Complex128 => "complex128",
        }
    }

    /// The dtype from its kind letter and byte size (`'f'`, 8 → `Float64`).
    fn from_kind(kind: char, size: usize) -> Option<Dtype> {
        Some(match (kind, size) {
            ('b', 1) => Dtype::Bool,
            ('i', 1) => Dtype::Int8,
            ('i', 2) => Dtype::Int16,
            ('i', 4) => Dtype::Int32,
            ('i', 8) => Dtype::Int64,
            ('u', 1) => Dtype::UInt8,
            ('u', 2) => Dtype::UInt16,
            ('u', 4) => Dtype::UInt32,
            ('u', 8) => Dtype::UInt64,
            ('f', 2) => Dtype::Float16,
            ('f', 4) => Dtype::Float32,
            ('f', 8) => Dtype::Float64,
            ('c', 8) => Dtype::Complex64,
            ('c', 16) => Dtype::Complex128,
            _ => return None,
        })
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses what `numpy.dtype(name)` accepts for these dtypes, case-sensitively: the names
/// (`"float32"`), the Python and C names (`"float"`, `"int"`, `"complex"`, `"bool"`, `"double"`,
/// `"single"`, `"half"`, `"intp"`, `"uint"`, `"byte"`, `"short"`, `"intc"`, `"long"`,
/// `"longlong"`, their `u` forms, `"csingle"`, `"cdouble"`, `"bool_"`, `"int_"`), the type codes
/// (`"f8"`, `"i4"`, `"u1"`, `"c16"`, `"b1"`, optionally after a byte order `<`, `>`, `=` or `|`) and
/// the one-letter codes (`"?"`, `"b"`, `"B"`, `"h"`, `"H"`, `"i"`, `"I"`, `"l"`, `"L"`, `"q"`, `"Q"`,
/// `"p"`, `"P"`, `"n"`, `"N"`, `"e"`, `"f"`, `"d"`, `"F"`, `"D"`). C `long` and `intp` are 64-bit, as
/// on 64-bit Linux and macOS.
///
/// A name NumPy does not know fails with NumPy's `TypeError` text (`data type 'x' not understood`);
/// dtypes NumPy has but brisk leaves out (`float128`, `object`, strings, dates) fail with
/// [`ErrorKind::Unsupported`].
///
/// ```
/// use brisk_kernels::layout::Dtype;
/// assert_eq!("f8".parse::<Dtype>().unwrap(), Dtype::Float64);
/// assert_eq!("?".parse::<Dtype>().unwrap(), Dtype::Bool);
/// assert_eq!("<c16".parse::<Dtype>().unwrap(), Dtype::Complex128);
/// assert_eq!("F".parse::<Dtype>().unwrap(), Dtype::Complex64);
/// assert_eq!(
///     "F8".parse::<Dtype>().unwrap_err().to_string(),
///     "data type 'F8' not understood"
/// );
/// ```
impl FromStr for Dtype {
    type Err = LayoutError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(d) = Dtype::ALL.iter().find(|d| d.name() == s) {
            return Ok(*d);
        }
        let named = match s {
            "bool_" | "?" => Some(Dtype::Bool),
            "byte" | "b" => Some(Dtype::Int8),
            "ubyte" | "B" => Some(Dtype::UInt8),
            "short" | "h" => Some(Dtype::Int16),
            "ushort" | "H" => Some(Dtype::UInt16),
            "intc" | "i" => Some(Dtype::Int32),
            "uintc" | "I" => Some(Dtype::UInt32),
            "int" | "int_" | "intp" | "long" | "longlong" | "l" | "q" | "p" | "n" => {
                Some(Dtype::Int64)
            }
            "uint" | "uintp" | "ulong" | "ulonglong" | "L" | "Q" | "P" | "N" => Some(Dtype::UInt64),
            "half" | "e" => Some(Dtype::Float16),
            "single" | "f" => Some(Dtype::Float32),
            "float" | "double" | "d" => Some(Dtype::Float64),
            "csingle" | "F" => Some(Dtype::Complex64),
            "complex" | "cdouble" | "D" => Some(Dtype::Complex128),
            _ => None,
        };
        if let Some(d) = named {
            return Ok(d);
        }
        // A type code, after an optional byte order: "<f8", "|u1", "i4".
        let code = s.strip_prefix(['<', '>', '=', '|']).unwrap_or(s);
        let mut chars = code.chars();
        if let Some(kind) = chars.next() {
            let digits = chars.as_str();
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                if let Ok(size) = digits.parse::<usize>() {
                    if let Some(d) = Dtype::from_kind(kind, size) {
                        return Ok(d);
                    }
                }
            }
        }
        const LEFT_OUT: &[&str] = &[
            "longdouble",
            "clongdouble",
            "float128",
            "complex256",
            "g",
            "G",
            "f16",
            "c32",
            "object",
            "O",
            "str",
            "U",
            "bytes",
            "S",
            "V",
            "void",
            "datetime64",
            "timedelta64",
            "M8",
            "m8",
            "M",
            "m",
        ];
        // Strings, bytes, void, objects and dates with a size or unit: "U8", "S4", "M8[ns]".
        let flexible = code.starts_with(['U', 'S', 'V', 'a', 'M', 'm', 'O']) && {
            let rest = code[1..].trim_start_matches(|c: char| c.is_ascii_digit());
            rest.is_empty()
                || rest
                    .strip_prefix('[')
                    .and_then(|r| r.strip_suffix(']'))
                    .is_some_and(|unit| {
                        !unit.is_empty() && unit.bytes().all(|b| b.is_ascii_alphanumeric())
                    })
        };
        if LEFT_OUT.contains(&code) || flexible {
            return Err(LayoutError::unsupported(format!(
                "dtype '{s}' is not one brisk handles; use bool, int8, int16, int32, int64, uint8, \
                 uint16, uint32, uint64, float16, float32, float64, complex64 or complex128"
            )));
        }
        if [
            "bool8", "int0", "uint0", "object0", "str0", "bytes0", "void0",
        ]
        .contains(&s)
        {
            return Err(LayoutError::new(
                ErrorKind::TypeError,
                format!(
                    "Alias '{s}' was removed in NumPy 2.0. Use a name without a digit at the end."
                ),
            ));
        }
        Err(LayoutError::new(
            ErrorKind::TypeError,
            format!("data type '{s}' not understood"),
        ))
    }
}

/// The memory order of a new array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// Row-major (C): the last axis is contiguous. NumPy's default.
    #[default]
    C,
    /// Column-major (Fortran): the first axis is contiguous.
    F,
}

impl fmt::Display for Order {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Order::C => "C",
            Order::F => "F",
        })
    }
}

/// `"C"` or `"F"` (either case), as `numpy.empty(..., order=)` accepts; anything else fails with
/// NumPy's `ValueError` text.
///
/// ```
/// use brisk_kernels::layout::Order;
/// assert_eq!("F".parse::<Order>().unwrap(), Order::F);
/// assert_eq!("K".parse::<Order>().unwrap_err().to_string(), "only 'C' or 'F' order is permitted");
/// ```
impl FromStr for Order {
    type Err = LayoutError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "C" | "c" => Ok(Order::C),
            "F" | "f" => Ok(Order::F),
            _ => Err(LayoutError::value("only 'C' or 'F' order is permitted")),
        }
    }
}

/// The memory layout of a new array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The shape.
    pub shape: Vec<usize>,
    /// Bytes to step along each axis (`ndarray.strides`).
    pub strides: Vec<isize>,
    /// Bytes per element (`ndarray.itemsize`).
    pub itemsize: usize,
    /// Bytes of data (`ndarray.nbytes`): itemsize × the number of elements.
    pub nbytes: usize,
    /// The rules applied, one step per axis.
    pub steps: Explanation,
}

/// The strides of `numpy.empty(shape, dtype, order)`, with its itemsize and nbytes.
///
/// Errors as NumPy's, all `ValueError`: more than 64 dimensions, a size above `isize::MAX`, or an
/// array whose byte count overflows `isize` ("array is too big; `arr.size * arr.dtype.itemsize` is
/// larger than the maximum possible size."; NumPy checks the product of the nonzero sizes, so even an
/// empty array can be too big).
///
/// ```
/// use brisk_kernels::layout::{Dtype, Order};
/// use brisk_kernels::layout::strides::strides;
/// // Exercise B.5: shape (3, 4, 5), float32.
/// let c = strides(&[3, 4, 5], Dtype::Float32, Order::C).unwrap();
/// assert_eq!((c.strides, c.itemsize, c.nbytes), (vec![80, 20, 4], 4, 240));
/// let f = strides(&[3, 4, 5], Dtype::Float32, Order::F).unwrap();
/// assert_eq!(f.strides, [4, 12, 48]);
/// // Exercise B.2d: a.reshape(2, 6) as float64.
/// assert_eq!(strides(&[2, 6], Dtype::Float64, Order::C).unwrap().strides, [48, 8]);
/// // Size-1 axes follow the product; an empty array has zero strides.
/// assert_eq!(strides(&[3, 1], Dtype::Float32, Order::F).unwrap().strides, [4, 12]);
/// assert_eq!(strides(&[3, 0], Dtype::Float64, Order::C).unwrap().strides, [0, 0]);
/// ```
pub fn strides(shape: &[usize], dtype: Dtype, order: Order) -> Result<Layout, LayoutError> {
    check_shape(shape)?;
    let itemsize = dtype.itemsize();
    // NumPy multiplies the nonzero sizes to find `nbytes`, failing on overflow, then sets it to 0
    // when some size is 0.
    let mut nbytes = itemsize;
    for &d in shape.iter().filter(|&&d| d != 0) {
        nbytes = nbytes
            .checked_mul(d)
            .filter(|&n| n <= isize::MAX as usize)
            .ok_or_else(|| {
                LayoutError::value(
                    "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum \
                     possible size.",
                )
            })?;
    }
    let empty = shape.contains(&0);
    if empty {
        nbytes = 0;
    }
    let mut steps = Explanation::default();
    steps.push(
        Rule::Itemsize,
        format!("{dtype}: each element takes {itemsize} bytes"),
    );
    let n = shape.len();
    let mut strides = vec![0isize; n];
    if empty {
        steps.push(
            Rule::Order,
            format!(
                "{} has a 0-length axis, so the array holds no elements and NumPy sets every \
                 stride to 0",
                tuple(shape)
            ),
        );
    } else {
        let axes: Vec<usize> = match order {
            Order::C => {
                steps.push(
                    Rule::Order,
                    "C order: the last axis is contiguous; each stride is the itemsize times the \
                     sizes of the axes after it",
                );
                (0..n).rev().collect()
            }
            Order::F => {
                steps.push(
                    Rule::Order,
                    "F order: the first axis is contiguous; each stride is the itemsize times the \
                     sizes of the axes before it",
                );
                (0..n).collect()
            }
        };
        let mut stride = itemsize;
        let mut factors = vec![itemsize.to_string()];
        for &axis in &axes {
            strides[axis] = stride as isize;
            let formula = if factors.len() == 1 {
                format!("{stride}")
            } else {
                format!("{} = {stride}", factors.join(" × "))
            };
            steps.push(Rule::Stride, format!("axis {axis}: {formula}"));
            stride *= shape[axis];
            factors.push(shape[axis].to_string());
        }
    }
    let mut factors = vec![itemsize.to_string()];
    factors.extend(shape.iter().map(usize::to_string));
    steps.push(
        Rule::Nbytes,
        if shape.is_empty() {
            format!("nbytes = {nbytes} (a 0-d array holds one element)")
        } else {
            format!("nbytes = {} = {nbytes}", factors.join(" × "))
        },
    );
    steps.push(
        Rule::Result,
        format!(
            "strides: {}, itemsize {itemsize}, nbytes {nbytes}",
            tuple(&strides)
        ),
    );
    Ok(Layout {
        shape: shape.to_vec(),
        strides,
        itemsize,
        nbytes,
        steps,
    })
}

/// The strides of a new array of `shape` whose elements are `itemsize` bytes, in C order, with
/// NumPy's zero strides for an empty array. Used for the results of advanced indexing.
pub(crate) fn c_strides(shape: &[usize], itemsize: usize) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    if shape.contains(&0) {
        return strides;
    }
    let mut stride = itemsize as isize;
    for (s, &d) in strides.iter_mut().zip(shape).rev() {
        *s = stride;
        stride = stride.saturating_mul(d as isize);
    }
    strides
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dtype_round_trips_its_name() {
        for d in Dtype::ALL {
            assert_eq!(d.name().parse::<Dtype>().unwrap(), d);
        }
    }

    #[test]
    fn zero_d_arrays() {
        let l = strides(&[], Dtype::Float64, Order::F).unwrap();
        assert_eq!((l.strides.len(), l.nbytes), (0, 8));
    }

    #[test]
    fn too_big() {
        let err = strides(&[1 << 62, 4], Dtype::Float32, Order::C).unwrap_err();
        assert!(err.to_string().starts_with("array is too big"));
        let err = strides(&[0, 1 << 62, 4], Dtype::Float32, Order::C).unwrap_err();
        assert!(err.to_string().starts_with("array is too big"));
    }

    #[test]
    fn left_out_dtypes() {
        let err = "float128".parse::<Dtype>().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
    }
}
