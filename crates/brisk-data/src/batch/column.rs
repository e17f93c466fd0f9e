//! The columns of a batch: numbers, or text as offsets into one byte buffer.

use std::sync::OnceLock;

use super::codes::TextCodes;

/// The typed columns a decoder makes of a block of rows, with the integers of the columns still
/// read as `int64` (exact past 2⁵³).
#[derive(Debug, Clone, Default)]
pub(super) struct DecodedColumns {
    pub(super) columns: Vec<BatchColumn>,
    pub(super) integers: Vec<Option<Vec<i64>>>,
}

/// One column of a batch.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchColumn {
    /// Numbers.
    Numeric(NumericColumn),
    /// UTF-8 text.
    Text(TextColumn),
}

impl BatchColumn {
    /// The number of rows.
    pub fn len(&self) -> usize {
        match self {
            BatchColumn::Numeric(c) => c.len(),
            BatchColumn::Text(c) => c.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether row `i` is null.
    pub fn is_null(&self, i: usize) -> bool {
        match self {
            BatchColumn::Numeric(c) => c.is_null(i),
            BatchColumn::Text(c) => c.is_null(i),
        }
    }
}

/// Numbers, `f64`, with their nulls.
///
/// The null mask is the NaN pattern of the values: pandas reads a NaN as a missing value (CSV's
/// `nan` token, a Parquet NaN, a NaN in an `.npy` array), so in a table a numeric null and a NaN
/// are the same thing, and one `f64` per row holds both the value and its mask.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumericColumn {
    values: Vec<f64>,
}

impl NumericColumn {
    /// A column of these values, NaN meaning null.
    pub fn new(values: Vec<f64>) -> Self {
        NumericColumn { values }
    }

    /// The values, NaN where null.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Appends the rows of `more`.
    pub(crate) fn extend_from(&mut self, more: &NumericColumn) {
        self.values.extend_from_slice(&more.values);
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether row `i` is null.
    #[inline]
    pub fn is_null(&self, i: usize) -> bool {
        self.values[i].is_nan()
    }

    /// The value of row `i`, `None` when null.
    #[inline]
    pub fn get(&self, i: usize) -> Option<f64> {
        let x = self.values[i];
        (!x.is_nan()).then_some(x)
    }

    /// The values that are not null, in order: the column's own slice when none is null, else a
    /// copy in `scratch`.
    pub fn present<'a>(&'a self, scratch: &'a mut Vec<f64>) -> &'a [f64] {
        if !self.values.iter().any(|x| x.is_nan()) {
            return &self.values;
        }
        scratch.clear();
        scratch.extend(self.values.iter().copied().filter(|x| !x.is_nan()));
        scratch
    }
}

/// UTF-8 text: row `i` is `bytes[offsets[i]..offsets[i + 1]]`, unless `valid[i]` is false.
#[derive(Debug, Clone)]
pub struct TextColumn {
    bytes: Vec<u8>,
    offsets: Vec<u32>,
    valid: Vec<bool>,
    /// The dictionary, made by the first reader that asks for it.
    codes: OnceLock<TextCodes>,
}

impl PartialEq for TextColumn {
    fn eq(&self, other: &Self) -> bool {
        (&self.bytes, &self.offsets, &self.valid) == (&other.bytes, &other.offsets, &other.valid)
    }
}

impl Default for TextColumn {
    fn default() -> Self {
        TextColumn {
            bytes: Vec::new(),
            offsets: vec![0],
            valid: Vec::new(),
            codes: OnceLock::new(),
        }
    }
}

impl TextColumn {
    /// An empty column with room for `rows` values of `bytes` bytes in all.
    pub fn with_capacity(rows: usize, bytes: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        TextColumn {
            bytes: Vec::with_capacity(bytes),
            offsets,
            valid: Vec::with_capacity(rows),
            codes: OnceLock::new(),
        }
    }

    /// A column of `rows` nulls.
    ///
    /// ```
    /// let column = brisk_data::batch::TextColumn::nulls(3);
    /// assert_eq!((column.len(), column.get(1)), (3, None));
    /// ```
    pub fn nulls(rows: usize) -> Self {
        TextColumn {
            bytes: Vec::new(),
            offsets: vec![0; rows + 1],
            valid: vec![false; rows],
            codes: OnceLock::new(),
        }
    }

    /// Appends a value, `None` for null. The text must be UTF-8 (the readers check it).
    #[inline]
    pub fn push(&mut self, value: Option<&[u8]>) {
        // A dictionary made before describes the rows it saw.
        self.codes.take();
        if let Some(v) = value {
            self.bytes.extend_from_slice(v);
        }
        self.offsets.push(self.bytes.len() as u32);
        self.valid.push(value.is_some());
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.valid.is_empty()
    }

    /// Whether row `i` is null.
    #[inline]
    pub fn is_null(&self, i: usize) -> bool {
        !self.valid[i]
    }

    /// The text of row `i`, `None` when null.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.valid[i].then(|| &self.bytes[self.offsets[i] as usize..self.offsets[i + 1] as usize])
    }

    /// The column's dictionary within the batch ([`TextCodes`]), made on the first call (one
    /// hash-table lookup a row) and shared by every later reader, on any thread.
    pub fn codes(&self) -> &TextCodes {
        self.codes.get_or_init(|| TextCodes::of(self))
    }

    /// The value of a code of [`codes`](Self::codes).
    ///
    /// # Panics
    /// For a code the dictionary does not hold ([`NULL_CODE`](super::NULL_CODE) included).
    pub fn value_of(&self, code: u32) -> &[u8] {
        let row = self.codes().first_rows()[code as usize] as usize;
        self.get(row).expect("a code's first row holds its value")
    }

    /// The values, top to bottom.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Option<&[u8]>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_empty_strings_apart_from_nulls() {
        let mut column = TextColumn::default();
        column.push(Some(b"ab"));
        column.push(None);
        column.push(Some(b""));
        assert_eq!(column.len(), 3);
        assert_eq!(
            column.iter().collect::<Vec<_>>(),
            [Some(&b"ab"[..]), None, Some(&b""[..])]
        );
    }

    #[test]
    fn numeric_nulls_are_nan() {
        let column = NumericColumn::new(vec![1.0, f64::NAN]);
        assert_eq!(column.get(0), Some(1.0));
        assert!(column.is_null(1));
        assert!(BatchColumn::Numeric(column).is_null(1));
    }
}
