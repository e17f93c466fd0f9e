//! The cleaning pipeline of exercise C.2 (`brisk clean`).
//!
//! Exactly these steps, in this order, rows kept in input order:
//! 1. drop duplicate rows — all columns equal by value, null equal to null — keeping the first
//!    (`DataFrame.drop_duplicates()`);
//! 2. fill the nulls of each numeric column with its median over the rows left
//!    (`fillna(median())`);
//! 3. fill the nulls of each categorical column with its mode, ties going to the smallest value
//!    (`fillna(mode().iloc[0])`);
//! 4. lowercase the categorical text (`str.lower()`, full Unicode lowercasing);
//! 5. drop every row where some numeric column has `|x − mean| > sigma · std`, with the mean and
//!    the sample standard deviation (ddof 1) of each column taken after step 2 and before any row
//!    is dropped. An undefined std (fewer than two rows) removes nothing, as NaN compares false.

use std::collections::HashMap;

use brisk_kernels::numeric::{canonical_zero, pairwise_sum, NumpySum, SumOrder};
use polars::prelude::*;
use polars_arrow::array::Array;
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::read::{unknown_column, LoadedFrame};
use super::rows::{distinct_rows, RowKeys};
use crate::error::{DataError, ErrorKind, Location, Result};

/// Which columns to clean and how far out an outlier is.
#[derive(Debug, Clone)]
pub struct CleanOptions {
    /// Numeric columns; every numeric column when `None`.
    pub numeric: Option<Vec<String>>,
    /// Categorical columns; every text column when `None`.
    pub categorical: Option<Vec<String>>,
    /// Rows farther than `sigma` standard deviations from a numeric column's mean are dropped.
    pub sigma: f64,
    /// Columns the default lists leave out (the report's target).
    pub except: Vec<String>,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            numeric: None,
            categorical: None,
            sigma: 3.0,
            except: Vec::new(),
        }
    }
}

impl CleanOptions {
    /// The same options with `column` left out of the default lists (a listed column stays).
    pub fn without(mut self, column: &str) -> Self {
        self.except.push(column.to_owned());
        self
    }
}

/// What cleaning changed, count by count.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CleanReport {
    /// Rows before cleaning.
    pub rows_in: u64,
    /// Rows dropped as duplicates of an earlier row.
    pub duplicates_removed: u64,
    /// Nulls filled with the median, per numeric column.
    pub numeric_filled: Named<u64>,
    /// Nulls filled with the mode, per categorical column.
    pub categorical_filled: Named<u64>,
    /// The median or mode used, per column (null when the column had no value to take it from).
    pub fill_values: Named<FillValue>,
    /// Categorical cells whose text lowercasing changed.
    pub values_lowercased: u64,
    /// Rows dropped as outliers.
    pub outlier_rows_removed: u64,
    /// `[mean − sigma·std, mean + sigma·std]` per numeric column (nulls when std is undefined).
    pub bounds: Named<[Option<f64>; 2]>,
    /// Rows after cleaning.
    pub rows_out: u64,
    /// The outlier threshold in standard deviations.
    pub sigma: f64,
    /// The numeric columns cleaned.
    pub numeric_columns: Vec<String>,
    /// The categorical columns cleaned.
    pub categorical_columns: Vec<String>,
}

impl CleanReport {
    /// The report before any step has counted: the lists and the threshold only.
    pub fn new(sigma: f64, numeric_columns: Vec<String>, categorical_columns: Vec<String>) -> Self {
        CleanReport {
            rows_in: 0,
            duplicates_removed: 0,
            numeric_filled: Named::default(),
            categorical_filled: Named::default(),
            fill_values: Named::default(),
            values_lowercased: 0,
            outlier_rows_removed: 0,
            bounds: Named::default(),
            rows_out: 0,
            sigma,
            numeric_columns,
            categorical_columns,
        }
    }

    /// The headings of [`CleanReport::column_summary`].
    pub const SUMMARY_HEADINGS: [&'static str; 6] = [
        "column",
        "kind",
        "filled",
        "fill value",
        "low bound",
        "high bound",
    ];

    /// One row per cleaned column, as text for people: the name, `numeric` or `categorical`, the
    /// nulls filled, the fill value and (numeric columns) the outlier bounds, numbers to six
    /// significant digits and `—` for none.
    pub fn column_summary(&self) -> Vec<[String; 6]> {
        use super::format::six_digits;
        self.fill_values
            .0
            .iter()
            .map(|(name, value)| {
                let numeric = self.numeric_filled.get(name);
                let filled = numeric
                    .or_else(|| self.categorical_filled.get(name))
                    .copied()
                    .unwrap_or(0);
                let fill = match value {
                    FillValue::Number(x) => six_digits(*x),
                    FillValue::Text(t) => t.clone().unwrap_or_else(|| "—".into()),
                };
                let [lo, hi] = self.bounds.get(name).copied().unwrap_or([None, None]);
                let bound = |x: Option<f64>| numeric.map_or(String::new(), |_| six_digits(x));
                let kind = if numeric.is_some() {
                    "numeric"
                } else {
                    "categorical"
                };
                [
                    name.clone(),
                    kind.to_owned(),
                    filled.to_string(),
                    fill,
                    bound(lo),
                    bound(hi),
                ]
            })
            .collect()
    }
}

/// Values by column name, in column order; serialised as a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T> Default for Named<T> {
    fn default() -> Self {
        Named(Vec::new())
    }
}

impl<T> Named<T> {
    /// The value for a column.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// A fill value: a number for numeric columns, text for text columns.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum FillValue {
    /// A median, or a numeric column's mode.
    Number(Option<f64>),
    /// A text column's mode.
    Text(Option<String>),
}

/// Cleans a loaded table, naming the file, line and value when a `--numeric` column holds text.
pub fn clean_loaded(
    loaded: &LoadedFrame,
    options: &CleanOptions,
) -> Result<(DataFrame, CleanReport)> {
    let names = loaded.frame.get_column_names();
    for (list, what) in [
        (&options.numeric, "--numeric"),
        (&options.categorical, "--categorical"),
    ] {
        for name in list.iter().flatten() {
            if !names.iter().any(|n| n.as_str() == name) {
                return Err(unknown_column(&loaded.source, name, what, &names));
            }
        }
    }
    for name in options.numeric.iter().flatten() {
        let index = loaded.column_index(name, "--numeric")?;
        if let Some(sighting) = &loaded.first_text[index] {
            return Err(DataError::new(
                ErrorKind::InvalidArgument,
                sighting.location.clone(),
                format!(
                    "--numeric names {name:?}, but it holds text ({:?}); list it under --categorical \
                     or fix the value",
                    sighting.value
                ),
            ));
        }
    }
    clean_dataset(&loaded.frame, options).map_err(|mut e| {
        e.location.source.clone_from(&loaded.source);
        e
    })
}

/// Cleans `frame` in the five steps above and reports every change.
///
/// Errors: a column named in the options that the frame lacks, a numeric column that is not
/// numeric, a negative or non-finite `sigma`.
///
/// ```
/// use brisk_data::frame::{clean_dataset, CleanOptions};
/// use polars::prelude::*;
/// let frame = df!(
///     "x" => [Some(1.0), Some(1.0), None, Some(3.0), Some(2.0)],
///     "c" => [Some("A"), Some("A"), Some("b"), None, Some("b")],
/// ).unwrap();
/// let (clean, report) = clean_dataset(&frame, &CleanOptions::default()).unwrap();
/// assert_eq!(report.duplicates_removed, 1);
/// assert_eq!(report.numeric_filled.get("x"), Some(&1));
/// assert_eq!(clean.column("x").unwrap().f64().unwrap().get(1), Some(2.0)); // the median
/// assert_eq!(clean.column("c").unwrap().str().unwrap().get(0), Some("a"));
/// assert_eq!(report.rows_out, 4);
/// ```
pub fn clean_dataset(
    frame: &DataFrame,
    options: &CleanOptions,
) -> Result<(DataFrame, CleanReport)> {
    let fail =
        |kind: ErrorKind, message: String| DataError::new(kind, Location::source("table"), message);
    if !(options.sigma.is_finite() && options.sigma >= 0.0) {
        return Err(fail(
            ErrorKind::InvalidArgument,
            format!("--sigma must be a finite number ≥ 0, not {}", options.sigma),
        ));
    }
    let names = frame.get_column_names();
    // Each list once, in the order given; a column named in one list leaves the other's default.
    let pick = |given: &Option<Vec<String>>,
                other: &Option<Vec<String>>,
                default: &dyn Fn(&DataType) -> bool,
                what: &str|
     -> Result<Vec<String>> {
        let mut picked: Vec<String> = Vec::new();
        match given {
            Some(list) => {
                for name in list {
                    frame
                        .column(name)
                        .map_err(|_| unknown_column("table", name, what, &names))?;
                    if !picked.contains(name) {
                        picked.push(name.clone());
                    }
                }
            }
            None => {
                let claimed = |name: &str| {
                    other.iter().flatten().any(|o| o == name)
                        || options.except.iter().any(|o| o == name)
                };
                picked.extend(
                    frame
                        .columns()
                        .iter()
                        .filter(|c| default(c.dtype()) && !claimed(c.name()))
                        .map(|c| c.name().to_string()),
                );
            }
        }
        Ok(picked)
    };
    let numeric_columns = pick(
        &options.numeric,
        &options.categorical,
        &|t| t.is_primitive_numeric(),
        "--numeric",
    )?;
    let categorical_columns = pick(
        &options.categorical,
        &options.numeric,
        &|t| *t == DataType::String,
        "--categorical",
    )?;
    if let Some(both) = numeric_columns
        .iter()
        .find(|n| categorical_columns.contains(n))
    {
        return Err(fail(
            ErrorKind::InvalidArgument,
            format!("{both:?} is named by both --numeric and --categorical; list it under one"),
        ));
    }
    for name in &numeric_columns {
        let dtype = frame
            .column(name)
            .map(Column::dtype)
            .unwrap_or(&DataType::Null);
        if !dtype.is_primitive_numeric() {
            return Err(fail(
                ErrorKind::InvalidArgument,
                format!("--numeric names {name:?}, but it holds text ({dtype}); list it under --categorical"),
            ));
        }
    }

    let rows_in = frame.height();
    // Step 1: the first of each set of equal rows.
    let keys = RowKeys::new(frame.columns());
    let kept: Vec<u32> = distinct_rows(&keys);
    let duplicates_removed = rows_in - kept.len();

    let mut report = CleanReport {
        rows_in: rows_in as u64,
        duplicates_removed: duplicates_removed as u64,
        ..CleanReport::new(
            options.sigma,
            numeric_columns.clone(),
            categorical_columns.clone(),
        )
    };

    // Step 2 (and step 3 for a numeric column named categorical), column by column in parallel.
    let numeric_targets: Vec<(&str, Role)> = numeric_columns
        .iter()
        .map(|n| (n.as_str(), Role::Numeric))
        .chain(
            categorical_columns
                .iter()
                .filter(|n| !numeric_columns.contains(n))
                .filter(|n| {
                    frame
                        .column(n)
                        .is_ok_and(|c| c.dtype().is_primitive_numeric())
                })
                .map(|n| (n.as_str(), Role::Categorical)),
        )
        .collect();
    let filled_numbers: Vec<FilledNumbers> = numeric_targets
        .par_iter()
        .map(|&(name, role)| fill_numbers(frame.column(name).expect("checked above"), &kept, role))
        .collect();

    // Step 5's flags come from the filled numeric columns, before any row is dropped.
    let flagged: Vec<(f64, f64, Vec<u32>)> = filled_numbers
        .par_iter()
        .zip(&numeric_targets)
        .filter(|(_, (_, role))| *role == Role::Numeric)
        .map(|(filled, _)| outliers(&filled.values, filled.pandas_int, options.sigma))
        .collect();
    let mut outlier = vec![false; kept.len()];
    for (_, _, positions) in &flagged {
        for &i in positions {
            outlier[i as usize] = true;
        }
    }
    report.outlier_rows_removed = outlier.iter().filter(|&&o| o).count() as u64;
    let survivors: Vec<usize> = (0..kept.len()).filter(|&i| !outlier[i]).collect();
    report.rows_out = survivors.len() as u64;

    // Steps 3 and 4 for text columns, writing the surviving rows directly.
    let text_targets: Vec<&str> = categorical_columns
        .iter()
        .filter(|n| !numeric_columns.contains(n))
        .filter(|n| {
            frame
                .column(n)
                .is_ok_and(|c| c.dtype() == &DataType::String)
        })
        .map(String::as_str)
        .collect();
    let cleaned_text: Vec<CleanedText> = text_targets
        .par_iter()
        .map(|&name| clean_text(frame.column(name).expect("checked above"), &kept, &outlier))
        .collect();

    // The report, columns in the order the options list them.
    let mut flags = flagged.iter();
    for ((name, role), filled) in numeric_targets.iter().zip(&filled_numbers) {
        let name = name.to_string();
        match role {
            Role::Numeric => {
                report.numeric_filled.0.push((name.clone(), filled.filled));
                let (mean, limit, _) = flags.next().expect("one per numeric column");
                let bound = |x: f64| x.is_finite().then_some(x);
                report
                    .bounds
                    .0
                    .push((name.clone(), [bound(mean - limit), bound(mean + limit)]));
            }
            Role::Categorical => report
                .categorical_filled
                .0
                .push((name.clone(), filled.filled)),
        }
        report
            .fill_values
            .0
            .push((name, FillValue::Number(filled.fill)));
    }
    for (name, cleaned) in text_targets.iter().zip(&cleaned_text) {
        report
            .categorical_filled
            .0
            .push((name.to_string(), cleaned.filled));
        report
            .fill_values
            .0
            .push((name.to_string(), FillValue::Text(cleaned.mode.clone())));
        report.values_lowercased += cleaned.lowercased;
    }
    let listed = |name: &str| {
        numeric_columns
            .iter()
            .chain(&categorical_columns)
            .position(|c| c == name)
    };
    report.fill_values.0.sort_by_key(|(n, _)| listed(n));
    report.categorical_filled.0.sort_by_key(|(n, _)| listed(n));

    let final_rows: Vec<IdxSize> = survivors.iter().map(|&i| kept[i] as IdxSize).collect();
    let indices = IdxCa::from_vec(PlSmallStr::EMPTY, final_rows);
    let columns: Vec<Result<Column>> = frame
        .columns()
        .par_iter()
        .map(|column| {
            let name = column.name().as_str();
            if let Some(i) = numeric_targets.iter().position(|(n, _)| *n == name) {
                return Ok(filled_numbers[i].column(column.name().clone(), &survivors));
            }
            if let Some(i) = text_targets.iter().position(|n| *n == name) {
                return Ok(cleaned_text[i].column.clone().into_column());
            }
            column
                .take(&indices)
                .map_err(|e| fail(ErrorKind::Io, format!("column {name:?}: {e}")))
        })
        .collect();
    let columns = columns.into_iter().collect::<Result<Vec<_>>>()?;
    let cleaned = DataFrame::new(indices.len(), columns).map_err(|e| {
        fail(
            ErrorKind::Io,
            format!("cannot build the cleaned table: {e}"),
        )
    })?;
    Ok((cleaned, report))
}

/// How a column is cleaned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Median fill and outlier bounds.
    Numeric,
    /// Mode fill (and lowercasing, for text).
    Categorical,
}

/// A numeric column after its fill, one value per kept row.
struct FilledNumbers {
    values: Vec<Option<f64>>,
    integer: bool,
    /// pandas reads the column as `int64` (integers, no null anywhere in the file).
    pandas_int: bool,
    filled: u64,
    fill: Option<f64>,
}

impl FilledNumbers {
    /// The surviving rows as a column: integers stay `Int64` when nothing is missing.
    fn column(&self, name: PlSmallStr, survivors: &[usize]) -> Column {
        let values = survivors.iter().map(|&i| self.values[i]);
        if self.integer && self.values.iter().all(Option::is_some) {
            let ints = values.map(|v| v.map(|x| x as i64));
            Int64Chunked::from_iter_options(name, ints).into_column()
        } else {
            Float64Chunked::from_iter_options(name, values).into_column()
        }
    }
}

fn fill_numbers(column: &Column, kept: &[u32], role: Role) -> FilledNumbers {
    let mut values = kept_numbers(column, kept);
    let fill_value = match role {
        Role::Numeric => median(values.iter().flatten().copied().collect()),
        Role::Categorical => number_mode(values.iter().flatten().copied()),
    };
    let filled = fill(&mut values, fill_value);
    FilledNumbers {
        values,
        integer: column.dtype().is_integer(),
        pandas_int: column.dtype().is_integer() && column.null_count() == 0,
        filled,
        fill: fill_value,
    }
}

/// Step 5's rule: a value is an outlier when `|x − mean| > limit` (`limit = sigma · std`). NaN
/// bounds, an undefined standard deviation, remove nothing.
pub(crate) fn is_outlier(x: f64, mean: f64, limit: f64) -> bool {
    (x - mean).abs() > limit
}

/// The mean, `sigma · std`, and the positions whose `|x − mean|` exceeds it (`integer`: pandas
/// reads the column as `int64`).
fn outliers(values: &[Option<f64>], integer: bool, sigma: f64) -> (f64, f64, Vec<u32>) {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let (mean, std) = mean_std(&present, integer);
    let limit = sigma * std;
    let positions = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some_and(|x| is_outlier(x, mean, limit)))
        .map(|(i, _)| i as u32)
        .collect();
    (mean, limit, positions)
}

/// A text column after steps 3 and 4, at the surviving rows.
struct CleanedText {
    column: StringChunked,
    mode: Option<String>,
    filled: u64,
    lowercased: u64,
}

/// Fills a text column's nulls at the kept rows with its mode and lowercases it, counting the
/// cells that change over every kept row (outliers included: steps 3 and 4 come before step 5),
/// and writes the rows that survive step 5.
fn clean_text(column: &Column, kept: &[u32], outlier: &[bool]) -> CleanedText {
    let text = column.str().expect("a String column").rechunk();
    let array = text.downcast_iter().next();
    let value = |row: u32| -> Option<&str> {
        let array = array?;
        let row = row as usize;
        array.is_valid(row).then(|| array.value(row))
    };
    let mode = text_mode(kept.iter().filter_map(|&r| value(r)));
    let mut builder = StringChunkedBuilder::new(column.name().clone(), kept.len());
    let (mut filled, mut lowercased) = (0, 0);
    let mut lower = String::new();
    for (&row, &dropped) in kept.iter().zip(outlier) {
        let original = value(row);
        if original.is_none() && mode.is_some() {
            filled += 1;
        }
        let Some(current) = original.or(mode) else {
            if !dropped {
                builder.append_null();
            }
            continue;
        };
        // ASCII text without capitals is already lowercase; only the rest is rewritten.
        let changed = if current.is_ascii() {
            let upper = current.bytes().any(|b| b.is_ascii_uppercase());
            if upper {
                lower.clear();
                lower.push_str(current);
                lower.make_ascii_lowercase();
            }
            upper
        } else {
            lower = current.to_lowercase();
            lower != current
        };
        lowercased += u64::from(changed);
        if !dropped {
            builder.append_value(if changed { lower.as_str() } else { current });
        }
    }
    CleanedText {
        column: builder.finish(),
        mode: mode.map(str::to_owned),
        filled,
        lowercased,
    }
}

/// A numeric column's values at the kept rows, nulls (and NaN) as `None`.
fn kept_numbers(column: &Column, kept: &[u32]) -> Vec<Option<f64>> {
    let floats = column
        .cast(&DataType::Float64)
        .expect("a numeric column casts to Float64");
    let floats = floats.f64().expect("Float64").rechunk();
    let array = floats.downcast_iter().next();
    kept.iter()
        .map(|&row| {
            let array = array?;
            let row = row as usize;
            let x = array.value(row);
            (array.is_valid(row) && !x.is_nan()).then_some(x)
        })
        .collect()
}

/// Replaces every `None` by `value` (when there is one); returns how many were replaced.
fn fill(values: &mut [Option<f64>], value: Option<f64>) -> u64 {
    let Some(value) = value else { return 0 };
    let mut filled = 0;
    for v in values.iter_mut().filter(|v| v.is_none()) {
        *v = Some(value);
        filled += 1;
    }
    filled
}

/// The median as NumPy takes it: the middle value, or the mean of the two middle values; `None`
/// for no value.
pub(crate) fn median(mut values: Vec<f64>) -> Option<f64> {
    median_in_place(&mut values)
}

/// [`median`] of values it may reorder.
pub(crate) fn median_in_place(values: &mut [f64]) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let (_, &mut upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = values[..n / 2]
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}

/// The most frequent number; ties go to the smallest.
fn number_mode(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut counts: HashMap<u64, u64> = HashMap::new();
    for x in values {
        *counts.entry(canonical_zero(x).to_bits()).or_insert(0) += 1;
    }
    mode_of_counts(&counts)
}

/// The most frequent of counted numbers (keyed by their canonical bits); ties go to the smallest,
/// as `Series.mode().iloc[0]`.
pub(crate) fn mode_of_counts<'a>(
    counts: impl IntoIterator<Item = (&'a u64, &'a u64)>,
) -> Option<f64> {
    counts
        .into_iter()
        .map(|(&bits, &n)| (f64::from_bits(bits), n))
        .max_by(|(a, ca), (b, cb)| ca.cmp(cb).then_with(|| b.total_cmp(a)))
        .map(|(x, _)| x)
}

/// The most frequent text; ties go to the smallest by code point.
fn text_mode<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for value in values {
        *counts.entry(value).or_insert(0) += 1;
    }
    counts
        .into_iter()
        .max_by(|(a, ca), (b, cb)| ca.cmp(cb).then_with(|| b.cmp(a)))
        .map(|(value, _)| value)
}

/// Mean and sample standard deviation (ddof 1) by two compensated passes; the std is NaN for
/// fewer than two values, the mean NaN for none.
/// pandas' `Series.mean()` and `Series.std()` to the last bit: `numpy.sum(x) / n` (an `int64`
/// column summed through NumPy's cast buffers) and `sqrt(numpy.sum((mean − x)²) / (n − 1))`,
/// both sums in NumPy's pairwise order.
fn mean_std(values: &[f64], integer: bool) -> (f64, f64) {
    let n = values.len() as f64;
    let order = if integer {
        SumOrder::Cast
    } else {
        SumOrder::Contiguous
    };
    let mut sum = NumpySum::new(values.len() as u64, order);
    values.iter().for_each(|&x| sum.add(x));
    let mean = sum.finish().unwrap_or(f64::NAN) / n;
    if values.len() < 2 {
        return (mean, f64::NAN);
    }
    let squares: Vec<f64> = values.iter().map(|&x| (mean - x) * (mean - x)).collect();
    (mean, (pairwise_sum(&squares) / (n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_modes() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
        assert_eq!(
            number_mode([2.0, 1.0, 2.0, 1.0, 3.0].into_iter()),
            Some(1.0)
        );
        assert_eq!(text_mode(["b", "a", "b", "a"].into_iter()), Some("a"));
    }

    #[test]
    fn outliers_use_the_filled_column() {
        // Distinct values, so that deduplication keeps every row.
        let mut x: Vec<Option<f64>> = (0..30)
            .map(|i| Some(f64::from(i % 5) + f64::from(i) * 1e-3))
            .collect();
        x.push(Some(100.0));
        x.push(None);
        let frame = df!("x" => x).unwrap();
        let (clean, report) = clean_dataset(&frame, &CleanOptions::default()).unwrap();
        assert_eq!(report.outlier_rows_removed, 1);
        assert_eq!(report.numeric_filled.get("x"), Some(&1));
        assert_eq!(clean.height(), report.rows_out as usize);
        assert!(clean
            .column("x")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .all(|v| v.unwrap() < 100.0));
    }

    #[test]
    fn negative_sigma_is_refused() {
        let frame = df!("x" => [1.0, 2.0]).unwrap();
        let options = CleanOptions {
            sigma: -1.0,
            ..CleanOptions::default()
        };
        assert_eq!(
            clean_dataset(&frame, &options).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn column_lists_are_taken_once_and_claim_their_columns() {
        let frame = df!("n" => [Some(1.0), None, Some(3.0)], "s" => ["A", "b", "b"]).unwrap();
        let twice = CleanOptions {
            categorical: Some(vec!["s".into(), "s".into()]),
            ..CleanOptions::default()
        };
        let (_, report) = clean_dataset(&frame, &twice).unwrap();
        assert_eq!(report.categorical_columns, ["s"]);
        assert_eq!(report.values_lowercased, 1);
        // A numeric column named categorical gets the mode, not the median.
        let mode = CleanOptions {
            categorical: Some(vec!["n".into()]),
            ..CleanOptions::default()
        };
        let (_, report) = clean_dataset(&frame, &mode).unwrap();
        assert!(report.numeric_columns.is_empty());
        assert_eq!(
            report.fill_values.get("n"),
            Some(&FillValue::Number(Some(1.0)))
        );
        let both = CleanOptions {
            numeric: Some(vec!["n".into()]),
            categorical: Some(vec!["n".into()]),
            ..CleanOptions::default()
        };
        assert_eq!(
            clean_dataset(&frame, &both).unwrap_err().kind,
            ErrorKind::InvalidArgument
        );
    }
}
