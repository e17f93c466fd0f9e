//! The cleaned columns as Arrow arrays, at the rows that survive.

use polars_arrow::array::{Array, PrimitiveArray, Utf8Array};
use polars_arrow::bitmap::{Bitmap, MutableBitmap};
use polars_arrow::datatypes::ArrowDataType;
use polars_arrow::offset::OffsetsBuffer;

use super::cells::{Cells, NULL_CODE};
use super::steps::TextPlan;

/// Column `cells` at the surviving rows, cleaned as its plan says (`filled`, the values of a
/// median-filled column at the kept rows; `text` for a categorical one; neither: as it is). `outlier` flags the
/// kept rows; `survivors` are the rows left.
pub(super) fn output_column(
    cells: &Cells<'_>,
    filled: Option<Vec<f64>>,
    text: Option<&TextPlan>,
    outlier: &[bool],
    survivors: &[u32],
) -> Box<dyn Array> {
    if let Some(mut values) = filled {
        return match cells {
            Cells::Ints(ints) => {
                let ints: Vec<i64> = survivors.iter().map(|&r| ints[r as usize]).collect();
                PrimitiveArray::from_vec(ints).boxed()
            }
            _ => {
                let mut flags = outlier.iter();
                values.retain(|_| !flags.next().copied().unwrap_or(false));
                floats(values).boxed()
            }
        };
    }
    match cells {
        Cells::Ints(ints) => {
            PrimitiveArray::from_vec(survivors.iter().map(|&r| ints[r as usize]).collect()).boxed()
        }
        Cells::Floats(values, valid) => {
            let taken: Vec<f64> = survivors.iter().map(|&r| values[r as usize]).collect();
            let validity = valid.as_ref().map(|valid| {
                survivors
                    .iter()
                    .map(|&r| valid[r as usize])
                    .collect::<Bitmap>()
            });
            PrimitiveArray::new(ArrowDataType::Float64, taken.into(), validity).boxed()
        }
        Cells::Text(cells) => {
            let value = |code: u32| match text {
                Some(plan) => plan.cleaned(code),
                None => (code != NULL_CODE).then(|| cells.values[code as usize]),
            };
            strings(survivors.iter().map(|&r| value(cells.codes[r as usize]))).boxed()
        }
    }
}

/// Numbers as a `float64` array, NaN as null.
fn floats(values: Vec<f64>) -> PrimitiveArray<f64> {
    let validity = values
        .iter()
        .any(|x| x.is_nan())
        .then(|| values.iter().map(|x| !x.is_nan()).collect::<Bitmap>());
    PrimitiveArray::new(ArrowDataType::Float64, values.into(), validity)
}

/// Text cells as a large-string array.
fn strings<'a>(cells: impl ExactSizeIterator<Item = Option<&'a [u8]>> + Clone) -> Utf8Array<i64> {
    let total: usize = cells.clone().map(|c| c.map_or(0, <[u8]>::len)).sum();
    let mut offsets: Vec<i64> = Vec::with_capacity(cells.len() + 1);
    let mut bytes: Vec<u8> = Vec::with_capacity(total);
    let mut valid = MutableBitmap::with_capacity(cells.len());
    offsets.push(0);
    for cell in cells {
        if let Some(v) = cell {
            bytes.extend_from_slice(v);
        }
        offsets.push(bytes.len() as i64);
        valid.push(cell.is_some());
    }
    let offsets = OffsetsBuffer::try_from(offsets).expect("offsets that only grow");
    Utf8Array::try_new(
        ArrowDataType::LargeUtf8,
        offsets,
        bytes.into(),
        valid.into(),
    )
    .expect("text from UTF-8 arrays, lowercased, is UTF-8")
}
