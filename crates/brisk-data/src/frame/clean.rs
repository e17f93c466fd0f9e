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

use polars::prelude::*;
use polars_arrow::array::Array;
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
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            numeric: None,
            categorical: None,
            sigma: 3.0,
        }
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
    let pick = |given: &Option<Vec<String>>,
                default: &dyn Fn(&DataType) -> bool,
                what: &str|
     -> Result<Vec<String>> {
        match given {
            Some(list) => list
                .iter()
                .map(|name| {
                    frame
                        .column(name)
                        .map(|_| name.clone())
                        .map_err(|_| unknown_column("table", name, what, &names))
                })
                .collect(),
            None => Ok(frame
                .columns()
                .iter()
                .filter(|c| default(c.dtype()))
                .map(|c| c.name().to_string())
                .collect()),
        }
    };
    let numeric_columns = pick(&options.numeric, &|t| t.is_primitive_numeric(), "--numeric")?;
    let categorical_columns = pick(
        &options.categorical,
        &|t| *t == DataType::String,
        "--categorical",
    )?;
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
        numeric_filled: Named::default(),
        categorical_filled: Named::default(),
        fill_values: Named::default(),
        values_lowercased: 0,
        outlier_rows_removed: 0,
        bounds: Named::default(),
        rows_out: 0,
        sigma: options.sigma,
        numeric_columns: numeric_columns.clone(),
        categorical_columns: categorical_columns.clone(),
    };

    // Steps 2 and 3 work on the kept rows only; `replaced` holds each rewritten column, row for
    // kept row.
    let mut replaced: HashMap<String, Replacement> = HashMap::new();
    for name in &numeric_columns {
        let column = frame.column(name).expect("checked above");
        let mut values = kept_numbers(column, &kept);
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let median = median(present);
        let filled = fill(&mut values, median);
        report.numeric_filled.0.push((name.clone(), filled));
        report
            .fill_values
            .0
            .push((name.clone(), FillValue::Number(median)));
        replaced.insert(
            name.clone(),
            Replacement::Numbers(values, column.dtype().is_integer()),
        );
    }
    for name in &categorical_columns {
        if numeric_columns.contains(name) {
            continue;
        }
        let column = frame.column(name).expect("checked above");
        if column.dtype().is_primitive_numeric() {
            let mut values = kept_numbers(column, &kept);
            let mode = number_mode(values.iter().flatten().copied());
            let filled = fill(&mut values, mode);
            report.categorical_filled.0.push((name.clone(), filled));
            report
                .fill_values
                .0
                .push((name.clone(), FillValue::Number(mode)));
            replaced.insert(
                name.clone(),
                Replacement::Numbers(values, column.dtype().is_integer()),
            );
            continue;
        }
        let text = column.str().expect("a String column");
        let mut values: Vec<Option<String>> = kept
            .iter()
            .map(|&row| text.get(row as usize).map(str::to_owned))
            .collect();
        let mode = text_mode(values.iter().flatten().map(String::as_str)).map(str::to_owned);
        let mut filled = 0;
        if let Some(mode) = &mode {
            for value in values.iter_mut().filter(|v| v.is_none()) {
                *value = Some(mode.clone());
                filled += 1;
            }
        }
        // Step 4.
        for value in values.iter_mut().flatten() {
            // ASCII text without capitals is already lowercase; only the rest is rewritten.
            if !value.is_ascii() || value.bytes().any(|b| b.is_ascii_uppercase()) {
                let lower = value.to_lowercase();
                if lower != *value {
                    *value = lower;
                    report.values_lowercased += 1;
                }
            }
        }
        report.categorical_filled.0.push((name.clone(), filled));
        report
            .fill_values
            .0
            .push((name.clone(), FillValue::Text(mode)));
        replaced.insert(name.clone(), Replacement::Text(values));
    }

    // Step 5: flag the outliers of every numeric column, then drop them all at once.
    let mut outlier = vec![false; kept.len()];
    for name in &numeric_columns {
        let Some(Replacement::Numbers(values, _)) = replaced.get(name) else {
            continue;
        };
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let (mean, std) = mean_std(&present);
        let limit = options.sigma * std;
        let bound = |x: f64| x.is_finite().then_some(x);
        report
            .bounds
            .0
            .push((name.clone(), [bound(mean - limit), bound(mean + limit)]));
        for (flag, value) in outlier.iter_mut().zip(values) {
            if let Some(x) = value {
                if (x - mean).abs() > limit {
                    *flag = true;
                }
            }
        }
    }
    report.outlier_rows_removed = outlier.iter().filter(|&&o| o).count() as u64;
    let survivors: Vec<usize> = (0..kept.len()).filter(|&i| !outlier[i]).collect();
    let final_rows: Vec<IdxSize> = survivors.iter().map(|&i| kept[i] as IdxSize).collect();
    report.rows_out = final_rows.len() as u64;

    let indices = IdxCa::from_vec(PlSmallStr::EMPTY, final_rows);
    let mut columns = Vec::with_capacity(frame.width());
    for column in frame.columns() {
        let name = column.name().to_string();
        let rebuilt = match replaced.remove(&name) {
            Some(Replacement::Numbers(values, integer)) => {
                let values = survivors.iter().map(|&i| values[i]);
                if integer && values.clone().all(|v| v.is_some()) {
                    let ints = values.map(|v| v.map(|x| x as i64));
                    Int64Chunked::from_iter_options(column.name().clone(), ints).into_column()
                } else {
                    Float64Chunked::from_iter_options(column.name().clone(), values).into_column()
                }
            }
            Some(Replacement::Text(values)) => {
                let values = survivors.iter().map(|&i| values[i].as_deref());
                StringChunked::from_iter_options(column.name().clone(), values).into_column()
            }
            None => column
                .take(&indices)
                .map_err(|e| fail(ErrorKind::Io, format!("column {name:?}: {e}")))?,
        };
        columns.push(rebuilt);
    }
    let cleaned = DataFrame::new(indices.len(), columns).map_err(|e| {
        fail(
            ErrorKind::Io,
            format!("cannot build the cleaned table: {e}"),
        )
    })?;
    Ok((cleaned, report))
}

/// A column rewritten by filling or lowercasing, one entry per kept row.
enum Replacement {
    /// Numbers, and whether the column was an integer column.
    Numbers(Vec<Option<f64>>, bool),
    Text(Vec<Option<String>>),
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

/// The median as NumPy takes it: the middle value, or the mean of the two middle values.
fn median(mut values: Vec<f64>) -> Option<f64> {
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
    let mut counts: HashMap<u64, (f64, u64)> = HashMap::new();
    for x in values {
        let x = if x == 0.0 { 0.0 } else { x };
        counts.entry(x.to_bits()).or_insert((x, 0)).1 += 1;
    }
    counts
        .into_values()
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
fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = compensated_sum(values.iter().copied()) / n;
    if values.len() < 2 {
        return (mean, f64::NAN);
    }
    let squares = compensated_sum(values.iter().map(|&x| (x - mean) * (x - mean)));
    (mean, (squares / (n - 1.0)).sqrt())
}

/// Neumaier's compensated sum.
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut compensation) = (0.0_f64, 0.0_f64);
    for x in values {
        let t = sum + x;
        compensation += if sum.abs() >= x.abs() {
            (sum - t) + x
        } else {
            (x - t) + sum
        };
        sum = t;
    }
    sum + compensation
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
}
