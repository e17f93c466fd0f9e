//! The cleaning of a table in memory (a pandas, polars or pyarrow table handed over as Arrow
//! arrays), worked on the arrays themselves: no temporary file, no frame in between, and the
//! cleaned columns built as Arrow arrays ready to hand back.
//!
//! The steps, counts and output are [`clean_dataset`](crate::frame::clean_dataset)'s, cell for
//! cell, for the tables it covers: columns of `int64` without nulls, `float64` and text (plain,
//! large or view strings), numeric columns cleaned as numeric and text ones as categorical.
//! [`clean_table`] returns `None` for any other table (and for options that are an error), which
//! the caller then cleans through the general path.
//!
//! Work per cell is a few operations: each text column is numbered by its distinct values once
//! (one hash-table lookup a cell), which gives the row hashes, the modes' counts, the lowercasing
//! (once a distinct value) and the output; the duplicates come from one table of the rows seen,
//! every hash match checked cell by cell, so no two distinct rows are ever taken as equal.

use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::hash_table::{Entry, HashTable};
use polars_arrow::array::{Array, PrimitiveArray, Utf8Array, Utf8ViewArray};
use polars_arrow::bitmap::Bitmap;
use polars_arrow::datatypes::{ArrowDataType, Field};
use polars_arrow::offset::OffsetsBuffer;
use rayon::prelude::*;

use crate::arrow_stream::ArrowTable;
use crate::frame::{is_outlier, mean_std, median_in_place, CleanOptions, CleanReport, FillValue};

/// The code of a null text cell.
const NULL_CODE: u32 = u32::MAX;
/// The bits of a null number in the row hashes: a NaN payload no value carries.
const NULL_BITS: u64 = 0x7ff8_6e75_6c6c_0001;
const SEED: u64 = 0x243f_6a88_85a3_08d3;
const MULTIPLIER: u64 = 0xa409_3822_299f_31d1;

/// The cleaned table: its columns as Arrow arrays (with their fields), and the report.
pub struct CleanedTable {
    /// One field a column, in the table's order.
    pub fields: Vec<Field>,
    /// The cleaned columns, `rows` long each.
    pub columns: Vec<Box<dyn Array>>,
    /// Rows after cleaning.
    pub rows: usize,
    /// What cleaning changed.
    pub report: CleanReport,
}

/// One column's cells, whole-table.
enum Cells<'a> {
    /// `int64` without nulls.
    Ints(Vec<i64>),
    /// `float64`: the values, NaN at nulls, and the validity when some value is null.
    Floats(Vec<f64>, Option<Vec<bool>>),
    /// Text, numbered by distinct value.
    Text(TextCells<'a>),
}

/// A text column as codes into its distinct values, [`NULL_CODE`] for null.
struct TextCells<'a> {
    codes: Vec<u32>,
    values: Vec<&'a [u8]>,
    hashes: Vec<u64>,
}

/// How a column is cleaned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Keep,
    Median,
    Mode,
}

/// Cleans `table` as [`clean_dataset`](crate::frame::clean_dataset) cleans its frame, or `None`
/// when the table or the options are outside what this path covers (see the module's text).
pub fn clean_table(table: &ArrowTable, options: &CleanOptions) -> Option<CleanedTable> {
    if !(options.sigma.is_finite() && options.sigma >= 0.0) {
        return None;
    }
    let names: Vec<&str> = table.schema().iter_names().map(|n| n.as_str()).collect();
    let rows: usize = table.records().iter().map(|r| r.len()).sum();
    if names.is_empty() || rows == 0 || u32::try_from(rows).is_err() {
        return None;
    }
    if (1..names.len()).any(|j| names[..j].contains(&names[j])) {
        return None;
    }
    let dtypes: Vec<&ArrowDataType> = table.schema().iter_values().map(|f| &f.dtype).collect();
    let numeric = |j: usize| matches!(dtypes[j], ArrowDataType::Int64 | ArrowDataType::Float64);
    let text = |j: usize| {
        matches!(
            dtypes[j],
            ArrowDataType::Utf8 | ArrowDataType::LargeUtf8 | ArrowDataType::Utf8View
        )
    };
    if !(0..names.len()).all(|j| numeric(j) || text(j)) {
        return None;
    }
    let numeric_columns = pick(
        &names,
        &options.numeric,
        &options.categorical,
        options,
        &numeric,
    )?;
    let categorical_columns = pick(
        &names,
        &options.categorical,
        &options.numeric,
        options,
        &text,
    )?;
    if numeric_columns
        .iter()
        .any(|j| categorical_columns.contains(j))
    {
        return None;
    }
    let mut roles = vec![Role::Keep; names.len()];
    numeric_columns
        .iter()
        .for_each(|&j| roles[j] = Role::Median);
    categorical_columns
        .iter()
        .for_each(|&j| roles[j] = Role::Mode);

    let cells: Vec<Cells<'_>> = (0..names.len())
        .into_par_iter()
        .map(|j| cells_of(table, j))
        .collect::<Option<_>>()?;

    // Step 1: the first of each set of equal rows.
    let hashes = row_hashes(&cells, rows);
    let kept = distinct_rows(&cells, &hashes);
    drop(hashes);

    // Step 2 and step 5's flags, column by column.
    let numbers: Vec<Option<FilledNumbers>> = cells
        .par_iter()
        .zip(&roles)
        .map(|(cells, &role)| {
            (role == Role::Median).then(|| fill_numbers(cells, &kept, options.sigma))
        })
        .collect();
    let mut outlier = vec![false; kept.len()];
    for filled in numbers.iter().flatten() {
        for &i in &filled.outliers {
            outlier[i as usize] = true;
        }
    }
    let survivors: Vec<u32> = kept
        .iter()
        .zip(&outlier)
        .filter(|(_, &o)| !o)
        .map(|(&r, _)| r)
        .collect();

    // Steps 3 and 4.
    let texts: Vec<Option<TextPlan>> = cells
        .par_iter()
        .zip(&roles)
        .map(|(cells, &role)| match (cells, role) {
            (Cells::Text(text), Role::Mode) => Some(text_plan(text, &kept)),
            _ => None,
        })
        .collect();

    let columns: Vec<Box<dyn Array>> = (0..names.len())
        .into_par_iter()
        .map(|j| {
            output_column(
                &cells[j],
                numbers[j].as_ref(),
                texts[j].as_ref(),
                &outlier,
                &survivors,
            )
        })
        .collect();
    let fields = names
        .iter()
        .zip(&columns)
        .map(|(name, column)| Field::new((*name).into(), column.dtype().clone(), true))
        .collect();

    let listed = |list: &[usize]| list.iter().map(|&j| names[j].to_owned()).collect();
    let mut report = CleanReport::new(
        options.sigma,
        listed(&numeric_columns),
        listed(&categorical_columns),
    );
    report.rows_in = rows as u64;
    report.duplicates_removed = (rows - kept.len()) as u64;
    report.outlier_rows_removed = (kept.len() - survivors.len()) as u64;
    report.rows_out = survivors.len() as u64;
    let finite = |x: f64| x.is_finite().then_some(x);
    for &j in &numeric_columns {
        let filled = numbers[j].as_ref().expect("a median-filled column");
        let name = names[j].to_owned();
        report.numeric_filled.0.push((name.clone(), filled.filled));
        report.bounds.0.push((
            name.clone(),
            [
                finite(filled.mean - filled.limit),
                finite(filled.mean + filled.limit),
            ],
        ));
        report
            .fill_values
            .0
            .push((name, FillValue::Number(filled.fill)));
    }
    for &j in &categorical_columns {
        let plan = texts[j].as_ref().expect("a text column");
        let name = names[j].to_owned();
        report
            .categorical_filled
            .0
            .push((name.clone(), plan.filled));
        let mode = plan
            .mode
            .map(|code| String::from_utf8_lossy(plan.value(code)).into_owned());
        report.fill_values.0.push((name, FillValue::Text(mode)));
        report.values_lowercased += plan.lowercased;
    }
    Some(CleanedTable {
        fields,
        columns,
        rows: survivors.len(),
        report,
    })
}

/// The columns of one list, each once in the order given, or the default ones (those `fits`,
/// not claimed by the other list or left out); `None` when a listed column is missing or does
/// not fit.
fn pick(
    names: &[&str],
    given: &Option<Vec<String>>,
    other: &Option<Vec<String>>,
    options: &CleanOptions,
    fits: &dyn Fn(usize) -> bool,
) -> Option<Vec<usize>> {
    let mut picked: Vec<usize> = Vec::new();
    match given {
        Some(list) => {
            for name in list {
                let j = names.iter().position(|n| n == name)?;
                if !fits(j) {
                    return None;
                }
                if !picked.contains(&j) {
                    picked.push(j);
                }
            }
        }
        None => {
            let claimed = |name: &str| {
                other.iter().flatten().any(|o| o == name)
                    || options.except.iter().any(|o| o == name)
            };
            picked.extend((0..names.len()).filter(|&j| fits(j) && !claimed(names[j])));
        }
    }
    Some(picked)
}

/// Column `j` of every record batch as one [`Cells`]; `None` for an `int64` column with nulls.
fn cells_of(table: &ArrowTable, j: usize) -> Option<Cells<'_>> {
    let arrays = table.records().iter().map(|r| r.arrays()[j].as_ref());
    let rows: usize = table.records().iter().map(|r| r.len()).sum();
    match &table.schema().get_at_index(j)?.1.dtype {
        ArrowDataType::Int64 => {
            let mut ints = Vec::with_capacity(rows);
            for array in arrays {
                let array = array.as_any().downcast_ref::<PrimitiveArray<i64>>()?;
                if array.null_count() > 0 {
                    return None;
                }
                ints.extend_from_slice(array.values());
            }
            Some(Cells::Ints(ints))
        }
        ArrowDataType::Float64 => {
            let mut values = Vec::with_capacity(rows);
            let mut valid: Option<Vec<bool>> = None;
            for array in arrays {
                let array = array.as_any().downcast_ref::<PrimitiveArray<f64>>()?;
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
            Some(Cells::Floats(values, valid))
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
            state: FixedState::with_seed(SEED),
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

#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// A number's canonical bits: `-0.0` as `0.0`, NaN (null) as [`NULL_BITS`].
#[inline]
fn number_bits(x: f64) -> u64 {
    if x.is_nan() {
        NULL_BITS
    } else {
        (x + 0.0).to_bits()
    }
}

/// Every row's 64-bit hash: each column folded in turn (the folded multiply of foldhash).
fn row_hashes(cells: &[Cells<'_>], rows: usize) -> Vec<u64> {
    let mut hashes = vec![SEED; rows];
    for (j, column) in cells.iter().enumerate() {
        let salt = (j as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let fold = |h: &mut u64, v: u64| *h = folded_multiply(*h ^ salt ^ v, MULTIPLIER);
        match column {
            Cells::Ints(ints) => hashes
                .iter_mut()
                .zip(ints)
                .for_each(|(h, &v)| fold(h, v as u64)),
            Cells::Floats(values, _) => hashes
                .iter_mut()
                .zip(values)
                .for_each(|(h, &x)| fold(h, number_bits(x))),
            Cells::Text(text) => hashes.iter_mut().zip(&text.codes).for_each(|(h, &c)| {
                fold(h, text.hashes.get(c as usize).copied().unwrap_or(NULL_BITS));
            }),
        }
    }
    hashes
        .iter_mut()
        .for_each(|h| *h = folded_multiply(*h, 0x082e_fa98_ec4e_6c89));
    hashes
}

/// Whether rows `a` and `b` are equal as `drop_duplicates` compares them: numbers by value
/// (`-0.0` is `0.0`), text by its bytes, null equal to null.
fn rows_equal(cells: &[Cells<'_>], a: usize, b: usize) -> bool {
    cells.iter().all(|column| match column {
        Cells::Ints(ints) => ints[a] == ints[b],
        Cells::Floats(values, _) => number_bits(values[a]) == number_bits(values[b]),
        Cells::Text(text) => text.codes[a] == text.codes[b],
    })
}

/// The first row of each set of equal rows, in row order.
fn distinct_rows(cells: &[Cells<'_>], hashes: &[u64]) -> Vec<u32> {
    let mut seen: HashTable<u32> = HashTable::with_capacity(hashes.len());
    let mut kept = Vec::with_capacity(hashes.len());
    for (row, &hash) in hashes.iter().enumerate() {
        let entry = seen.entry(
            hash,
            |&s| hashes[s as usize] == hash && rows_equal(cells, s as usize, row),
            |&s| hashes[s as usize],
        );
        if let Entry::Vacant(slot) = entry {
            slot.insert(row as u32);
            kept.push(row as u32);
        }
    }
    kept
}

/// A median-filled column over the kept rows: its fill, its bounds and the rows beyond them.
struct FilledNumbers {
    /// The value of each kept row after the fill (NaN where still null: no median).
    values: Vec<f64>,
    fill: Option<f64>,
    filled: u64,
    mean: f64,
    /// `sigma · std`.
    limit: f64,
    /// Positions (among the kept rows) of the values beyond the bounds.
    outliers: Vec<u32>,
}

fn fill_numbers(cells: &Cells<'_>, kept: &[u32], sigma: f64) -> FilledNumbers {
    let (mut values, integer): (Vec<f64>, bool) = match cells {
        Cells::Ints(ints) => (
            kept.iter().map(|&r| ints[r as usize] as f64).collect(),
            true,
        ),
        Cells::Floats(floats, _) => (kept.iter().map(|&r| floats[r as usize]).collect(), false),
        Cells::Text(_) => unreachable!("a numeric column"),
    };
    let mut present: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let nulls = (values.len() - present.len()) as u64;
    let fill = median_in_place(&mut present);
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
    let (mean, std) = if fill.is_some() {
        mean_std(&values, integer)
    } else {
        mean_std(&[], integer)
    };
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

/// A text column's mode over the kept rows, its counts, and each value lowercased.
struct TextPlan {
    /// Each distinct value lowercased, `None` when lowercasing leaves it as it is.
    lowered: Vec<Option<Vec<u8>>>,
    values: Vec<Vec<u8>>,
    mode: Option<u32>,
    filled: u64,
    lowercased: u64,
}

impl TextPlan {
    fn value(&self, code: u32) -> &[u8] {
        &self.values[code as usize]
    }

    /// The cleaned text of a code ([`NULL_CODE`]: the mode, if any).
    fn cleaned(&self, code: u32) -> Option<&[u8]> {
        let code = if code == NULL_CODE { self.mode? } else { code };
        Some(
            self.lowered[code as usize]
                .as_deref()
                .unwrap_or(self.value(code)),
        )
    }
}

fn text_plan(text: &TextCells<'_>, kept: &[u32]) -> TextPlan {
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

/// Column `cells` at the surviving rows, cleaned as its plan says (`numbers` for a
/// median-filled column, `text` for a categorical one; neither: as it is). `outlier` flags the
/// kept rows; `survivors` are the rows left.
fn output_column(
    cells: &Cells<'_>,
    numbers: Option<&FilledNumbers>,
    text: Option<&TextPlan>,
    outlier: &[bool],
    survivors: &[u32],
) -> Box<dyn Array> {
    if let Some(filled) = numbers {
        let values = filled
            .values
            .iter()
            .zip(outlier)
            .filter(|(_, &o)| !o)
            .map(|(&x, _)| x);
        return match cells {
            Cells::Ints(ints) => {
                let ints: Vec<i64> = survivors.iter().map(|&r| ints[r as usize]).collect();
                PrimitiveArray::from_vec(ints).boxed()
            }
            _ => floats(values.collect()).boxed(),
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
fn strings<'a>(cells: impl ExactSizeIterator<Item = Option<&'a [u8]>>) -> Utf8Array<i64> {
    let mut offsets: Vec<i64> = Vec::with_capacity(cells.len() + 1);
    let mut bytes: Vec<u8> = Vec::new();
    let mut valid: Vec<bool> = Vec::with_capacity(cells.len());
    offsets.push(0);
    for cell in cells {
        if let Some(v) = cell {
            bytes.extend_from_slice(v);
        }
        offsets.push(bytes.len() as i64);
        valid.push(cell.is_some());
    }
    let validity = valid
        .contains(&false)
        .then(|| valid.into_iter().collect::<Bitmap>());
    let offsets = OffsetsBuffer::try_from(offsets).expect("offsets that only grow");
    Utf8Array::try_new(ArrowDataType::LargeUtf8, offsets, bytes.into(), validity)
        .expect("text from UTF-8 arrays, lowercased, is UTF-8")
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;
    use polars_arrow::compute::concatenate::concatenate;

    use super::*;
    use crate::arrow_stream::{export_columns, export_frame, read_stream};
    use crate::frame::clean_dataset;

    /// A frame as a table in memory, as it crosses from Python.
    fn table(frame: &DataFrame) -> ArrowTable {
        // SAFETY: a stream `export_frame` just made.
        unsafe { read_stream(export_frame(frame.clone()), "<test>") }.unwrap()
    }

    /// Each column of a table, its record batches concatenated.
    fn columns(table: &ArrowTable) -> Vec<Box<dyn Array>> {
        (0..table.schema().len())
            .map(|j| {
                let arrays: Vec<&dyn Array> = table
                    .records()
                    .iter()
                    .map(|r| r.arrays()[j].as_ref())
                    .collect();
                concatenate(&arrays).unwrap()
            })
            .collect()
    }

    fn frame() -> DataFrame {
        let x = [
            Some(1.0),
            Some(1.0),
            None,
            Some(-0.0),
            Some(0.0),
            Some(f64::NAN),
            Some(2.5),
            Some(90.0),
            Some(3.0),
            Some(2.0),
            Some(1.0),
        ];
        let n: Vec<i64> = vec![5, 5, 7, 1, 1, 2, 9, 3, 4, 1, 5];
        let c = [
            Some("A"),
            Some("A"),
            Some("b"),
            None,
            None,
            Some("Ü"),
            Some("b"),
            Some("a"),
            Some("B"),
            Some("a"),
            Some("A"),
        ];
        let kept = [
            Some("x"),
            Some("x"),
            None,
            Some("Y"),
            Some("Y"),
            None,
            Some("z"),
            Some("z"),
            Some("z"),
            Some(""),
            Some("x"),
        ];
        let mut frame = df!("x" => x, "n" => n, "c" => c, "kept" => kept).unwrap();
        // Two record batches.
        let tail = frame.slice(6, 5);
        frame = frame.slice(0, 6);
        frame.vstack_mut(&tail).unwrap();
        frame
    }

    #[test]
    fn a_table_cleans_as_its_frame_does() {
        let frame = frame();
        let runs = [
            CleanOptions::default(),
            CleanOptions {
                sigma: 1.0,
                ..CleanOptions::default()
            },
            CleanOptions {
                numeric: Some(vec!["n".into(), "x".into(), "n".into()]),
                categorical: Some(vec!["c".into()]),
                sigma: 0.5,
                ..CleanOptions::default()
            },
            CleanOptions {
                numeric: Some(vec!["x".into()]),
                ..CleanOptions::default()
            },
            CleanOptions::default().without("c"),
        ];
        for options in runs {
            let (expected, report) = clean_dataset(&frame, &options).unwrap();
            let cleaned = clean_table(&table(&frame), &options).expect("the table's path");
            assert_eq!(cleaned.report, report, "{options:?}");
            assert_eq!(cleaned.rows, expected.height());
            // SAFETY: a stream `export_columns` just made.
            let got = unsafe {
                read_stream(
                    export_columns(cleaned.fields, cleaned.columns, cleaned.rows),
                    "<test>",
                )
            }
            .unwrap();
            let want = table(&expected);
            assert_eq!(got.schema(), want.schema(), "{options:?}");
            assert_eq!(columns(&got), columns(&want), "{options:?}");
        }
    }

    #[test]
    fn other_tables_and_bad_options_take_the_general_path() {
        let frame = frame();
        let cases = [
            CleanOptions {
                numeric: Some(vec!["c".into()]),
                ..CleanOptions::default()
            },
            CleanOptions {
                categorical: Some(vec!["n".into()]),
                ..CleanOptions::default()
            },
            CleanOptions {
                numeric: Some(vec!["missing".into()]),
                ..CleanOptions::default()
            },
            CleanOptions {
                sigma: -1.0,
                ..CleanOptions::default()
            },
        ];
        for options in cases {
            assert!(
                clean_table(&table(&frame), &options).is_none(),
                "{options:?}"
            );
        }
        let flags = df!("b" => [true, false], "x" => [1.0, 2.0]).unwrap();
        assert!(clean_table(&table(&flags), &CleanOptions::default()).is_none());
        let holes = df!("n" => [Some(1i64), None], "x" => [1.0, 2.0]).unwrap();
        assert!(clean_table(&table(&holes), &CleanOptions::default()).is_none());
    }
}
