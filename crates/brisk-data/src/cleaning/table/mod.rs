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

mod cells;
mod output;
mod rows;
mod steps;

use brisk_profile::block;
use polars_arrow::array::Array;
use polars_arrow::datatypes::{ArrowDataType, Field};
use rayon::prelude::*;

use self::cells::{cells_of, Cells};
use self::output::output_column;
use self::rows::{distinct_rows, row_hashes};
use self::steps::{fill_numbers, text_plan, FilledNumbers, TextPlan};
use crate::arrow_stream::ArrowTable;
use crate::frame::{CleanOptions, CleanReport, FillValue};

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

    let stage = block("columns");
    let cells: Vec<Cells<'_>> = (0..names.len())
        .into_par_iter()
        .map(|j| cells_of(table, j))
        .collect::<Option<_>>()?;
    drop(stage);

    // Step 1: the first of each set of equal rows.
    let stage = block("duplicates");
    let kept = distinct_rows(&cells, row_hashes(&cells, rows));
    drop(stage);

    // Step 2 and step 5's flags, column by column.
    let stage = block("fills");
    let mut numbers: Vec<Option<FilledNumbers>> = cells
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
    drop(stage);

    let stage = block("output");
    let filled_values: Vec<Option<Vec<f64>>> = numbers
        .iter_mut()
        .map(|n| n.as_mut().map(|n| std::mem::take(&mut n.values)))
        .collect();
    let columns: Vec<Box<dyn Array>> = cells
        .par_iter()
        .zip(filled_values)
        .zip(&texts)
        .map(|((cells, filled), text)| {
            output_column(cells, filled, text.as_ref(), &outlier, &survivors)
        })
        .collect();
    drop(stage);
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

#[cfg(test)]
mod tests {
    use polars::prelude::*;
    use polars_arrow::compute::concatenate::concatenate;

    use super::rows::PART_ROWS;
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
    fn a_large_table_with_repeated_rows_cleans_as_its_frame_does() {
        use brisk_kernels::random::Mt19937;
        // Enough rows for the duplicates to spread over several parts.
        let rows = 5 * PART_ROWS + 123;
        let mut random = Mt19937::new(11);
        let mut pick = |n: u64| random.interval(n) as usize;
        let words = [
            Some("Paris"),
            Some("paris"),
            None,
            Some("Köln"),
            Some("ÉTÉ"),
            Some("a"),
        ];
        let mut x = Vec::with_capacity(rows);
        let mut y = Vec::with_capacity(rows);
        let mut n = Vec::with_capacity(rows);
        let mut c = Vec::with_capacity(rows);
        for r in 0..rows {
            // Every seventh row repeats an earlier one.
            let from = if r > 0 && r % 7 == 0 {
                pick(r as u64 - 1)
            } else {
                r
            };
            if from < r {
                x.push(x[from]);
                y.push(y[from]);
                n.push(n[from]);
                c.push(c[from]);
                continue;
            }
            x.push((pick(9) > 0).then(|| pick(1000) as f64 / 7.0));
            y.push((pick(20) > 0).then(|| if pick(500) == 0 { 1e6 } else { pick(50) as f64 }));
            n.push(pick(30) as i64 - 10);
            c.push(words[pick(5)]);
        }
        let frame = df!("x" => x, "n" => n, "c" => c, "y" => y).unwrap();
        for options in [
            CleanOptions::default(),
            CleanOptions {
                sigma: 1.5,
                ..CleanOptions::default()
            },
        ] {
            let (expected, report) = clean_dataset(&frame, &options).unwrap();
            assert!(report.duplicates_removed > 0 && report.outlier_rows_removed > 0);
            let cleaned = clean_table(&table(&frame), &options).expect("the table's path");
            assert_eq!(cleaned.report, report);
            // SAFETY: a stream `export_columns` just made.
            let got = unsafe {
                read_stream(
                    export_columns(cleaned.fields, cleaned.columns, cleaned.rows),
                    "<test>",
                )
            }
            .unwrap();
            assert_eq!(columns(&got), columns(&table(&expected)));
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
