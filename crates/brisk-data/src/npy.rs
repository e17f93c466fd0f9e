//! Reading NumPy `.npy` arrays as `f64` matrices.
//!
//! The format (NEP 1, `numpy.lib.format`): the magic `\x93NUMPY`, a version, a header length, a
//! Python-literal header `{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }`, then the raw
//! elements. Read here: floats (`f2` excluded) and integers of any width, `u1`/`b1`, either byte
//! order, C or Fortran order, 1-D (one column) or 2-D. Anything else is refused with what it is.

use std::io::{Read, Write};

use ndarray::{Array2, ShapeBuilder};

use crate::error::{DataError, ErrorKind, Location, Result};
use crate::input::Input;

/// The element types brisk converts to `f64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Element {
    F64,
    F32,
    Int { bytes: usize, signed: bool },
    Bool,
}

impl Element {
    fn size(self) -> usize {
        match self {
            Element::F64 => 8,
            Element::F32 => 4,
            Element::Int { bytes, .. } => bytes,
            Element::Bool => 1,
        }
    }

    fn from_descr(descr: &str) -> Option<(Element, bool)> {
        let (order, code) = descr.split_at(1.min(descr.len()));
        let big_endian = match order {
            "<" | "|" | "=" => false,
            ">" => true,
            _ => return None,
        };
        let element = match code {
            "f8" => Element::F64,
            "f4" => Element::F32,
            "b1" => Element::Bool,
            _ => {
                let signed = code.starts_with('i');
                if !(signed || code.starts_with('u')) {
                    return None;
                }
                let bytes = code[1..]
                    .parse()
                    .ok()
                    .filter(|b| [1, 2, 4, 8].contains(b))?;
                Element::Int { bytes, signed }
            }
        };
        Some((element, big_endian))
    }

    /// Decodes one element.
    #[inline]
    fn decode(self, raw: &[u8], big_endian: bool) -> f64 {
        let mut bytes = [0u8; 8];
        let n = self.size();
        bytes[..n].copy_from_slice(&raw[..n]);
        if big_endian {
            bytes[..n].reverse();
        }
        match self {
            Element::F64 => f64::from_le_bytes(bytes),
            Element::F32 => f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as f64,
            Element::Bool => f64::from(bytes[0] != 0),
            Element::Int { bytes: n, signed } => {
                let unsigned = u64::from_le_bytes(bytes);
                if signed {
                    let shift = 64 - 8 * n as u32;
                    (((unsigned << shift) as i64) >> shift) as f64
                } else {
                    unsigned as f64
                }
            }
        }
    }
}

/// Reads a 1-D or 2-D `.npy` array as an `f64` matrix (a 1-D array is one column), keeping its
/// memory order.
///
/// ```
/// let bytes = b"\x93NUMPY\x01\x00\x76\x00{'descr': '<i4', 'fortran_order': False, 'shape': (2, 1), }";
/// let mut file = bytes.to_vec();
/// file.resize(10 + 0x76, b' ');
/// *file.last_mut().unwrap() = b'\n';
/// file.extend([7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
/// let input = brisk_data::input::Input::from_reader(&file[..], "a.npy",
///     brisk_data::input::Format::Npy).unwrap();
/// let x = brisk_data::npy::read_matrix(&input).unwrap();
/// assert_eq!(x, ndarray::array![[7.0], [-1.0]]);
/// ```
pub fn read_matrix(input: &Input) -> Result<Array2<f64>> {
    let name = input.name();
    let mut file = input.reader()?;
    let header = Header::read(&mut file, name)?;
    let (rows, cols) = (header.rows, header.cols);
    let count = header.count;
    let element = header.element;
    let size = element.size();
    let mut values = Vec::with_capacity(count);
    let mut block = vec![0u8; (1 << 16) * size];
    while values.len() < count {
        let want = ((count - values.len()) * size).min(block.len());
        let got = read_up_to(&mut file, &mut block[..want], name)?;
        if got < want {
            let have = values.len() * size + got;
            return Err(header.truncated(name, have as u64));
        }
        values.extend(
            block[..want]
                .chunks_exact(size)
                .map(|raw| element.decode(raw, header.big_endian)),
        );
    }
    let shape = (rows, cols).set_f(header.fortran);
    Ok(Array2::from_shape_vec(shape, values).expect("rows × cols values"))
}

/// What a `.npy` header says about the data that follows it.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    element: Element,
    big_endian: bool,
    descr: String,
    /// Fortran (column-major) order.
    pub fortran: bool,
    /// Rows (the length of a 1-D array).
    pub rows: usize,
    /// Columns (1 for a 1-D array).
    pub cols: usize,
    /// `rows × cols`.
    pub count: usize,
    /// Whether the array is 1-D.
    pub one_dimensional: bool,
    /// The byte offset of the first element.
    pub data_offset: u64,
}

impl Header {
    /// Reads and checks the header, leaving `file` at the first element.
    pub(crate) fn read(file: &mut impl Read, name: &str) -> Result<Header> {
        let fail =
            |message: String| DataError::new(ErrorKind::Npy, Location::source(name), message);
        let mut prelude = [0u8; 10];
        read_exact(file, &mut prelude, name, "the file is too short to be .npy")?;
        if &prelude[..6] != b"\x93NUMPY" {
            return Err(fail(
                "not a .npy file (no \\x93NUMPY magic); save arrays with numpy.save".into(),
            ));
        }
        let (header_len, prelude_len) = match prelude[6] {
            1 => (u16::from_le_bytes([prelude[8], prelude[9]]) as usize, 10),
            2 | 3 => {
                let mut rest = [0u8; 2];
                read_exact(file, &mut rest, name, "the header is cut short")?;
                let len = u32::from_le_bytes([prelude[8], prelude[9], rest[0], rest[1]]);
                (len as usize, 12)
            }
            v => return Err(fail(format!("unsupported .npy format version {v}"))),
        };
        let mut header = vec![0u8; header_len];
        read_exact(file, &mut header, name, "the header is cut short")?;
        let header = String::from_utf8_lossy(&header);
        let descr = header_value(&header, "descr")
            .ok_or_else(|| fail("the header has no 'descr'".into()))?;
        let descr = descr.trim_matches(|c| c == '\'' || c == '"');
        let (element, big_endian) = Element::from_descr(descr).ok_or_else(|| {
            fail(format!(
                "unsupported dtype '{descr}': brisk reads float64/32, integer and bool arrays; \
                 convert with arr.astype('float64')"
            ))
        })?;
        let fortran = header_value(&header, "fortran_order")
            .map(|v| v.trim() == "True")
            .ok_or_else(|| fail("the header has no 'fortran_order'".into()))?;
        let shape = header_value(&header, "shape")
            .and_then(parse_shape)
            .ok_or_else(|| fail("the header's 'shape' is not a tuple of integers".into()))?;
        let (rows, cols) = match shape[..] {
            [n] => (n, 1),
            [n, m] => (n, m),
            _ => {
                return Err(fail(format!(
                    "a {}-dimensional array; brisk reads 1-D and 2-D arrays (reshape to 2-D first)",
                    shape.len()
                )))
            }
        };
        let count = rows
            .checked_mul(cols)
            .filter(|c| c.checked_mul(element.size()).is_some())
            .ok_or_else(|| fail("the shape is too large".into()))?;
        Ok(Header {
            element,
            big_endian,
            descr: descr.to_owned(),
            fortran,
            rows,
            cols,
            count,
            one_dimensional: shape.len() == 1,
            data_offset: (prelude_len + header_len) as u64,
        })
    }

    /// Whether the elements are native little-endian `f64`, readable in place.
    /// Element `(row, col)` of the data that follows the header, as `f64`.
    #[inline]
    pub(crate) fn element(&self, data: &[u8], row: usize, col: usize) -> f64 {
        let index = if self.fortran {
            col * self.rows + row
        } else {
            row * self.cols + col
        };
        let size = self.element.size();
        self.element
            .decode(&data[index * size..(index + 1) * size], self.big_endian)
    }

    pub(crate) fn is_native_f64(&self) -> bool {
        self.element == Element::F64 && !self.big_endian && cfg!(target_endian = "little")
    }

    /// The bytes of data the header promises.
    pub(crate) fn data_len(&self) -> u64 {
        (self.count * self.element.size()) as u64
    }

    /// The error for a file holding only `have` bytes of data.
    pub(crate) fn truncated(&self, name: &str, have: u64) -> DataError {
        DataError::new(
            ErrorKind::Npy,
            Location::source(name),
            format!(
                "truncated: the header promises {} bytes of data ({}×{} '{}') but the file holds \
                 {have}",
                self.data_len(),
                self.rows,
                self.cols,
                self.descr
            ),
        )
    }
}

/// Writes a C-order little-endian `.npy` array of `f64` (1-D when `shape` has one entry).
///
/// ```
/// let mut out = Vec::new();
/// brisk_data::npy::write_f64(&mut out, &[2], [1.5, -2.0].into_iter()).unwrap();
/// assert_eq!(&out[..6], b"\x93NUMPY");
/// assert_eq!(out.len() % 64, 16);
/// ```
pub fn write_f64(
    out: &mut dyn Write,
    shape: &[usize],
    values: impl Iterator<Item = f64>,
) -> std::io::Result<()> {
    write_header(out, "<f8", shape)?;
    for v in values {
        out.write_all(&v.to_le_bytes())?;
    }
    Ok(())
}

/// Writes a 1-D little-endian `.npy` array of `i64`.
pub fn write_i64(out: &mut dyn Write, values: &[i64]) -> std::io::Result<()> {
    write_header(out, "<i8", &[values.len()])?;
    for v in values {
        out.write_all(&v.to_le_bytes())?;
    }
    Ok(())
}

/// The magic, version 1.0 and a header padded with spaces so the data starts at a multiple of 64
/// bytes, as `numpy.save` writes it.
fn write_header(out: &mut dyn Write, descr: &str, shape: &[usize]) -> std::io::Result<()> {
    let dims = match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}");
    let total = 10 + header.len() + 1;
    header.extend(std::iter::repeat_n(' ', total.next_multiple_of(64) - total));
    header.push('\n');
    out.write_all(b"\x93NUMPY\x01\x00")?;
    let len = u16::try_from(header.len()).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "shape too long for .npy 1.0",
        )
    })?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(header.as_bytes())
}

/// The text of `key`'s value in the header's dictionary literal.
fn header_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let start = header
        .find(&format!("'{key}'"))
        .or_else(|| header.find(&format!("\"{key}\"")))?;
    let rest = header[start + key.len() + 2..]
        .trim_start()
        .strip_prefix(':')?;
    let rest = rest.trim_start();
    let end = if rest.starts_with('(') {
        rest.find(')')? + 1
    } else {
        rest.find([',', '}']).unwrap_or(rest.len())
    };
    Some(rest[..end].trim())
}

fn parse_shape(text: &str) -> Option<Vec<usize>> {
    let inner = text.strip_prefix('(')?.strip_suffix(')')?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_end_matches('L').parse().ok())
        .collect()
}

fn read_up_to(file: &mut impl Read, buf: &mut [u8], name: &str) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(DataError::new(
                    ErrorKind::Io,
                    Location::source(name),
                    format!("cannot read: {e}"),
                ))
            }
        }
    }
    Ok(filled)
}

fn read_exact(file: &mut impl Read, buf: &mut [u8], name: &str, short: &str) -> Result<()> {
    if read_up_to(file, buf, name)? < buf.len() {
        return Err(DataError::new(
            ErrorKind::Npy,
            Location::source(name),
            format!("{short}; is this a complete .npy file?"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_descr_brisk_reads() {
        assert_eq!(Element::from_descr("<f8"), Some((Element::F64, false)));
        assert_eq!(Element::from_descr(">f4"), Some((Element::F32, true)));
        assert_eq!(Element::from_descr("|b1"), Some((Element::Bool, false)));
        assert_eq!(
            Element::from_descr("|u1"),
            Some((
                Element::Int {
                    bytes: 1,
                    signed: false
                },
                false
            ))
        );
        for refused in ["<U5", "<c16", "|O", "<f2", "<i3", "", "<M8[ns]"] {
            assert_eq!(Element::from_descr(refused), None, "{refused}");
        }
    }

    #[test]
    fn decoding_signs_and_byte_orders() {
        let i16 = Element::Int {
            bytes: 2,
            signed: true,
        };
        assert_eq!(i16.decode(&[0xfe, 0xff], false), -2.0);
        assert_eq!(i16.decode(&[0xff, 0xfe], true), -2.0);
        assert_eq!(Element::F64.decode(&1.5f64.to_be_bytes(), true), 1.5);
        let u32_ = Element::Int {
            bytes: 4,
            signed: false,
        };
        assert_eq!(u32_.decode(&[0xff; 4], false), 4294967295.0);
    }

    #[test]
    fn header_values() {
        let h = "{'descr': '<f8', 'fortran_order': True, 'shape': (3, 4), }";
        assert_eq!(header_value(h, "descr"), Some("'<f8'"));
        assert_eq!(header_value(h, "fortran_order"), Some("True"));
        assert_eq!(
            header_value(h, "shape").and_then(parse_shape),
            Some(vec![3, 4])
        );
        assert_eq!(parse_shape("(5,)"), Some(vec![5]));
        assert_eq!(parse_shape("()"), Some(vec![]));
    }
}
