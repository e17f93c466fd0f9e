//! A table's columns as whole-table cells: numbers copied out of their arrays, text numbered by
//! its distinct values (one hash-table lookup a cell).

use std::borrow::Cow;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::hash_table::{Entry, HashTable};
use polars_arrow::array::{Array, PrimitiveArray, Utf8Array, Utf8ViewArray};
use polars_arrow::datatypes::ArrowDataType;

use crate::arrow_stream::ArrowTable;
use crate::cleaning::hash::LANE_SEEDS;

/// The code of a null text cell.
pub(super) const NULL_CODE: u32 = u32::MAX;
/// One column's cells, whole-table.
pub(super) enum Cells<'a> {
    /// `int64` without nulls (the caller's own values when the column is one array).
    Ints(Cow<'a, [i64]>),
    /// `float64`: the values, NaN at nulls, and the validity when some value is null (the
    /// caller's own values when the column is one array without nulls).
    Floats(Cow<'a, [f64]>, Option<Vec<bool>>),
    /// Text, numbered by distinct value.
    Text(TextCells<'a>),
}

/// A text column as codes into its distinct values, [`NULL_CODE`] for null.
pub(super) struct TextCells<'a> {
    pub(super) codes: Vec<u32>,
    pub(super) values: Vec<&'a [u8]>,
    pub(super) hashes: Vec<u64>,
}

/// Column `j` of every record batch as one [`Cells`]; `None` for an `int64` column with nulls.
pub(super) fn cells_of(table: &ArrowTable, j: usize) -> Option<Cells<'_>> {
    let arrays = table.records().iter().map(|r| r.arrays()[j].as_ref());
    let rows: usize = table.records().iter().map(|r| r.len()).sum();
    match &table.schema().get_at_index(j)?.1.dtype {
        ArrowDataType::Int64 => {
            let arrays: Vec<&PrimitiveArray<i64>> = arrays
                .map(|a| a.as_any().downcast_ref())
                .collect::<Option<_>>()?;
            if arrays.iter().any(|a| a.null_count() > 0) {
                return None;
            }
            Some(Cells::Ints(match arrays.as_slice() {
                [one] => Cow::Borrowed(one.values().as_slice()),
                _ => Cow::Owned(
                    arrays
                        .iter()
                        .flat_map(|a| a.values().iter().copied())
                        .collect(),
                ),
            }))
        }
        ArrowDataType::Float64 => {
            let arrays: Vec<&PrimitiveArray<f64>> = arrays
                .map(|a| a.as_any().downcast_ref())
                .collect::<Option<_>>()?;
            if let [one] = arrays.as_slice() {
                if one.null_count() == 0 {
                    // The caller's own values: nothing to copy.
                    return Some(Cells::Floats(Cow::Borrowed(one.values().as_slice()), None));
                }
            }
            let mut values = Vec::with_capacity(rows);
            let mut valid: Option<Vec<bool>> = None;
            for array in arrays {
                let before = values.len();
                match array.validity().filter(|v| v.unset_bits() > 0) {
                    None => {
                        values.extend_from_slice(array.values());
                        if let Some(valid) = &mut valid {
                            valid.resize(values.len(), true);
                        }
                    }
                    Some(bits) => {
                        let valid = valid.get_or_insert_with(|| vec![true; before]);
                        values.extend(array.values().iter().zip(bits.iter()).map(|(&x, ok)| {
                            if ok {
                                x
                            } else {
                                f64::NAN
                            }
                        }));
                        valid.extend(bits.iter());
                    }
                }
            }
            Some(Cells::Floats(Cow::Owned(values), valid))
        }
        _ => {
            let mut encoder = Encoder::new(rows);
            for array in arrays {
                let any = array.as_any();
                if let Some(a) = any.downcast_ref::<Utf8Array<i64>>() {
                    encoder.extend(a.iter());
                } else if let Some(a) = any.downcast_ref::<Utf8Array<i32>>() {
                    encoder.extend(a.iter());
                } else {
                    encoder.extend(any.downcast_ref::<Utf8ViewArray>()?.iter());
                }
            }
            Some(Cells::Text(encoder.finish()))
        }
    }
}

/// Numbers a text column's cells by their distinct values, in order of first sight.
struct Encoder<'a> {
    cells: TextCells<'a>,
    table: HashTable<u32>,
    state: FixedState,
}

impl<'a> Encoder<'a> {
    fn new(rows: usize) -> Self {
        Encoder {
            cells: TextCells {
                codes: Vec::with_capacity(rows),
                values: Vec::new(),
                hashes: Vec::new(),
            },
            table: HashTable::new(),
            state: FixedState::with_seed(LANE_SEEDS[0]),
        }
    }

    fn extend(&mut self, values: impl Iterator<Item = Option<&'a str>>) {
        let TextCells {
            codes,
            values: distinct,
            hashes,
        } = &mut self.cells;
        for value in values {
            let Some(value) = value.map(str::as_bytes) else {
                codes.push(NULL_CODE);
                continue;
            };
            let hash = self.state.hash_one(value);
            let code = match self.table.entry(
                hash,
                |&c| distinct[c as usize] == value,
                |&c| hashes[c as usize],
            ) {
                Entry::Occupied(entry) => *entry.get(),
                Entry::Vacant(slot) => {
                    let code = distinct.len() as u32;
                    slot.insert(code);
                    distinct.push(value);
                    hashes.push(hash);
                    code
                }
            };
            codes.push(code);
        }
    }

    fn finish(self) -> TextCells<'a> {
        self.cells
    }
}
