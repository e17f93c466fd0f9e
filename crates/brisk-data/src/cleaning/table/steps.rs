//! Steps 2 to 5 on whole-table cells: a numeric column's median fill, bounds and outliers, and
//! a text column's mode, counts and lowercasing.

use brisk_kernels::numeric::{pairwise_sum, NumpySum, SumOrder};

use super::cells::{Cells, TextCells, NULL_CODE};
use crate::frame::{is_outlier, median_in_place};

/// A median-filled column over the kept rows: its fill, its bounds and the rows beyond them.
pub(super) struct FilledNumbers {
    /// The value of each kept row after the fill (NaN where still null: no median).
    pub(super) values: Vec<f64>,
    /// The median, `None` when every value is null.
    pub(super) fill: Option<f64>,
    /// Nulls filled.
    pub(super) filled: u64,
    /// The filled column's mean.
    pub(super) mean: f64,
    /// `sigma · std`.
    pub(super) limit: f64,
    /// Positions (among the kept rows) of the values beyond the bounds.
    pub(super) outliers: Vec<u32>,
}

/// Step 2 on a numeric column at the `kept` rows (median fill), and step 5's bounds and
/// outliers of the filled column.
pub(super) fn fill_numbers(cells: &Cells<'_>, kept: &[u32], sigma: f64) -> FilledNumbers {
    let (mut values, integer): (Vec<f64>, bool) = match cells {
        Cells::Ints(ints) => (
            kept.iter().map(|&r| ints[r as usize] as f64).collect(),
            true,
        ),
        Cells::Floats(floats, _) => (kept.iter().map(|&r| floats[r as usize]).collect(), false),
        Cells::Text(_) => unreachable!("a numeric column"),
    };
    let mut scratch: Vec<f64> = Vec::with_capacity(values.len());
    scratch.extend(values.iter().copied().filter(|x| !x.is_nan()));
    let nulls = (values.len() - scratch.len()) as u64;
    let fill = median_in_place(&mut scratch);
    let filled = match fill {
        Some(m) if nulls > 0 => {
            values
                .iter_mut()
                .filter(|x| x.is_nan())
                .for_each(|x| *x = m);
            nulls
        }
        _ => 0,
    };
    // With no median every value is null, and nothing is an outlier.
    let present: &[f64] = if fill.is_some() { &values } else { &[] };
    let (mean, std) = mean_std(present, integer, &mut scratch);
    let limit = sigma * std;
    let outliers = values
        .iter()
        .enumerate()
        .filter(|&(_, &x)| !x.is_nan() && is_outlier(x, mean, limit))
        .map(|(i, _)| i as u32)
        .collect();
    FilledNumbers {
        values,
        fill,
        filled,
        mean,
        limit,
        outliers,
    }
}

/// pandas' `Series.mean()` and `Series.std()` to the last bit, as
/// [`clean_dataset`](crate::frame::clean_dataset) takes them: `numpy.sum(x) / n` (an `int64`
/// column summed through NumPy's cast buffers) and `sqrt(numpy.sum((mean − x)²) / (n − 1))`,
/// both sums in NumPy's pairwise order; `scratch` holds the squares.
fn mean_std(values: &[f64], integer: bool, scratch: &mut Vec<f64>) -> (f64, f64) {
    let n = values.len() as f64;
    let sum = if integer {
        let mut sum = NumpySum::new(values.len() as u64, SumOrder::Cast);
        values.iter().for_each(|&x| sum.add(x));
        sum.finish().unwrap_or(f64::NAN)
    } else {
        pairwise_sum(values)
    };
    let mean = sum / n;
    if values.len() < 2 {
        return (mean, f64::NAN);
    }
    scratch.clear();
    scratch.extend(values.iter().map(|&x| (mean - x) * (mean - x)));
    (mean, (pairwise_sum(scratch) / (n - 1.0)).sqrt())
}

/// A text column's mode over the kept rows, its counts, and each value lowercased.
pub(super) struct TextPlan {
    /// Each distinct value lowercased, `None` when lowercasing leaves it as it is.
    lowered: Vec<Option<Vec<u8>>>,
    values: Vec<Vec<u8>>,
    /// The mode's code.
    pub(super) mode: Option<u32>,
    /// Nulls filled with the mode.
    pub(super) filled: u64,
    /// Cells (filled ones included) that lowercasing changes.
    pub(super) lowercased: u64,
}

impl TextPlan {
    pub(super) fn value(&self, code: u32) -> &[u8] {
        &self.values[code as usize]
    }

    /// The cleaned text of a code ([`NULL_CODE`]: the mode, if any).
    pub(super) fn cleaned(&self, code: u32) -> Option<&[u8]> {
        let code = if code == NULL_CODE { self.mode? } else { code };
        Some(
            self.lowered[code as usize]
                .as_deref()
                .unwrap_or(self.value(code)),
        )
    }
}

/// Steps 3 and 4 on a text column at the `kept` rows: its mode (ties: the smallest), the nulls
/// it fills, and the cells lowercasing changes (filled ones included).
pub(super) fn text_plan(text: &TextCells<'_>, kept: &[u32]) -> TextPlan {
    let mut counts = vec![0u64; text.values.len()];
    let mut nulls = 0u64;
    for &r in kept {
        match text.codes[r as usize] {
            NULL_CODE => nulls += 1,
            code => counts[code as usize] += 1,
        }
    }
    // The most frequent value; ties go to the smallest by code point (byte order).
    let mode = (0..text.values.len())
        .filter(|&c| counts[c] > 0)
        .max_by(|&a, &b| {
            counts[a]
                .cmp(&counts[b])
                .then_with(|| text.values[b].cmp(text.values[a]))
        })
        .map(|c| c as u32);
    let lowered: Vec<Option<Vec<u8>>> = text.values.iter().map(|v| lowercase(v)).collect();
    let mut lowercased: u64 = counts
        .iter()
        .zip(&lowered)
        .filter(|(_, l)| l.is_some())
        .map(|(&n, _)| n)
        .sum();
    let filled = if mode.is_some() { nulls } else { 0 };
    if mode.is_some_and(|m| lowered[m as usize].is_some()) {
        lowercased += filled;
    }
    TextPlan {
        lowered,
        values: text.values.iter().map(|v| v.to_vec()).collect(),
        mode,
        filled,
        lowercased,
    }
}

/// The text lowercased (full Unicode lowercasing, as `str.lower()`), `None` when unchanged.
fn lowercase(v: &[u8]) -> Option<Vec<u8>> {
    if v.is_ascii() {
        return v
            .iter()
            .any(u8::is_ascii_uppercase)
            .then(|| v.to_ascii_lowercase());
    }
    let text = String::from_utf8_lossy(v);
    let lower = text.to_lowercase();
    (lower != text).then(|| lower.into_bytes())
}
